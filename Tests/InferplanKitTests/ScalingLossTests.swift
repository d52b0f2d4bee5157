import Foundation
import Testing
@testable import InferplanKit

/// `scale`'s loss waterfall: paired runs with the mechanisms off in turn, against the first
/// count's throughput per GPU with all of them off.
@Suite struct ScalingLossTests {
    private let scratch = ScratchFolder()

    func study(_ serving: String?, counts: [Int]) throws -> ScalingStudy {
        let path = scratch.file("\(UUID().uuidString).yaml")
        var yaml = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 300")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 2")
        if let serving { yaml = yaml.replacingOccurrences(of: "serving: {scheduler: continuous, max_batch_seqs: 1024, max_batch_tokens: 8192}", with: serving) }
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try ScalingStudy(path: path, overrides: [], nodeCounts: counts, jobs: 2)
    }

    /// The steps add up to the whole loss against ideal: efficiency-against-ideal + losses = 1,
    /// with the first count's tail 0; a slow load generator shows as the harness's loss and
    /// unequal GPUs as the stragglers'.
    @Test func theStepsAddUpToTheLossAndNameTheirMechanism() throws {
        let result = try study("serving: {scheduler: continuous, max_batch_seqs: 1024, max_batch_tokens: 8192, "
                               + "variability: {gpu_speed_spread: 0.1}, load_generator: {dispatch_qps: 20, latency_ms: 5}}", counts: [1, 2])
        let points = result.points
        let ideal = try #require(points.first).outputTokensPerSPerGPU / (1 - (points[0].losses?.total ?? 0))
        for point in points {
            let losses = try #require(point.losses)
            let measured = point.outputTokensPerSPerGPU / ideal
            #expect(abs(measured + losses.total - 1) < 1e-9, "\(point.nodes) nodes: \(measured) + \(losses.total)")
            #expect(losses.harness > 0.01, "a 20 queries/s load generator limits \(point.nodes) nodes: \(losses)")
            #expect(losses.stragglers > 0, "unequal GPUs cost throughput: \(losses)")
            #expect(losses.collectives == 0)
        }
        #expect(abs(points[0].losses!.tail) < 1e-12)
    }

    /// Without any of the mechanisms (stragglers switched off: they are on by default) no paired
    /// run is made: only the tail, 1 - efficiency.
    @Test func aScenarioWithoutMechanismsHasOnlyATail() throws {
        let result = try study("serving: {scheduler: continuous, max_batch_seqs: 1024, max_batch_tokens: 8192, variability: {gpu_speed_spread: 0}}", counts: [1, 2])
        for point in result.points {
            let losses = try #require(point.losses)
            #expect(losses.harness == 0 && losses.stragglers == 0 && losses.collectives == 0)
            #expect(abs(losses.tail - (1 - point.efficiency)) < 1e-12)
        }
        #expect(result.text().contains("losses vs ideal: harness  stragglers  collectives  tail"))
        #expect(try ReportJSON.encode(result).contains("\"losses\" : {"))
        #expect(result.html().contains("Where per-GPU throughput goes against ideal scaling"))
    }

    /// `scale --repeat N`: with stragglers on, each count's efficiency over N seeds is a mean with a
    /// 95% interval around it; the first seed's points are the study's; the first count is 100%.
    @Test func efficiencyOverSeedsHasAnInterval() throws {
        let path = scratch.file("\(UUID().uuidString).yaml")
        try Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 300")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 2")
            .replacingOccurrences(of: "max_batch_tokens: 8192}", with: "max_batch_tokens: 8192, variability: {gpu_speed_spread: 0.1}}")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let repeated = try ScalingStudy.repeated(path: path, overrides: [], nodeCounts: [1, 2], runs: 4, jobs: 2)
        let single = try ScalingStudy(path: path, overrides: [], nodeCounts: [1, 2], jobs: 2)
        #expect(repeated.points.map(\.outputTokensPerS) == single.points.map(\.outputTokensPerS))
        let first = try #require(repeated.points[0].efficiencyOverSeeds), second = try #require(repeated.points[1].efficiencyOverSeeds)
        #expect(first.mean == 1 && first.ci95Low == 1 && first.ci95High == 1)
        #expect(second.ci95Low < second.mean && second.mean < second.ci95High && second.sd > 0)
        #expect(repeated.text().contains("over seeds"))
    }

    /// Offline with unequal GPUs: a static split waits for the slowest replica's share; dynamic
    /// pulling (`serving.offline_split: dynamic`) lets the faster ones take more at the end, so it
    /// keeps most of what the static split loses, and costs (almost) nothing with equal GPUs.
    @Test func dynamicPullingRecoversTheImbalanceOfAStaticSplit() throws {
        func tokensPerS(_ split: String, spread: Double) throws -> Double {
            let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 3000"),
                                                 overrides: [Override(parsing: "serving.offline_split=\(split)"),
                                                             Override(parsing: "serving.variability={gpu_speed_spread: \(spread)}")])
            let metrics = try ScenarioRun.run(scenario).metrics
            #expect(metrics.completedSamples == 3000)
            return metrics.outputTokensPerSecond
        }
        let even = try tokensPerS("static", spread: 0), evenDynamic = try tokensPerS("dynamic", spread: 0)
        let staticSplit = try tokensPerS("static", spread: 0.1), dynamic = try tokensPerS("dynamic", spread: 0.1)
        #expect(abs(evenDynamic / even - 1) < 0.01, "\(evenDynamic) vs \(even)")
        #expect(staticSplit < even && dynamic > staticSplit * 1.03, "static \(staticSplit), dynamic \(dynamic), even \(even)")
    }
}
