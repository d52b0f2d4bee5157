import Foundation
import Testing
@testable import InferplanKit

/// Text-to-video: the DiT's arithmetic, sequence parallelism's exchange, the video run's
/// invariants, and the published MLPerf v6.0 rows. Expectations are worked out by hand here.
@Suite struct VideoGenerationTests {
    static func wan() throws -> VideoDiffusionModel {
        try Fixtures.catalog.videoModel(Fixtures.catalog.document(.models, id: "wan2.2-t2v-a14b"))
    }

    static let mlperfVideo = VideoShape(height: 720, width: 1280, frames: 81, fps: 16, steps: 20, guidance: true, boundaryRatio: 0.875)

    static func scenario(_ yaml: String) throws -> VideoScenario {
        try VideoScenario(document: YAMLDocument.parse(yaml, name: "test.yaml"), baseDirectory: ".", catalog: Fixtures.catalog)
    }

    static func b200(sequenceParallel: Int, mode: String = "ulysses", scenario: String = "single-stream", extra: String = "") throws -> VideoScenario {
        try Self.scenario("""
        workload: {benchmark: mlperf-wan-2.2-t2v, scenario: \(scenario)}
        hardware: {gpu: b200, gpus_per_node: 8, nodes: 1}
        serving: {sequence_parallel: \(sequenceParallel), mode: \(mode)}
        \(extra)
        """)
    }

    @Test func tokensAndParametersOfWan() throws {
        let model = try Self.wan()
        // 81 frames -> 1 + 80 / 4 = 21 latent frames; 720 / 8 / 2 = 45, 1280 / 8 / 2 = 80.
        #expect(model.latentFrames(Self.mlperfVideo) == 21)
        #expect(model.tokens(Self.mlperfVideo) == 21 * 45 * 80)
        #expect(model.tokens(Self.mlperfVideo) == 75_600)
        // Per block 8 x 5120^2 (self and cross Q, K, V, O) + 2 x 5120 x 13824 (FFN) = 351.27 M; x 40.
        #expect(abs(model.parametersPerExpert - 40 * (8 * 5120.0 * 5120 + 2 * 5120.0 * 13824)) < 1)
        #expect(abs(model.parametersPerExpert / 1e9 - 14.05) < 0.01)
        #expect(Self.mlperfVideo.forwardPasses == 40)
    }

    @Test func perLayerFLOPsOfOneForwardPass() throws {
        let model = try Self.wan()
        let l = 75_600.0, d = 5120.0
        // Projections: 2 x L x 6 d^2 on the video tokens + 2 x 512 x 2 d^2 (cross K, V on the text).
        #expect(abs(model.projectionFLOPsPerLayer(tokens: l) / (907_200 * 26_214_400 + 2048 * 26_214_400.0) - 1) < 1e-12)
        #expect(abs(model.projectionFLOPsPerLayer(tokens: l) / 2.38354e13 - 1) < 1e-5)
        // FFN: 2 x L x 2 x d x 13824 = 2.14035e13.
        #expect(abs(model.ffnFLOPsPerLayer(tokens: l) - 302_400 * d * 13_824) < 1)
        // Self-attention: 4 x L^2 x d = 4 x 5.71536e9 x 5120 = 1.17050e14; exponentials 40 x L^2.
        #expect(abs(model.selfAttentionFLOPsPerLayer(tokens: l) / (4 * 5_715_360_000 * d) - 1) < 1e-12)
        #expect(abs(model.selfAttentionExponentialsPerLayer(tokens: l) - 40 * 5_715_360_000) < 1)
        // Cross-attention: 4 x L x 512 x d.
        #expect(abs(model.crossAttentionFLOPsPerLayer(tokens: l) - 4 * l * 512 * d) < 1)
    }

