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
            .mapping(allowed: ["benchmark", "scenario", "samples", "seed", "qps", "duration_s", "input_tokens", "output_tokens"])
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

        let hardware = try root.required("hardware", hint: "{gpu: h200-sxm, gpus_per_node: 8, nodes: 1}")
            .mapping(allowed: ["gpu", "gpus_per_node", "nodes"])
        let gpuValue = note(try hardware.required("gpu", hint: "a GPU id (see `inferplan catalog`) or a path to a GPU YAML"))
        gpu = try catalog.gpu(catalog.document(.gpus, reference: gpuValue, baseDirectory: baseDirectory), baseDirectory: baseDirectory)
        let perNode = try note(hardware.required("gpus_per_node")).int(in: 1...1024)
        gpusPerNode = perNode
        nodes = try hardware.optional("nodes").map { try note($0).int(in: 1...100_000) } ?? 1

        let precisionMap = try root.required("precision", hint: "{weights: fp8, kv_cache: fp8}").mapping(allowed: ["weights", "kv_cache"])
        precision = Precision(weights: try note(precisionMap.required("weights")).choice(WeightFormat.self),
                              kvCache: try note(precisionMap.required("kv_cache")).choice(KVFormat.self))

        let parallelism = try root.optional("parallelism")?.mapping(allowed: ["tensor"])
        let tensorValue = parallelism?.optional("tensor")
        tensorParallel = try tensorValue.map { try note($0).int(in: 1...1024) } ?? 1
        if let tensorValue {
            guard tensorParallel <= perNode, perNode % tensorParallel == 0 else {
                let divisors = (1...perNode).filter { perNode % $0 == 0 }.map(String.init).joined(separator: ", ")
                throw tensorValue.error("tensor parallelism \(tensorParallel) does not divide the \(perNode) GPUs of a node",
                                        valid: "one of \(divisors) (replicas = gpus / tensor)")
            }
        }

        let servingMap = try root.optional("serving")?.mapping(allowed: ["scheduler", "max_batch_seqs", "max_batch_tokens", "router"])
        let maxSeqs = try servingMap?.optional("max_batch_seqs").map { try note($0).int(in: 1...1_000_000) } ?? 1024
        let maxTokensValue = servingMap?.optional("max_batch_tokens")
        let maxTokens = try maxTokensValue.map { try note($0).int(in: 1...100_000_000) } ?? 8192
        if let maxTokensValue, maxTokens < maxSeqs {
            throw maxTokensValue.error("max_batch_tokens \(maxTokens) is below max_batch_seqs \(maxSeqs): the decodes of a full batch would not fit in one step",
                                       valid: "a whole number >= serving.max_batch_seqs (\(maxSeqs))")
        }
        serving = ServingConfig(
            scheduler: try servingMap?.optional("scheduler")?.choice(ServingConfig.SchedulerKind.self) ?? .continuous,
            maxBatchSequences: maxSeqs, maxBatchTokens: maxTokens,
            router: try servingMap?.optional("router")?.choice(ServingConfig.RouterKind.self) ?? .roundRobin)

        workload = try Self.workload(workloadMap, benchmark: benchmark, note: note)
        self.locations = locations
    }

    private static func workload(_ map: YAMLMapping, benchmark: BenchmarkPreset?,
                                 note: (YAMLValue) -> YAMLValue) throws -> Workload {
        let kind = try map.optional("scenario").map { try note($0).choice(ScenarioKind.self) } ?? .offline
        func lengths(_ key: String, _ preset: LengthDistribution?) throws -> LengthDistribution {
            if let value = map.optional(key) { return try Catalog.lengthDistribution(note(value)) }
            if let preset { return preset }
            throw InputError(location: map.owner.location, keyPath: "workload.\(key)", problem: "missing required key '\(key)'",
                             valid: "name a workload.benchmark, or give \(Catalog.lengthHint)")
        }
        let input = try lengths("input_tokens", benchmark?.input)
        let output = try lengths("output_tokens", benchmark?.output)
        // Requests are held in memory (about 40 bytes each with their log): cap a run at 20 million.
        let samples = try map.optional("samples").map { try note($0).int(in: 1...Self.maxRequests) } ?? benchmark?.minOfflineSamples ?? 1000
        let seed = try map.optional("seed").map { try note($0).int(in: 0...Int(Int32.max)) } ?? 1
        var qps = 0.0
        var duration = benchmark?.minDurationSeconds ?? 600
        if kind == .server {
            qps = try note(map.required("qps", hint: "the Poisson arrival rate in queries per second, e.g. 20")).double(in: 1e-6...1e7, unit: "queries/s")
            if let value = map.optional("duration_s") { duration = try note(value).double(in: 0.001...1e8, unit: "s") }
            let expected = qps * duration
            if expected > Double(Self.maxRequests) {
                throw map.owner.error("qps x duration_s = \(Int(expected)) queries is more than one run simulates",
                                      valid: "qps x duration_s <= \(Self.maxRequests)")
            }
        } else {
            for key in ["qps", "duration_s"] {
                if let value = map.optional(key) {
                    throw value.error("'\(key)' applies to the server scenario only", valid: "remove it, or set workload.scenario: server")
                }
            }
        }
        return Workload(benchmark: benchmark?.id ?? "custom", scenario: kind, input: input, output: output,
                        samples: samples, qps: qps, duration: duration, seed: UInt64(seed),
                        limits: kind == .server ? benchmark?.serverLimits : nil)
    }
}
