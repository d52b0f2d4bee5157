import Foundation

extension Catalog {
    static let gpuKeys = ["id", "name", "vendor", "generation", "memory_gb", "memory_bandwidth_tb_s", "dense_tflops",
                          "power_w", "idle_w", "power_compute_share", "exp_tera_per_s", "scale_up", "efficiency", "source", "confidence", "notes"]

    /// Decodes a GPU entry. Its `efficiency` is a profile id, a path, or an inline mapping.
    public func gpu(_ document: YAMLValue, baseDirectory: String) throws -> GPUSpec {
        if case .mapping(let raw) = document.node, raw["kind"]?.string == "host-calibration" {
            return try hostProfileGPU(document)
        }
        let map = try document.mapping(allowed: Self.gpuKeys)
        var flops: [ComputeFormat: Double] = [:]
        let tflops = try map.required("dense_tflops", hint: "{bf16: 989, fp8: 1979} (dense, not sparse)")
        let formats = try tflops.mapping(allowed: ComputeFormat.allCases.map(\.rawValue))
        for key in formats.keys {
            guard let value = formats.optional(key), let format = ComputeFormat(rawValue: key) else { continue }
            flops[format] = try value.double(in: 0.01...1e6, unit: "TFLOP/s") * 1e12
        }
        guard flops[.bf16] != nil else {
            throw tflops.error("missing the bf16 rate", valid: "every GPU needs dense_tflops.bf16")
        }
        let efficiencyValue = try map.required("efficiency", hint: "an efficiency profile id such as nvidia-tensorrt-llm")
        let bandwidth = try map.required("memory_bandwidth_tb_s").double(in: 0.01...1000, unit: "TB/s") * 1e12
        let datasheet = Datasheet(memoryBytesPerSecond: bandwidth, denseFLOPS: flops)
        let efficiency: EfficiencyProfile
        if case .mapping = efficiencyValue.node {
            efficiency = try self.efficiency(efficiencyValue, datasheet: datasheet, baseDirectory: baseDirectory)
        } else {
            efficiency = try self.efficiency(self.document(.efficiency, reference: efficiencyValue, baseDirectory: baseDirectory),
                                             datasheet: datasheet, baseDirectory: baseDirectory)
        }
        var spec = GPUSpec(
            id: try map.required("id").string(),
            name: try map.required("name").string(),
            vendor: try map.optional("vendor")?.string() ?? "",
            generation: try map.optional("generation")?.string() ?? "",
            usableMemoryBytes: try map.required("memory_gb", hint: "usable HBM in GB").double(in: 1...100_000, unit: "GB") * 1e9,
            memoryBytesPerSecond: bandwidth,
            denseFLOPS: flops,
            powerWatts: try map.optional("power_w")?.double(in: 1...100_000, unit: "W") ?? 0,
            scaleUp: try scaleUpLink(map.required("scale_up")),
            efficiency: efficiency,
            source: try map.required("source", hint: "where the numbers come from").string(),
            confidence: try map.optional("confidence")?.string() ?? "unstated")
        spec.idleWatts = try map.optional("idle_w")?.double(in: 0...100_000, unit: "W")
        spec.powerComputeShare = try map.optional("power_compute_share")?.double(in: 0...1)
        if let value = map.optional("exp_tera_per_s") {
            spec.exponentialsPerSecond = try value.double(in: 0.001...1e6, unit: "T exponentials/s") * 1e12
        }
        if let idle = spec.idleWatts, idle > spec.powerWatts, let value = map.optional("idle_w") {
            throw value.error("idle power \(idle) W is above the power limit \(spec.powerWatts) W", valid: "at most power_w")
        }
        return spec
    }

