import Foundation
import Testing
@testable import InferplanKit

/// Release factors: a software stack's kernels get faster release by release on the same silicon,
/// so an efficiency profile states its earlier releases' compute efficiency relative to its newest,
/// and a scenario (or a published row, by its round) picks one.
@Suite struct StackReleaseTests {
    private let known = ["v4.0", "v4.1", "v5.1"]

    @Test func aRoundTakesItsOwnFactorElseTheLatestBeforeIt() {
        #expect(EfficiencyProfile.effectiveRelease("v4.1", among: known) == "v4.1")
        // Not fitted: the stack as last seen before it.
        #expect(EfficiencyProfile.effectiveRelease("v5.0", among: known) == "v4.1")
        #expect(EfficiencyProfile.effectiveRelease("v6.0", among: known) == "v5.1")
        // Before every known release: the earliest.
        #expect(EfficiencyProfile.effectiveRelease("v3.1", among: known) == "v4.0")
        #expect(EfficiencyProfile.effectiveRelease(nil, among: known) == nil)
        #expect(EfficiencyProfile.effectiveRelease("v4.1", among: [String]()) == nil)
        // Numbers compare as numbers, not as text.
        #expect(EfficiencyProfile.releaseOrder("v5.1", "v10.0"))
        #expect(EfficiencyProfile.effectiveRelease("v10.0", among: known) == "v5.1")
    }

    @Test func theReleaseFactorScalesEveryComputeEfficiencyAndNeverPassesOne() {
        var profile = Fixtures.roundGPU.efficiency
        profile.compute = 0.8
        profile.computeByFormat = [.fp8: 0.6]
        profile.releaseFactors = ["v4.1": 0.5, "v5.1": 1]
        #expect(profile.computeEfficiency(.fp8) == 0.6)          // no release: the newest
        profile.release = "v4.1"
        #expect(profile.computeEfficiency(.fp8) == 0.3)
        #expect(profile.computeEfficiency(.bf16) == 0.4)
        #expect(profile.bandwidth == 1)                           // bandwidth is not scaled
        profile.releaseFactors = ["v4.1": 1.5, "v5.1": 1]
        #expect(profile.computeEfficiency(.bf16) == 1)            // 0.8 x 1.5 capped at the peak
    }

    @Test func releaseOverridesReplaceTheWholeTable() {
        var profile = Fixtures.roundGPU.efficiency
        profile.releaseFactors = ["v4.0": 0.7, "v4.1": 0.8, "v5.1": 1]
        profile.release = "v4.0"
        #expect(profile.releaseFactor == 0.7)
        // A refit without v4.0: v4.0 must take v4.1's refitted factor (the earliest known), not
        // the catalog's own 0.7.
        profile.apply(overrides: ["\(profile.id)@v4.1": 0.9, "\(profile.id)@v5.1": 1, "other@v4.0": 0.1])
        #expect(profile.releaseFactors == ["v4.1": 0.9, "v5.1": 1])
        #expect(profile.releaseFactor == 0.9)
    }

    private func scenario(_ serving: String) throws -> Scenario {
        let text = """
        model: llama2-70b
        hardware: {gpu: h200-sxm, gpus_per_node: 1, nodes: 1}
        precision: {weights: fp8, kv_cache: fp8}
        serving: \(serving)
        workload: {benchmark: mlperf-llama2-70b, scenario: offline, samples: 10}
        """
        return try Scenario(document: YAMLDocument.parse(text, name: "s.yaml"), baseDirectory: ".", catalog: .bundled)
    }

    @Test func aScenarioPicksTheReleaseItRuns() throws {
        let newest = try scenario("{scheduler: chunked-prefill}")
        let profile = newest.gpu.efficiency
        let newestRelease = try #require(profile.newestRelease)
        #expect(profile.releaseFactors[newestRelease] == 1)
        let oldest = try #require(profile.releaseFactors.keys.min { EfficiencyProfile.releaseOrder($0, $1) })
        let old = try scenario("{scheduler: chunked-prefill, stack_release: \(oldest)}")
        #expect(abs(old.gpu.efficiency.computeEfficiency(.fp8) - profile.computeEfficiency(.fp8) * profile.releaseFactors[oldest]!) < 1e-12)
        let error = #expect(throws: InputError.self) { try scenario("{stack_release: latest}") }
        #expect(error?.keyPath == "serving.stack_release")
        #expect(error?.description.contains("v4.1") == true)
    }

    @Test func theNewestReleaseOfAProfileMustHaveFactorOne() throws {
        let yaml = """
        id: p
        compute_efficiency: 0.5
        bandwidth_efficiency: 0.6
        step_overhead_ms: 1
        activation_reserve_gb: 1
        kv_memory_fraction: 0.9
        releases: {v4.1: 0.8, v5.1: 0.9}
        provenance: test
        """
        let error = #expect(throws: InputError.self) {
            try Catalog.bundled.efficiency(YAMLDocument.parse(yaml, name: "p.yaml"))
        }
        #expect(error?.keyPath == "releases")
        #expect(error?.description.contains("v5.1") == true)
    }

    @Test func aPublishedRowRunsTheReleaseOfItsRound() throws {
        let table = try CSVTable(text: "round,benchmark,scenario,accelerator,gpus,nodes,tokens_per_s,weights,kv_cache,tensor_parallel\n"
                                 + "v4.1,llama2-70b,offline,h200-sxm,1,1,100,fp8,fp8,1\nv4.1x,llama2-70b,offline,h200-sxm,1,1,100,fp8,fp8,1\n", file: "t.csv")
        let result = try PublishedResult(row: table.rows[0], file: "t.csv")
        #expect(result.round == "v4.1")
        let scenario = try Validator().scenario(for: result, tensorParallel: 1)
        #expect(scenario.serving.stackRelease == "v4.1" && scenario.gpu.efficiency.release == "v4.1")
        let error = #expect(throws: InputError.self) { try PublishedResult(row: table.rows[1], file: "t.csv") }
        #expect(error?.location == "t.csv:3" && error?.keyPath == "round")
    }
}
