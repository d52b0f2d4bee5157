import CFP4
import Foundation

/// A calibration run on the hardware at hand (here the CPU): its limits, the bundled FP4 decode
/// kernels timed over a grid of shapes and batch sizes, and a roofline fitted to those timings.
///
/// The fitted model is t = max(bytes / B, ops / P_format) + c: one effective bandwidth B shared by
/// the formats, one effective arithmetic rate per format (int8 multiply-adds counted as 2 ops) and
/// one per-call overhead c, fitted with GSL's trust-region least squares on log(predicted / measured).
public struct HostCalibration: Sendable {
    public struct Measurement: Sendable {
        public var kernel: String
        public var k: Int
        public var n: Int
        public var batch: Int
        public var seconds: Double
        /// Packed weight bytes read (with scales).
        public var bytes: Double { Double(n * k) * (kernel == "mxfp4" ? 4.25 : 4.5) / 8 }
        /// Multiply-adds x 2.
        public var ops: Double { 2 * Double(batch * n * k) }
    }

    public struct Fit: Sendable {
        public var bandwidth: Double
        public var bandwidthError: Double
        public var peak: [String: Double]
        public var peakError: [String: Double]
        public var overhead: Double
        public var overheadError: Double
        public var rmsLogError: Double
        public var residuals: [Double]
    }

    public var cpu: String
    public var threads: Int
    public var path: String
    public var date: String
    public var readBandwidth: Double
    public var fmaPeak: Double
    /// Physical memory of the machine, bytes (the "HBM" of a CPU device).
    public var memoryBytes: Double
    public var measurements: [Measurement]
    public var fit: Fit

    /// Runs the calibration. `quick` keeps it under a minute on a 2-core machine.
    public init(quick: Bool, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        self.threads = threads
        path = String(cString: ip_path_name(ip_best_path()))
        cpu = Self.cpuName()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        date = formatter.string(from: Date())
        readBandwidth = ip_read_bandwidth(quick ? 256 << 20 : 512 << 20, Int32(threads), quick ? 3 : 5)
        fmaPeak = ip_fma_peak(Int32(threads), 3)
        memoryBytes = Double(ProcessInfo.processInfo.physicalMemory)
        // The synthetic 1B model's shapes, and two of the catalog's (Llama 3.1 8B's and 70B's FFN).
        let shapes = quick ? [(2048, 5632), (4096, 14336)] : [(2048, 5632), (2048, 2048), (4096, 14336), (8192, 28672)]
        let batches = quick ? [1, 4, 16, 64] : [1, 2, 4, 8, 16, 32, 64, 128, 256]
        var measurements: [Measurement] = []
        for kernel in ["mxfp4", "nvfp4"] {
            for (k, n) in shapes {
                let block = kernel == "mxfp4" ? 32 : 16
                var packed = [UInt8](repeating: 0, count: n * k / 2)
                var state: UInt64 = 7
                for i in packed.indices { state = state &* 6364136223846793005 &+ 1; packed[i] = UInt8(truncatingIfNeeded: state >> 33) }
                let firstScale: UInt8 = kernel == "mxfp4" ? 120 : 0x30
                let scales: [UInt8] = (0..<(n * k / block)).map { (i: Int) -> UInt8 in firstScale + UInt8(i % 8) }
                for batch in batches {
                    let x = (0..<(batch * k)).map { Float(($0 % 13) - 6) / 7 }
                    var y = [Float](repeating: 0, count: batch * n)
                    var times: [Double] = []
                    for _ in 0..<(quick ? 3 : 5) {
                        let start = DispatchTime.now().uptimeNanoseconds
                        if kernel == "mxfp4" {
                            _ = ip_mxfp4_gemm(x, batch, packed, scales, n, k, &y, Int32(threads), IP_PATH_AUTO)
                        } else {
                            _ = ip_nvfp4_gemm(x, batch, packed, scales, 100, n, k, &y, Int32(threads), IP_PATH_AUTO)
                        }
                        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    }
                    measurements.append(Measurement(kernel: kernel, k: k, n: n, batch: batch, seconds: times.sorted()[times.count / 2]))
                }
            }
        }
        self.measurements = measurements
        fit = try Self.fit(measurements, startBandwidth: readBandwidth, startPeak: fmaPeak)
    }

