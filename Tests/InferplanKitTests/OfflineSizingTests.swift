import Testing
@testable import InferplanKit

/// MLPerf Offline runs sized as LoadGen sizes them (../shared/reference/mlperf-rules.md).
@Suite struct OfflineSizingTests {
    @Test func loadGenSampleCountByHand() {
        // max(min_query_count, 1.1 x 600 s x rate): 100 samples/s -> 66,000; 10/s -> 6,600 < 24,576.
        #expect(OfflineSizing.samples(rate: 100, duration: 600, minimum: 24_576, cap: 20_000_000) == 66_000)
        #expect(OfflineSizing.samples(rate: 10, duration: 600, minimum: 24_576, cap: 20_000_000) == 24_576)
        #expect(OfflineSizing.samples(rate: 1e12, duration: 600, minimum: 1, cap: 5_000) == 5_000)
        #expect(OfflineSizing.samples(rate: .infinity, duration: 600, minimum: 1, cap: 5_000) == 5_000)
    }

    @Test func offlineWithoutSamplesLastsTheMinimumDuration() throws {
        let yaml = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000, ", with: "")
        // One GPU, 60 s minimum: the run must last at least 60 s and issue at least the benchmark's 24,576.
        let scenario = try Fixtures.scenario(yaml, overrides: [Override(parsing: "hardware.gpus_per_node=1"),
                                                               Override(parsing: "workload.duration_s=60")])
        #expect(scenario.workload.samples == nil)
        let metrics = try ScenarioRun.run(scenario).metrics
        #expect(metrics.simulatedSeconds >= 60)
        #expect(metrics.issuedSamples >= 24_576)
        #expect(metrics.completedSamples == metrics.issuedSamples)
        // On a cluster eight times the size, LoadGen's count scales with the rate: the run still
        // lasts the minimum duration instead of draining in a fraction of it (60 s of work, then
        // the last batches drain at a few sequences each: about 90 s).
        let big = try Fixtures.scenario(yaml, overrides: [Override(parsing: "hardware.nodes=8"),
                                                          Override(parsing: "workload.duration_s=60")])
        let bigMetrics = try ScenarioRun.run(big).metrics
        #expect(bigMetrics.simulatedSeconds >= 60 && bigMetrics.simulatedSeconds < 100, "\(bigMetrics.simulatedSeconds) s")
        #expect(bigMetrics.issuedSamples > 24_576)
    }

    @Test func explicitSamplesWin() throws {
        let metrics = try ScenarioRun.run(Fixtures.scenario(Fixtures.defaultScenarioYAML)).metrics
        #expect(metrics.issuedSamples == 2000)
    }

    /// The invariants of the issue: Server's max-rate throughput never exceeds Offline's on the
    /// same deployment (within the search tolerance), and Interactive never exceeds Server. Every
    /// catalog model with an MLPerf preset, on three GPUs (60 s runs to keep the test short).
    @Test(arguments: ["h200-sxm", "b200", "mi300x"])
    func serverNeverBeatsOfflineNorInteractiveServer(gpu: String) throws {
        let presets = ["llama2-70b": ("fp8", 1), "llama3.1-8b": ("fp8", 1), "mixtral-8x7b": ("fp8", 1),
                       "gpt-oss-120b": ("mxfp4", 1), "llama3.1-405b": ("fp8", 8), "deepseek-r1": ("fp8", 8)]
        for (model, (weights, tp)) in presets.sorted(by: { $0.key < $1.key }) {
            let yaml = """
            model: \(model)
            hardware: {gpu: \(gpu), gpus_per_node: \(tp), nodes: 1}
            precision: {weights: \(weights), kv_cache: fp8}
            parallelism: {tensor: \(tp)}
            serving: {scheduler: chunked-prefill, max_batch_seqs: 512, max_batch_tokens: 8192}
            workload: {benchmark: mlperf-\(model), scenario: offline, duration_s: 60, seed: 1}
            """
            guard let offline = try? ScenarioRun.run(Fixtures.scenario(yaml)).metrics else { continue }   // does not fit
            var throughputs = [offline.outputTokensPerSecond]
            for kind in ["server", "interactive"] {
                // A benchmark without limits for this scenario (no Interactive for Mixtral) is skipped.
                guard let scenario = try? Fixtures.scenario(yaml, overrides: [Override(parsing: "workload.scenario=\(kind)"),
                                                                              Override(parsing: "workload.qps=max")]),
                      let outcome = try? ScenarioRun.outcome(scenario),
                      let search = outcome.search, search.maxQPS > 0 else { continue }
                throughputs.append(outcome.metrics.outputTokensPerSecond)
            }
            for (wider, tighter) in zip(throughputs, throughputs.dropFirst()) {
                #expect(tighter <= wider * 1.02, "\(model) on \(gpu): \(throughputs)")
            }
        }
    }
}
