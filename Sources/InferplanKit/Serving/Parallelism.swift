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

    public init(tensor: Int = 1, pipeline: Int = 1, expert: Int = 1, expertImbalance: Double = 1) {
        self.tensor = tensor
        self.pipeline = pipeline
        self.expert = expert
        self.expertImbalance = expertImbalance
    }

    /// GPUs of one replica.
    public var gpusPerReplica: Int { tensor * pipeline }
}
