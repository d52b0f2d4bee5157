/// The built system: a model deployed on a cluster as identical tensor-parallel replicas.
///
/// Built from a scenario by `Deployment.init(scenario:)`, which checks everything physical (that the
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

    public var gpus: Int { gpusPerNode * nodes }
    public var replicasPerNode: Int { gpusPerNode / tensorParallel }
    public var replicas: Int { replicasPerNode * nodes }

    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int,
                gpusPerNode: Int, nodes: Int, serving: ServingConfig) {
        self.model = model
        self.gpu = gpu
        self.precision = precision
        self.tensorParallel = tensorParallel
        self.gpusPerNode = gpusPerNode
        self.nodes = nodes
        self.serving = serving
        self.memory = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: tensorParallel)
        self.stepModel = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: tensorParallel)
    }

    func makeScheduler() -> any BatchScheduler {
        switch serving.scheduler {
        case .continuous:
            return ContinuousBatchScheduler(maxBatchSequences: serving.maxBatchSequences, maxBatchTokens: serving.maxBatchTokens)
        }
    }

    /// One `Replica` per tensor-parallel group, numbered node by node.
    func makeReplicas() -> [Replica] {
        (0..<replicas).map { index in
            Replica(index: index, node: index / replicasPerNode, kvCapacityTokens: memory.kvCapacityTokens,
                    scheduler: makeScheduler(), stepModel: stepModel)
        }
    }
}
