import Foundation
import Testing
@testable import InferplanKit

/// Serving realism: paged KV and preemption, schedulers, routers, dispatch latency, queueing laws.
@Suite struct ServingTests {
    private func run(_ deployment: Deployment, _ requests: [Request], scenario: ScenarioKind = .server, seed: UInt64 = 1) -> SimulationResult {
        var workload = Workload(benchmark: "test", scenario: scenario, input: .init(.fixed(1)), output: .init(.fixed(1)),
                                samples: requests.count, qps: 1, duration: 1, seed: seed, limits: nil)
        workload.trace = requests
        return Simulation(deployment: deployment, workload: workload).run()
    }

    private func poisson(_ n: Int, qps: Double, input: LengthDistribution, output: LengthDistribution, seed: UInt64 = 3) -> [Request] {
        Workload(benchmark: "t", scenario: .server, input: input, output: output, samples: 0, qps: qps,
                 duration: Double(n) / qps, seed: seed, limits: nil).generateRequests()
    }

    /// KV small enough that decodes outgrow it: the paged cache must preempt and recompute.
    private var cramped: Deployment {
        var gpu = Fixtures.roundGPU
        let weights = WeightLayout(model: Fixtures.tinyModel, precision: .init(weights: .bf16, kvCache: .bf16)).totalBytes
        gpu.usableMemoryBytes = weights + 4_096 * 2048   // 4,096 tokens of KV at 2 KiB per token
        return Fixtures.deployment(gpu: gpu, maxSeqs: 64, maxTokens: 4096, kvPolicy: .paged)
    }

    @Test func pagedCachePreemptsButLosesNothing() {
        let requests = (0..<60).map { Request(arrival: Double($0) * 0.001, inputTokens: 200, outputTokens: 300 + $0 * 7) }
        let result = run(cramped, requests)
        #expect(result.log.totalPreemptions > 0)
        #expect(result.log.completed == requests.count)
        #expect(result.log.completion.allSatisfy { $0.isFinite })
        // Tokens in = tokens out: recomputation never produces a token twice.
        #expect(result.log.outputTokens == requests.reduce(0) { $0 + $1.outputTokens })
        let stats = result.replicaStats[0]
        #expect(stats.peakKVBlocks <= stats.capacityBlocks)
        #expect(stats.capacityBlocks == 4_096 / 16)
    }

    @Test func reservePolicyNeverPreempts() {
        var deployment = cramped
        deployment.serving.kvPolicy = .reserve
        let requests = (0..<60).map { Request(arrival: Double($0) * 0.001, inputTokens: 200, outputTokens: 300 + $0 * 7) }
        let result = run(deployment, requests)
        #expect(result.log.totalPreemptions == 0 && result.log.completed == 60)
    }

