import Foundation

/// `serving:`: batching, the KV cache, routing, host costs and the stack's release.
extension Scenario {
    static let servingKeys = ["scheduler", "max_batch_seqs", "max_batch_tokens", "chunk_tokens", "kv_policy", "kv_block_tokens",
                              "router", "dispatch_latency_ms", "prefill_replicas_per_node", "step_overhead_ms", "variability",
                              "load_generator", "speculative", "stack_release", "offline_split"]

    static func serving(_ value: YAMLValue?, note: (YAMLValue) -> YAMLValue) throws -> ServingConfig {
        let map = try value?.mapping(allowed: servingKeys)
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? { try map?.optional(key).map { try note($0).int(in: range) } }
        func ms(_ key: String) throws -> Double? { try map?.optional(key).map { try note($0).double(in: 0...1e7, unit: "ms") / 1000 } }
        let maxSeqs = try int("max_batch_seqs", 1...1_000_000) ?? ServingConfig.defaultMaxBatchSequences
        let maxTokens = try int("max_batch_tokens", 1...100_000_000) ?? ServingConfig.defaultMaxBatchTokens
        if let value = map?.optional("max_batch_tokens"), maxTokens < maxSeqs {
            throw value.error("max_batch_tokens \(maxTokens) is below max_batch_seqs \(maxSeqs): the decodes of a full batch would not fit in one step",
                              valid: "a whole number >= serving.max_batch_seqs (\(maxSeqs))")
        }
        var variability = ServingConfig.Variability(gpuSpeedSpread: ServingConfig.Variability.defaultGPUSpeedSpread)
        if let value = map?.optional("variability") {
            let v = try note(value).mapping(allowed: ["gpu_speed_spread", "step_jitter"])
            variability.gpuSpeedSpread = try v.optional("gpu_speed_spread").map { try note($0).double(in: 0...0.5) }
                ?? ServingConfig.Variability.defaultGPUSpeedSpread
            variability.stepJitter = try v.optional("step_jitter").map { try note($0).double(in: 0...0.5) } ?? 0
        }
        var generator: ServingConfig.LoadGenerator?
        if let value = map?.optional("load_generator") {
            let g = try note(value).mapping(allowed: ["dispatch_qps", "latency_ms"])
            generator = .init(dispatchQueriesPerSecond: try note(g.required("dispatch_qps", hint: "requests the load generator sends per second, e.g. 5000")).double(in: 1e-3...1e9, unit: "queries/s"),
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
            kvBlockTokens: try int("kv_block_tokens", 1...4096) ?? ServingConfig.defaultKVBlockTokens,
            router: try map?.optional("router").map { try note($0).choice(ServingConfig.RouterKind.self) } ?? .roundRobin,
            dispatchLatencySeconds: try ms("dispatch_latency_ms") ?? 0,
            prefillReplicasPerNode: try int("prefill_replicas_per_node", 1...1024) ?? 1,
            stepOverheadSeconds: try ms("step_overhead_ms"),
            variability: variability, loadGenerator: generator)
        config.speculation = speculation
        if let value = map?.optional("offline_split") {
            config.offlineSplit = try note(value).choice(ServingConfig.OfflineSplit.self)
        }
        if let value = map?.optional("stack_release") {
            let release = try note(value).string()
            guard EfficiencyProfile.isReleaseName(release) else {
                throw value.error("'\(release)' is not a release name", valid: "an MLPerf round such as v4.1 or v5.1 (the efficiency profile's releases)")
            }
            config.stackRelease = release
        }
        return config
    }
}
