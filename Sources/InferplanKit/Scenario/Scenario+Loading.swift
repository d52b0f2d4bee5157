import Foundation

extension Scenario {
    /// The most requests one run may hold in memory.
    public static let maxRequests = 20_000_000

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

        let hardwareValue = try root.required("hardware", hint: "{gpu: h200-sxm, gpus_per_node: 8, nodes: 1}")
        let nodeGroups = try Self.nodeGroups(hardwareValue, catalog: catalog, baseDirectory: baseDirectory, note: note)
        groups = nodeGroups

        let precisionMap = try root.required("precision", hint: "{weights: fp8, kv_cache: fp8}").mapping(allowed: ["weights", "kv_cache"])
        precision = Precision(weights: try note(precisionMap.required("weights")).choice(WeightFormat.self),
                              kvCache: try note(precisionMap.required("kv_cache")).choice(KVFormat.self))

        let parallelism = try root.optional("parallelism")?.mapping(allowed: ["tensor"])
        let tensorValue = parallelism?.optional("tensor")
        tensorParallel = try tensorValue.map { try note($0).int(in: 1...1024) } ?? 1
        if let tensorValue {
            // A replica fills part of a node, or whole nodes (tensor parallelism across nodes).
            for group in nodeGroups {
                let perNode = group.gpusPerNode
                let withinNode = perNode % tensorParallel == 0
                let wholeNodes = tensorParallel % perNode == 0 && group.nodes % (tensorParallel / perNode) == 0
                guard withinNode || wholeNodes else {
                    let common = (1...perNode).filter { d in nodeGroups.allSatisfy { $0.gpusPerNode % d == 0 } }.map(String.init).joined(separator: ", ")
                    throw tensorValue.error("tensor parallelism \(tensorParallel) does not divide the \(perNode) GPUs of a node, nor span whole nodes of the \(group.nodes) there are",
                                            valid: "one of \(common), or a multiple of \(perNode) that divides the GPUs of the cluster (replicas = gpus / tensor)")
                }
            }
        }

        serving = try Self.serving(root.optional("serving"), note: note)
        workload = try Self.workload(workloadMap, benchmark: benchmark, baseDirectory: baseDirectory, note: note)
        self.locations = locations
    }

    /// `hardware`: one group (`gpu`, `gpus_per_node`, `nodes`) or `node_groups: [{gpu:, nodes:, gpus_per_node:}, ...]`.
    private static func nodeGroups(_ value: YAMLValue, catalog: Catalog, baseDirectory: String,
                                   note: (YAMLValue) -> YAMLValue) throws -> [NodeGroup] {
        let hardware = try value.mapping(allowed: ["gpu", "gpus_per_node", "nodes", "node_groups", "scale_out"])
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
        guard let list = hardware.optional("node_groups") else {
            let gpuValue = try hardware.required("gpu", hint: "a GPU id (see `inferplan catalog`) or a path to a GPU YAML")
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
            let group = try item.mapping(allowed: ["gpu", "nodes", "gpus_per_node", "scale_out"])
            let perNode = try group.optional("gpus_per_node").map { try note($0).int(in: 1...1024) } ?? defaultPerNode ?? 8
            return NodeGroup(gpu: try gpu(group.required("gpu")), gpusPerNode: perNode,
                             nodes: try group.optional("nodes").map { try note($0).int(in: 1...100_000) } ?? 1,
                             scaleOut: try scaleOut(group.optional("scale_out") ?? hardware.optional("scale_out"), gpusPerNode: perNode))
        }
    }

    static let workloadKeys = ["benchmark", "scenario", "samples", "seed", "qps", "duration_s", "input_tokens", "output_tokens",
                               "limits", "trace", "trace_time_scale", "search_tolerance"]

    static let servingKeys = ["scheduler", "max_batch_seqs", "max_batch_tokens", "chunk_tokens", "kv_policy", "kv_block_tokens",
                              "router", "dispatch_latency_ms", "prefill_replicas_per_node", "step_overhead_ms", "variability",
                              "load_generator"]

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
        return ServingConfig(
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
    }

    private static func workload(_ map: YAMLMapping, benchmark: BenchmarkPreset?, baseDirectory: String,
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
        try onlyFor("duration_s", kind != .offline, "server, interactive or single-stream")
        try onlyFor("limits", kind.isRateDriven, "server or interactive")

        let input = try lengths("input_tokens", benchmark?.input)
        let output = try lengths("output_tokens", benchmark?.output)
        let samples = try map.optional("samples").map { try note($0).int(in: 1...Self.maxRequests) }
            ?? (kind == .singleStream ? min(1024, benchmark?.minOfflineSamples ?? 1024) : benchmark?.minOfflineSamples ?? 1000)
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
                trace = try TraceFile.load(path: path, displayName: name, timeScale: scale)
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
                    if qps * duration > Double(Self.maxRequests) {
                        throw value.error("qps x duration_s = \(Int(qps * duration)) queries is more than one run simulates",
                                          valid: "qps x duration_s <= \(Self.maxRequests)")
                    }
                }
            }
        }
        let tolerance = try map.optional("search_tolerance").map { try note($0).double(in: 0.001...0.5) } ?? 0.01
        var workload = Workload(benchmark: benchmark?.id ?? "custom", scenario: kind, input: input, output: output,
                                samples: samples, qps: qps, duration: duration, seed: UInt64(seed), limits: limits)
        workload.trace = trace
        workload.searchMaxRate = searchMaxRate
        workload.searchTolerance = tolerance
        return workload
    }
}
