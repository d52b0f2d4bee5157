import Testing
@testable import InferplanKit

/// The step-time model against numbers computed by hand.
@Suite struct CostModelTests {
    @Test func fp4WeightsOnHopperComputeAtFP8() throws {
        #expect(try Fixtures.gpu("h200-sxm").computeFormat(for: .fp4) == .fp8)
        #expect(try Fixtures.gpu("mi300x").computeFormat(for: .fp4) == .fp8)
        #expect(try Fixtures.gpu("b200").computeFormat(for: .fp4) == .fp4)
        #expect(try Fixtures.gpu("h200-sxm").computeFormat(for: .bf16) == .bf16)
    }

    @Test func blockScaledFormatsCountTheirScales() {
        #expect(WeightFormat.mxfp4.bitsPerWeight == 4.25)
        #expect(WeightFormat.nvfp4.bitsPerWeight == 4.5)
    }

    @Test func llama2DecodeAtBatchOneIsWeightBandwidth() throws {
        let gpu = try Fixtures.gpu("h200-sxm")
        let model = try Fixtures.model("llama2-70b")
        let step = StepTimeModel(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        let work = StepWork(decodeSequences: 1, decodeContextTokens: 1000, sampledTokens: 1)
        // By hand: FP8 block weights 80 x (150,994,944 + 704,643,072) = 68.451 GB; BF16 LM head
        // 32000 x 8192 x 2 = 0.524 GB; KV read 1000 tokens x 163,840 B = 0.164 GB. Activations are
        // a few MB. At 4.8 TB/s x 0.85 plus 1 ms overhead: (68.451 + 0.524 + 0.164) / 4.08e12 + 0.001.
        let expected = (68.451e9 + 0.524e9 + 0.164e9) / (4.8e12 * gpu.efficiency.bandwidth) + gpu.efficiency.stepOverhead
        let actual = step.time(for: work)
        #expect(abs(actual - expected) / expected < 0.005, "\(actual) vs \(expected)")
        #expect(step.operatorCosts(for: work).filter { $0.name != "tp_all_reduce" }.allSatisfy { $0.isMemoryBound })
    }

    @Test func llama2LargeBatchIsComputeBound() throws {
        let gpu = try Fixtures.gpu("h200-sxm")
        let model = try Fixtures.model("llama2-70b")
        let step = StepTimeModel(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        var work = StepWork()
        work.addPrefillChunk(4096, afterPrefix: 0, completesPrompt: true)
        let costs = step.operatorCosts(for: work)
        // The linear layers at 4,096 tokens: 2 x 4096 x 80 x 855,638,016 FLOPs at 1979 TFLOP/s x the fitted
        // efficiency x the GEMM ramp 4096 / (4096 + M_half).
        let linear = costs.filter { ["qkv_projection", "o_projection", "dense_ffn"].contains($0.name) }
        let seconds = linear.reduce(0) { $0 + $1.seconds }
        let ramp = 4096 / (4096 + gpu.efficiency.gemmHalfEfficiencyTokens)
        let expected = 2 * 4096 * 80 * (150_994_944.0 + 704_643_072.0) / (1979e12 * gpu.efficiency.compute * ramp)
        #expect(abs(seconds - expected) / expected < 1e-9)
        #expect(linear.allSatisfy { !$0.isMemoryBound })
    }

    @Test func gemmRampHalvesEfficiencyAtItsTokenCount() {
        var gpu = Fixtures.roundGPU
        gpu.efficiency.gemmHalfEfficiencyTokens = 128
        let roofline = Roofline(gpu: gpu)
        #expect(roofline.gemmRamp(tokens: 128) == 0.5)
        #expect(abs(roofline.gemmRamp(tokens: 3 * 128) - 0.75) < 1e-15)
        // A GPU of a tensor-parallel pair does half the rows' work: its ramp is taken at M / 2.
        let one = StepTimeModel(model: Fixtures.tinyModel, gpu: gpu, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 1)
        let two = StepTimeModel(model: Fixtures.tinyModel, gpu: gpu, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 2)
        var work = StepWork()
        work.addPrefillChunk(256, afterPrefix: 0, completesPrompt: true)
        let ffnOne = one.operatorCosts(for: work).first { $0.name == "dense_ffn" }!
        let ffnTwo = two.operatorCosts(for: work).first { $0.name == "dense_ffn" }!
        // Compute-bound both: FLOPs / (100 TF x ramp): 256 rows -> 2/3; 128 rows per GPU -> 1/2.
        let flops = 2 * 256 * 3 * 1024 * 4096.0 * 2
        #expect(abs(ffnOne.seconds - flops / (100e12 * 2.0 / 3.0)) / ffnOne.seconds < 1e-12)
        #expect(abs(ffnTwo.seconds - flops / 2 / (100e12 * 0.5)) / ffnTwo.seconds < 1e-12)
    }

    @Test func softRooflineAtTheRidge() {
        var gpu = Fixtures.roundGPU
        gpu.efficiency.overlapExponent = 2
        // 1 TFLOP at 100 TF/s BF16 = 10 ms, 10 GB at 1 TB/s = 10 ms: sqrt(2) x 10 ms with p = 2.
        let (seconds, _) = Roofline(gpu: gpu).time(flops: 1e12, bytes: 10e9, format: .bf16)
        #expect(abs(seconds - 0.01 * 2.0.squareRoot()) < 1e-15)
        #expect(Roofline(gpu: Fixtures.roundGPU).time(flops: 1e12, bytes: 10e9, format: .bf16).seconds == 0.01)
    }

    @Test func expertsTouchedClosedForm() {
        // E(1 - (1 - k/E)^t): one token touches k experts; two tokens 8(1 - 0.75^2) = 3.5; many touch all.
        #expect(StepTimeModel.expectedExpertsTouched(experts: 8, active: 2, tokens: 1) == 2)
        #expect(abs(StepTimeModel.expectedExpertsTouched(experts: 8, active: 2, tokens: 2) - 3.5) < 1e-12)
        #expect(abs(StepTimeModel.expectedExpertsTouched(experts: 8, active: 2, tokens: 1000) - 8) < 1e-9)
        #expect(StepTimeModel.expectedExpertsTouched(experts: 128, active: 4, tokens: 0) == 0)
    }

    @Test func mixtralBatchOneReadsTwoExpertsPerLayer() throws {
        let model = try Fixtures.model("mixtral-8x7b")
        let step = StepTimeModel(model: model, gpu: Fixtures.roundGPU, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        let one = step.operatorCosts(for: StepWork(decodeSequences: 1, decodeContextTokens: 0, sampledTokens: 1))
        let experts = try #require(one.first { $0.name == "experts" })
        // 32 layers x (2 experts x 3 x 4096 x 14336 FP8 bytes + router 4096 x 8 BF16) + activations.
        let expertBytes: Double = 2 * 3 * 4096 * 14336
        let routerBytes: Double = 4096 * 8 * 2
        let weightBytes = 32 * (expertBytes + routerBytes)
        #expect(experts.bytes >= weightBytes && experts.bytes < weightBytes * 1.001)
    }

    @Test func ringOrTreeAllReduceByHand() {
        let link = ScaleUpLink(name: "nvlink", topology: .switched, bytesPerSecondPerDirection: 450e9,
                               linkBytesPerSecondPerDirection: 450e9, domainGPUs: 8, latency: 2e-6)
        // 2 GPUs, 1 MB: 2 x (1/2) x 1e6 / 450e9 + 2 x 1 x 2 us.
        #expect(abs(Collectives.allReduceTime(bytes: 1e6, gpus: 2, link: link) - (1e6 / 450e9 + 4e-6)) < 1e-15)
        // (The tree: 2 x 1e6 / 450e9 + 2 x 1 x 2 us = 8.4 us, slower than the ring's 6.2 us for 2 GPUs.)
        // 8 GPUs: ring 2 x 7/8 x 1e6 / 450e9 + 14 x 2 us = 31.9 us; tree 2 x 1e6 / 450e9 + 2 x 3 x 2 us = 16.4 us.
        #expect(abs(Collectives.allReduceTime(bytes: 1e6, gpus: 8, link: link) - (2e6 / 450e9 + 12e-6)) < 1e-15)
        // 64 MB on 8 GPUs: the ring's smaller volume wins.
        #expect(abs(Collectives.allReduceTime(bytes: 64e6, gpus: 8, link: link) - (2 * 7.0 / 8 * 64e6 / 450e9 + 28e-6)) < 1e-15)
        #expect(Collectives.allReduceTime(bytes: 1e6, gpus: 1, link: link) == 0)
    }

    @Test func meshAllReduceUsesOneLinkPerPeer() {
        let link = ScaleUpLink(name: "xgmi", topology: .mesh, bytesPerSecondPerDirection: 448e9,
                               linkBytesPerSecondPerDirection: 64e9, domainGPUs: 8, latency: 2e-6)
        // 8 GPUs, 1 MB: 2 x (1e6 / 8) / 64e9 + 2 x 2 us.
        #expect(abs(Collectives.allReduceTime(bytes: 1e6, gpus: 8, link: link) - (2 * 125_000 / 64e9 + 4e-6)) < 1e-15)
    }

    @Test func tensorParallelHalvesComputeAndAddsAllReduce() {
        let one = StepTimeModel(model: Fixtures.tinyModel, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 1)
        let two = StepTimeModel(model: Fixtures.tinyModel, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 2)
        var work = StepWork()
        work.addPrefillChunk(8192, afterPrefix: 0, completesPrompt: true)
        let ffnOne = one.operatorCosts(for: work).first { $0.name == "dense_ffn" }!
        let ffnTwo = two.operatorCosts(for: work).first { $0.name == "dense_ffn" }!
        #expect(ffnTwo.flops == ffnOne.flops / 2)
        // All-reduce: 2 per layer x 2 layers of 8192 x 1024 x 2 B = 16.8 MB each: ring over 100 GB/s.
        let allReduce = two.operatorCosts(for: work).first { $0.name == "tp_all_reduce" }!
        let message = 8192.0 * 1024 * 2
        #expect(abs(allReduce.seconds - 4 * (message / 100e9 + 2e-6)) < 1e-12)
    }
}
