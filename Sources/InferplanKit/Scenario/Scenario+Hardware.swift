import Foundation

/// `hardware:` and `parallelism:`: the cluster's node groups, and how a replica splits the model
/// over them.
extension Scenario {
    /// One-way latency of the scale-out network when a scenario gives only its bandwidth: an RDMA
    /// NIC-to-NIC message of a few microseconds, as `ScaleOutNetwork.rdma400` takes it.
    static let defaultScaleOutLatency = ScaleOutNetwork.rdma400.latencySeconds
    /// GPUs per node of a node group that names none (and whose hardware section names none): the
    /// 8-GPU baseboard of every HGX and AMD platform in the catalog.
    static let defaultGPUsPerNode = 8
    /// The keys of `hardware:`.
    static let hardwareKeys = ["node", "gpu", "gpus_per_node", "nodes", "node_groups", "scale_out", "power_cap_w", "node_power_cap_w"]
    /// The largest node count a scenario may name.
    static let maxNodes = 100_000
    /// The most GPUs a node (or a replica's tensor or expert group) may have: a bound on input, far
    /// above any built node (72 in an NVL72 rack).
    static let maxGPUsPerNode = 1024

    /// A group's `nodes:` (1 when absent), parsed the same way wherever it is written.
    static func nodeCount(_ value: YAMLValue?, note: (YAMLValue) -> YAMLValue) throws -> Int {
        try value.map { try note($0).int(in: 1...maxNodes) } ?? 1
    }

    /// `hardware`: one group (`gpu`, `gpus_per_node`, `nodes`) or `node_groups: [{gpu:, nodes:, gpus_per_node:}, ...]`.
    static func nodeGroups(_ value: YAMLValue, catalog: Catalog, baseDirectory: String,
                           note: (YAMLValue) -> YAMLValue) throws -> [NodeGroup] {
        let hardware = try value.mapping(allowed: Self.hardwareKeys)
        func scaleOut(_ value: YAMLValue?, gpusPerNode: Int) throws -> ScaleOutNetwork? {
            guard let value else { return nil }
            let m = try note(value).mapping(allowed: ["name", "gbps_per_node", "latency_us"])
            return .node(name: try m.optional("name")?.string() ?? "scale-out network",
                         gbpsPerNode: try note(m.required("gbps_per_node", hint: "NIC bandwidth of a node in Gb/s: 3200 for 8 x 400G RDMA, 40 for 4 x 10 GbE")).double(in: 0.001...1e7, unit: "Gb/s"),
                         latency: try m.optional("latency_us").map { try note($0).double(in: 0...1e7, unit: "us") * 1e-6 } ?? Self.defaultScaleOutLatency,
                         gpusPerNode: gpusPerNode)
        }
        func gpu(_ reference: YAMLValue) throws -> GPUSpec {
            try catalog.gpu(catalog.document(.gpus, reference: note(reference), baseDirectory: baseDirectory), baseDirectory: baseDirectory)
        }
        let defaultPerNode = try hardware.optional("gpus_per_node").map { try note($0).int(in: 1...Self.maxGPUsPerNode) }
        // A node catalog entry supplies the GPU, its count and the scale-out network.
        func nodeEntry(_ reference: YAMLValue, nodes: Int, scaleOutOverride: YAMLValue?) throws -> NodeGroup {
            let entry = try catalog.document(.nodes, reference: note(reference), baseDirectory: baseDirectory)
                .mapping(allowed: ["id", "name", "gpu", "gpus_per_node", "scale_out", "source"])
            let perNode = try entry.required("gpus_per_node").int(in: 1...Self.maxGPUsPerNode)
            return NodeGroup(gpu: try gpu(entry.required("gpu")), gpusPerNode: perNode, nodes: nodes,
                             scaleOut: try scaleOut(scaleOutOverride ?? entry.optional("scale_out"), gpusPerNode: perNode))
        }
        if let nodeValue = hardware.optional("node") {
            for key in ["gpu", "gpus_per_node", "node_groups"] {
                if let conflicting = hardware.optional(key) {
                    throw conflicting.error("'\(key)' and 'node' cannot both be given: the node entry names its GPU and count",
                                            valid: "either node: (a node catalog id), or gpu: and gpus_per_node:")
                }
            }
            return [try nodeEntry(nodeValue, nodes: try nodeCount(hardware.optional("nodes"), note: note),
                                  scaleOutOverride: hardware.optional("scale_out"))]
        }
        guard let list = hardware.optional("node_groups") else {
            let gpuValue = try hardware.required("gpu", hint: "a GPU id (see `inferplan catalog`) or a path to a GPU YAML; or node: a node id such as hgx-h200")
            let perNode = try defaultPerNode ?? note(hardware.required("gpus_per_node", hint: "GPUs in one node, e.g. 8")).int(in: 1...Self.maxGPUsPerNode)
            return [NodeGroup(gpu: try gpu(gpuValue), gpusPerNode: perNode,
                              nodes: try nodeCount(hardware.optional("nodes"), note: note),
                              scaleOut: try scaleOut(hardware.optional("scale_out"), gpusPerNode: perNode))]
        }
        for key in ["gpu", "nodes"] {
            if let conflicting = hardware.optional(key) {
                throw conflicting.error("'\(key)' and 'node_groups' cannot both be given", valid: "either gpu/nodes, or node_groups with a gpu and nodes per group")
            }
        }
        let items = try note(list).sequence()
        guard !items.isEmpty else { throw list.error("node_groups is empty", valid: "[{gpu: mi300x, nodes: 1}, ...]") }
        return try items.map { item in
            let group = try item.mapping(allowed: ["node", "gpu", "nodes", "gpus_per_node", "scale_out"])
            if let nodeValue = group.optional("node") {
                return try nodeEntry(nodeValue, nodes: try nodeCount(group.optional("nodes"), note: note),
                                     scaleOutOverride: group.optional("scale_out") ?? hardware.optional("scale_out"))
            }
            let perNode = try group.optional("gpus_per_node").map { try note($0).int(in: 1...Self.maxGPUsPerNode) } ?? defaultPerNode ?? Self.defaultGPUsPerNode
            return NodeGroup(gpu: try gpu(group.required("gpu")), gpusPerNode: perNode,
                             nodes: try nodeCount(group.optional("nodes"), note: note),
                             scaleOut: try scaleOut(group.optional("scale_out") ?? hardware.optional("scale_out"), gpusPerNode: perNode))
        }
    }

