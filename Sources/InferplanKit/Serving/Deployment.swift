/// The built system: a model deployed on a cluster as identical tensor-parallel replicas.
///
/// Built from a scenario by `Scenario.deployment()`, which checks everything physical (that the
/// parallelism fits the nodes, the weights fit in HBM, one request fits in the KV cache).
public struct Deployment: Sendable {
    public var model: ModelArchitecture
    public var gpu: GPUSpec
    public var precision: Precision
    public var tensorParallel: Int
    public var gpusPerNode: Int
    public var nodes: Int
    public var serving: ServingConfig
    public var memory: MemoryBudget
    public var stepModel: StepTimeModel
    public var scaleOut: ScaleOutNetwork

    public var gpus: Int { gpusPerNode * nodes }
    public var replicasPerNode: Int { gpusPerNode / tensorParallel }
    public var replicas: Int { replicasPerNode * nodes }

    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int,
                gpusPerNode: Int, nodes: Int, serving: ServingConfig, scaleOut: ScaleOutNetwork = .rdma400) {
        var gpu = gpu
        if let overhead = serving.stepOverhead { gpu.efficiency.stepOverhead = overhead }
        self.model = model
        self.gpu = gpu
        self.precision = precision
        self.tensorParallel = tensorParallel
        self.gpusPerNode = gpusPerNode
        self.nodes = nodes
        self.serving = serving
        self.scaleOut = scaleOut
        self.memory = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: tensorParallel)
        self.stepModel = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: tensorParallel)
    }

    public var kvTransfer: KVTransfer { KVTransfer(memory: memory, scaleUp: gpu.scaleUp, scaleOut: scaleOut) }

    func role(ofReplica index: Int) -> Replica.Role {
        guard serving.scheduler == .disaggregated else { return .mixed }
        return index % replicasPerNode < serving.prefillReplicasPerNode ? .prefill : .decode
    }

    func makeScheduler(role: Replica.Role) -> any BatchScheduler {
        let s = serving
        switch (s.scheduler, role) {
        case (_, .prefill): return PrefillOnlyScheduler(maxBatchSequences: s.maxBatchSequences, maxBatchTokens: s.maxBatchTokens)
        case (_, .decode): return DecodeOnlyScheduler(maxBatchSequences: s.maxBatchSequences, maxBatchTokens: s.maxBatchTokens)
        case (.static, _): return StaticBatchScheduler(maxBatchSequences: s.maxBatchSequences, maxBatchTokens: s.maxBatchTokens)
        case (.continuous, _): return ContinuousBatchScheduler(maxBatchSequences: s.maxBatchSequences, maxBatchTokens: s.maxBatchTokens)
        case (.chunkedPrefill, _), (.disaggregated, _):
            return ChunkedPrefillScheduler(maxBatchSequences: s.maxBatchSequences, chunkTokens: min(s.chunkTokens, s.maxBatchTokens))
        }
    }

    /// One `Replica` per tensor-parallel group, numbered node by node. Per-GPU speed spread and
    /// step jitter come from GSL streams seeded from `seed`, apart from the workload's stream.
    func makeReplicas(seed: UInt64) -> [Replica] {
        let spread = serving.variability.gpuSpeedSpread
        let speeds = RandomSource(seed: seed &+ 0x5EED)
        return (0..<replicas).map { index in
            let role = role(ofReplica: index)
            let slowdown = spread > 0 ? min(2, max(0.5, speeds.normal(mean: 1, sd: spread))) : 1
            let jitter = serving.variability.stepJitter > 0
                ? StepJitter(seed: seed &+ 0x7177 &+ UInt64(index), sd: serving.variability.stepJitter) : nil
            let state = ReplicaState(kvCapacityTokens: memory.kvCapacityTokens, blockTokens: serving.kvBlockTokens, policy: serving.kvPolicy)
            return Replica(index: index, node: index / replicasPerNode, role: role, state: state,
                           scheduler: makeScheduler(role: role), stepModel: stepModel, slowdown: slowdown, jitter: jitter)
        }
    }
}
