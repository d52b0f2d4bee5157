import Foundation

/// Predicts published results from their descriptions and compares.
///
/// Each row becomes a scenario written as YAML and decoded by the same code as a user's scenario
/// file, so rows get the same checks. The prediction uses only the row's description (benchmark,
/// scenario, accelerator, GPUs, nodes, formats, tensor parallelism, the round (the release of its
/// software stack) and the mean output length the run produced), never its published throughput.
public struct Validator: Sendable {
    public var catalog: Catalog
    /// Serving a submitter would configure: chunked prefill with paged KV (TensorRT-LLM and vLLM
    /// both chunk long prompts), limits under which the KV cache usually binds first.
    public var maxBatchSequences = 2048
    public var maxBatchTokens = 8192
    /// Efficiencies to use instead of the catalog's (`EfficiencyProfile.apply(overrides:)`): by
    /// profile id (compute, every format), `profile:format` or `profile:bandwidth`; for fitting and
    /// what-ifs.
    public var efficiencyOverrides: [String: Double] = [:]
    /// Overlap exponent to use instead of every profile's (for choosing it).
    public var overlapExponentOverride: Double?
    /// GEMM half-efficiency tokens to use instead of every profile's (for choosing it).
    public var gemmHalfEfficiencyTokensOverride: Double?
    /// GEMM half-efficiency width to use instead of every profile's (for choosing it).
    public var gemmHalfEfficiencyWidthOverride: Double?
    /// Whether a row runs the release of its stack from its round (else every row the newest).
    public var stackReleases = true

    public init(catalog: Catalog = .bundled) {
        self.catalog = catalog
    }

    public func validate(_ result: PublishedResult) -> ValidationRow {
        var row = ValidationRow(result: result)
        guard ["offline", "server", "interactive"].contains(result.scenario) else {
            row.skipped = "scenario '\(result.scenario)' is not one of offline, server, interactive"
            return row
        }
        do {
            let tp = try deployedTensorParallel(for: result)
            row.tensorParallelUsed = tp
            row.tensorParallelChosen = result.tensorParallel == nil
            let outcome = try ScenarioRun.outcome(scenario(for: result, tensorParallel: tp))
            row.predicted = outcome.metrics.outputTokensPerSecond
            row.maxQPS = outcome.search?.maxQPS
        } catch let error as InputError {
            row.skipped = error.description.replacingOccurrences(of: "\n", with: "; ")
        } catch let error as InternalError {
            row.internalError = error
        } catch {
            row.skipped = "\(error)"
        }
        return row
    }

    /// The row's tensor parallelism: as disclosed, or the one a submitter would deploy - the
    /// highest steady-state Offline throughput among those that fit (`OfflineSizing.saturatedRate`).
    public func deployedTensorParallel(for result: PublishedResult) throws -> Int {
        if let disclosed = result.tensorParallel { return disclosed }
        let groups = try Self.nodeGroups(of: result)
        let smallest = groups.map(\.gpusPerNode).min()!
        var best: (tp: Int, rate: Double)?
        var lastError: Error?
        for tp in (1...smallest) where groups.allSatisfy({ $0.gpusPerNode % tp == 0 }) {
            do {
                let scenario = try self.scenario(for: result, tensorParallel: tp, scenarioOverride: "offline")
                let deployment = try scenario.deployment()
                let rate = try OfflineSizing.saturatedRate(deployment: deployment, workload: scenario.workload)
                if best == nil || rate > best!.rate { best = (tp, rate) }
            } catch {
                lastError = error
            }
        }
        guard let best else { throw lastError ?? InputError(location: result.location, keyPath: "", problem: "no deployment fits") }
        return best.tp
    }

