import CFP4
import Foundation

/// A calibration run on the hardware at hand (here the CPU): its limits, the bundled FP4 decode
/// kernels timed over a grid of shapes and batch sizes, and a roofline fitted to those timings.
///
/// The fitted model is t = ((bytes / B)^p + (ops / P_format)^p)^(1/p) + c: one effective bandwidth B
/// shared by the formats, one effective arithmetic rate per format (int8 multiply-adds counted as 2
/// ops), the transition p between the memory- and compute-bound regimes (the simulator's overlap
/// exponent; infinity would be the sharp roofline) and one per-call overhead c, fitted with GSL's
/// trust-region least squares on log(predicted / measured). A tiny shape in the grid, almost all
/// overhead, pins c.
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
        public var overlapExponent: Double
        public var overlapExponentError: Double
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
    /// How far the machine's read bandwidth and FMA peak moved between the calibration's passes,
    /// when more than `HostCalibration.driftLimit` (nil: steady): the fit then describes an average
    /// of a machine that changed under it.
    public var drift: String?
    public var measurements: [Measurement]
    public var fit: Fit
    /// The attention kernel's timings and its fitted rate (FLOP/s) with standard deviation and residuals.
    public var attention: [AttentionMeasurement]
    public var attentionRate: Double
    public var attentionRateError: Double
    public var attentionResiduals: [Double]

    /// A calibration from its measurements: fits the GEMM roofline and the attention rate to them.
    /// Runs no kernel (`Plan.run()` measures); a test can hand it timings of a known machine.
    public init(cpu: String, threads: Int, path: String, date: String, memoryBytes: Double, readBandwidth: Double,
                fmaPeak: Double, measurements: [Measurement], attention: [AttentionMeasurement]) throws {
        self.cpu = cpu
        self.threads = threads
        self.path = path
        self.date = date
        self.memoryBytes = memoryBytes
        self.readBandwidth = readBandwidth
        self.fmaPeak = fmaPeak
        self.measurements = measurements
        fit = try Self.fit(measurements, startBandwidth: readBandwidth, startPeak: fmaPeak)
        self.attention = attention
        (attentionRate, attentionRateError, attentionResiduals) = try Self.fitAttention(attention, gemm: fit, start: fmaPeak / 10)
    }

    /// One quick measurement of the machine's limits: read bandwidth (bytes/s, one pass over 256 MiB)
    /// and FP32 FMA rate (FLOP/s). The calibration takes one per pass; `HostCheck` takes them again
    /// before its real run to see whether the machine has drifted since.
    public static func machineLimits(threads: Int) -> (readBandwidth: Double, fmaPeak: Double) {
        (ip_read_bandwidth(256 << 20, Int32(threads), 1), ip_fma_peak(Int32(threads), 1))
    }

    /// Fits log-space parameters (positive by construction) to the measurements.
    static func fit(_ data: [Measurement], startBandwidth: Double, startPeak: Double) throws -> Fit {
        let kernels = ["mxfp4", "nvfp4"]
        // Parameters: log B, log P_mxfp4, log P_nvfp4, log c, log(p - 1).
        func predict(_ q: [Double], _ m: Measurement) -> Double {
            let bandwidth = exp(q[0]), peak = exp(q[1 + kernels.firstIndex(of: m.kernel)!]), overhead = exp(q[3])
            return Roofline.combine(compute: m.ops / peak, memory: m.bytes / bandwidth, exponent: 1 + exp(q[4])) + overhead
        }
        let initial = [log(max(startBandwidth, 1e9)), log(max(startPeak, 1e10)), log(max(startPeak, 1e10)), log(1e-5), log(3.0)]
        let result = try LeastSquares.fit(initial: initial, step: 1e-3, maxIterations: 300) { q in
            data.map { log(predict(q, $0) / $0.seconds) }
        }
        let q = result.parameters, e = result.standardErrors
        return Fit(bandwidth: exp(q[0]), bandwidthError: exp(q[0]) * e[0],
                   peak: ["mxfp4": exp(q[1]), "nvfp4": exp(q[2])], peakError: ["mxfp4": exp(q[1]) * e[1], "nvfp4": exp(q[2]) * e[2]],
                   overhead: exp(q[3]), overheadError: exp(q[3]) * e[3],
                   overlapExponent: 1 + exp(q[4]), overlapExponentError: exp(q[4]) * e[4],
                   rmsLogError: result.rms, residuals: result.residuals)
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
            "  read_bandwidth_gb_s: \(g(readBandwidth / 1e9))      # STREAM-like read-only, two streams per thread; median over the passes",
            "  fma_peak_gflop_s: \(g(fmaPeak / 1e9))         # FP32 FMA, widest vectors; median over the passes",
            "  memory_gb: \(g(memoryBytes / 1e9))",
            "fit:   # t = ((bytes / bandwidth)^p + (ops / peak[format])^p)^(1/p) + overhead, GSL trust-region least squares on log(t)",
            "  bandwidth_gb_s: {value: \(g(fit.bandwidth / 1e9)), sd: \(g(fit.bandwidthError / 1e9))}",
            "  peak_gop_s:",
            "    mxfp4: {value: \(g(fit.peak["mxfp4"]! / 1e9)), sd: \(g(fit.peakError["mxfp4"]! / 1e9))}",
            "    nvfp4: {value: \(g(fit.peak["nvfp4"]! / 1e9)), sd: \(g(fit.peakError["nvfp4"]! / 1e9))}",
            "  overhead_us: {value: \(g(fit.overhead * 1e6)), sd: \(g(fit.overheadError * 1e6))}",
            "  overlap_exponent: {value: \(g(fit.overlapExponent)), sd: \(g(fit.overlapExponentError))}   # the memory/compute transition p",
            "  attention_gflop_s: {value: \(g(attentionRate / 1e9)), sd: \(g(attentionRateError / 1e9))}   # the decode-attention kernel, BF16 KV",
            "  bandwidth_efficiency: \(g(fit.bandwidth / readBandwidth))   # fitted / measured read bandwidth",
            "  rms_log_error: \(g(fit.rmsLogError))",
            "measurements:   # kernel, K, N, batch, seconds (median over the passes), residual log(predicted / measured)",
        ]
        for (m, r) in zip(measurements, fit.residuals) {
            lines.append("  - [\(m.kernel), \(m.k), \(m.n), \(m.batch), \(g(m.seconds)), \(String(format: "%+.4f", r))]")
        }
        lines.append("attention_measurements:   # decode | prefill, queries, context, seconds (median over the passes), residual")
        for (m, r) in zip(attention, attentionResiduals) {
            lines.append("  - [\(m.prefill ? "prefill" : "decode"), \(m.queries), \(m.context), \(g(m.seconds)), \(String(format: "%+.4f", r))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension HostCalibration {
    /// A spread of the per-pass limits ((max - min) / median) beyond which a calibration warns:
    /// 20%, the check's own drift threshold (`HostCheck.machineDrift`).
    public static let driftLimit = 0.2

    /// The warning for limits measured once per pass that spread by more than `driftLimit`, or nil.
    static func drift(reads: [Double], peaks: [Double]) -> String? {
        func spread(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard let low = sorted.first, let high = sorted.last, sorted[sorted.count / 2] > 0 else { return 0 }
            return (high - low) / sorted[sorted.count / 2]
        }
        let read = spread(reads), fma = spread(peaks)
        guard read > driftLimit || fma > driftLimit else { return nil }
        return String(format: "the machine drifted during the calibration: read bandwidth spread %.0f%%, FMA peak spread %.0f%% over %d passes; calibrate again on a quieter machine",
                      read * 100, fma * 100, reads.count)
    }
}