    func scaleUpLink(_ value: YAMLValue) throws -> ScaleUpLink {
        let map = try value.mapping(allowed: ["name", "topology", "bidirectional_gb_s", "links", "link_bidirectional_gb_s",
                                              "domain_gpus", "latency_us"])
        let topology = try map.required("topology", hint: "switched | mesh").choice(ScaleUpLink.Topology.self)
        let latency = try map.optional("latency_us")?.double(in: 0...1e6, unit: "us") ?? 2
        let name = try map.optional("name")?.string() ?? topology.rawValue
        let domain = try map.required("domain_gpus").int(in: 1...100_000)
        switch topology {
        case .switched:
            let total = try map.required("bidirectional_gb_s", hint: "per-GPU bidirectional rate, e.g. 900").double(in: 0.1...1e6, unit: "GB/s")
            return ScaleUpLink(name: name, topology: .switched, bytesPerSecondPerDirection: total / 2 * 1e9,
                               linkBytesPerSecondPerDirection: total / 2 * 1e9, domainGPUs: domain, latency: latency * 1e-6)
        case .mesh:
            let links = try map.required("links", hint: "point-to-point links per GPU, e.g. 7").int(in: 1...1024)
            let link = try map.required("link_bidirectional_gb_s", hint: "one link's bidirectional rate, e.g. 128").double(in: 0.1...1e6, unit: "GB/s")
            return ScaleUpLink(name: name, topology: .mesh, bytesPerSecondPerDirection: Double(links) * link / 2 * 1e9,
                               linkBytesPerSecondPerDirection: link / 2 * 1e9, domainGPUs: domain, latency: latency * 1e-6)
        }
    }

    /// A GPU's datasheet limits, against which a calibration profile's fitted rates become efficiencies.
    public struct Datasheet: Sendable {
        public var memoryBytesPerSecond: Double
        public var denseFLOPS: [ComputeFormat: Double]
    }

    /// Decodes an efficiency profile. In a GPU entry it may name a calibration profile
    /// (`calibration: path`, written by `inferplan calibrate` on that device): the fitted bandwidth and
    /// FP4 rate over the `datasheet`'s become the bandwidth and compute efficiencies, and the fitted
    /// transition and per-call overhead the overlap exponent and kernel overhead. Paths are relative to
    /// the scenario, like every other reference in it.
    public func efficiency(_ document: YAMLValue, datasheet: Datasheet? = nil, baseDirectory: String = ".") throws -> EfficiencyProfile {
        let map = try document.mapping(allowed: ["id", "stack", "fitted_on", "compute_efficiency", "bandwidth_efficiency", "step_overhead_ms",
                                                 "host_per_sequence_us", "host_overlapped",
                                                 "activation_reserve_gb", "kv_memory_fraction", "overlap_exponent",
                                                 "gemm_half_efficiency_tokens", "gemm_half_efficiency_width", "attention_efficiency", "calibration", "provenance", "fit",
                                                 "releases", "video"])
        let (compute, computeByFormat) = try map.optional("compute_efficiency").map(Self.computeEfficiency) ?? (1, [:])
        var profile = EfficiencyProfile(
            id: try map.optional("id")?.string() ?? "inline",
            compute: compute,
            bandwidth: try map.optional("bandwidth_efficiency").map { try $0.double(in: 0.001...1) } ?? 1,
            stepOverheadSeconds: try map.required("step_overhead_ms").double(in: 0...10_000, unit: "ms") / 1000,
            activationReserveBytes: try map.required("activation_reserve_gb").double(in: 0...100_000, unit: "GB") * 1e9,
            kvMemoryFraction: try map.required("kv_memory_fraction").double(in: 0.01...1),
            overlapExponent: try map.optional("overlap_exponent").map { try $0.double(in: 1...1000) } ?? .infinity,
            gemmHalfEfficiencyTokens: try map.optional("gemm_half_efficiency_tokens").map { try $0.double(in: 0...1e6) } ?? 0,
            provenance: try map.required("provenance", hint: "how the values were obtained").string())
        profile.computeByFormat = computeByFormat
        profile.gemmHalfEfficiencyWidth = try map.optional("gemm_half_efficiency_width").map { try $0.double(in: 0...1e6) } ?? 128
        profile.attention = try map.optional("attention_efficiency").map { try $0.double(in: 0.001...1) }
        profile.hostSecondsPerSequence = try map.optional("host_per_sequence_us").map { try $0.double(in: 0...1e6, unit: "us") / 1e6 } ?? 0
        profile.hostOverlapped = try map.optional("host_overlapped").map { try $0.bool() } ?? false
        profile.stack = try map.optional("stack")?.string() ?? ""
        profile.fittedOn = try map.optional("fitted_on")?.string() ?? ""
        if let value = map.optional("video") {
            let video = try value.mapping(allowed: ["compute_efficiency", "vae_efficiency", "provenance"])
            profile.video = VideoEfficiency(
                compute: try video.required("compute_efficiency", hint: "a fraction of the dense peak, e.g. 0.7").double(in: 0.001...1),
                vae: try video.required("vae_efficiency", hint: "a fraction of the BF16 dense peak, e.g. 0.3").double(in: 0.001...1),
                provenance: try video.required("provenance", hint: "how the values were obtained").string())
        }
        if let value = map.optional("releases") {
            let releases = try value.namedMapping(of: "MLPerf rounds to factors, e.g. {v4.1: 0.87, v5.1: 1}")
            for key in releases.keys {
                profile.releaseFactors[key] = try releases.required(key).double(in: 0.1...2)
            }
            if let newest = profile.newestRelease, profile.releaseFactors[newest] != 1 {
                throw value.error("the newest release (\(newest)) must have factor 1: compute_efficiency describes it",
                                  valid: "\(newest): 1, the earlier releases relative to it")
            }
        }
        guard let reference = map.optional("calibration") else {
            _ = try map.required("compute_efficiency", hint: "a fraction of dense peak, e.g. 0.6; or a calibration profile")
            _ = try map.required("bandwidth_efficiency", hint: "a fraction of HBM bandwidth, e.g. 0.8; or a calibration profile")
            return profile
        }
        for key in ["compute_efficiency", "bandwidth_efficiency", "attention_efficiency", "overlap_exponent"] {
            if let value = map.optional(key) {
                throw value.error("\(key) comes from the calibration profile here", valid: "remove it, or remove calibration")
            }
        }
        guard let datasheet else {
            throw reference.error("a calibration profile needs the GPU's datasheet", valid: "use calibration inside a GPU entry's efficiency")
        }
        let calibrated = try hostProfileGPU(self.document(.efficiency, reference: reference, baseDirectory: baseDirectory))
        let fittedBandwidth = calibrated.memoryBytesPerSecond * calibrated.efficiency.bandwidth
        guard let fittedFP4 = calibrated.denseFLOPS[.fp4], let sheetFP4 = datasheet.denseFLOPS[.fp4] else {
            throw reference.error("the profile fits FP4 kernels and this GPU has no dense_tflops.fp4", valid: "add the GPU's dense FP4 rate")
        }
        profile.compute = fittedFP4 / sheetFP4
        profile.bandwidth = fittedBandwidth / datasheet.memoryBytesPerSecond
        for (name, value) in [("FP4 rate", profile.compute), ("bandwidth", profile.bandwidth)] where value > 1 {
            throw reference.error(String(format: "the profile's fitted %@ is %.2f times this GPU's datasheet value", name, value),
                                  valid: "a profile calibrated on this device (fitted values at or below the datasheet)")
        }
        profile.overlapExponent = calibrated.efficiency.overlapExponent
        if let attention = calibrated.efficiency.attention, let hostRate = calibrated.denseFLOPS[.bf16], let sheet = datasheet.denseFLOPS[.bf16] {
            profile.attention = min(1, attention * hostRate / sheet)
        }
        profile.kernelOverheadSeconds = calibrated.efficiency.kernelOverheadSeconds
        profile.provenance += " Compute, attention and bandwidth efficiency, overlap exponent and kernel overhead: \(calibrated.efficiency.provenance)."
        return profile
    }