    /// `parallelism: {tensor:, pipeline:, expert:, data:, expert_imbalance:, attention:}`, checked against the
    /// nodes and the model: a replica fills part of a node or whole nodes; expert parallelism needs
    /// a mixture-of-experts model; `data`, if given, must be the replica count the rest implies.
    static func parallelism(_ value: YAMLValue?, groups: [NodeGroup], model: ModelArchitecture,
                            note: (YAMLValue) -> YAMLValue) throws -> Parallelism {
        let map = try value?.mapping(allowed: ["tensor", "pipeline", "expert", "data", "expert_imbalance", "attention"])
        var result = Parallelism(
            tensor: try map?.optional("tensor").map { try note($0).int(in: 1...Self.maxGPUsPerNode) } ?? 1,
            pipeline: try map?.optional("pipeline").map { try note($0).int(in: 1...model.layers) } ?? 1,
            expert: try map?.optional("expert").map { try note($0).int(in: 1...Self.maxGPUsPerNode) } ?? 1,
            expertImbalance: try map?.optional("expert_imbalance").map { try note($0).double(in: 1...100) } ?? 1)
        if let attention = map?.optional("attention") {
            result.attention = try note(attention).choice(Parallelism.AttentionSplit.self)
        }
        let perReplica = result.gpusPerReplica
        for group in groups {
            let perNode = group.gpusPerNode
            let withinNode = perNode % perReplica == 0
            let wholeNodes = perReplica % perNode == 0 && group.nodes % (perReplica / perNode) == 0
            guard withinNode || wholeNodes else {
                let key = map?.optional("pipeline") != nil && result.pipeline > 1 ? "pipeline" : "tensor"
                let common = (1...perNode).filter { d in groups.allSatisfy { $0.gpusPerNode % d == 0 } }.map(String.init).joined(separator: ", ")
                let location = map?.optional(key) ?? value
                let problem = "tensor parallelism \(result.tensor)\(result.pipeline > 1 ? " x pipeline \(result.pipeline)" : "") does not divide the \(perNode) GPUs of a node, nor span whole nodes of the \(group.nodes) there are"
                let valid = "one of \(common) GPUs per replica (tensor x pipeline), or a multiple of \(perNode) that divides the GPUs of the cluster (replicas = gpus / (tensor x pipeline))"
                if let location { throw location.error(problem, valid: valid) }
                throw InputError(location: "scenario", keyPath: "parallelism", problem: problem, valid: valid)
            }
        }
        if let expertValue = map?.optional("expert"), result.expert > 1 {
            guard let moe = model.moe else {
                throw expertValue.error("expert parallelism needs a mixture-of-experts model, and \(model.id) is dense",
                                        valid: "expert: 1 (or a MoE model such as mixtral-8x7b, gpt-oss-120b, deepseek-r1)")
            }
            guard result.tensor % result.expert == 0, moe.experts % result.expert == 0 else {
                throw expertValue.error("expert parallelism \(result.expert) must divide the tensor group (\(result.tensor)) and the \(moe.experts) experts",
                                        valid: "a divisor of both, e.g. expert: \(result.tensor) with tensor: \(result.tensor)")
            }
        }
        if let dataValue = map?.optional("data") {
            let data = try note(dataValue).int(in: 1...1_000_000)
            let gpus = groups.reduce(0) { $0 + $1.gpus }
            guard data * perReplica == gpus else {
                throw dataValue.error("tensor x pipeline x data = \(data * perReplica) GPUs, but the cluster has \(gpus)",
                                      valid: "data: \(gpus / max(1, perReplica)) (replicas = gpus / (tensor x pipeline)), or leave it out")
            }
        }
        result.tensor = max(1, result.tensor)
        return result
    }