    @Test func wholeVideoFLOPsAndVAE() throws {
        let model = try Self.wan()
        // The VAE decoder, group by group: count x 2 x kernel volume x C_in x C_out x voxels, with
        // voxels 21 x 90 x 160, 41 x 180 x 320, 81 x 360 x 640 and 81 x 720 x 1280.
        let latent = 21.0 * 90 * 160, quarter = 41.0 * 180 * 320, half = 81.0 * 360 * 640, full = 81.0 * 720 * 1280
        let fromLatent: Double = 2 * 27 * 16 * 384 * latent
        let stage0: Double = 10 * 2 * 27 * 384 * 384 * latent + 2 * 3 * 384 * 768 * latent
        let stage1a: Double = 2 * 9 * 384 * 192 * quarter + 2 * 27 * 192 * 384 * quarter
        let stage1b: Double = 5 * 2 * 27 * 384 * 384 * quarter + 2 * 3 * 384 * 768 * quarter
        let stage2: Double = 2 * 9 * 384 * 192 * half + 6 * 2 * 27 * 192 * 192 * half
        let stage3: Double = 2 * 9 * 192 * 96 * full + 6 * 2 * 27 * 96 * 96 * full
        let toRGB: Double = 2 * 27 * 96 * 3 * full
        let byHand = fromLatent + stage0 + stage1a + stage1b + stage2 + stage3 + toRGB
        #expect(abs(model.vaeDecoderFLOPs(Self.mlperfVideo) / byHand - 1) < 1e-12)
        #expect(abs(model.vaeDecoderFLOPs(Self.mlperfVideo) / 6.3195e14 - 1) < 1e-3)

        // One GPU, the whole video: 40 passes x 40 blocks x (2.38354e13 + 2.14035e13 + 1.17050e14
        // + 7.9272e11) = 2.6093e17 FLOPs of DiT, plus the text encoder (twice) and the VAE.
        let scenario = try Self.b200(sequenceParallel: 1, scenario: "offline")
        let cost = try scenario.deployment().replicas[0].cost
        let dit = cost.operators.filter { ["projections", "ffn", "self_attention", "cross_attention"].contains($0.name) }.reduce(0) { $0 + $1.flops }
        #expect(abs(dit / (1600 * (2.38354e13 + 2.140348e13 + 1.170498e14 + 7.92723e11)) - 1) < 1e-5)
        #expect(abs(dit / 2.6093e17 - 1) < 1e-3)
        #expect(abs(cost.operators.first { $0.name == "vae_decode" }!.flops - model.vaeDecoderFLOPs(Self.mlperfVideo)) < 1)
        // The operators' seconds add up to the video's.
        #expect(abs(cost.operators.reduce(0) { $0 + $1.seconds } - cost.secondsPerVideo) < 1e-9)
        #expect(abs(cost.shares.reduce(0) { $0 + $1.share } - 1) < 1e-12)
    }

    /// Ulysses over 1, 2, 4 and 8 B200s (NVLink 5: 900 GB/s each way, 2 us): four all-to-alls per
    /// block, each GPU sending (n - 1)/n of its L/n x 5120 BF16 activations.
    @Test func ulyssesAllToAllAgainstHandComputedTimes() throws {
        func perPass(_ bytes: Double) -> Double { 160 * (bytes / 900e9 + 2e-6) }
        let expectedPerPass: [Int: Double] = [
            1: 0,
            2: perPass(193_536_000),   // 75,600 / 2 x 5120 x 2 bytes x 1/2: 0.0347 s per pass
            4: perPass(145_152_000),   // 75,600 / 4 x 5120 x 2 x 3/4: 0.0261 s
            8: perPass(84_672_000),    // 75,600 / 8 x 5120 x 2 x 7/8: 0.0154 s
        ]
        var previousVideo = Double.infinity
        for size in [1, 2, 4, 8] {
            let cost = try Self.b200(sequenceParallel: size).deployment().replicas[0].cost
            let exchange = cost.operators.first { $0.name == "ulysses_all_to_all" }?.seconds ?? 0
            #expect(abs(exchange / 40 - expectedPerPass[size]!) < 1e-9, "sequence parallel \(size)")
            // The compute per GPU falls as 1/n, far faster than the exchange grows.
            #expect(cost.secondsPerVideo < previousVideo)
            previousVideo = cost.secondsPerVideo
        }
        #expect(abs(expectedPerPass[8]! - 0.015373) < 1e-5)
    }

    @Test func ringAttentionExposesOnlyWhatAttentionDoesNotHide() throws {
        let ring = try Self.b200(sequenceParallel: 8, mode: "ring").deployment().replicas[0].cost
        let attention = ring.operators.first { $0.name == "self_attention" }!.seconds / 40
        // 7 hops per block of a K and a V block of 75,600 / 8 x 5120 BF16 each over 900 GB/s.
        let block: Double = 75_600.0 / 8 * 5120 * 2
        let hop: Double = 2 * block / 900e9 + 2e-6
        let passes: Double = 40 * 7 * hop
        let exposed = ring.operators.first { $0.name == "ring_attention_exposed" }!.seconds / 40
        #expect(abs(exposed - max(0, passes - attention)) < 1e-12)
        #expect(exposed == 0, "on NVLink the K/V passes hide behind the attention over 75,600 tokens")
    }

    @Test func softmaxExponentialsBoundAttentionOnBlackwell() throws {
        // B300 has B200's tensor peaks but twice the special-function rate: its attention is faster.
        let b200 = try Self.b200(sequenceParallel: 1).deployment().replicas[0].cost
        let b300 = try Self.scenario("""
        workload: {benchmark: mlperf-wan-2.2-t2v, scenario: single-stream}
        hardware: {gpu: b300, gpus_per_node: 8, nodes: 1}
        """).deployment().replicas[0].cost
        let attention = { (cost: VideoGenerationCost) in cost.operators.first { $0.name == "self_attention" }!.seconds }
        #expect(attention(b300) < 0.9 * attention(b200))
        let gemm = { (cost: VideoGenerationCost) in cost.operators.first { $0.name == "ffn" }!.seconds }
        #expect(abs(gemm(b300) / gemm(b200) - 1) < 0.01)
    }

