extension Catalog {
    static let hostProfileKeys = ["kind", "provenance", "measured", "fit", "measurements", "attention_measurements"]
    static let hostProfileMeasuredKeys = ["read_bandwidth_gb_s", "fma_peak_gflop_s", "memory_gb"]

    static func hostProfileProvenance(_ document: YAMLValue) throws -> YAMLMapping {
        try document.mapping(allowed: hostProfileKeys).required("provenance")
            .mapping(allowed: ["cpu", "threads", "kernel_path", "date", "tool"])
    }

    /// What a host calibration profile recorded of its machine: threads (if it says), read
    /// bandwidth in bytes/s and FMA peak in FLOP/s.
    public static func hostProfileMachine(_ document: YAMLValue) throws -> (threads: Int?, readBandwidth: Double, fmaPeak: Double) {
        let measured = try document.mapping(allowed: hostProfileKeys).required("measured")
            .mapping(allowed: hostProfileMeasuredKeys)
        return (try hostProfileProvenance(document).optional("threads")?.int(in: 1...100_000),
                try measured.required("read_bandwidth_gb_s").double(in: 0.001...1e6) * 1e9,
                try measured.required("fma_peak_gflop_s").double(in: 0.001...1e9) * 1e9)
    }

    /// A host calibration profile (`kind: host-calibration`, written by `inferplan calibrate`) as a
    /// device: its measured read bandwidth with the fitted share as bandwidth efficiency (at most 1); FP4 formats
    /// computed at the fitted kernel rates and wider ones at the measured FMA peak (both achieved
    /// rates, so the compute efficiency is 1); the fitted memory/compute transition as the overlap
    /// exponent (the sharp roofline for older profiles without one); the fitted overhead per kernel call; the
    /// machine's memory; one device per node, so no scale-up link.
    func hostProfileGPU(_ document: YAMLValue) throws -> GPUSpec {
        let provenance = try Self.hostProfileProvenance(document)
        let map = try document.mapping(allowed: Self.hostProfileKeys)
        let measured = try map.required("measured").mapping(allowed: Self.hostProfileMeasuredKeys)
        let fit = try map.required("fit").mapping(allowed: ["bandwidth_gb_s", "peak_gop_s", "overhead_us", "overlap_exponent",
                                                              "attention_gflop_s", "bandwidth_efficiency", "rms_log_error"])
        func value(_ v: YAMLValue) throws -> Double {
            try v.mapping(allowed: ["value", "sd"]).required("value").double(in: 0...1e15)
        }
        // The device's bandwidth is the measured read rate, or the fitted one where the kernels beat
        // the plain read loop (prefetching, or a machine that sped up during the calibration), so
        // that the fitted rate is always what the simulator uses.
        let measuredRead = try measured.required("read_bandwidth_gb_s").double(in: 0.001...1e6) * 1e9
        let fma = try measured.required("fma_peak_gflop_s").double(in: 0.001...1e9) * 1e9
        let memory = try measured.optional("memory_gb")?.double(in: 0.001...1e7) ?? 16
        let peaks = try fit.required("peak_gop_s").mapping(allowed: ["mxfp4", "nvfp4"])
        let fp4 = try value(peaks.required("mxfp4")) * 1e9
        let fittedBandwidth = try value(fit.required("bandwidth_gb_s")) * 1e9
        let read = max(measuredRead, fittedBandwidth)
        let cpu = try provenance.optional("cpu")?.string() ?? "CPU"
        var efficiency = EfficiencyProfile(
            id: "host-calibration", compute: 1, bandwidth: fittedBandwidth / read,
            stepOverheadSeconds: 0, activationReserveBytes: 0, kvMemoryFraction: 0.9,
            overlapExponent: try fit.optional("overlap_exponent").map(value) ?? .infinity,
            kernelOverheadSeconds: try value(fit.required("overhead_us")) * 1e-6,
            provenance: "fitted by inferplan calibrate on \(cpu), \(try provenance.optional("date")?.string() ?? "")")
        // Attention runs at the calibrated kernel's rate, a fraction of the FMA peak its formats have here.
        efficiency.attention = try fit.optional("attention_gflop_s").map { min(1, try value($0) * 1e9 / fma) }
        return GPUSpec(
            id: "host", name: "\(cpu) (\(try provenance.optional("threads")?.int(in: 1...100_000) ?? 1) threads)",
            vendor: "host", generation: try provenance.optional("kernel_path")?.string() ?? "cpu",
            usableMemoryBytes: memory * 1e9, memoryBytesPerSecond: read,
            denseFLOPS: [.bf16: fma, .fp8: fma, .fp4: fp4],
            powerWatts: 0,
            scaleUp: ScaleUpLink(name: "none", topology: .switched, bytesPerSecondPerDirection: read,
                                 linkBytesPerSecondPerDirection: read, domainGPUs: 1, latency: 1e-6),
            efficiency: efficiency, source: document.source.name, confidence: "measured")
    }
}
