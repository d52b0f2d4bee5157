/// What happened to each request during a run: when its first token came out and when it finished.
/// Indexed like the workload's request array; NaN until the event happens.
public struct RequestLog: Sendable {
    public var firstToken: [Double]
    public var completion: [Double]
    /// Generated tokens so far, over all requests.
    public var outputTokens = 0
    public var completed = 0

    public init(count: Int) {
        firstToken = Array(repeating: .nan, count: count)
        completion = Array(repeating: .nan, count: count)
    }
}
