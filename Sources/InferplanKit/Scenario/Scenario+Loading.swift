import Yams
import Foundation

extension Scenario {
    /// The most requests one run may hold in memory (`Workload.maxRequests`).
    public static let maxRequests = Workload.maxRequests
    /// Offline's minimum sample count when no benchmark gives one (LoadGen's min_query_count).
    static let defaultMinOfflineSamples = 1000
    /// Single-stream queries when `samples` is not given: enough for a stable p90, capped by the
    /// benchmark's minimum.
    static let defaultSingleStreamSamples = 1024

    public static let topLevelKeys = ["name", "model", "hardware", "precision", "parallelism", "serving", "workload"]

    /// Reads a scenario file, applies `--set` overrides, and resolves catalog references.
    public static func load(path: String, overrides: [Override] = [], catalog: Catalog = .bundled) throws -> Scenario {
        let document = try YAMLDocument.load(path: path).applying(overrides)
        let base = (path as NSString).deletingLastPathComponent
        return try Scenario(document: document, baseDirectory: base.isEmpty ? "." : base, catalog: catalog)
    }

    /// Decodes a scenario document; catalog paths are relative to `baseDirectory`.
    public init(document: YAMLValue, baseDirectory: String, catalog: Catalog) throws {
        var locations: [String: String] = [:]
        func note(_ value: YAMLValue) -> YAMLValue {
            locations[value.keyPath] = value.location
            return value
        }
        let root = try document.mapping(allowed: Self.topLevelKeys)
        file = document.source.name
        overrides = document.source.applied
        echo = "# \(document.source.name)\(overrides.map { " " + $0 }.joined())\n"
            + ((try? Yams.serialize(node: document.node)) ?? "")
        name = try root.optional("name")?.string() ?? ((document.source.name as NSString).lastPathComponent as NSString).deletingPathExtension

        // Workload first: a benchmark preset supplies the model when none is named.
        let workloadMap = try root.required("workload", hint: "{benchmark: mlperf-llama2-70b, scenario: offline}")
            .mapping(allowed: Self.workloadKeys)
        var benchmark: BenchmarkPreset?
        if let value = workloadMap.optional("benchmark") {
            benchmark = try catalog.benchmark(catalog.document(.benchmarks, reference: note(value), baseDirectory: baseDirectory))
        }
        self.benchmark = benchmark

        let modelDocument: YAMLValue
        if let value = root.optional("model") {
            modelDocument = try catalog.document(.models, reference: note(value), baseDirectory: baseDirectory)
        } else if let benchmark {
            modelDocument = try catalog.document(.models, id: benchmark.model)
        } else {
            throw InputError(location: document.location, keyPath: "model", problem: "missing required key 'model'",
                             valid: "a model id (see `inferplan catalog`) or a path to a model YAML; or name a workload.benchmark")
        }
        model = try catalog.model(modelDocument)
        let modelID = model.id
        if let benchmark, benchmark.model != modelID {
            // The preset's lengths belong to its own model's dataset; say so where they are used.
            let fromPreset = ["input_tokens", "output_tokens"].filter { workloadMap.optional($0) == nil }
            if !fromPreset.isEmpty {
                let own = catalog.ids(.benchmarks).contains("mlperf-\(modelID)") ? "mlperf-\(modelID)" : nil
                let place = locations["workload.benchmark"] ?? document.source.name
                warnings.append("\(place): workload.benchmark: \(benchmark.id) is the benchmark of \(benchmark.model), and its \(fromPreset.joined(separator: " and ")) (with its limits and minimum sample count) apply to \(modelID) as they are"
                                + (own.map { "; \($0) is \(modelID)'s own" } ?? "; set workload.input_tokens and output_tokens for \(modelID)'s requests"))
            }
        }

        let hardwareValue = try root.required("hardware", hint: "{gpu: h200-sxm, gpus_per_node: 8, nodes: 1}")
        let nodeGroups = try Self.nodeGroups(hardwareValue, catalog: catalog, baseDirectory: baseDirectory, note: note)
        groups = nodeGroups

        let precisionMap = try root.required("precision", hint: "{weights: fp8, kv_cache: fp8}").mapping(allowed: ["weights", "kv_cache", "lm_head"])
        precision = Precision(weights: try note(precisionMap.required("weights")).choice(WeightFormat.self),
                              kvCache: try note(precisionMap.required("kv_cache")).choice(KVFormat.self),
                              lmHead: try precisionMap.optional("lm_head").map { try note($0).choice(WeightFormat.self) } ?? .bf16)

        parallelism = try Self.parallelism(root.optional("parallelism"), groups: nodeGroups, model: model, note: note)

        serving = try Self.serving(root.optional("serving"), note: note)
        for index in groups.indices {
            groups[index].gpu.efficiency.release = serving.stackRelease
        }
        workload = try Self.workload(workloadMap, benchmark: benchmark, baseDirectory: baseDirectory, maxContext: model.maxContext, note: note)
        self.locations = locations
    }

