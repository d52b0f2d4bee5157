import Foundation
@testable import InferplanKit

/// Shared test fixtures: catalog entries and small hand-made deployments.
enum Fixtures {
    static let catalog = Catalog.bundled
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func model(_ id: String) throws -> ModelArchitecture {
        try catalog.model(catalog.document(.models, id: id))
    }

    static func gpu(_ id: String) throws -> GPUSpec {
        try catalog.gpu(catalog.document(.gpus, id: id), baseDirectory: ".")
    }

    /// A GPU with round numbers, so expectations can be computed by hand:
    /// 100 GB usable, 1 TB/s, 100 TFLOP/s BF16, 200 FP8; efficiencies 1, no overhead or reserve.
    static let roundGPU = GPUSpec(
        id: "round", name: "Round GPU", vendor: "test", generation: "test", usableMemoryBytes: 100e9,
        memoryBytesPerSecond: 1e12, denseFLOPS: [.bf16: 100e12, .fp8: 200e12], powerWatts: 500,
        scaleUp: ScaleUpLink(name: "link", topology: .switched, bytesPerSecondPerDirection: 100e9,
                             linkBytesPerSecondPerDirection: 100e9, domainGPUs: 8, latency: 1e-6),
        efficiency: EfficiencyProfile(id: "ideal", compute: 1, bandwidth: 1, stepOverheadSeconds: 0,
                                      activationReserveBytes: 0, kvMemoryFraction: 1, provenance: "test"),
        source: "test", confidence: "test")

    /// A small dense model: 2 layers, hidden 1024, FFN 4096, 8 query / 2 KV heads of 128, vocab 1000.
    static let tinyModel = ModelArchitecture(
        id: "tiny", name: "Tiny", layers: 2, hidden: 1024, ffn: 4096,
        attention: .init(queryHeads: 8, kvHeads: 2, headDim: 128), moe: nil, vocab: 1000, maxContext: 100_000)

    static func deployment(model: ModelArchitecture = tinyModel, gpu: GPUSpec = roundGPU, tp: Int = 1, gpusPerNode: Int = 1,
                           nodes: Int = 1, maxSeqs: Int = 64, maxTokens: Int = 4096,
                           router: ServingConfig.RouterKind = .roundRobin, scheduler: ServingConfig.SchedulerKind = .chunkedPrefill,
                           kvPolicy: KVCachePolicy = .reserve, blockTokens: Int = 16, chunkTokens: Int? = nil,
                           prefillPerNode: Int = 1, dispatchLatencySeconds: Double = 0) -> Deployment {
        Deployment(model: model, gpu: gpu, precision: Precision(weights: .bf16, kvCache: .bf16), tensorParallel: tp,
                   gpusPerNode: gpusPerNode, nodes: nodes,
                   serving: ServingConfig(scheduler: scheduler, maxBatchSequences: maxSeqs, maxBatchTokens: maxTokens,
                                          chunkTokens: chunkTokens, kvPolicy: kvPolicy, kvBlockTokens: blockTokens, router: router,
                                          dispatchLatencySeconds: dispatchLatencySeconds, prefillReplicasPerNode: prefillPerNode))
    }

    static func scenario(_ yaml: String, name: String = "test.yaml", overrides: [Override] = []) throws -> Scenario {
        let document = try YAMLDocument.parse(yaml, name: name).applying(overrides)
        return try Scenario(document: document, baseDirectory: packageRoot.path, catalog: catalog)
    }

    /// Writes `base` as `dir/base.yaml` and a sweep over it with `axes` (YAML lines under `axes:`)
    /// as `dir/s.yaml`, runs it into `dir/out` on two jobs, and returns its results.
    @discardableResult
    static func runSweep(in dir: String, base: String, axes: String) throws -> SweepResults {
        try base.write(toFile: dir + "/base.yaml", atomically: true, encoding: .utf8)
        try "base: base.yaml\naxes:\n\(axes)".write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let sweep = try SweepDefinition(path: dir + "/s.yaml")
        let results = try SweepResults(directory: dir + "/out", sweep: sweep, shard: .whole)
        try SweepRunner(sweep: sweep, results: results, jobs: 2).run()
        return results
    }

    static let defaultScenarioYAML = """
    model: llama2-70b
    hardware: {gpu: h200-sxm, gpus_per_node: 8, nodes: 1}
    precision: {weights: fp8, kv_cache: fp8}
    parallelism: {tensor: 1}
    serving: {scheduler: continuous, max_batch_seqs: 1024, max_batch_tokens: 8192}
    workload: {benchmark: mlperf-llama2-70b, scenario: offline, samples: 2000, seed: 1}
    """
}
