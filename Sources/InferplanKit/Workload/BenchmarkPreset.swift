/// An MLPerf LLM benchmark as a workload: its model, dataset length distributions, sample count and
/// latency limits (../shared/reference/mlperf-rules.md). Shipped as catalog YAML.
public struct BenchmarkPreset: Sendable, Equatable {
    public var id: String
    public var model: String
    public var dataset: String
    public var input: LengthDistribution
    public var output: LengthDistribution
    public var minOfflineSamples: Int
    public var minDurationSeconds: Double
    public var serverLimits: LatencyLimits?
    public var interactiveLimits: LatencyLimits?
    /// Where the length distributions come from (the datasets are gated, so this states the assumption).
    public var lengthProvenance: String
    public var source: String
    public var confidence: String

    public init(id: String, model: String, dataset: String, input: LengthDistribution, output: LengthDistribution,
                minOfflineSamples: Int, minDurationSeconds: Double, serverLimits: LatencyLimits?,
                interactiveLimits: LatencyLimits?, lengthProvenance: String, source: String, confidence: String) {
        self.id = id
        self.model = model
        self.dataset = dataset
        self.input = input
        self.output = output
        self.minOfflineSamples = minOfflineSamples
        self.minDurationSeconds = minDurationSeconds
        self.serverLimits = serverLimits
        self.interactiveLimits = interactiveLimits
        self.lengthProvenance = lengthProvenance
        self.source = source
        self.confidence = confidence
    }
}

/// p99 latency limits of a Server or Interactive run (`areMet(by:)` checks a run against them).
public struct LatencyLimits: Sendable, Equatable {
    public var ttftP99Seconds: Double
    public var tpotP99Seconds: Double

    public init(ttftP99Seconds: Double, tpotP99Seconds: Double) {
        self.ttftP99Seconds = ttftP99Seconds
        self.tpotP99Seconds = tpotP99Seconds
    }
}