    /// `hardware`: one group (`gpu`, `gpus_per_node`, `nodes`) or `node_groups: [{gpu:, nodes:, gpus_per_node:}, ...]`.
    private static func nodeGroups(_ value: YAMLValue, catalog: Catalog, baseDirectory: String,
                                   note: (YAMLValue) -> YAMLValue) throws -> [NodeGroup] {
        let hardware = try value.mapping(allowed: ["node", "gpu", "gpus_per_node", "nodes", "node_groups", "scale_out"])
        func scaleOut(_ value: YAMLValue?, gpusPerNode: Int) throws -> ScaleOutNetwork? {
            guard let value else { return nil }
            let m = try note(value).mapping(allowed: ["name", "gbps_per_node", "latency_us"])
            return .node(name: try m.optional("name")?.string() ?? "scale-out network",
                         gbpsPerNode: try note(m.required("gbps_per_node", hint: "NIC bandwidth of a node in Gb/s: 3200 for 8 x 400G RDMA, 40 for 4 x 10 GbE")).double(in: 0.001...1e7, unit: "Gb/s"),
                         latency: try m.optional("latency_us").map { try note($0).double(in: 0...1e7, unit: "us") * 1e-6 } ?? 5e-6,
                         gpusPerNode: gpusPerNode)
        }
        func gpu(_ reference: YAMLValue) throws -> GPUSpec {
            try catalog.gpu(catalog.document(.gpus, reference: note(reference), baseDirectory: baseDirectory), baseDirectory: baseDirectory)
        }
        let defaultPerNode = try hardware.optional("gpus_per_node").map { try note($0).int(in: 1...1024) }
        // A node catalog entry supplies the GPU, its count and the scale-out network.
        func nodeEntry(_ reference: YAMLValue, nodes: Int, scaleOutOverride: YAMLValue?) throws -> NodeGroup {
            let entry = try catalog.document(.nodes, reference: note(reference), baseDirectory: baseDirectory)
                .mapping(allowed: ["id", "name", "gpu", "gpus_per_node", "scale_out", "source"])
            let perNode = try entry.required("gpus_per_node").int(in: 1...1024)
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
            return [try nodeEntry(nodeValue, nodes: try hardware.optional("nodes").map { try note($0).int(in: 1...100_000) } ?? 1,
                                  scaleOutOverride: hardware.optional("scale_out"))]
        }
        guard let list = hardware.optional("node_groups") else {
            let gpuValue = try hardware.required("gpu", hint: "a GPU id (see `inferplan catalog`) or a path to a GPU YAML; or node: a node id such as hgx-h200")
            let perNode = try defaultPerNode ?? note(hardware.required("gpus_per_node", hint: "GPUs in one node, e.g. 8")).int(in: 1...1024)
            return [NodeGroup(gpu: try gpu(gpuValue), gpusPerNode: perNode,
                              nodes: try hardware.optional("nodes").map { try note($0).int(in: 1...100_000) } ?? 1,
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
                return try nodeEntry(nodeValue, nodes: try group.optional("nodes").map { try note($0).int(in: 1...100_000) } ?? 1,
                                     scaleOutOverride: group.optional("scale_out") ?? hardware.optional("scale_out"))
            }
            let perNode = try group.optional("gpus_per_node").map { try note($0).int(in: 1...1024) } ?? defaultPerNode ?? 8
            return NodeGroup(gpu: try gpu(group.required("gpu")), gpusPerNode: perNode,
                             nodes: try group.optional("nodes").map { try note($0).int(in: 1...100_000) } ?? 1,
                             scaleOut: try scaleOut(group.optional("scale_out") ?? hardware.optional("scale_out"), gpusPerNode: perNode))
        }
    }

    /// `parallelism: {tensor:, pipeline:, expert:, data:, expert_imbalance:, attention:}`, checked against the
    /// nodes and the model: a replica fills part of a node or whole nodes; expert parallelism needs
    /// a mixture-of-experts model; `data`, if given, must be the replica count the rest implies.
    private static func parallelism(_ value: YAMLValue?, groups: [NodeGroup], model: ModelArchitecture,
                                    note: (YAMLValue) -> YAMLValue) throws -> Parallelism {
        let map = try value?.mapping(allowed: ["tensor", "pipeline", "expert", "data", "expert_imbalance", "attention"])
        var result = Parallelism(
            tensor: try map?.optional("tensor").map { try note($0).int(in: 1...1024) } ?? 1,
            pipeline: try map?.optional("pipeline").map { try note($0).int(in: 1...model.layers) } ?? 1,
            expert: try map?.optional("expert").map { try note($0).int(in: 1...1024) } ?? 1,
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

    static let workloadKeys = ["benchmark", "scenario", "samples", "seed", "qps", "duration_s", "input_tokens", "output_tokens",
                               "limits", "trace", "trace_time_scale", "search_tolerance", "max_events"]

    static let servingKeys = ["scheduler", "max_batch_seqs", "max_batch_tokens", "chunk_tokens", "kv_policy", "kv_block_tokens",
                              "router", "dispatch_latency_ms", "prefill_replicas_per_node", "step_overhead_ms", "variability",
                              "load_generator", "speculative", "stack_release"]

    private static func serving(_ value: YAMLValue?, note: (YAMLValue) -> YAMLValue) throws -> ServingConfig {
        let map = try value?.mapping(allowed: servingKeys)
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? { try map?.optional(key).map { try note($0).int(in: range) } }
        func ms(_ key: String) throws -> Double? { try map?.optional(key).map { try note($0).double(in: 0...1e7, unit: "ms") / 1000 } }
        let maxSeqs = try int("max_batch_seqs", 1...1_000_000) ?? 1024
        let maxTokens = try int("max_batch_tokens", 1...100_000_000) ?? 8192
        if let value = map?.optional("max_batch_tokens"), maxTokens < maxSeqs {
            throw value.error("max_batch_tokens \(maxTokens) is below max_batch_seqs \(maxSeqs): the decodes of a full batch would not fit in one step",
                              valid: "a whole number >= serving.max_batch_seqs (\(maxSeqs))")
        }
        var variability = ServingConfig.Variability()
        if let value = map?.optional("variability") {
            let v = try note(value).mapping(allowed: ["gpu_speed_spread", "step_jitter"])
            variability.gpuSpeedSpread = try v.optional("gpu_speed_spread").map { try note($0).double(in: 0...0.5) } ?? 0
            variability.stepJitter = try v.optional("step_jitter").map { try note($0).double(in: 0...0.5) } ?? 0
        }
        var generator: ServingConfig.LoadGenerator?
        if let value = map?.optional("load_generator") {
            let g = try note(value).mapping(allowed: ["dispatch_qps", "latency_ms"])
            generator = .init(dispatchRate: try note(g.required("dispatch_qps", hint: "requests the load generator sends per second, e.g. 5000")).double(in: 1e-3...1e9, unit: "queries/s"),
                              latency: try g.optional("latency_ms").map { try note($0).double(in: 0...1e6, unit: "ms") / 1000 } ?? 0)
        }
        var speculation: SpeculativeDecoding?
        if let value = map?.optional("speculative") {
            let m = try note(value).mapping(allowed: ["draft_tokens", "acceptance_rate", "draft_cost"])
            speculation = SpeculativeDecoding(
                draftTokens: try note(m.required("draft_tokens", hint: "draft tokens proposed per sequence per step, e.g. 3")).int(in: 1...64),
                acceptanceRate: try note(m.required("acceptance_rate", hint: "per-token acceptance probability, e.g. 0.7")).double(in: 0...0.999),
                draftCost: try m.optional("draft_cost").map { try note($0).double(in: 0...10) } ?? SpeculativeDecoding.defaultDraftCost)
        }
        var config = ServingConfig(
            scheduler: try map?.optional("scheduler").map { try note($0).choice(ServingConfig.SchedulerKind.self) } ?? .continuous,
            maxBatchSequences: maxSeqs, maxBatchTokens: maxTokens,
            chunkTokens: try int("chunk_tokens", 1...100_000_000),
            kvPolicy: try map?.optional("kv_policy").map { try note($0).choice(KVCachePolicy.self) } ?? .paged,
            kvBlockTokens: try int("kv_block_tokens", 1...4096) ?? 16,
            router: try map?.optional("router").map { try note($0).choice(ServingConfig.RouterKind.self) } ?? .roundRobin,
            dispatchLatency: try ms("dispatch_latency_ms") ?? 0,
            prefillReplicasPerNode: try int("prefill_replicas_per_node", 1...1024) ?? 1,
            stepOverhead: try ms("step_overhead_ms"),
            variability: variability, loadGenerator: generator)
        config.speculation = speculation
        if let value = map?.optional("stack_release") {
            let release = try note(value).string()
            guard EfficiencyProfile.isReleaseName(release) else {
                throw value.error("'\(release)' is not a release name", valid: "an MLPerf round such as v4.1 or v5.1 (the efficiency profile's releases)")
            }
            config.stackRelease = release
        }
        return config
    }

    private static func workload(_ map: YAMLMapping, benchmark: BenchmarkPreset?, baseDirectory: String, maxContext: Int,
                                 note: (YAMLValue) -> YAMLValue) throws -> Workload {
        let kind = try map.optional("scenario").map { try note($0).choice(ScenarioKind.self) } ?? .offline
        func lengths(_ key: String, _ preset: LengthDistribution?) throws -> LengthDistribution {
            if let value = map.optional(key) { return try Catalog.lengthDistribution(note(value)) }
            if let preset { return preset }
            if map.optional("trace") != nil { return LengthDistribution(.fixed(1)) }
            throw InputError(location: map.owner.location, keyPath: "workload.\(key)", problem: "missing required key '\(key)'",
                             valid: "name a workload.benchmark, or give \(Catalog.lengthHint)")
        }
        func onlyFor(_ key: String, _ allowed: Bool, _ scenarios: String) throws {
            if !allowed, let value = map.optional(key) {
                throw value.error("'\(key)' applies to the \(scenarios) scenario\(scenarios.contains(" or ") ? "s" : "") only",
                                  valid: "remove it, or set workload.scenario to \(scenarios)")
            }
        }
        try onlyFor("qps", kind.isRateDriven, "server or interactive")
        try onlyFor("trace", kind.isRateDriven, "server or interactive")
        try onlyFor("trace_time_scale", kind.isRateDriven, "server or interactive")
        try onlyFor("limits", kind.isRateDriven, "server or interactive")

        let input = try lengths("input_tokens", benchmark?.input)
        let output = try lengths("output_tokens", benchmark?.output)
        // Offline without `samples`: sized as LoadGen does, for `duration_s` at the system's rate
        // (`OfflineSizing`), never fewer than the benchmark's minimum.
        let minSamples = benchmark?.minOfflineSamples ?? Self.defaultMinOfflineSamples
        let samples = try map.optional("samples").map { try note($0).int(in: 1...Self.maxRequests) }
            ?? (kind == .singleStream ? min(Self.defaultSingleStreamSamples, minSamples) : nil)
        let seed = try map.optional("seed").map { try note($0).int(in: 0...Int(Int32.max)) } ?? 1
        let duration = try map.optional("duration_s").map { try note($0).double(in: 0.001...1e8, unit: "s") }
            ?? benchmark?.minDurationSeconds ?? 600

        var limits: LatencyLimits? = kind == .server ? benchmark?.serverLimits : kind == .interactive ? benchmark?.interactiveLimits : nil
        if let value = map.optional("limits") {
            let m = try note(value).mapping(allowed: ["ttft_p99_ms", "tpot_p99_ms"])
            let ttft = try m.optional("ttft_p99_ms").map { try note($0).double(in: 0.001...1e9, unit: "ms") / 1000 } ?? limits?.ttftP99
            let tpot = try m.optional("tpot_p99_ms").map { try note($0).double(in: 0.001...1e9, unit: "ms") / 1000 } ?? limits?.tpotP99
            guard let ttft, let tpot else {
                throw value.error("both p99 limits are needed and the benchmark gives none for \(kind.rawValue)",
                                  valid: "{ttft_p99_ms: 2000, tpot_p99_ms: 200}")
            }
            limits = LatencyLimits(ttftP99: ttft, tpotP99: tpot)
        }

        var qps = 0.0
        var searchMaxRate = false
        var trace: [Request]?
        if kind.isRateDriven {
            if let value = map.optional("trace") {
                let scale = try map.optional("trace_time_scale").map { try note($0).double(in: 1e-6...1e6) } ?? 1
                let name = try note(value).string()
                let path = name.hasPrefix("/") ? name : (baseDirectory as NSString).appendingPathComponent(name)
                // A missing file, a device or a folder is named at the line that names it.
                let found = InputPath(path)
                if found != .file {
                    throw value.error(found.words.map { "'\(path)' is \($0), not a CSV file" } ?? "no trace file at '\(path)'",
                                      valid: "a CSV file (arrival_s,input_tokens,output_tokens), relative to the scenario's folder")
                }
                trace = try TraceFile.load(path: path, displayName: name, timeScale: scale, maxContext: maxContext)
                qps = Double(trace!.count) / max(trace!.last!.arrival, 1e-9)
            } else {
                let value = note(try map.required("qps", hint: "the Poisson arrival rate in queries per second, e.g. 20, or max"))
                if case .scalar(let scalar) = value.node, scalar.string == "max" {
                    searchMaxRate = true
                    guard limits != nil else {
                        throw value.error("searching for the highest rate needs p99 latency limits, and none are set",
                                          valid: "workload.limits: {ttft_p99_ms: ..., tpot_p99_ms: ...}, or a benchmark that has \(kind.rawValue) limits")
                    }
                } else {
                    qps = try value.double(in: 1e-6...1e7, unit: "queries/s")
                    if qps * duration < 1 {
                        throw value.error("qps x duration_s = \(qps * duration) expects no query in the whole run, so there would be nothing to measure",
                                          valid: "qps x duration_s >= 1, e.g. qps: \(Format.grouped(max(1, 100 / duration), decimals: 2)) for a \(Format.grouped(duration, decimals: 0)) s run")
                    }
                    if qps * duration > Double(Self.maxRequests) {
                        throw value.error("qps x duration_s = \(Int(qps * duration)) queries is more than one run simulates",
                                          valid: "qps x duration_s <= \(Self.maxRequests)")
                    }
                }
            }
        }
        let tolerance = try map.optional("search_tolerance").map { try note($0).double(in: 0.001...0.5) } ?? 0.01
        var workload = Workload(benchmark: benchmark?.id ?? "custom", scenario: kind, input: input, output: output,
                                samples: samples, minSamples: minSamples, qps: qps, duration: duration, seed: UInt64(seed), limits: limits)
        workload.trace = trace
        workload.searchMaxRate = searchMaxRate
        workload.searchTolerance = tolerance
        workload.maxEvents = try map.optional("max_events").map { try note($0).int(in: 1_000...1_000_000_000_000) } ?? Workload.defaultMaxEvents
        return workload
    }
}
