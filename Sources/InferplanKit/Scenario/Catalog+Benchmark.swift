extension Catalog {
    /// Decodes a benchmark preset entry.
    public func benchmark(_ document: YAMLValue) throws -> BenchmarkPreset {
        if Self.isVideo(document) {
            throw document.error("\(document.source.name) is a video benchmark, and this scenario's model is an LLM",
                                 valid: "an LLM benchmark (mlperf-llama2-70b, ...), or a video model (wan2.2-t2v-a14b) for this benchmark")
        }
        let map = try document.mapping(allowed: ["id", "model", "dataset", "input_tokens", "output_tokens", "min_offline_samples",
                                                 "min_duration_s", "limits", "length_provenance", "source", "confidence"])
        var server: LatencyLimits?
        var interactive: LatencyLimits?
        if let limits = map.optional("limits") {
            let m = try limits.mapping(allowed: ["server", "interactive"])
            server = try m.optional("server").map(Self.latencyLimits)
            interactive = try m.optional("interactive").map(Self.latencyLimits)
        }
        return BenchmarkPreset(
            id: try map.required("id").string(),
            model: try map.required("model").string(),
            dataset: try map.optional("dataset")?.string() ?? "",
            input: try Self.lengthDistribution(map.required("input_tokens")),
            output: try Self.lengthDistribution(map.required("output_tokens")),
            minOfflineSamples: try map.required("min_offline_samples").int(in: 1...100_000_000),
            minDurationSeconds: try map.optional("min_duration_s")?.double(in: 0.001...1e9, unit: "s") ?? Workload.defaultMinDuration,
            serverLimits: server,
            interactiveLimits: interactive,
            lengthProvenance: try map.required("length_provenance").string(),
            source: try map.required("source").string(),
            confidence: try map.optional("confidence")?.string() ?? "unstated")
    }

    static func latencyLimits(_ value: YAMLValue) throws -> LatencyLimits {
        let m = try value.mapping(allowed: ["ttft_p99_ms", "tpot_p99_ms"])
        return LatencyLimits(ttftP99Seconds: try m.required("ttft_p99_ms").double(in: 0.001...1e9, unit: "ms") / 1000,
                             tpotP99Seconds: try m.required("tpot_p99_ms").double(in: 0.001...1e9, unit: "ms") / 1000)
    }

    static let lengthHint = "a whole number, or {distribution: fixed | uniform | lognormal | normal | histogram, ...}"

    /// A token-length distribution: a whole number (fixed), or a mapping naming the distribution.
    public static func lengthDistribution(_ value: YAMLValue) throws -> LengthDistribution {
        if case .scalar = value.node {
            return LengthDistribution(.fixed(try value.int(in: 1...100_000_000)))
        }
        let map = try value.mapping(allowed: ["distribution", "value", "low", "high", "mean", "sigma", "sd", "min", "max", "bins"])
        let kind = try map.required("distribution", hint: "fixed | uniform | lognormal | normal | histogram").string()
        let minimum = try map.optional("min")?.int(in: 1...100_000_000) ?? 1
        let maximumValue = map.optional("max")
        let maximum = try maximumValue?.int(in: minimum...100_000_000) ?? 100_000_000
        let shape: LengthDistribution.Shape
        switch kind {
        case "fixed":
            shape = .fixed(try map.required("value").int(in: 1...100_000_000))
        case "uniform":
            let low = try map.required("low").int(in: 1...100_000_000)
            shape = .uniform(low: low, high: try map.required("high").int(in: low...100_000_000))
        case "lognormal":
            shape = .lognormal(mean: try map.required("mean").double(in: 1...1e8, unit: "tokens"),
                               sigma: try map.required("sigma").double(in: 0...5))
        case "normal":
            shape = .normal(mean: try map.required("mean").double(in: 1...1e8, unit: "tokens"),
                            sd: try map.required("sd").double(in: 0...1e8))
        case "histogram":
            let binsValue = try map.required("bins", hint: "[[low, high, weight], ...], e.g. [[1, 128, 0.3], [129, 1024, 0.7]]")
            var bins: [LengthDistribution.Bin] = []
            for item in try binsValue.sequence() {
                let parts = try item.sequence()
                guard parts.count == 3 else {
                    throw item.error("a bin needs three numbers, found \(parts.count)", valid: "[low, high, weight], e.g. [1, 128, 0.3]")
                }
                let low = try parts[0].int(in: 1...100_000_000)
                let high = try parts[1].int(in: low...100_000_000)
                bins.append(.init(low: low, high: high, weight: try parts[2].double(in: 0...1e12)))
            }
            guard !bins.isEmpty, bins.contains(where: { $0.weight > 0 }) else {
                throw binsValue.error("the histogram has no bin with a positive weight", valid: "at least one [low, high, weight] with weight > 0")
            }
            shape = .histogram(bins)
        default:
            throw try map.required("distribution").error("unknown distribution '\(kind)'", valid: "fixed | uniform | lognormal | normal | histogram")
        }
        return LengthDistribution(shape, min: minimum, max: maximum)
    }
}