    /// Fits log-space parameters (positive by construction) to the measurements.
    static func fit(_ data: [Measurement], startBandwidth: Double, startPeak: Double) throws -> Fit {
        let kernels = ["mxfp4", "nvfp4"]
        func predict(_ p: [Double], _ m: Measurement) -> Double {
            let bandwidth = exp(p[0]), peak = exp(p[1 + kernels.firstIndex(of: m.kernel)!]), overhead = exp(p[3])
            return max(m.bytes / bandwidth, m.ops / peak) + overhead
        }
        let initial = [log(max(startBandwidth, 1e9)), log(max(startPeak, 1e10)), log(max(startPeak, 1e10)), log(1e-5)]
        let result = try LeastSquares.fit(initial: initial, step: 1e-3, maxIterations: 200) { p in
            data.map { log(predict(p, $0) / $0.seconds) }
        }
        let p = result.parameters, e = result.standardErrors
        return Fit(bandwidth: exp(p[0]), bandwidthError: exp(p[0]) * e[0],
                   peak: ["mxfp4": exp(p[1]), "nvfp4": exp(p[2])], peakError: ["mxfp4": exp(p[1]) * e[1], "nvfp4": exp(p[2]) * e[2]],
                   overhead: exp(p[3]), overheadError: exp(p[3]) * e[3], rmsLogError: result.rms, residuals: result.residuals)
    }

    static func cpuName() -> String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }

    /// The profile as YAML: provenance, measured limits, fitted values with uncertainties, and every
    /// raw measurement with its residual.
    public func yaml() -> String {
        func g(_ x: Double) -> String { String(format: "%.6g", x) }
        var lines = [
            "# Host calibration profile written by `inferplan calibrate`.",
            "kind: host-calibration",
            "provenance: {cpu: \"\(cpu)\", threads: \(threads), kernel_path: \(path), date: \(date), tool: inferplan 0.1.0}",
            "measured:",
            "  read_bandwidth_gb_s: \(g(readBandwidth / 1e9))      # STREAM-like read-only, two streams per thread",
            "  fma_peak_gflop_s: \(g(fmaPeak / 1e9))         # FP32 FMA, widest vectors",
            "  memory_gb: \(g(memoryBytes / 1e9))",
            "fit:   # t = max(bytes / bandwidth, ops / peak[format]) + overhead, GSL trust-region least squares on log(t)",
            "  bandwidth_gb_s: {value: \(g(fit.bandwidth / 1e9)), sd: \(g(fit.bandwidthError / 1e9))}",
            "  peak_gop_s:",
            "    mxfp4: {value: \(g(fit.peak["mxfp4"]! / 1e9)), sd: \(g(fit.peakError["mxfp4"]! / 1e9))}",
            "    nvfp4: {value: \(g(fit.peak["nvfp4"]! / 1e9)), sd: \(g(fit.peakError["nvfp4"]! / 1e9))}",
            "  overhead_us: {value: \(g(fit.overhead * 1e6)), sd: \(g(fit.overheadError * 1e6))}",
            "  bandwidth_efficiency: \(g(fit.bandwidth / readBandwidth))   # fitted / measured read bandwidth",
            "  rms_log_error: \(g(fit.rmsLogError))",
            "measurements:   # kernel, K, N, batch, seconds (median), residual log(predicted / measured)",
        ]
        for (m, r) in zip(measurements, fit.residuals) {
            lines.append("  - [\(m.kernel), \(m.k), \(m.n), \(m.batch), \(g(m.seconds)), \(String(format: "%+.4f", r))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
