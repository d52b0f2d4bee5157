import CFP4
import Foundation

extension HostCalibration {
    /// What a calibration will time: the GEMM grid (the kernels x shapes x batch sizes) and the
    /// attention grid, and how many passes. Building a plan runs nothing; `run()` measures.
    public struct Plan: Sendable {
        public var threads: Int
        /// Passes over the whole grid; each point's time is the median over them.
        public var passes: Int
        public var gemm: [Measurement]
        public var attention: [AttentionMeasurement]

        /// The grid: `quick` is a smaller one, a few seconds on a 2-core machine against about a minute.
        public init(quick: Bool, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
            self.threads = threads
            passes = quick ? 5 : 7
            // (K, N): the synthetic 1B model's GEMMs (QKV, O, gate-and-up, down, LM head: what the
            // host check runs), and two of the catalog's (Llama 3.1 8B's and 70B's FFN up
            // projection). (256, 64) is the tiny shape that measures the per-call overhead.
            let shapes = quick ? [(256, 64), (2048, 2560), (2048, 11264), (5632, 2048)]
                : [(256, 64), (2048, 2560), (2048, 2048), (2048, 11264), (5632, 2048), (2048, 32000), (4096, 14336), (8192, 28672)]
            let batches = quick ? [1, 4, 16, 64] : [1, 2, 4, 8, 16, 32, 64, 128, 256]
            var points: [Measurement] = []
            for kernel in ["mxfp4", "nvfp4"] {
                for (k, n) in shapes {
                    // The overhead probe only at small batches: at large ones its per-row costs dominate.
                    for batch in batches where k >= 1024 || batch <= 16 {
                        points.append(Measurement(kernel: kernel, k: k, n: n, batch: batch, seconds: 0))
                    }
                }
            }
            gemm = points
            attention = HostCalibration.attentionGrid(quick: quick)
        }

        /// Times every point of the grid on this machine and fits the profile.
        public func run() throws -> HostCalibration {
            let path = String(cString: ip_path_name(ip_best_path()))
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            let points = gemm
            var attention = self.attention
            // Whole passes over the grid, repeated, each point's median taken over the passes: on a
            // shared machine whose speed drifts over tens of seconds, every point then samples the whole
            // calibration window instead of one moment of it. The limits are measured in every pass too.
            var times = Array(repeating: [Double](), count: points.count)
            var attentionTimes = Array(repeating: [Double](), count: attention.count)
            var reads: [Double] = [], peaks: [Double] = []
            let weights = ColdWeights()
            let attentionBench = AttentionBench()
            // Activations and outputs for the largest point (their values do not change the timings),
            // made once so that nothing but the kernel runs between timed calls.
            let largestX = points.map { $0.batch * $0.k }.max() ?? 0, largestY = points.map { $0.batch * $0.n }.max() ?? 0
            let x = UnsafeMutablePointer<Float>.allocate(capacity: largestX), y = UnsafeMutablePointer<Float>.allocate(capacity: largestY)
            defer { x.deallocate(); y.deallocate() }
            for i in 0..<largestX { x[i] = Float((i % 13) - 6) / 7 }
            for _ in 0..<passes {
                for (index, point) in attention.enumerated() {
                    attentionTimes[index].append(attentionBench.time(point, threads: threads))
                }
                let limits = HostCalibration.machineLimits(threads: threads)
                reads.append(limits.readBandwidth)
                peaks.append(limits.fmaPeak)
                var laidOut = ""
                for (index, point) in points.enumerated() {
                    let (kernel, k, n, batch) = (point.kernel, point.k, point.n, point.batch)
                    func call() {
                        let (packed, scales) = weights.next()
                        if kernel == "mxfp4" {
                            _ = ip_mxfp4_gemm(x, batch, packed, scales, n, k, y, Int32(threads), IP_PATH_AUTO)
                        } else {
                            _ = ip_nvfp4_gemm(x, batch, packed, scales, 100, n, k, y, Int32(threads), IP_PATH_AUTO)
                        }
                    }
                    if laidOut != "\(kernel) \(k) \(n)" {
                        weights.use(kernel: kernel, k: k, n: n)
                        laidOut = "\(kernel) \(k) \(n)"
                        // Untimed: wakes the worker threads, as the calls of a model's step find them.
                        call()
                    }
                    let start = DispatchTime.now().uptimeNanoseconds
                    call()
                    times[index].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                }
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            var measurements = points
            for index in measurements.indices { measurements[index].seconds = median(times[index]) }
            for index in attention.indices { attention[index].seconds = median(attentionTimes[index]) }
            var calibration = try HostCalibration(cpu: HostCalibration.cpuName(), threads: threads, path: path, date: formatter.string(from: Date()),
                                                  memoryBytes: Double(ProcessInfo.processInfo.physicalMemory), readBandwidth: median(reads),
                                                  fmaPeak: median(peaks), measurements: measurements, attention: attention)
            calibration.drift = HostCalibration.drift(reads: reads, peaks: peaks)
            return calibration
        }
    }
}
