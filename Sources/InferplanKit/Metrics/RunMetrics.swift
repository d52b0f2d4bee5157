/// The headline figures of one run, computed from its request log as MLPerf defines them
/// (../shared/reference/mlperf-rules.md): TTFT = first token time - issue time; TPOT = a query's
/// mean interval between output tokens after the first, i.e. (completion - first token) /
/// (output tokens - 1), with percentiles over queries; throughput counts generated tokens only.
public struct RunMetrics: Sendable {
    public var completedSamples: Int
    public var issuedSamples: Int
    public var outputTokens: Int
    public var inputTokens: Int
    public var outputTokensPerSecond: Double
    /// Time to first token over completed queries, milliseconds.
    public var ttftMs: LatencySummary
    /// Time per output token over completed queries, milliseconds.
    public var tpotMs: LatencySummary
    public var meanBatchSequences: Double
    public var kvPeakFraction: Double
    /// Sequences preempted (and recomputed) because decodes ran out of KV blocks.
    public var preemptions: Int
    /// Output tokens/s of each node group (one entry for a homogeneous cluster).
    public var outputTokensPerSecondByGroup: [Double]
    public var simulatedSeconds: Double
    public var wallSeconds: Double
    public var events: Int
    /// Energy of the cluster's GPUs over the run: idle power throughout, plus each step's dynamic
    /// energy (`PowerProfile`), joules.
    public var energyJoules: Double
    /// Energy over simulated time and GPUs, watts; and the highest one GPU drew in a step.
    public var meanPowerWattsPerGPU: Double
    public var peakPowerWattsPerGPU: Double
    public var outputTokensPerJoule: Double { energyJoules > 0 ? Double(outputTokens) / energyJoules : 0 }
    public var joulesPerQuery: Double { completedSamples > 0 ? energyJoules / Double(completedSamples) : 0 }

    public init(result: SimulationResult) {
        let log = result.log
        let (ttft, tpot, inputTokens) = log.latencies(of: result.requests)
        completedSamples = log.completed
        issuedSamples = result.requests.count
        outputTokens = log.outputTokens
        self.inputTokens = inputTokens
        simulatedSeconds = result.endSeconds
        outputTokensPerSecond = result.endSeconds > 0 ? Double(log.outputTokens) / result.endSeconds : 0
        self.ttftMs = LatencySummary(seconds: ttft)
        self.tpotMs = LatencySummary(seconds: tpot)
        let steps = result.replicaStats.reduce(0) { $0 + $1.steps }
        let sequences = result.replicaStats.reduce(0) { $0 + $1.batchSequencesSum }
        meanBatchSequences = steps > 0 ? Double(sequences) / Double(steps) : 0
        kvPeakFraction = result.replicaStats.map(\.peakKVFraction).max() ?? 0
        preemptions = log.totalPreemptions
        let groupCount = (result.replicaStats.map(\.group).max() ?? 0) + 1
        var byGroup = Array(repeating: 0.0, count: groupCount)
        for stats in result.replicaStats { byGroup[stats.group] += Double(stats.outputTokens) }
        outputTokensPerSecondByGroup = byGroup.map { result.endSeconds > 0 ? $0 / result.endSeconds : 0 }
        wallSeconds = result.wallSeconds
        events = result.events
        let gpus = result.replicaStats.reduce(0) { $0 + $1.gpus }
        energyJoules = result.replicaStats.reduce(0.0) { total, replica in
            total + Double(replica.gpus) * (replica.idleWattsPerGPU * result.endSeconds + replica.dynamicJoulesPerGPU)
        }
        meanPowerWattsPerGPU = gpus > 0 && result.endSeconds > 0 ? energyJoules / result.endSeconds / Double(gpus) : 0
        peakPowerWattsPerGPU = result.replicaStats.map { $0.idleWattsPerGPU + $0.peakDynamicWattsPerGPU }.max() ?? 0
    }
}

extension RequestLog {
    /// TTFT and TPOT of each completed request, in seconds, and the completed requests' input tokens:
    /// the one definition both the simulator's metrics and the host serving loop's use.
    public func latencies(of requests: [Request]) -> (ttft: [Double], tpot: [Double], inputTokens: Int) {
        var ttft: [Double] = []
        var tpot: [Double] = []
        ttft.reserveCapacity(requests.count)
        tpot.reserveCapacity(requests.count)
        var inputTokens = 0
        for (id, request) in requests.enumerated() where completion[id].isFinite {
            inputTokens += request.inputTokens
            ttft.append(firstToken[id] - issued[id])
            if request.outputTokens > 1 {
                tpot.append((completion[id] - firstToken[id]) / Double(request.outputTokens - 1))
            }
        }
        return (ttft, tpot, inputTokens)
    }
}
