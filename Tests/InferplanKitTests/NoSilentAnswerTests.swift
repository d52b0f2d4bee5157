import Testing
@testable import InferplanKit

/// Runs that measured nothing are input errors, never a report of zeros that "meets the limits".
@Suite struct NoSilentAnswerTests {
    static let server = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "scenario: offline, samples: 2000", with: "scenario: server, qps: 80")

    @Test(arguments: [("workload.qps=0.000001", "workload.qps"), ("workload.duration_s=0.001", "workload.qps")])
    func aRateThatExpectsNoQueryIsRefused(override: String, key: String) throws {
        do {
            _ = try Fixtures.scenario(Self.server, overrides: [Override(parsing: override)])
            Issue.record("expected an input error for \(override)")
        } catch let error as InputError {
            #expect(error.keyPath == key)
            #expect(error.problem.contains("expects no query"))
            #expect(error.valid.contains("qps x duration_s >= 1"))
        }
    }

    @Test func aSearchInWhichNoRatePassesIsAnError() throws {
        // A 10,000 s step overhead: no query can meet a 2 s p99 TTFT at any rate.
        let scenario = try Fixtures.scenario(Self.server, overrides: [Override(parsing: "serving.step_overhead_ms=1e7"),
                                                                      Override(parsing: "workload.qps=max")])
        do {
            _ = try Simulation.outcome(scenario)
            Issue.record("expected an input error")
        } catch let error as InputError {
            #expect(error.problem.contains("no arrival rate meets the p99 limits"))
            #expect(error.problem.contains("against limits of 2000 ms and 200 ms"))
        }
    }

    @Test func aProbeWithoutQueriesDoesNotPass() throws {
        let scenario = try Fixtures.scenario(Self.server)
        let search = MaxRateSearch(deployment: try scenario.deployment(), workload: scenario.workload,
                                   limits: try #require(scenario.workload.limits), tolerance: 0.01)
        // 1e-6 queries/s over 600 s: almost surely no arrival at all.
        let (meets, metrics) = search.probe(1e-6)
        #expect(metrics.issuedSamples == 0)
        #expect(!meets)
    }
}
