/// The built system: a model deployed on a cluster as tensor-parallel replicas, node group by node
/// group (one group for a homogeneous cluster).
///
/// Built from a scenario by `Scenario.deployment()`, which checks everything physical (that the
/// parallelism fits the nodes, the weights fit in HBM, one request fits in the KV cache).
public struct Deployment: Sendable {
    /// One node group as deployed: its GPU's memory budget and step-time model.
    public struct Group: Sendable {
        public var gpu: GPUSpec
        public var gpusPerNode: Int
        public var nodes: Int
        public var memory: MemoryBudget
        public var stepModel: StepTimeModel
        /// The network between this group's nodes (its `scale_out`, else the cluster's default).
        public var scaleOut: ScaleOutNetwork
        /// Replicas per node (0 when a replica spans several nodes).
        public var replicasPerNode: Int
        public var gpus: Int { gpusPerNode * nodes }
        public var replicas: Int
        /// The node a replica of this group starts on, counted within the group.
        func node(ofReplica local: Int, gpusPerReplica: Int) -> Int { local * gpusPerReplica / gpusPerNode }
    }

    public var model: ModelArchitecture
    public var precision: Precision
    public var parallelism: Parallelism
    public var tensorParallel: Int { parallelism.tensor }
    public var serving: ServingConfig
    public var groups: [Group]
    public var scaleOut: ScaleOutNetwork

    /// The first group's GPU, memory and step model (the only ones in a homogeneous cluster).
    public var gpu: GPUSpec { groups[0].gpu }
    public var memory: MemoryBudget { groups[0].memory }
    public var stepModel: StepTimeModel { groups[0].stepModel }
    public var gpusPerNode: Int { groups[0].gpusPerNode }
    public var replicasPerNode: Int { groups[0].replicasPerNode }

    public var nodes: Int { groups.reduce(0) { $0 + $1.nodes } }
    public var gpus: Int { groups.reduce(0) { $0 + $1.gpus } }
    public var replicas: Int { groups.reduce(0) { $0 + $1.replicas } }