    @Test func fullOfflineRunNeverLosesARequest() throws {
        // MLPerf Llama 2 70B Offline, all 24,576 samples, paged KV with preemption.
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "workload.samples=24576"), Override(parsing: "hardware.gpus_per_node=1"),
        ])
        let result = Simulation(deployment: try scenario.deployment(), workload: scenario.workload).run()
        #expect(result.log.completed == 24_576)
        #expect(result.log.outputTokens == result.requests.reduce(0) { $0 + $1.outputTokens })
        #expect(result.replicaStats.allSatisfy { $0.peakKVBlocks <= $0.capacityBlocks && $0.unfinished == 0 })
    }

    @Test func littlesLawHoldsOnASteadyServerRun() {
        let deployment = Fixtures.deployment(gpusPerNode: 2, maxSeqs: 64, maxTokens: 4096, kvPolicy: .paged)
        let requests = poisson(4000, qps: 40, input: .init(.lognormal(mean: 300, sigma: 0.5), max: 2000),
                               output: .init(.lognormal(mean: 100, sigma: 0.5), max: 1000))
        let result = run(deployment, requests)
        // L (time-average in system, from counts) = lambda (arrivals / time) x W (mean sojourn, from the log).
        let sojourn = zip(result.log.completion, result.log.issued).map { $0 - $1 }
        let w = sojourn.reduce(0, +) / Double(sojourn.count)
        let l = result.inSystemSeconds / result.endSeconds
        let lambda = Double(requests.count) / result.endSeconds
        #expect(abs(l - lambda * w) / l < 1e-9, "L \(l) vs lambda W \(lambda * w)")
        #expect(w > 0)
    }

    @Test func saturatedTTFTGrowsWithoutBoundUnderloadedStaysNearPrefill() throws {
        // Llama 2 70B on one H200, prompts of 1,000 tokens and 100 out: about 15 queries/s saturate it.
        func scenario(qps: Double, seconds: Double) throws -> Scenario {
            try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
                Override(parsing: "hardware.gpus_per_node=1"), Override(parsing: "workload.scenario=server"),
                Override(parsing: "workload.qps=\(qps)"), Override(parsing: "workload.duration_s=\(seconds)"),
                Override(parsing: "workload.input_tokens=1000"), Override(parsing: "workload.output_tokens=100"),
            ])
        }
        let light = try scenario(qps: 0.2, seconds: 1000)
        let deployment = try light.deployment()
        var prefill = StepWork()
        prefill.addPrefillChunk(1000, afterPrefix: 0, completesPrompt: true)
        let bare = deployment.stepModel.time(for: prefill) * 1000
        let lightTTFT = try ScenarioRun.run(light).metrics.ttftMs
        // At 0.2 queries/s most prompts find the GPU idle or decoding (a step of ~20 ms): p90 within
        // 1.5 bare prefills. About 3% arrive within a prefill of the previous arrival (1 - e^(-0.2 x 0.15))
        // and wait for it: the p99 holds at most one prefill ahead, under 2.5 bare prefills.
        #expect(lightTTFT.p50 >= bare - 1e-9 && lightTTFT.p90 < 1.5 * bare && lightTTFT.p99 < 2.5 * bare,
                "light-load TTFT \(lightTTFT) vs bare prefill \(bare) ms")
        let short = try ScenarioRun.run(scenario(qps: 60, seconds: 20)).metrics.ttftMs.p99
        let long = try ScenarioRun.run(scenario(qps: 60, seconds: 60)).metrics.ttftMs.p99
        #expect(short > 10 * bare && long > 2.5 * short, "saturated p99 TTFT \(short) -> \(long) ms should grow with the run")
    }

    @Test func chunkedPrefillSplitsPromptsToTheChunkBudget() {
        let deployment = Fixtures.deployment(maxSeqs: 8, maxTokens: 8192, scheduler: .chunkedPrefill, chunkTokens: 512)
        let result = run(deployment, [Request(arrival: 0, inputTokens: 2000, outputTokens: 3)])
        // ceil(2000 / 512) = 4 prefill steps, then 2 decodes.
        #expect(result.replicaStats[0].steps == 6)
    }

    @Test func continuousBatchingRunsWholePrompts() {
        let deployment = Fixtures.deployment(maxSeqs: 8, maxTokens: 8192, scheduler: .continuous)
        let result = run(deployment, [Request(arrival: 0, inputTokens: 2000, outputTokens: 3)])
        #expect(result.replicaStats[0].steps == 3)
    }

    @Test func staticBatchesAdmitNothingInFlight() {
        let deployment = Fixtures.deployment(maxSeqs: 4, maxTokens: 8192, scheduler: .static)
        // Eight identical requests at t = 0: two batches of four, each 1 prefill step + 9 decodes.
        let requests = (0..<8).map { _ in Request(arrival: 0, inputTokens: 100, outputTokens: 10) }
        let result = run(deployment, requests, scenario: .offline)
        #expect(result.replicaStats[0].steps == 20)
        let firstBatchEnd = result.log.completion[0]
        #expect(result.log.firstToken[4...].allSatisfy { $0 > firstBatchEnd })
    }

    @Test func disaggregatedTimelineByHand() {
        let deployment = Fixtures.deployment(gpusPerNode: 2, maxSeqs: 8, maxTokens: 4096, scheduler: .disaggregated, kvPolicy: .paged)
        let result = run(deployment, [Request(arrival: 0, inputTokens: 100, outputTokens: 4)])
        let step = deployment.stepModel
        var prefill = StepWork()
        prefill.addPrefillChunk(100, afterPrefix: 0, completesPrompt: true)
        let ttft = step.time(for: prefill)
        // Prompt KV: 100 tokens x 2 layers x 2 x 2 KV heads x 128 x 2 B = 204,800 B over a 100 GB/s link + 1 us.
        let transfer = 100 * 2048 / 100e9 + 1e-6
        var clock = ttft + transfer
        for context in 100..<103 { clock += step.time(for: StepWork(decodeSequences: 1, decodeContextTokens: Double(context), sampledTokens: 1)) }
        #expect(result.log.firstToken[0] == ttft)
        #expect(abs(result.log.completion[0] - clock) < 1e-12)
        #expect(result.replicaStats[0].steps == 1 && result.replicaStats[1].steps == 3)
    }

    @Test func dispatchLatencyDelaysTheFirstTokenExactly() {
        let request = [Request(arrival: 0, inputTokens: 100, outputTokens: 2)]
        let direct = run(Fixtures.deployment(), request)
        let delayed = run(Fixtures.deployment(dispatchLatencySeconds: 0.005), request)
        #expect(abs(delayed.log.firstToken[0] - direct.log.firstToken[0] - 0.005) < 1e-12)
    }

    @Test(arguments: [ServingConfig.RouterKind.leastOutstanding, .leastKVLoad, .powerOfTwoChoices, .roundRobin])
    func routersSpreadLoadOverReplicas(router: ServingConfig.RouterKind) throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "hardware.gpus_per_node=4"), Override(parsing: "workload.scenario=server"),
            Override(parsing: "workload.qps=30"), Override(parsing: "workload.duration_s=60"), Override(parsing: "serving.router=\(router.rawValue)"),
        ])
        let result = Simulation(deployment: try scenario.deployment(), workload: scenario.workload).run()
        let requests = result.requests
        let steps = result.replicaStats.map(\.steps)
        #expect(result.log.completed == requests.count)
        #expect(steps.allSatisfy { $0 > 0 }, "\(router): \(steps)")
        #expect(Double(steps.max()!) < 1.5 * Double(steps.min()!), "\(router): \(steps)")
    }

    @Test func singleStreamIssuesOneQueryAtATime() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "workload.scenario=single-stream"), Override(parsing: "workload.samples=20"),
        ])
        let result = Simulation(deployment: try scenario.deployment(), workload: scenario.workload).run()
        #expect(result.log.completed == 20)
        for id in 1..<20 { #expect(result.log.issued[id] == result.log.completion[id - 1]) }
    }

    @Test func gpuSpeedSpreadMakesStragglers() throws {
        let even = try Fixtures.scenario(Fixtures.defaultScenarioYAML)
        let spread = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "serving.variability={gpu_speed_spread: 0.1, step_jitter: 0.05}")])
        let a = try ScenarioRun.run(even).metrics, b = try ScenarioRun.run(spread).metrics
        // Round-robin gives every replica the same share, so the slowest replicas set the end of the
        // run: a spread of speeds lowers throughput (the slowdowns' mean is 1, their maximum above).
        #expect(b.outputTokensPerSecond < a.outputTokensPerSecond)
        let replicas = try spread.deployment().makeReplicas(seed: 1)
        #expect(Set(replicas.map(\.slowdown)).count == replicas.count)
    }
}
