import Foundation
import Testing
@testable import InferplanKit

/// The default per-GPU speed spread and the evidence it is argued from (the training file), and the
/// straggler mechanism's arithmetic: a replica steps at its slowest GPU, an Offline static split
/// finishes with its slowest replica.
@Suite struct VariabilityEvidenceTests {
    /// Same round, benchmark, GPU type and weight format, 8 GPUs on one node, at least 3 systems.
    static func offlineGroups() throws -> [String: [Double]] {
        let table = try CSVTable(path: Catalog.publishedResultsPath)
        var groups: [String: [Double]] = [:]
        for row in table.rows where row.fields["scenario"] == "offline" && row.fields["gpus"] == "8" && ["1", ""].contains(row.fields["nodes"] ?? "") {
            let key = ["round", "benchmark", "accelerator", "weights"].map { row.fields[$0] ?? "" }.joined(separator: " ")
            groups[key, default: []].append(Double(row.fields["tokens_per_s"] ?? "") ?? .nan)
        }
        return groups.filter { $0.value.count >= 3 }
    }

    static func coefficientOfVariation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return variance.squareRoot() / mean
    }

    @Test func theDefaultSpreadIsBoundedByTheTrainingFile() throws {
        let groups = try Self.offlineGroups()
        #expect(groups.count == 11)
        let cvs = groups.values.map(Self.coefficientOfVariation).sorted()
        let median = cvs[cvs.count / 2]
        #expect(abs(median - 0.0118) < 0.0005, "median CV \(median)")
        // The ten v4.1 H100 systems that ran NVIDIA's code: 0.73%.
        let h100 = try #require(groups["v4.1 llama2-70b h100-sxm fp8"])
        #expect(h100.count == 10)
        let cv = Self.coefficientOfVariation(h100)
        #expect(abs(cv - 0.0073) < 0.0005)
        // The slowest of 8 GPUs spreads across systems 0.61 x the per-GPU spread (the standard
        // deviation of the maximum of 8 standard normals), so the per-GPU spread is at most
        // 0.73 / 0.61 = 1.2%: the default of 1% sits just below that bound.
        let bound = cv / 0.6106
        #expect(bound > ServingConfig.Variability.defaultGPUSpeedSpread && bound < 0.0125)
    }

    @Test func aScenarioWithoutVariabilityGetsTheDefault() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML)
        #expect(scenario.serving.variability.gpuSpeedSpread == ServingConfig.Variability.defaultGPUSpeedSpread)
        let off = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "serving.variability={gpu_speed_spread: 0}")])
        #expect(off.serving.variability.gpuSpeedSpread == 0)
    }

    /// A replica of 8 GPUs steps at the slowest of 8 draws: over many seeds its mean slowdown is
    /// 1 + 1.4232 x spread (the expected maximum of 8 standard normals), and a one-GPU replica's is 1.
    @Test func aReplicaStepsAtItsSlowestGPU() throws {
        let spread = 0.02
        var sums = [1: 0.0, 8: 0.0]
        let seeds = 400
        for tp in [1, 8] {
            let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
                Override(parsing: "parallelism.tensor=\(tp)"), Override(parsing: "serving.variability={gpu_speed_spread: \(spread)}")])
            let deployment = try scenario.deployment()
            for seed in 0..<UInt64(seeds) {
                let replicas = deployment.makeReplicas(seed: seed)
                sums[tp]! += replicas.reduce(0) { $0 + $1.slowdown } / Double(replicas.count)
            }
        }
        let one = sums[1]! / Double(seeds), eight = sums[8]! / Double(seeds)
        #expect(abs(one - 1) < 0.002)
        #expect(abs(eight - (1 + 1.4232 * spread)) < 0.003, "mean slowdown of a TP8 replica \(eight)")
    }
}
