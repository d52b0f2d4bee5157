/// How each replica batches, how its KV cache is managed, and how requests are spread over replicas.
public struct ServingConfig: Sendable, Equatable {
    public enum SchedulerKind: String, CaseIterable, Sendable {
        /// Fixed batches: nothing joins a batch in flight.
        case `static`
        /// Decodes first, then whole prompts within the token budget.
        case continuous
        /// Decodes plus prompt chunks within a per-step budget of `chunk_tokens`.
        case chunkedPrefill = "chunked-prefill"
        /// Separate prefill and decode replicas; prompt KV moves between them.
        case disaggregated
    }

    public enum RouterKind: String, CaseIterable, Sendable {
        case roundRobin = "round-robin"
        case leastOutstanding = "least-outstanding"
        case leastKVLoad = "least-kv-load"
        case powerOfTwoChoices = "power-of-two-choices"
    }

    /// Run-to-run variability, both as coefficients of variation (0 = none).
    public struct Variability: Sendable, Equatable {
        /// Spread of per-GPU speed: each GPU draws a speed factor once per run, and a replica's step
        /// times are scaled by its slowest GPU's (a tensor-parallel step waits for all of them).
        public var gpuSpeedSpread: Double
        /// A scenario's `gpu_speed_spread` when it gives none: 1%, argued from the training file.
        /// Among same-round results of one GPU type and weight format on 8 GPUs, the Offline
        /// throughput of different systems varies with a median coefficient of variation of 1.2%
        /// (11 groups of 3 to 13 systems), 0.73% among the ten v4.1 H100 systems that ran NVIDIA's
        /// own code. Under a static Offline split a system runs at the speed of its slowest of 8
        /// GPUs, whose spread across systems is 0.61 x the per-GPU one; so the per-GPU spread is at
        /// most 0.73 / 0.61 = 1.2% even if GPUs were the only source of the difference (hosts,
        /// cooling and settings are others). `VariabilityEvidenceTests` recomputes these figures.
        public static let defaultGPUSpeedSpread = 0.01
        /// Per-step multiplicative jitter.
        public var stepJitter: Double

        public init(gpuSpeedSpread: Double = 0, stepJitter: Double = 0) {
            self.gpuSpeedSpread = gpuSpeedSpread
            self.stepJitter = stepJitter
        }
    }

    /// The host that issues queries and sends them over the host network: one request at a time
    /// at most `dispatchQueriesPerSecond` per second, each arriving `latencySeconds` later.
    public struct LoadGenerator: Sendable, Equatable {
        public var dispatchQueriesPerSecond: Double
        public var latencySeconds: Double

        public init(dispatchQueriesPerSecond: Double, latency: Double) {
            self.dispatchQueriesPerSecond = dispatchQueriesPerSecond
            self.latencySeconds = latency
        }
    }

    public var scheduler: SchedulerKind
    /// At most this many sequences (prefilling + decoding) in one step.
    public var maxBatchSequences: Int
    /// At most this many tokens (decodes + prompt chunks) through the model in one step.
    public var maxBatchTokens: Int
    /// Chunked prefill's per-step token budget (decodes included).
    public var chunkTokens: Int
    public var kvPolicy: KVCachePolicy
    public var kvBlockTokens: Int
    public var router: RouterKind
    /// Time for a request to travel from the load generator to its replica, seconds.
    public var dispatchLatencySeconds: Double
    /// Disaggregated serving: replicas per node that run prompts (the others decode).
    public var prefillReplicasPerNode: Int
    /// How an Offline query's samples reach the replicas: `static`, all routed at once (each
    /// replica's share fixed from the start: the run ends when the slowest finishes its share), or
    /// `dynamic`, held by the harness and pulled by each replica as it has room (work stealing at
    /// the end). `serving.offline_split`; static by default.
    public var offlineSplit: OfflineSplit = .staticSplit

    public enum OfflineSplit: String, CaseIterable, Sendable {
        case staticSplit = "static", dynamic
    }
    /// Replaces the efficiency profile's per-step overhead when set, seconds.
    public var stepOverheadSeconds: Double?
    public var variability: Variability
    /// A load generator with a finite dispatch rate (nil: requests reach replicas instantly).
    public var loadGenerator: LoadGenerator?
    /// Speculative decoding (`serving.speculative`); nil: off.
    public var speculation: SpeculativeDecoding?
    /// The release of the software stack, named by the MLPerf round it was submitted in (e.g.
    /// "v4.1"): selects the efficiency profiles' release factors. nil: the newest release.
    public var stackRelease: String?

    /// Sequences one step may batch when `max_batch_seqs` is absent: a serving stack's
    /// `max_num_seqs`, set high enough that in the bundled MLPerf scenarios the KV cache, not this
    /// cap, limits the batch.
    public static let defaultMaxBatchSequences = 1024
    /// Tokens one step may process when `max_batch_tokens` is absent: vLLM's
    /// `max_num_batched_tokens` with chunked prefill, as AMD's MLPerf Interactive configuration sets
    /// it (../shared/reference/mlperf-rules.md).
    public static let defaultMaxBatchTokens = 8192
    /// Tokens per KV-cache block when `kv_block_tokens` is absent: vLLM's default `--block-size`
    /// (one of 8, 16, 32; docs.vllm.ai, engine arguments).
    public static let defaultKVBlockTokens = 16

    public init(scheduler: SchedulerKind = .continuous, maxBatchSequences: Int, maxBatchTokens: Int,
                chunkTokens: Int? = nil, kvPolicy: KVCachePolicy = .paged, kvBlockTokens: Int = ServingConfig.defaultKVBlockTokens,
                router: RouterKind = .roundRobin, dispatchLatencySeconds: Double = 0, prefillReplicasPerNode: Int = 1,
                stepOverheadSeconds: Double? = nil, variability: Variability = .init(), loadGenerator: LoadGenerator? = nil) {
        self.scheduler = scheduler
        self.maxBatchSequences = maxBatchSequences
        self.maxBatchTokens = maxBatchTokens
        self.chunkTokens = chunkTokens ?? maxBatchTokens
        self.kvPolicy = kvPolicy
        self.kvBlockTokens = kvBlockTokens
        self.router = router
        self.dispatchLatencySeconds = dispatchLatencySeconds
        self.prefillReplicasPerNode = prefillReplicasPerNode
        self.stepOverheadSeconds = stepOverheadSeconds
        self.variability = variability
        self.loadGenerator = loadGenerator
    }
}
