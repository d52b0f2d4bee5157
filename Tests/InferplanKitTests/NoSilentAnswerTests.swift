import Foundation
import Testing
@testable import InferplanKit

/// Runs that measured nothing are input errors, never a report of zeros that "meets the limits".
@Suite struct NoSilentAnswerTests {
    static let server = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "scenario: offline, samples: 2000", with: "scenario: server, qps: 80")

    @Test(arguments: [("workload.qps=0.000001", "workload.qps"), ("workload.duration_s=0.001", "workload.qps")])
    func aRateThatExpectsNoQueryIsRefused(override: String, key: String) throws {
        if let error = #expect(throws: InputError.self, performing: {
            _ = try Fixtures.scenario(Self.server, overrides: [Override(parsing: override)])
        }) {
            #expect(error.keyPath == key)
            #expect(error.problem.contains("expects no query"))
            #expect(error.valid.contains("qps x duration_s >= 1"))
        }
    }

    @Test func aSearchInWhichNoRatePassesIsAnError() throws {
        // A 10,000 s step overhead: no query can meet a 2 s p99 TTFT at any rate.
        let scenario = try Fixtures.scenario(Self.server, overrides: [Override(parsing: "serving.step_overhead_ms=1e7"),
                                                                      Override(parsing: "workload.qps=max")])
        if let error = #expect(throws: InputError.self, performing: {
            _ = try ScenarioRun.outcome(scenario)
        }) {
            #expect(error.problem.contains("no arrival rate meets the p99 limits"))
            #expect(error.problem.contains("against limits of 2000 ms and 200 ms"))
        }
    }

    @Test func aProbeWithoutQueriesDoesNotPass() throws {
        let scenario = try Fixtures.scenario(Self.server)
        let search = MaxRateSearch(deployment: try scenario.deployment(), workload: scenario.workload,
                                   limits: try #require(scenario.workload.limits), tolerance: 0.01)
        // 1e-6 queries/s over 600 s: almost surely no arrival at all.
        let (meets, metrics) = try search.probe(1e-6)
        #expect(metrics.issuedSamples == 0)
        #expect(!meets)
    }
}

/// Trace rows are checked like distributions: against the model's context (naming the row) and
/// against the KV cache (the longest row must fit), so no request can be left outstanding.
@Suite struct TraceLimitTests {
    private let scratch = ScratchFolder()

    func scenario(model: String, gpu: String, rows: [String]) throws -> Scenario {
        let folder = try scratch.folder()
        try (["arrival_s,input_tokens,output_tokens"] + rows).joined(separator: "\n").write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        let yaml = """
        model: \(model)
        hardware: {gpu: \(gpu), gpus_per_node: 1, nodes: 1}
        precision: {weights: fp8, kv_cache: fp8}
        serving: {scheduler: chunked-prefill}
        workload: {scenario: server, trace: t.csv}
        """
        try yaml.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return try Scenario.load(path: folder + "/s.yaml", overrides: [])
    }

    @Test func aRowBeyondTheContextNamesItsLine() throws {
        // The fuzzing finding: an output count of 2^63 - 1 trapped on overflow in the engine.
        if let error = #expect(throws: InputError.self, performing: {
            _ = try scenario(model: "llama3.1-8b", gpu: "h200-sxm", rows: ["1.0,100,10", "48.6,2048,9223372036854775807"])
        }) {
            #expect(error.location.hasSuffix("t.csv:3"))
            #expect(error.problem.contains("exceed the model's context of 131072 tokens"))
        }
    }

    @Test func aRowBeyondTheKVCacheIsRefused() throws {
        // Llama 3.1 70B FP8 on one H100: 70.5 GB of weights + 6 GB reserve leave about 19,000 KV
        // tokens, fewer than a 100,100-token row needs.
        let scenario = try scenario(model: "llama3.1-70b", gpu: "h100-sxm", rows: ["1.0,100,10", "2.0,100000,100"])
        if let error = #expect(throws: InputError.self, performing: {
            _ = try scenario.deployment()
        }) {
            #expect(error.problem.contains("fewer than one request of up to 100100 tokens needs"))
        }
    }
}

extension NoSilentAnswerTests {
    /// The request cap applies to the max-rate search too (issues 13 and 20: `qps: max` with
    /// `duration_s: 1e8` tried to allocate 169 GB at once): the first probe over the cap stops the
    /// search with an error naming the duration and the longest one that fits.
    @Test func aSearchWhoseProbesExceedTheRequestCapIsRefused() throws {
        let scenario = try Fixtures.scenario(Self.server, overrides: [Override(parsing: "workload.qps=max"),
                                                                      Override(parsing: "workload.duration_s=1e8")])
        if let error = #expect(throws: InputError.self, performing: {
            _ = try ScenarioRun.outcome(scenario)
        }) {
            #expect(error.keyPath == "workload.duration_s")
            #expect(error.problem.contains("more than one run simulates (20000000)"))
        }
    }
}
