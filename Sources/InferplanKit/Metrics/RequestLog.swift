/// What happened to each request and where it stands: indexed like the workload's request array.
///
/// The per-request progress fields (`generated`, `epoch`, `joinStep`, `joinCached`) let replicas keep
/// their per-step bookkeeping O(1): a decoding sequence is never visited per step, its state at step
/// S is derived from where it stood when it joined.
public struct RequestLog: Sendable {
    /// When the first output token came out; NaN until then.
    public var firstToken: [Double]
    /// When the last output token came out; NaN until then.
    public var completion: [Double]
    /// When the query was issued (its arrival; in Single-stream, when the previous one finished).
    public var issued: [Double]
    /// Output tokens produced as of the request's last change of stage (not updated per step).
    var generated: [Int32]
    /// Bumped when a request is preempted, so entries about its earlier life are recognised as stale.
    var epoch: [UInt32]
    /// The step count when the request started decoding, and its cached tokens then.
    var joinStep: [Int]
    var joinCached: [Int32]
    /// Times each request was preempted.
    public var preemptions: [UInt16]

    /// Generated tokens so far, over all requests.
    public var outputTokens = 0
    public var completed = 0
    public var totalPreemptions = 0

    public init(count: Int) {
        firstToken = Array(repeating: .nan, count: count)
        completion = Array(repeating: .nan, count: count)
        issued = Array(repeating: .nan, count: count)
        generated = Array(repeating: 0, count: count)
        epoch = Array(repeating: 0, count: count)
        joinStep = Array(repeating: 0, count: count)
        joinCached = Array(repeating: 0, count: count)
        preemptions = Array(repeating: 0, count: count)
    }
}