    /// `hardware.power_cap_w` (per GPU) or `hardware.node_power_cap_w` (a node's GPUs together,
    /// split evenly: they run at once): a limit below TDP at which the clock drops
    /// (`PowerProfile.capped`). Above TDP it changes nothing.
    static func applyPowerCaps(_ value: YAMLValue, to groups: inout [NodeGroup], note: (YAMLValue) -> YAMLValue) throws {
        let hardware = try value.mapping(allowed: Self.hardwareKeys)
        let perGPU = try hardware.optional("power_cap_w").map { try note($0).double(in: 1...100_000, unit: "W") }
        let perNode = try hardware.optional("node_power_cap_w").map { try note($0).double(in: 1...10_000_000, unit: "W") }
        if perGPU != nil, let value = hardware.optional("node_power_cap_w") {
            throw value.error("power_cap_w and node_power_cap_w cannot both be given", valid: "a cap per GPU, or one per node")
        }
        for index in groups.indices {
            guard let cap = perGPU ?? perNode.map({ $0 / Double(groups[index].gpusPerNode) }) else { continue }
            let gpu = groups[index].gpu
            if cap <= gpu.power.idleWatts, let value = hardware.optional("power_cap_w") ?? hardware.optional("node_power_cap_w") {
                throw value.error("a cap of \(Format.grouped(cap, decimals: 0)) W per GPU is at or below \(gpu.id)'s idle power (\(Format.grouped(gpu.power.idleWatts, decimals: 0)) W): it could never run",
                                  valid: "more than \(Format.grouped(gpu.power.idleWatts, decimals: 0)) W per GPU (TDP is \(Format.grouped(gpu.powerWatts, decimals: 0)) W)")
            }
            groups[index].gpu.powerCapWatts = cap
        }
    }
}