    /// `compute_efficiency`: one fraction for every format, or one per format
    /// (`{fp8: 0.62, fp4: 0.45}`); a format not named takes the value of the nearest wider format
    /// named (else the nearest narrower one). Returns the BF16 value and the per-format table.
    static func computeEfficiency(_ value: YAMLValue) throws -> (Double, [ComputeFormat: Double]) {
        guard case .mapping = value.node else { return (try value.double(in: 0.001...1), [:]) }
        let formats = try value.mapping(allowed: ComputeFormat.allCases.map(\.rawValue))
        var given: [ComputeFormat: Double] = [:]
        for format in ComputeFormat.allCases {
            if let entry = formats.optional(format.rawValue) { given[format] = try entry.double(in: 0.001...1) }
        }
        guard !given.isEmpty else {
            throw value.error("no format given", valid: "a fraction such as 0.6, or {fp8: 0.6, fp4: 0.45}")
        }
        var table: [ComputeFormat: Double] = [:]
        for format in ComputeFormat.allCases {
            let wider = ComputeFormat.allCases.filter { $0.width >= format.width && given[$0] != nil }.min { $0.width < $1.width }
            let narrower = ComputeFormat.allCases.filter { $0.width < format.width && given[$0] != nil }.max { $0.width < $1.width }
            table[format] = given[(wider ?? narrower)!]!
        }
        return (table[.bf16]!, table)
    }
}