    @Test func singleStreamAndOfflineInvariants() throws {
        let single = try Self.b200(sequenceParallel: 8)
        let outcome = try VideoScenarioRun.outcome(single)
        // At least 50 queries (600 s at ~24 s each is 25); every one takes the replica's time.
        #expect(outcome.metrics.videos == 50)
        let seconds = outcome.deployment.replicas[0].secondsPerVideo
        #expect(abs(outcome.metrics.latencySeconds.p90 - seconds) < 1e-9)
        #expect(abs(outcome.metrics.durationSeconds - 50 * seconds) < 1e-6)

        let offline = try Self.b200(sequenceParallel: 1, scenario: "offline", extra: "")
        let result = try VideoScenarioRun.outcome(offline)
        // 248 prompts over 8 replicas: 31 each, the run lasts 31 videos; videos in = videos out.
        #expect(result.metrics.videos == 248)
        #expect(abs(result.metrics.durationSeconds - 31 * result.deployment.replicas[0].secondsPerVideo) < 1e-6)
        #expect(abs(result.metrics.videosPerSecond - 8 / result.deployment.replicas[0].secondsPerVideo) < 1e-9)
        // Energy: idle over the run plus each video's dynamic joules.
        let dynamic = 248 * result.deployment.replicas[0].dynamicJoulesPerVideo
        #expect(abs(result.metrics.energyJoules - (dynamic + result.deployment.idleWatts * result.metrics.durationSeconds)) < 1e-3)
    }

    @Test func aPowerCapStretchesTheComputeBoundVideo() throws {
        let free = try Self.b200(sequenceParallel: 8).deployment().replicas[0]
        // B200 draws about 520 W on this video (a 1,000 W part): a 400 W cap lowers the clock.
        let limited = try Self.scenario("""
        workload: {benchmark: mlperf-wan-2.2-t2v, scenario: single-stream}
        hardware: {gpu: b200, gpus_per_node: 8, nodes: 1, power_cap_w: 400}
        serving: {sequence_parallel: 8}
        """).deployment().replicas[0]
        #expect(limited.secondsPerVideo > 1.05 * free.secondsPerVideo)
    }

    @Test func impossibleDeploymentsNameTheirKey() throws {
        let three = try Self.b200(sequenceParallel: 3)
        #expect(throws: InputError.self) { try three.deployment() }
        do { _ = try three.deployment() } catch let error as InputError {
            #expect(error.keyPath == "serving.sequence_parallel")
            #expect(error.description.contains("40 attention heads"))
        }
        // An LLM benchmark for a video model is refused where it is written.
        do {
            _ = try Self.scenario("""
            model: wan2.2-t2v-a14b
            workload: {benchmark: mlperf-llama2-70b}
            hardware: {gpu: b200}
            """)
            Issue.record("an LLM benchmark was accepted for a video model")
        } catch let error as InputError {
            #expect(error.keyPath == "workload.benchmark")
        }
        // A frame count the causal VAE cannot compress.
        do {
            _ = try Self.scenario("""
            workload: {benchmark: mlperf-wan-2.2-t2v, video: {frames: 80}}
            hardware: {gpu: b200, gpus_per_node: 8}
            """)
            Issue.record("80 frames were accepted")
        } catch let error as InputError {
            #expect(error.keyPath == "workload.video")
        }
    }

    @Test func theFileDecidesItsFamily() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Scenarios/wan2.2-t2v-8xb200.yaml").path
        guard case .video(let video) = try ScenarioFile.load(path: path) else { Issue.record("not read as video"); return }
        #expect(video.parallelism.sequence == 8)
        let llm = Fixtures.packageRoot.appendingPathComponent("Scenarios/default.yaml").path
        guard case .llm = try ScenarioFile.load(path: llm) else { Issue.record("default.yaml not read as an LLM scenario"); return }
    }

    /// The two published v6.0 systems, SingleStream and Offline, within 15% at the catalog's fitted efficiency.
    @Test func publishedRowsWithinFifteenPercent() throws {
        let validation = try VideoValidation()
        #expect(validation.rows.count == 4)
        for row in validation.rows {
            #expect(abs(row.errorPct) <= 15, "\(row.submitterSystem) \(row.scenario): \(row.errorPct)%")
        }
        // SingleStream spreads the video over the node; Offline runs a video per GPU.
        #expect(validation.rows.filter { $0.scenario == "single-stream" }.allSatisfy { $0.sequenceParallel == 8 })
    }
}
