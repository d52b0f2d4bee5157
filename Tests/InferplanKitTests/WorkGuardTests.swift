import Foundation
import Testing
@testable import InferplanKit

/// Issue 13: no input makes a run take more than minutes without the user asking for it. A run
/// stops (or is refused up front) at `workload.max_events`; an Offline run that LoadGen would size
/// beyond one run's request cap is refused; the probe that sizes a large cluster's Offline run is
/// simulated on a slice of it.
@Suite struct WorkGuardTests {
    static let server = NoSilentAnswerTests.server

    @Test func aRunThatReachesItsEventLimitIsRefusedNamingTheLimit() throws {
        let scenario = try Fixtures.scenario(Self.server, overrides: [Override(parsing: "workload.max_events=5000")])
        if let error = #expect(throws: InputError.self, performing: { _ = try ScenarioRun.outcome(scenario) }) {
            #expect(error.location == "--set workload.max_events=5000")
            #expect(error.keyPath == "workload.max_events")
            #expect(error.problem.contains("stopped at its limit of 5,000 engine events"))
            #expect(error.valid.contains("--set workload.max_events=50000"))
        }
        // The engine itself stopped at exactly the limit, leaving requests outstanding.
        let result = Simulation(deployment: try scenario.deployment(), workload: scenario.workload).run()
        #expect(result.eventLimitReached && result.events == 5000)
        #expect(result.log.completed < result.requests.count)
    }

    @Test func theLimitIsRangeCheckedAtItsLine() throws {
        if let error = #expect(throws: InputError.self, performing: {
            _ = try Fixtures.scenario(Self.server, overrides: [Override(parsing: "workload.max_events=0")])
        }) {
            #expect(error.keyPath == "workload.max_events")
            #expect(error.problem.contains("out of range"))
        }
    }

    /// A run within the limit is not touched by it: the same figures with the default limit and
    /// with one just above the run's own event count.
    @Test func aRunWithinTheLimitIsUnchanged() throws {
        let scenario = try Fixtures.scenario(Self.server)
        let free = try ScenarioRun.run(scenario).metrics
        var tight = scenario
        tight.workload.maxEvents = free.events + 1
        let guarded = try ScenarioRun.run(tight).metrics
        #expect(guarded.outputTokensPerSecond == free.outputTokensPerSecond)
        #expect(guarded.events == free.events)
    }

    /// The default Offline scenario on 1,000 nodes: LoadGen would issue 1.1 x 600 s x about
    /// 140,000 samples/s, some 90 million samples, above the 20 million one run holds. It is refused
    /// at once (after a probe of two nodes), naming the node count and the duration that would fit.
    /// 100,000 nodes (the fuzz finding: no bundled scenario finished in 20 s) takes the same path.
    @Test(arguments: [1000, 100_000])
    func anOfflineRunBeyondTheRequestCapIsRefusedUpFront(nodes: Int) throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(of: ", samples: 2000", with: ""),
                                             overrides: [Override(parsing: "hardware.nodes=\(nodes)")])
        let started = Date()
        if let error = #expect(throws: InputError.self, performing: { _ = try ScenarioRun.outcome(scenario) }) {
            #expect(error.keyPath == "hardware.nodes")
            #expect(error.problem.contains("more than one run simulates (20,000,000)"))
            #expect(error.valid.contains("a workload.duration_s of at most"))
        }
        #expect(Date().timeIntervalSince(started) < 60, "the refusal must come from the sliced probe, not from a full run")
    }

    /// The slice stands for the cluster: 8 nodes of 8 single-GPU replicas probed whole and as the
    /// 2-node slice (16 replicas) times 4 give the same steady Offline rate within 3%.
    @Test func theSlicedProbeMatchesTheWholeCluster() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "hardware.nodes=8")])
        let deployment = try scenario.deployment()
        let (slice, scale) = try #require(deployment.offlineSlice())
        #expect(slice.nodes == 2 && slice.replicas == 16 && scale == 4)
        var whole = scenario.workload
        whole.scenario = .offline
        whole.trace = nil
        whole.samples = OfflineSizing.probeSamples(deployment: slice) * 4
        let result = Simulation(deployment: deployment, workload: whole).run()
        let times = result.log.completion.sorted()
        let wholeRate = Double(times.count * 4 / 5 - times.count / 5) / (times[times.count * 4 / 5] - times[times.count / 5])
        let slicedRate = try OfflineSizing.saturatedRate(deployment: deployment, workload: scenario.workload)
        #expect(abs(slicedRate / wholeRate - 1) < 0.03, "sliced \(slicedRate) vs whole \(wholeRate)")
        // No slice for a cluster no larger than one, nor for mixed node groups.
        #expect(try Fixtures.scenario(Fixtures.defaultScenarioYAML).deployment().offlineSlice() == nil)
    }
}

/// Issue 13: every report passes its invariants before it is printed; a violation is an internal
/// error (exit 3) carrying the scenario, never a silent number.
@Suite struct ReportInvariantTests {
    @Test func aSoundRunBreaksNoInvariant() throws {
        let metrics = try ScenarioRun.run(Fixtures.scenario(NoSilentAnswerTests.server)).metrics
        #expect(metrics.invariantViolations.isEmpty)
    }

    @Test func anUndrainedRunBreaksTheSampleInvariant() throws {
        let scenario = try Fixtures.scenario(NoSilentAnswerTests.server)
        var workload = scenario.workload
        workload.maxEvents = 2000
        let metrics = RunMetrics(result: Simulation(deployment: try scenario.deployment(), workload: workload).run())
        let broken = metrics.invariantViolations
        #expect(broken.contains { $0.hasPrefix("completed samples (") && $0.contains("!= issued samples (") })
        let error = InternalError(violations: broken, scenario: scenario.echo)
        #expect(error.description.hasPrefix("internal error: the report breaks"))
        #expect(error.description.contains("This is a bug in inferplan; please report it"))
        #expect(error.description.contains("# test.yaml\n"))
        #expect(error.description.contains("benchmark: mlperf-llama2-70b"))
    }

    @Test func percentilesOutOfOrderAndNonFiniteFiguresAreCaught() throws {
        var metrics = try ScenarioRun.run(Fixtures.scenario(NoSilentAnswerTests.server)).metrics
        metrics.ttftMs = LatencySummary(p50: 5, p90: 4, p99: 6, mean: 5)
        metrics.kvPeakFraction = 1.5
        metrics.outputTokensPerSecondByGroup = [.nan]
        let broken = metrics.invariantViolations
        #expect(broken.contains("TTFT percentiles out of order (p50 5.0 ms, p90 4.0 ms, p99 6.0 ms)"))
        #expect(broken.contains("KV cache peak 1.5 of capacity (above 1)"))
        #expect(broken.contains("throughput of node group 1 is nan"))
        #expect(broken.count == 3)
    }

    @Test func theEchoNamesTheSetsAndTheEffectiveYAML() throws {
        let scenario = try Fixtures.scenario(NoSilentAnswerTests.server, overrides: [Override(parsing: "hardware.nodes=2")])
        #expect(scenario.echo.hasPrefix("# test.yaml --set hardware.nodes=2\n"))
        #expect(scenario.echo.contains("nodes: 2"))
    }
}