    public init(model: ModelArchitecture, groups: [NodeGroup], precision: Precision, parallelism: Parallelism,
                serving: ServingConfig, scaleOut: ScaleOutNetwork = .rdma400) {
        self.model = model
        self.precision = precision
        self.parallelism = parallelism
        let tensorParallel = parallelism.tensor, perReplica = parallelism.gpusPerReplica
        self.serving = serving
        self.scaleOut = scaleOut
        self.groups = groups.map { group in
            var gpu = group.gpu
            if let overhead = serving.stepOverheadSeconds { gpu.efficiency.stepOverheadSeconds = overhead }
            return Group(gpu: gpu, gpusPerNode: group.gpusPerNode, nodes: group.nodes,
                         memory: MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: tensorParallel,
                                              pipelineParallel: parallelism.pipeline, attentionDataParallel: parallelism.attentionDataParallel),
                         stepModel: StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: tensorParallel,
                                                  gpusPerNode: group.gpusPerNode, scaleOut: group.scaleOut ?? scaleOut,
                                                  parallelism: parallelism, speculation: serving.speculation),
                         scaleOut: group.scaleOut ?? scaleOut,
                         replicasPerNode: group.gpusPerNode / perReplica, replicas: group.gpus / perReplica)
        }
    }

    /// A homogeneous cluster.
    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int,
                gpusPerNode: Int, nodes: Int, serving: ServingConfig, scaleOut: ScaleOutNetwork = .rdma400) {
        self.init(model: model, groups: [NodeGroup(gpu: gpu, gpusPerNode: gpusPerNode, nodes: nodes)], precision: precision,
                  parallelism: Parallelism(tensor: tensorParallel), serving: serving, scaleOut: scaleOut)
    }

    /// The hand-off of a prompt's KV from a replica of group `source` to one of group `target`:
    /// each GPU sends its own shard (`source`'s memory layout) over its scale-up link within a node,
    /// and across nodes over the slower of the two groups' networks.
    public func kvTransfer(from source: Int, to target: Int) -> KVTransfer {
        let a = groups[source].scaleOut, b = groups[target].scaleOut
        let network = ScaleOutNetwork(name: a.bytesPerSecondPerGPU <= b.bytesPerSecondPerGPU ? a.name : b.name,
                                      bytesPerSecondPerGPU: min(a.bytesPerSecondPerGPU, b.bytesPerSecondPerGPU),
                                      latency: max(a.latencySeconds, b.latencySeconds))
        return KVTransfer(memory: groups[source].memory, scaleUp: groups[source].gpu.scaleUp, scaleOut: network)
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

    /// A replica's relative serving speed, for routers that weigh replicas: decode tokens/s at a
    /// reference batch (64 sequences of 1,024 cached tokens) on its group's GPUs.
    static func speed(of group: Group) -> Double {
        let work = StepWork(decodeSequences: 64, decodeContextTokens: 64 * 1024, sampledTokens: 64)
        return 64 / group.stepModel.time(for: work)
    }

    /// Engines the engine simulates: one per replica, or `pipeline` virtual engines per pipelined one.
    public var engines: Int { replicas * parallelism.pipeline }

    /// One `Replica` (engine) per tensor-parallel group - `pipeline` of them per pipelined replica,
    /// each with its share of the KV cache - numbered node by node, group by group. Per-GPU speed
    /// spread and step jitter come from GSL streams seeded from `seed`, apart from the workload's.
    func makeReplicas(seed: UInt64) -> [Replica] {
        let spread = serving.variability.gpuSpeedSpread
        let speeds = RandomSource(seed: seed &+ 0x5EED)
        let fastest = groups.map(Self.speed).max() ?? 1
        // Sliding-window layers cache at most `window` tokens per sequence: in full-layer token
        // equivalents, window x sliding layers / full layers (an upper bound for shorter sequences).
        let windowTokens = model.attention.slidingWindow.map { window in
            model.fullAttentionLayers > 0 ? (window * model.slidingLayers + model.fullAttentionLayers - 1) / model.fullAttentionLayers : 0
        } ?? 0
        var replicas: [Replica] = []
        var firstNode = 0
        for (groupIndex, group) in groups.enumerated() {
            let weight = Self.speed(of: group) / fastest
            let pipeline = parallelism.pipeline
            for slot in 0..<(group.replicas * pipeline) {
                let local = slot / pipeline
                let index = replicas.count
                let role: Replica.Role = serving.scheduler != .disaggregated ? .mixed
                    : local % max(1, group.replicasPerNode) < serving.prefillReplicasPerNode ? .prefill : .decode
                // Each GPU of the replica draws its speed; the replica steps at its slowest GPU's.
                var slowdown = 1.0
                if spread > 0 {
                    slowdown = 0
                    for _ in 0..<parallelism.gpusPerReplica { slowdown = max(slowdown, min(2, max(0.5, speeds.normal(mean: 1, sd: spread)))) }
                }
                let jitter = serving.variability.stepJitter > 0
                    ? StepJitter(seed: seed &+ 0x7177 &+ UInt64(index), sd: serving.variability.stepJitter) : nil
                let state = ReplicaState(kvCapacityTokens: group.memory.kvCapacityTokens / pipeline, blockTokens: serving.kvBlockTokens,
                                         policy: serving.kvPolicy, windowTokens: windowTokens)
                replicas.append(Replica(index: index, node: firstNode + group.node(ofReplica: local, gpusPerReplica: parallelism.gpusPerReplica), group: groupIndex,
                                        role: role, state: state, scheduler: makeScheduler(role: role),
                                        stepModel: group.stepModel, weight: weight, slowdown: slowdown, jitter: jitter))
            }
            firstNode += group.nodes
        }
        return replicas
    }
}