    /// The scenario a row describes, as YAML decoded by the scenario loader.
    public func scenario(for result: PublishedResult, tensorParallel: Int, scenarioOverride: String? = nil) throws -> Scenario {
        let kind = scenarioOverride ?? result.scenario
        let preset = try catalog.benchmark(catalog.document(.benchmarks, id: "mlperf-\(result.benchmark)"))
        var workload = "{benchmark: mlperf-\(result.benchmark), scenario: \(kind)"
        if kind != "offline" { workload += ", qps: max" }
        if let mean = result.outputTokensPerSample {
            workload += ", output_tokens: \(Self.yaml(preset.output, mean: mean))"
        }
        workload += "}"
        let groups = try Self.nodeGroups(of: result).map { "{gpu: \($0.gpu), gpus_per_node: \($0.gpusPerNode), nodes: \($0.nodes)}" }
        // Multi-head latent attention cannot split its cache by head: its deployments (DeepSeek's
        // own, TensorRT-LLM's and SGLang's) run attention data-parallel with the experts spread over
        // the group, and their batch limits apply per attention rank.
        let model = try catalog.model(catalog.document(.models, id: preset.model))
        let latent = model.attention.latent != nil && model.moe != nil && tensorParallel > 1
        let parallelism = latent ? "{tensor: \(tensorParallel), expert: \(tensorParallel), attention: data}" : "{tensor: \(tensorParallel)}"
        let ranks = latent ? tensorParallel : 1
        let text = """
        hardware: {node_groups: [\(groups.joined(separator: ", "))]}
        precision: {weights: \(result.weights), kv_cache: \(result.kvCache)}
        parallelism: \(parallelism)
        serving: {scheduler: chunked-prefill, max_batch_seqs: \(maxBatchSequences * ranks), max_batch_tokens: \(maxBatchTokens * ranks)\(stackReleases ? result.round.map { ", stack_release: \($0)" } ?? "" : "")}
        workload: \(workload)
        """
        let document = try YAMLDocument.parse(text, name: result.location)
        var scenario = try Scenario(document: document, baseDirectory: ".", catalog: catalog)
        for index in scenario.groups.indices {
            scenario.groups[index].gpu.efficiency.apply(overrides: efficiencyOverrides)
            if let exponent = overlapExponentOverride {
                scenario.groups[index].gpu.efficiency.overlapExponent = exponent
            }
            if let tokens = gemmHalfEfficiencyTokensOverride {
                scenario.groups[index].gpu.efficiency.gemmHalfEfficiencyTokens = tokens
            }
            if let width = gemmHalfEfficiencyWidthOverride {
                scenario.groups[index].gpu.efficiency.gemmHalfEfficiencyWidth = width
            }
        }
        return scenario
    }

    /// The node groups a row describes: `a+b+c` accelerators are equal node groups, one per
    /// accelerator; GPUs that do not divide evenly over the nodes leave the remainder nodes with a
    /// GPU fewer (87 GPUs on 11 nodes: 10 nodes of 8 and 1 of 7).
    static func nodeGroups(of result: PublishedResult) throws -> [(gpu: String, gpusPerNode: Int, nodes: Int)] {
        let accelerators = result.accelerator.split(separator: "+").map(String.init)
        guard result.nodes % accelerators.count == 0, result.gpus % accelerators.count == 0 else {
            throw InputError(location: result.location, keyPath: "accelerator",
                             problem: "\(accelerators.count) accelerators do not split \(result.gpus) GPUs on \(result.nodes) nodes into equal groups",
                             valid: "nodes and gpus divisible by the number of accelerators")
        }
        let nodesEach = result.nodes / accelerators.count
        let gpusEach = result.gpus / accelerators.count
        guard gpusEach >= nodesEach else {
            throw InputError(location: result.location, keyPath: "gpus", problem: "fewer GPUs than nodes", valid: "at least one GPU per node")
        }
        let full = (gpusEach + nodesEach - 1) / nodesEach
        let short = full * nodesEach - gpusEach
        return accelerators.flatMap { gpu in
            [(gpu, full, nodesEach - short), (gpu, full - 1, short)].filter { $0.2 > 0 }
        }
    }

    /// The preset's output distribution with its mean moved to the run's observed mean.
    static func yaml(_ distribution: LengthDistribution, mean: Double) -> String {
        let bounds = "min: \(distribution.min), max: \(distribution.max)"
        switch distribution.shape {
        case .lognormal(_, let sigma): return "{distribution: lognormal, mean: \(mean), sigma: \(sigma), \(bounds)}"
        case .normal(_, let sd): return "{distribution: normal, mean: \(mean), sd: \(sd), \(bounds)}"
        case .fixed, .uniform, .histogram: return "{distribution: fixed, value: \(Int(mean.rounded())), \(bounds)}"
        }
    }

    public func validate(_ table: CSVTable, jobs: Int = 1, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ValidationReport {
        for column in PublishedResult.requiredColumns where !table.header.contains(column) {
            throw InputError(location: "\(table.file):1", keyPath: column, problem: "missing column '\(column)'",
                             valid: "a header with \(PublishedResult.requiredColumns.joined(separator: ", "))")
        }
        let results = try table.rows.map { try PublishedResult(row: $0, file: table.file) }
        return ValidationReport(header: table.header, rows: validate(results, jobs: jobs, progress: progress))
    }

    /// Predicts `results` on `jobs` threads, in their order.
    public func validate(_ results: [PublishedResult], jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil) -> [ValidationRow] {
        let validator = self
        return results.parallelMap(jobs: jobs, progress: progress) { validator.validate($0) }
    }
}
