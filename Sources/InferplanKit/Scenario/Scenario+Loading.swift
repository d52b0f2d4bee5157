import Yams
import Foundation

extension Scenario {
    /// The most requests one run may hold in memory (`Workload.maxRequests`).
    public static let maxRequests = Workload.maxRequests
    public static let topLevelKeys = ["name", "model", "hardware", "precision", "parallelism", "serving", "workload", "cost"]

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
        name = try Self.name(root, of: document)

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
        var nodeGroups = try Self.nodeGroups(hardwareValue, catalog: catalog, baseDirectory: baseDirectory, note: note)
        try Self.applyPowerCaps(hardwareValue, to: &nodeGroups, note: note)
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
        prices = try Self.prices(root.optional("cost"), note: note)
        workload = try Self.workload(workloadMap, benchmark: benchmark, baseDirectory: baseDirectory, maxContext: model.maxContext, note: note)
        self.locations = locations
    }
}

extension Scenario {
    /// `name:`, or the file's name without its extension: the report's title (shared by both families).
    static func name(_ root: YAMLMapping, of document: YAMLValue) throws -> String {
        try root.optional("name")?.string() ?? ((document.source.name as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
