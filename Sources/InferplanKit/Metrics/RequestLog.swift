/// What happened to each request, when: indexed like the workload's request array. The replicas
/// write it as requests reach their stages (`RequestBook`); `RunMetrics` reads it.
public struct RequestLog: Sendable {
    /// When the first output token came out; NaN until then.
    public var firstToken: [Double]
    /// When the last output token came out; NaN until then.
    public var completion: [Double]
    /// When the query was issued (its arrival; in Single-stream, when the previous one finished).
    public var issued: [Double]
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
        preemptions = Array(repeating: 0, count: count)
    }
}
