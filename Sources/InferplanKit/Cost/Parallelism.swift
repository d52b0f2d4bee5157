/// How a replica splits the model over its GPUs.
public struct Parallelism: Sendable, Equatable {
    /// GPUs sharing every layer (attention heads and FFN columns split among them).
    public var tensor: Int
    /// Consecutive groups of layers on successive sets of `tensor` GPUs. A pipelined replica runs
    /// `pipeline` micro-batches at once, one per virtual engine (as vLLM does).
    public var pipeline: Int
    /// GPUs of the tensor group over which MoE layers spread whole experts, moving tokens by
    /// all-to-all dispatch and combine.
    public var expert: Int
    /// Load on the busiest expert GPU beyond uniform routing's expected maximum (1 = uniform).
    public var expertImbalance: Double
    /// How attention is spread over the tensor group: split by head (`tensor`), or data-parallel
    /// (`data`): each GPU runs attention for its own share of the replica's sequences with a full
    /// copy of the attention weights and keeps their KV cache, while the FFN or experts stay split
    /// over the group. DeepSeek deployments run it so: MLA's single latent cannot be split by head,
    /// so under tensor parallelism every GPU would hold the whole cache.
    public var attention: AttentionSplit = .tensor

    public enum AttentionSplit: String, CaseIterable, Sendable {
        case tensor, data
    }

    /// True when attention is data-parallel over a group of more than one GPU.
    public var attentionDataParallel: Bool { attention == .data && tensor > 1 }

    public init(tensor: Int = 1, pipeline: Int = 1, expert: Int = 1, expertImbalance: Double = 1) {
        self.tensor = tensor
        self.pipeline = pipeline
        self.expert = expert
        self.expertImbalance = expertImbalance
    }

    /// GPUs of one replica.
    public var gpusPerReplica: Int { tensor * pipeline }
}
