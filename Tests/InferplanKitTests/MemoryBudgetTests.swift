import Testing
@testable import InferplanKit

@Suite struct MemoryBudgetTests {
    @Test func llama2FP8OnH200ByHand() throws {
        let budget = MemoryBudget(model: try Fixtures.model("llama2-70b"), gpu: try Fixtures.gpu("h200-sxm"),
                                  precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        // Weights: 80 x 855,638,016 FP8 bytes + 2 x 32000 x 8192 x 2 BF16 (embedding, LM head) = 69,499,617,280 B.
        #expect(abs(budget.weightBytesPerGPU - 69_499_617_280) < 1)
        // KV: (141 - 69.4996 - 6 reserve) x 0.9 = 58.949 GB at 163,840 B per token -> 359,800 tokens.
        let expected = Int((141e9 - budget.weightBytesPerGPU - 6e9) * 0.9 / 163_840)
        #expect(budget.kvCapacityTokens == expected)
        #expect(abs(Double(budget.kvCapacityTokens) - 359_800) < 100)
    }

    @Test func tensorParallelSplitsWeightsAndKVHeads() throws {
        let model = try Fixtures.model("llama2-70b")
        let gpu = try Fixtures.gpu("h100-sxm")
        let one = MemoryBudget(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        let two = MemoryBudget(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 2)
        #expect(abs(two.weightBytesPerGPU - one.weightBytesPerGPU / 2) < 1)
        #expect(two.kvBytesPerTokenPerGPU == one.kvBytesPerTokenPerGPU / 2)
        // 8 KV heads: beyond TP 8 the cache is replicated, not split further.
        #expect(WeightLayout.kvShards(model: model, tensorParallel: 16) == 8)
        #expect(WeightLayout.kvShards(model: try Fixtures.model("deepseek-r1"), tensorParallel: 8) == 1)
    }

    @Test func bf16Llama2DoesNotFitOneH100() throws {
        let budget = MemoryBudget(model: try Fixtures.model("llama2-70b"), gpu: try Fixtures.gpu("h100-sxm"),
                                  precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 1)
        #expect(!budget.weightsFit)
        #expect(budget.kvCapacityTokens == 0)
    }
}
