import Foundation
import Testing
@testable import InferplanKit

@Suite struct SearchTests {
    /// One H200 serving Llama 2 70B, 120 s per probe, with the Interactive limits of 450 / 40 ms.
    private func scenario() throws -> Scenario {
        try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "hardware.gpus_per_node=1"), Override(parsing: "workload.scenario=interactive"),
            Override(parsing: "workload.qps=max"), Override(parsing: "workload.duration_s=120"),
            Override(parsing: "serving.scheduler=chunked-prefill"), Override(parsing: "serving.chunk_tokens=1024"),
        ])
    }

    @Test func maxRateMeetsTheLimitsAndFivePercentMoreDoesNot() throws {
        let scenario = try scenario()
        let outcome = try ScenarioRun.outcome(scenario)
        let search = try #require(outcome.search)
        let limits = try #require(scenario.workload.limits)
        #expect(search.maxQPS > 0)
        #expect(outcome.metrics.ttftMs.p99 <= limits.ttftP99Seconds * 1000 && outcome.metrics.tpotMs.p99 <= limits.tpotP99Seconds * 1000)
        #expect((search.failingQPS - search.maxQPS) / search.maxQPS <= 0.01 + 1e-12)
        let probe = MaxRateSearch(deployment: outcome.deployment, workload: scenario.workload, limits: limits, tolerance: 0.01)
        #expect(try probe.probe(search.maxQPS).meets)
        #expect(!(try probe.probe(search.maxQPS * 1.05).meets))
    }

    /// Issue 19: a round's probes run at once, at rates that do not depend on the cores, so the
    /// answer and every probe are the same on one core as on three; and the bracket holds:
    /// the answer passed, the failing rate failed, within the tolerance.
    @Test func theSearchDoesNotDependOnTheCores() throws {
        let scenario = try scenario()
        let deployment = try scenario.deployment()
        let limits = try #require(scenario.workload.limits)
        let search = MaxRateSearch(deployment: deployment, workload: scenario.workload, limits: limits, tolerance: 0.01)
        let one = try search.run(jobs: 1), three = try search.run(jobs: 3)
        #expect(one.maxQPS == three.maxQPS && one.failingQPS == three.failingQPS)
        #expect(one.probes.map(\.qps) == three.probes.map(\.qps))
        #expect(one.probes.count % MaxRateSearch.probesPerRound == 0)
        #expect(one.probes.contains { $0.qps == one.maxQPS && $0.meetsLimits })
        #expect(one.probes.contains { $0.qps == one.failingQPS && !$0.meetsLimits })
        #expect((one.failingQPS - one.maxQPS) / one.maxQPS <= 0.01)
    }

    @Test func commonRandomNumbersScaleArrivalsExactly() {
        var workload = Workload(benchmark: "t", scenario: .server, input: .init(.lognormal(mean: 200, sigma: 1)), output: .init(.fixed(9)),
                                samples: 0, qps: 10, duration: 100, seed: 4, limits: nil)
        let slow = workload.generateRequests()
        workload.qps = 20
        let fast = workload.generateRequests()
        for k in 0..<min(slow.count, 500) {
            #expect(slow[k].inputTokens == fast[k].inputTokens)
            #expect(abs(slow[k].arrivalSeconds - 2 * fast[k].arrivalSeconds) < 1e-9)
        }
    }

    @Test func searchNeedsLimits() throws {
        #expect(throws: InputError.self) {
            try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(of: "benchmark: mlperf-llama2-70b, ", with: "input_tokens: 100, output_tokens: 10, "),
                                  overrides: [Override(parsing: "workload.scenario=server"), Override(parsing: "workload.qps=max")])
        }
    }

    @Test func intervalByHand() {
        // 1..5: mean 3, sd sqrt(2.5) = 1.5811; t(0.975, 4) = 2.7764; half-width 2.7764 x 1.5811 / sqrt(5) = 1.9632.
        let estimate = IntervalEstimate([1, 2, 3, 4, 5])
        #expect(abs(estimate.mean - 3) < 1e-12)
        #expect(abs(estimate.sd - 1.5811388) < 1e-6)
        #expect(abs(estimate.ci95High - 3 - 1.9632) < 1e-3)
    }
}
