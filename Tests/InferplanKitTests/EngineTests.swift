import Testing
@testable import InferplanKit

/// The event engine against hand-computed timelines and conservation laws.
@Suite struct EngineTests {
    private func offline(_ requests: [(Int, Int)], deployment: Deployment) -> (SimulationResult, [Request]) {
        // Fixed lengths per request via a trace-like workload: build the requests by hand.
        let workload = Workload(benchmark: "test", scenario: .offline, input: .init(.fixed(requests[0].0)),
                                output: .init(.fixed(requests[0].1)), samples: requests.count, qps: 0, duration: 0, seed: 1, limits: nil)
        let result = Simulation(deployment: deployment, workload: workload).run()
        return (result, result.requests)
    }

    @Test func singleRequestTimelineByHand() {
        let deployment = Fixtures.deployment()
        let (result, _) = offline([(100, 10)], deployment: deployment)
        let step = deployment.stepModel
        // Step 1: the 100-token prompt, which yields the first token.
        var prefill = StepWork()
        prefill.addPrefillChunk(100, afterPrefix: 0, completesPrompt: true)
        let ttft = step.time(for: prefill)
        // Steps 2-10: one decode each over contexts 100, 101, ..., 108.
        var clock = ttft
        for context in 100..<109 {
            clock += step.time(for: StepWork(decodeSequences: 1, decodeContextTokens: Double(context), sampledTokens: 1))
        }
        #expect(result.log.firstToken[0] == ttft)
        #expect(abs(result.log.completion[0] - clock) < 1e-12)
        #expect(result.log.outputTokens == 10)
        #expect(result.replicaStats[0].steps == 10)
        // The wake of the idle replica, the prefill step, and the nine decodes as one decode run
        // (nothing more can arrive): 3 events; the times above are still those of ten steps.
        #expect(result.events == 3)
    }

    @Test func longPromptIsChunkedToTheTokenBudget() {
        let deployment = Fixtures.deployment(maxSeqs: 8, maxTokens: 4096)
        let (result, _) = offline([(10_000, 2)], deployment: deployment)
        // 10,000 prompt tokens at 4,096 per step: 3 steps (4096, 4096, 1808), then 1 decode.
        #expect(result.replicaStats[0].steps == 4)
        #expect(result.log.outputTokens == 2)
    }

    @Test func tokensInEqualTokensOutAndEveryRequestCompletesOnce() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML)
        let deployment = try scenario.deployment()
        let result = Simulation(deployment: deployment, workload: scenario.workload).run()
        #expect(result.log.completed == 2000)
        #expect(result.log.outputTokens == result.requests.reduce(0) { $0 + $1.outputTokens })
        #expect(result.log.completion.allSatisfy { $0.isFinite })
        #expect(zip(result.log.firstToken, result.log.completion).allSatisfy { $0 <= $1 })
        #expect(result.replicaStats.allSatisfy { $0.unfinished == 0 })
    }

    @Test func kvNeverExceedsCapacityWhenItIsTheBindingLimit() {
        // Round GPU: 100 GB, tiny model weights ~0.06 GB, KV 2 x 2 x 2 x 128 x 2 B = 2 KiB per token.
        // Shrink the memory so that only ~3 requests of 2,000 tokens fit at once.
        var gpu = Fixtures.roundGPU
        let weights = WeightLayout(model: Fixtures.tinyModel, precision: .init(weights: .bf16, kvCache: .bf16)).totalBytes
        gpu.usableMemoryBytes = weights + 6_500 * 2048
        let deployment = Fixtures.deployment(gpu: gpu, maxSeqs: 64, maxTokens: 8192, kvPolicy: .reserve)
        #expect(deployment.memory.kvCapacityTokens == 6_500)
        let (result, requests) = offline(Array(repeating: (1000, 1000), count: 40), deployment: deployment)
        #expect(result.log.completed == requests.count)
        let stats = result.replicaStats[0]
        #expect(stats.peakKVBlocks <= stats.capacityBlocks)
        // Three requests of 2,000 reserved tokens fit in 6,500; a fourth does not.
        #expect(stats.batchSequencesSum / stats.steps <= 3)
    }

    @Test func sameSeedSameResultDifferentSeedDifferentResult() throws {
        let a = try ScenarioRun.run(Fixtures.scenario(Fixtures.defaultScenarioYAML)).metrics
        let b = try ScenarioRun.run(Fixtures.scenario(Fixtures.defaultScenarioYAML)).metrics
        let c = try ScenarioRun.run(Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "workload.seed=2")])).metrics
        #expect(a.outputTokensPerSecond == b.outputTokensPerSecond && a.ttftMs == b.ttftMs && a.tpotMs == b.tpotMs && a.events == b.events)
        #expect(a.outputTokensPerSecond != c.outputTokensPerSecond)
    }

    @Test func reproducibleReportsAreByteIdentical() throws {
        func report() throws -> String {
            let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML)
            let (deployment, metrics) = try ScenarioRun.run(scenario)
            return try RunReport(scenario: scenario, deployment: deployment, metrics: metrics, includeWallTime: false).json()
        }
        let first = try report()
        #expect(first == (try report()))
        #expect(!first.contains("wall_s"))
    }

    @Test func serverRunCompletesEveryPoissonArrival() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "workload.scenario=server"), Override(parsing: "workload.qps=20"), Override(parsing: "workload.duration_s=60"),
        ])
        let deployment = try scenario.deployment()
        let result = Simulation(deployment: deployment, workload: scenario.workload).run()
        // Poisson count over 60 s at 20/s: mean 1,200, sd ~35; 5 sd either side.
        #expect(abs(result.requests.count - 1200) < 175)
        #expect(result.log.completed == result.requests.count)
        #expect(result.requests.allSatisfy { $0.arrivalSeconds < 60 })
        #expect(zip(result.requests.dropFirst(), result.requests).allSatisfy { $0.arrivalSeconds >= $1.arrivalSeconds })
        // Under light load the first token comes after roughly one prefill, far below the 2 s limit.
        let metrics = RunMetrics(result: result)
        #expect(metrics.ttftMs.p50 < 500)
    }

    @Test func roundRobinSpreadsOfflineSamplesEvenly() {
        let deployment = Fixtures.deployment(gpusPerNode: 4)
        #expect(deployment.replicas == 4)
        let (result, _) = offline(Array(repeating: (100, 10), count: 40), deployment: deployment)
        // Identical requests on identical replicas: every replica runs the same number of steps.
        #expect(Set(result.replicaStats.map(\.steps)).count == 1)
    }

    @Test func eventQueueBreaksTiesByInsertionOrder() {
        var queue = EventQueue()
        queue.schedule(.stepDone(2), at: 1.0)
        queue.schedule(.arrival(7), at: 0.5)
        queue.schedule(.stepDone(1), at: 1.0)
        #expect(queue.next()?.kind == .arrival(7))
        #expect(queue.next()?.kind == .stepDone(2))
        #expect(queue.next()?.kind == .stepDone(1))
        #expect(queue.next() == nil)
    }
}
