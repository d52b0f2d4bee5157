import Foundation
import Testing
@testable import InferplanKit

/// Decode runs (a decode-only batch run as one piece of work once nothing more can arrive) change
/// no figure: every request's times, every replica's totals and the end of the run are exactly
/// those of one event per step, over schedulers, KV policies, preemption, jitter and dispatch
/// latency; only the number of events falls.
@Suite struct DecodeRunTests {
    static let cases: [[String]] = [
        [],
        ["serving.scheduler=chunked-prefill", "serving.chunk_tokens=512"],
        ["serving.scheduler=static", "serving.max_batch_seqs=64"],
        ["serving.kv_policy=reserve"],
        // A small KV cache: decodes preempt (paged) and runs stop before a step would need to.
        ["model=llama3.1-405b", "workload.benchmark=mlperf-llama3.1-405b", "precision.weights=nvfp4", "parallelism.tensor=4", "serving.scheduler=chunked-prefill", "workload.samples=300"],
        ["serving.variability={gpu_speed_spread: 0.1, step_jitter: 0.05}"],
        ["serving.dispatch_latency_ms=2", "serving.router=least-outstanding"],
        ["workload.scenario=server", "workload.qps=40", "workload.duration_s=30"],
    ]

    @Test(arguments: cases)
    func decodeRunsChangeNoFigure(overrides: [String]) throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 600"),
                                             overrides: overrides.map { try Override(parsing: $0) })
        let deployment = try scenario.deployment()
        var stepwise = Simulation(deployment: deployment, workload: scenario.workload)
        stepwise.decodeRuns = false
        let a = stepwise.run(), b = Simulation(deployment: deployment, workload: scenario.workload).run()
        #expect(a.log.completed == a.requests.count && b.log.completed == b.requests.count)
        #expect(a.log.issued == b.log.issued)
        #expect(a.log.firstToken == b.log.firstToken)
        #expect(a.log.completion == b.log.completion)
        #expect(a.log.preemptions == b.log.preemptions && a.log.outputTokens == b.log.outputTokens)
        #expect(a.endSeconds == b.endSeconds)
        for (x, y) in zip(a.replicaStats, b.replicaStats) {
            #expect(x.steps == y.steps && x.batchSequencesSum == y.batchSequencesSum && x.peakKVBlocks == y.peakKVBlocks)
            #expect(x.preemptions == y.preemptions && x.outputTokens == y.outputTokens && x.unfinished == y.unfinished)
        }
        #expect(abs(a.inSystemSeconds - b.inSystemSeconds) <= 1e-9 * a.inSystemSeconds)
        #expect(b.events <= a.events)
        if overrides.contains("model=llama3.1-405b") { #expect(a.log.totalPreemptions > 0, "the small-KV case preempts") }
    }

    /// The case decode runs exist for: many replicas with one or two sequences each and nothing
    /// more to come (24,576 samples on 1,000 nodes of 8): a few events per request, not one per token.
    @Test func oneSequencePerReplicaTakesAFewEventsPerRequest() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 3000"),
                                             overrides: [Override(parsing: "hardware.nodes=500")])
        let result = Simulation(deployment: try scenario.deployment(), workload: scenario.workload).run()
        #expect(result.log.completed == 3000)
        // Wake, prefill and a decode run per request (a replica's second request adds its own),
        // against ~290 output tokens per request one event each.
        #expect(result.events < 10 * 3000, "\(result.events) events")
        #expect(result.log.outputTokens > 100 * 3000)
    }
}
