/// Where each request stands in serving, indexed like the workload's request array: serving state,
/// not a metric (`RequestLog` keeps the times).
///
/// These fields let replicas keep their per-step bookkeeping O(1): a decoding sequence is never
/// visited per step, its state at step S is derived from where it stood when it joined.
public struct RequestProgress: Sendable {
    /// Output tokens produced as of the request's last change of stage (not updated per step).
    var generated: [Int32]
    /// Bumped when a request is preempted, so entries about its earlier life are recognised as stale.
    var epoch: [UInt32]
    /// The step count when the request started decoding, and its cached tokens then.
    var joinStep: [Int]
    var joinCached: [Int32]

    public init(count: Int) {
        generated = Array(repeating: 0, count: count)
        epoch = Array(repeating: 0, count: count)
        joinStep = Array(repeating: 0, count: count)
        joinCached = Array(repeating: 0, count: count)
    }
}

/// The per-request books a cluster's replicas keep during a run: where each request stands
/// (`progress`, serving state) and what happened to it when (`log`, handed to the metrics).
public struct RequestBook: Sendable {
    public var progress: RequestProgress
    public var log: RequestLog

    public init(count: Int) {
        progress = RequestProgress(count: count)
        log = RequestLog(count: count)
    }
}
