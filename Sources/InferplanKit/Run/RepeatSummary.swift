import CGSL

/// A figure's mean over runs with different seeds and its 95% confidence interval (Student t).
public struct IntervalEstimate: Sendable, Equatable, Encodable {
    public var mean: Double
    public var ci95Low: Double
    public var ci95High: Double
    public var sd: Double

    enum CodingKeys: String, CodingKey {
        case mean, sd, ci95Low, ci95High
    }

    /// Mean, sample standard deviation (GSL) and mean +- t(0.975, n-1) x sd / sqrt(n).
    public init(_ values: [Double]) {
        let n = values.count
        let mean = values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let sd = n > 1 ? values.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, mean) } : 0
        let half = n > 1 ? gsl_cdf_tdist_Pinv(0.975, Double(n - 1)) * sd / Double(n).squareRoot() : 0
        self.mean = mean
        self.sd = sd
        ci95Low = mean - half
        ci95High = mean + half
    }
}

/// Headline figures over `--repeat N` runs with seeds seed, seed+1, ...
public struct RepeatSummary: Sendable, Encodable {
    public var runs: Int
    public var seeds: [UInt64]
    /// Figure name (as in the JSON report) -> estimate, in a fixed order.
    public var figures: [(name: String, estimate: IntervalEstimate)]

    public init(seeds: [UInt64], outcomes: [RunOutcome]) {
        runs = outcomes.count
        self.seeds = seeds
        var figures: [(String, IntervalEstimate)] = []
        func add(_ name: String, _ value: (RunOutcome) -> Double) { figures.append((name, IntervalEstimate(outcomes.map(value)))) }
        if outcomes.first?.search != nil { add("max_qps") { $0.qps ?? 0 } }
        add("output_tokens_per_s") { $0.metrics.outputTokensPerSecond }
        add("output_tokens_per_s_per_gpu") { $0.metrics.outputTokensPerSecond / Double($0.deployment.gpus) }
        add("ttft_p50_ms") { $0.metrics.ttftMs.p50 }
        add("ttft_p99_ms") { $0.metrics.ttftMs.p99 }
        add("tpot_p50_ms") { $0.metrics.tpotMs.p50 }
        add("tpot_p99_ms") { $0.metrics.tpotMs.p99 }
        self.figures = figures
    }


    public func encode(to encoder: Encoder) throws {
        var root = encoder.container(keyedBy: DynamicCodingKey.self)
        try root.encode(runs, forKey: DynamicCodingKey("runs"))
        try root.encode(seeds, forKey: DynamicCodingKey("seeds"))
        var nested = root.nestedContainer(keyedBy: DynamicCodingKey.self, forKey: DynamicCodingKey("figures"))
        for (name, estimate) in figures { try nested.encode(estimate, forKey: DynamicCodingKey(name)) }
    }
}
