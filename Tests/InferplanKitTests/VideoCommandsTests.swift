import Foundation
import Testing
@testable import InferplanKit

/// The video family through the commands built on scenarios: CFG parallelism, a user's own DiT
/// model as YAML, sweeps, scale and plan.
@Suite struct VideoCommandsTests {
    let scratch = ScratchFolder()

    static let singleStream = """
    workload: {benchmark: mlperf-wan-2.2-t2v, scenario: single-stream}
    hardware: {gpu: b200, gpus_per_node: 8, nodes: 1}
    serving: {sequence_parallel: 8}
    """

    @Test func cfgParallelHalvesThePassesOnTheCriticalPath() throws {
        let plain = try VideoGenerationTests.scenario(Self.singleStream.replacingOccurrences(of: "sequence_parallel: 8", with: "sequence_parallel: 4"))
        let cfg = try VideoGenerationTests.scenario(Self.singleStream.replacingOccurrences(of: "sequence_parallel: 8", with: "sequence_parallel: 4, cfg_parallel: true"))
        let a = try plain.deployment(), b = try cfg.deployment()
        // Two replicas of 4 GPUs against one of 8 (4 x 2): each pass costs the same on 4 GPUs, and
        // the CFG replica runs 20 of the 40 passes on its critical path.
        #expect(a.replicas.count == 2 && b.replicas.count == 1 && b.replicas[0].gpus == 8)
        #expect(abs(a.replicas[0].cost.secondsPerForwardPass - b.replicas[0].cost.secondsPerForwardPass) < 1e-12)
        let attentionA = a.replicas[0].cost.operators.first { $0.name == "self_attention" }!.seconds
        let attentionB = b.replicas[0].cost.operators.first { $0.name == "self_attention" }!.seconds
        #expect(abs(attentionB * 2 - attentionA) < 1e-9)
        #expect(b.replicas[0].cost.operators.contains { $0.name == "cfg_exchange" })
    }

    /// A user adds a DiT model by writing YAML only: a smaller Wan-shaped model beside the scenario.
    @Test func aUsersOwnDiTModelIsYAMLOnly() throws {
        let model = """
        id: my-dit-5b
        name: My DiT 5B
        family: video-diffusion
        layers: 30
        hidden: 3072
        heads: 24
        ffn: 14336
        patch: [1, 2, 2]
        text_encoder: {layers: 24, hidden: 4096, ffn: 10240, gated_ffn: true, tokens: 512}
        vae:
          temporal_compression: 4
          spatial_compression: 8
          latent_channels: 16
          decoder:
            - {count: 6, in: 96, out: 96, kernel: [3, 3, 3], at: [1, 1]}
        source: a test
        """
        try model.write(toFile: scratch.file("my-dit.yaml"), atomically: true, encoding: .utf8)
        try """
        model: my-dit.yaml
        workload: {benchmark: mlperf-wan-2.2-t2v, scenario: single-stream, video: {height: 480, width: 832, frames: 81}}
        hardware: {gpu: h200-sxm, gpus_per_node: 8, nodes: 1}
        serving: {sequence_parallel: 8}
        """.write(toFile: scratch.file("s.yaml"), atomically: true, encoding: .utf8)
        guard case .video(let scenario) = try ScenarioFile.load(path: scratch.file("s.yaml")) else {
            Issue.record("not read as a video scenario"); return
        }
        #expect(scenario.model.id == "my-dit-5b" && scenario.model.experts == 1)
        // 480 x 832, 81 frames: 21 x 30 x 52 tokens.
        #expect(scenario.model.tokens(scenario.workload.video) == 21 * 30 * 52)
        let outcome = try VideoScenarioRun.outcome(scenario)
        // SingleStream lasts LoadGen's 600 s, at least 50 queries.
        let latency = outcome.metrics.latencySeconds.p90
        #expect(latency > 0 && outcome.metrics.videos == max(50, Int((600 / latency).rounded(.up))))
    }

    @Test func aSweepOfVideoPointsFillsTheVideoColumns() throws {
        let results = try Fixtures.runSweep(in: scratch.path, base: Self.singleStream, axes: "  hardware.gpu: [b200, b300]\n  serving.sequence_parallel: [1, 8]\n")
        let rows = try CSVTable(path: results.directory + "/results.csv").rows
        #expect(rows.count == 4)
        for row in rows {
            #expect(Double(row.fields["videos_per_s"] ?? "") ?? 0 > 0)
            #expect((row.fields["output_tokens_per_s"] ?? "x").isEmpty)
        }
        // Sequence parallel 8 is about 8 x faster per video than one GPU.
        let one = Double(rows[0].fields["video_latency_p90_s"]!)!, eight = Double(rows[1].fields["video_latency_p90_s"]!)!
        #expect(one / eight > 7 && one / eight < 8)
    }

    @Test func scaleAndPlanWorkOnVideosPerSecond() throws {
        let base = Self.singleStream.replacingOccurrences(of: "single-stream", with: "offline").replacingOccurrences(of: "sequence_parallel: 8", with: "sequence_parallel: 1")
        try base.write(toFile: scratch.file("s.yaml"), atomically: true, encoding: .utf8)
        let study = try VideoScalingStudy(path: scratch.file("s.yaml"), overrides: [], nodeCounts: [1, 4])
        #expect(study.points.count == 2 && study.points[0].efficiency == 1)
        // 248 prompts on 32 one-GPU replicas: 7.75 rounds run as 8, so 96.9% of linear.
        #expect(abs(study.points[1].efficiency - 7.75 / 8) < 1e-9)

        try "base: s.yaml\nmax_nodes: 8\ncandidates:\n  - {name: B200, set: {hardware.gpu: b200}}\n  - {name: H200, set: {hardware.gpu: h200-sxm}}\n"
            .write(toFile: scratch.file("plan.yaml"), atomically: true, encoding: .utf8)
        let answers = try CapacityPlan(path: scratch.file("plan.yaml")).answer(target: .videosPerSecond(0.1))
        let b200 = try #require(answers.first { $0.candidate == "B200" })
        #expect(b200.best && (b200.videosPerS ?? 0) >= 0.1)
        // One node gives 0.045 videos/s: three are the fewest for 0.1.
        #expect(b200.nodes == 3)
        let h200 = try #require(answers.first { $0.candidate == "H200" })
        #expect((h200.nodes ?? 0) > 3)
    }
}
