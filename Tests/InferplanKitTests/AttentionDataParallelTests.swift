import Foundation
import Testing
@testable import InferplanKit

/// Data-parallel attention (`parallelism.attention: data`): each GPU of the tensor group runs
/// attention for its own share of the sequences with the whole attention weights and keeps their
/// cache; the FFN or experts stay split over the group.
@Suite struct AttentionDataParallelTests {
    /// tinyModel with 4 experts of FFN 512, 2 active, no shared, every layer MoE.
    static let tinyMoE: ModelArchitecture = {
        var model = Fixtures.tinyModel
        model.moe = .init(experts: 4, active: 2, shared: 0, expertFFN: 512, denseLayers: 0)
        return model
    }()

    private func step(_ model: ModelArchitecture, attention: Parallelism.AttentionSplit, expert: Int = 1) -> StepTimeModel {
        var parallelism = Parallelism(tensor: 2, expert: expert)
        parallelism.attention = attention
        return StepTimeModel(model: model, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16),
                             tensorParallel: 2, gpusPerNode: 2, parallelism: parallelism)
    }

    private func cost(_ name: String, _ step: StepTimeModel, _ work: StepWork) throws -> OperatorCost {
        try #require(step.operatorCosts(for: work).first { $0.name == name })
    }

    @Test func attentionProjectionsReadTheWholeWeightsForHalfTheTokens() throws {
        let work = StepWork(decodeSequences: 64, decodeContextTokens: 64 * 100, sampledTokens: 64)
        let split = step(Fixtures.tinyModel, attention: .tensor), data = step(Fixtures.tinyModel, attention: .data)
        let layers = 2.0, h = 1024.0, qkv = Double(Fixtures.tinyModel.qkvWidth)
        let weights = WeightLayout(model: Fixtures.tinyModel, precision: .init(weights: .bf16, kvCache: .bf16))
        // Same FLOPs per GPU either way: all of the heads of half the tokens, or half the heads of all.
        #expect(try cost("qkv_projection", data, work).flops == cost("qkv_projection", split, work).flops)
        // Bytes: the whole QKV matrix, and 32 tokens' hidden state in and Q, K, V out (BF16).
        let expected = layers * (weights.qkvBytesPerLayer + 32 * (h + qkv) * 2)
        #expect(abs(try cost("qkv_projection", data, work).bytes - expected) < 1e-6)
        // The cache: each GPU holds its own 32 sequences' K and V (2 KV heads x 128 x 2 x 2 bytes).
        let kv = layers * (64 * 100 + 64) * (2 * 2 * 128 * 2) / 2
        #expect(abs(try cost("attention", data, work).bytes - kv) < 1e-6)
    }

    @Test func onlyTheFFNSideNeedsACollective() throws {
        let work = StepWork(decodeSequences: 8, decodeContextTokens: 800, sampledTokens: 8)
        let split = try cost("tp_all_reduce", step(Fixtures.tinyModel, attention: .tensor), work)
        let data = try cost("tp_all_reduce", step(Fixtures.tinyModel, attention: .data), work)
        // 2 layers x 2 all-reduces under tensor attention, 2 x 1 under data-parallel attention.
        #expect(abs(data.seconds * 2 - split.seconds) < 1e-15)
        #expect(abs(data.bytes - 2 * 8 * 1024 * 2) < 1e-9)
    }

    @Test func moeRoutingAndPermutationByHand() {
        // Per token and MoE layer: FP32 router logits written and read (2 x 4 x 4 bytes) and the
        // permutation, 2 (k + 1) = 6 hidden states of 1024 BF16; under data-parallel attention each
        // GPU routes half the tokens. The rest of the element-wise traffic is the same either way
        // except the first norm, (3 x 1024 x 2 + 1024 x 2) bytes per layer, halved as well.
        let split = step(Self.tinyMoE, attention: .tensor, expert: 2), data = step(Self.tinyMoE, attention: .data, expert: 2)
        let routing = 2 * 4 * 4.0, permutation = 6 * 1024 * 2.0, firstNorm = 3 * 1024 * 2 + 1024 * 2.0
        let saved = 2 * (routing + permutation + firstNorm) / 2
        #expect(abs(split.elementwiseBytes(tokens: 1, sampled: 0) - data.elementwiseBytes(tokens: 1, sampled: 0) - saved) < 1e-6)
    }

    @Test func theLatentCacheIsNoLongerReplicated() throws {
        let model = try Fixtures.model("deepseek-r1"), gpu = try Fixtures.gpu("gb300")
        let precision = Precision(weights: .nvfp4, kvCache: .fp8)
        let split = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: 4)
        let data = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: 4, attentionDataParallel: true)
        // 61 layers x (512 + 64) latent elements x 1 byte, whole on every GPU under tensor
        // parallelism, a quarter per replica token under data-parallel attention.
        #expect(split.kvBytesPerTokenPerGPU == 61 * 576)
        #expect(data.kvBytesPerTokenPerGPU == 61 * 576 / 4)
        // Every GPU holds the whole attention weights: three quarters of them more than a quarter.
        let layout = WeightLayout(model: model, precision: precision)
        let attention = Double(model.layers) * layout.attentionBytesPerLayer
        #expect(abs(data.weightBytesPerGPU - split.weightBytesPerGPU - attention * 3 / 4) < 1)
    }

    @Test func scenarioKeyAndItsErrors() throws {
        func load(_ attention: String) throws -> Scenario {
            let text = """
            model: deepseek-r1
            hardware: {gpu: gb300, gpus_per_node: 4, nodes: 1}
            precision: {weights: nvfp4, kv_cache: fp8}
            parallelism: {tensor: 4, expert: 4, attention: \(attention)}
            workload: {benchmark: mlperf-deepseek-r1, scenario: offline, samples: 10}
            """
            return try Scenario(document: YAMLDocument.parse(text, name: "s.yaml"), baseDirectory: ".", catalog: .bundled)
        }
        #expect(try load("data").parallelism.attentionDataParallel)
        let error = #expect(throws: InputError.self) { try load("heads") }
        #expect(error?.keyPath == "parallelism.attention" && error?.location == "s.yaml:4")
        #expect(error?.description.contains("tensor | data") == true)
    }
}
