/// What one simulation produced, before it is summarised into `RunMetrics`: every request with its
/// times, and each replica's totals. The engine (`Simulation`) writes it; metrics read it.
/// Per-replica totals at the end of a run.
public struct ReplicaStats: Sendable {
    public var steps: Int
    public var batchSequencesSum: Int
    public var peakKVBlocks: Int
    public var capacityBlocks: Int
    public var preemptions: Int
    /// Requests left unfinished (zero after any run that drains).
    public var unfinished: Int
    public var outputTokens: Int
    public var group: Int
    /// GPUs of the replica, their idle power, and the energy each drew above idle (`PowerProfile`).
    public var gpus: Int
    public var idleWattsPerGPU: Double
    public var dynamicJoulesPerGPU: Double
    public var peakDynamicWattsPerGPU: Double

    public var peakKVFraction: Double { capacityBlocks > 0 ? Double(peakKVBlocks) / Double(capacityBlocks) : 0 }
}

public struct SimulationResult: Sendable {
    public var requests: [Request]
    public var log: RequestLog
    /// Simulated time of the last event, seconds.
    public var endSeconds: Double
    public var events: Int
    public var wallSeconds: Double
    public var replicaStats: [ReplicaStats]
    /// Integral over time of the number of requests issued and not yet completed (request-seconds).
    public var inSystemSeconds: Double
    /// The run stopped at `workload.maxEvents` before it drained: its figures are not a result.
    public var eventLimitReached = false
}
