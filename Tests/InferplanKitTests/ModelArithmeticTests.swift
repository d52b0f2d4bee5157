import Testing
@testable import InferplanKit

/// Parameter and KV counts against the figures the model cards state (../shared/reference/models.md).
@Suite struct ModelArithmeticTests {
    @Test(arguments: [("llama2-70b", 68.98), ("llama3.1-8b", 8.03), ("llama3.1-70b", 70.55), ("llama3.1-405b", 405.85),
                      ("mixtral-8x7b", 46.70), ("gpt-oss-120b", 116.83), ("gpt-oss-20b", 20.91), ("deepseek-r1", 671)])
    func totalParametersMatchTheModelCard(id: String, billions: Double) throws {
        let model = try Fixtures.model(id)
        // Within 1%: norms, biases and sinks are not counted.
        #expect(abs(model.totalParameters / 1e9 - billions) / billions < 0.01, "\(id): \(model.totalParameters / 1e9) B")
    }

    @Test func llama2AttentionAndFFNByHand() throws {
        let model = try Fixtures.model("llama2-70b")
        // Q and O: 8192 x 8192 each; K and V: 8192 x 1024 each.
        #expect(model.attentionParametersPerLayer == 2 * 8192 * 8192 + 2 * 8192 * 1024)
        #expect(model.denseFFNParametersPerLayer == 3 * 8192 * 28672)
    }

    @Test func kvElementsPerToken() throws {
        // 2 x 80 layers x 8 KV heads x 128 = 163,840 (models.md).
        #expect(try Fixtures.model("llama2-70b").kvElements(forSequenceOf: 1) == 163_840)
        #expect(try Fixtures.model("llama3.1-405b").kvElements(forSequenceOf: 1) == 258_048)
        #expect(try Fixtures.model("mixtral-8x7b").kvElements(forSequenceOf: 1) == 65_536)
        // DeepSeek MLA: 61 layers x (512 + 64).
        #expect(try Fixtures.model("deepseek-r1").kvElements(forSequenceOf: 1) == 35_136)
    }

    @Test func gptOssSlidingLayersHoldAtMostTheWindow() throws {
        let model = try Fixtures.model("gpt-oss-120b")
        #expect(model.slidingLayers == 18 && model.fullAttentionLayers == 18)
        // 18 full layers x 2 x 8 x 64 = 18,432 per token; sliding layers cap at 128 tokens.
        #expect(model.kvElements(forSequenceOf: 1000) == 18_432 * 1000 + 18_432 * 128)
    }

    @Test func mixtralActiveParameters() throws {
        let model = try Fixtures.model("mixtral-8x7b")
        // 2 of 8 experts per token: ~12.9 B active (models.md: 12.88 B), counting the LM head once.
        #expect(abs(model.activeParametersPerToken / 1e9 - 12.88) < 0.15)
    }
}
