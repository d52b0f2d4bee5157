/// How each replica batches and how requests are spread over replicas.
public struct ServingConfig: Sendable, Equatable {
    public enum SchedulerKind: String, CaseIterable, Sendable {
        /// vLLM-style: running decodes first, then prompts (chunked to fit) within the token budget.
        case continuous
    }

    public enum RouterKind: String, CaseIterable, Sendable {
        case roundRobin = "round-robin"
        case leastOutstanding = "least-outstanding"
    }

    public var scheduler: SchedulerKind
    /// At most this many sequences (prefilling + decoding) in one step.
    public var maxBatchSequences: Int
    /// At most this many tokens (decodes + prompt chunks) through the model in one step.
    public var maxBatchTokens: Int
    public var router: RouterKind

    public init(scheduler: SchedulerKind = .continuous, maxBatchSequences: Int, maxBatchTokens: Int,
                router: RouterKind = .roundRobin) {
        self.scheduler = scheduler
        self.maxBatchSequences = maxBatchSequences
        self.maxBatchTokens = maxBatchTokens
        self.router = router
    }
}
