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
        // The ideal roofline (the catalog's p = 2 adds each GEMM's padded compute: about 7% here).
        var gpu = try Fixtures.gpu("h200-sxm")
        gpu.efficiency.overlapExponent = .infinity
        let model = try Fixtures.model("llama2-70b")
        let step = StepTimeModel(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        let work = StepWork(decodeSequences: 1, decodeContextTokens: 1000, sampledTokens: 1)
        // By hand: FP8 block weights 80 x (150,994,944 + 704,643,072) = 68.451 GB; BF16 LM head
        // 32000 x 8192 x 2 = 0.524 GB; KV read 1000 tokens x 163,840 B = 0.164 GB. Activations are
        // a few MB. At 4.8 TB/s x 0.85 plus 1 ms overhead: (68.451 + 0.524 + 0.164) / 4.08e12 + 0.001.
        let expected = (68.451e9 + 0.524e9 + 0.164e9) / (4.8e12 * gpu.efficiency.bandwidth) + gpu.efficiency.stepOverheadSeconds
        let actual = step.time(for: work)
        #expect(abs(actual - expected) / expected < 0.005, "\(actual) vs \(expected)")
        // Every operator on the GPU is memory-bound at batch 1 (links, host and fixed overheads aside).
        let device = step.operatorCosts(for: work).filter { ![.link, .host, .overhead].contains($0.bound) }
        #expect(device.allSatisfy { $0.isMemoryBound })
        #expect(device.contains { $0.name == "elementwise" })
    }

    @Test func llama2LargeBatchIsComputeBound() throws {
        // The ideal roofline (the catalog's p = 2 adds the weights' reads: about 1.5% here).
        var gpu = try Fixtures.gpu("h200-sxm")
        gpu.efficiency.overlapExponent = .infinity
        let model = try Fixtures.model("llama2-70b")
        let step = StepTimeModel(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: 1)
        var work = StepWork()
        work.addPrefillChunk(4096, afterPrefix: 0, completesPrompt: true)
        let costs = step.operatorCosts(for: work)
        // The linear layers at 4,096 tokens, each at 1979 TFLOP/s x the FP8 efficiency x the GEMM ramp
        // 4096 / (4096 + M_half) x its shape ramp n / (n + w) x k / (k + w) (w the profile's
        // half-efficiency width; N and K the full weight dimensions at TP1):
        // QKV 2 x 4096 x 80 x 8192 x 10240 FLOPs (10,240 x 8,192), O 2 x 4096 x 80 x 8192 x 8192
        // (8,192 x 8,192), FFN 2 x 4096 x 80 x 3 x 8192 x 28672 (28,672 x 8,192).
        let linear = costs.filter { ["qkv_projection", "o_projection", "dense_ffn"].contains($0.name) }
        let seconds = linear.reduce(0) { $0 + $1.seconds }
        let rate = 1979e12 * gpu.efficiency.computeEfficiency(.fp8) * 4096 / (4096 + gpu.efficiency.gemmHalfEfficiencyTokens)
        let w = gpu.efficiency.gemmHalfEfficiencyWidth
        func gemm(_ parameters: Double, n: Double, k: Double) -> Double { 2 * 4096 * 80 * parameters / (rate * n / (n + w) * k / (k + w)) }
        let expected = gemm(8192 * 10240, n: 10240, k: 8192) + gemm(8192 * 8192, n: 8192, k: 8192) + gemm(3 * 8192 * 28672, n: 28672, k: 8192)
        #expect(abs(seconds - expected) / expected < 1e-9)
        #expect(linear.allSatisfy { !$0.isMemoryBound })
    }

    /// The shape ramp at the catalog's 1,024: a 4,096 x 4,096 matrix (Llama 3.1 8B's projections)
    /// keeps 0.8 x 0.8 = 0.64 of the large-matrix efficiency, Llama 2 70B's FFN (28,672 x 8,192)
    /// 28672/29696 x 8192/9216 = 0.858, a DeepSeek-R1 expert (2,048 x 7,168) 2/3 x 7/8 = 0.583.
    @Test func smallMatricesKeepLessOfTheirEfficiency() throws {
        let roofline = Roofline(gpu: try Fixtures.gpu("h200-sxm"))
        #expect(roofline.halfEfficiencyWidth == 1024)
        #expect(abs(roofline.shapeRamp(n: 4096, k: 4096) - 0.64) < 1e-12)
        #expect(abs(roofline.shapeRamp(n: 28672, k: 8192) - 28672.0 / 29696 * 8192 / 9216) < 1e-12)
        #expect(abs(roofline.shapeRamp(n: 2048, k: 7168) - 2.0 / 3 * 7 / 8) < 1e-12)
        // Off with the token ramp (the host profiles), and at width 0.
        var gpu = Fixtures.roundGPU
        gpu.efficiency.gemmHalfEfficiencyTokens = 0
        #expect(Roofline(gpu: gpu).shapeRamp(n: 16, k: 16) == 1)
        gpu.efficiency.gemmHalfEfficiencyTokens = 128
        gpu.efficiency.gemmHalfEfficiencyWidth = 0
        #expect(Roofline(gpu: gpu).shapeRamp(n: 16, k: 16) == 1)
    }

    @Test func gemmRampHalvesEfficiencyAtItsTokenCount() {
        var gpu = Fixtures.roundGPU
        gpu.efficiency.gemmHalfEfficiencyTokens = 128
        let roofline = Roofline(gpu: gpu)
        #expect(roofline.gemmRamp(tokens: 128) == 0.5)
        #expect(abs(roofline.gemmRamp(tokens: 3 * 128) - 0.75) < 1e-15)
        // Tensor parallelism splits the weights' N or K, never M: each GPU of a pair multiplies all
        // 256 rows (ramp 256 / 384 = 2/3 on both), and the weights it holds ramp as
        // n / (n + 128) x k / (k + 128): the FFN width 4,096 (32/33) at TP1, 2,048 (16/17) at TP2,
        // times the hidden width 1,024 (8/9) unsplit.
        let one = StepTimeModel(model: Fixtures.tinyModel, gpu: gpu, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 1)
        let two = StepTimeModel(model: Fixtures.tinyModel, gpu: gpu, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 2)
        var work = StepWork()
        work.addPrefillChunk(256, afterPrefix: 0, completesPrompt: true)
        let ffnOne = one.operatorCosts(for: work).first { $0.name == "dense_ffn" }!
        let ffnTwo = two.operatorCosts(for: work).first { $0.name == "dense_ffn" }!
        let flops = 2 * 256 * 3 * 1024 * 4096.0 * 2
        #expect(abs(ffnOne.seconds - flops / (100e12 * 2.0 / 3.0 * 32.0 / 33.0 * 8.0 / 9.0)) / ffnOne.seconds < 1e-12)
        #expect(abs(ffnTwo.seconds - flops / 2 / (100e12 * 2.0 / 3.0 * 16.0 / 17.0 * 8.0 / 9.0)) / ffnTwo.seconds < 1e-12)
        // So a pair nearly halves the GEMM time instead of losing the ramp's share again per GPU.
        #expect(ffnTwo.seconds < 0.52 * ffnOne.seconds)
    }

    @Test func decodeTimeFallsWithTensorParallelism() throws {
        // Llama 2 70B FP8 on H200, 16 sequences of 1,000 cached tokens: the weights per GPU shrink
        // as 1/TP (69 GB -> 8.6 GB), so each step up to TP8 must be faster, the all-reduces
        // notwithstanding.
        let gpu = try Fixtures.gpu("h200-sxm")
        let model = try Fixtures.model("llama2-70b")
        let work = StepWork(decodeSequences: 16, decodeContextTokens: 16_000, sampledTokens: 16)
        let times = [1, 2, 4, 8].map { tp in
            StepTimeModel(model: model, gpu: gpu, precision: .init(weights: .fp8, kvCache: .fp8), tensorParallel: tp,
                          gpusPerNode: 8).time(for: work)
        }
        for (slower, faster) in zip(times, times.dropFirst()) { #expect(faster < slower, "\(times)") }
        // By hand, at the fitted bandwidth efficiency e_b: TP1 reads 69.5 GB at 4.8 TB/s x e_b plus 1 ms
        // of step overhead; TP8 reads 8.7 GB plus the overhead and 160 tree all-reduces of about 12 us
        // each (1.9 ms). At e_b = 0.55: 27 ms against 7.2 ms, more than 3x faster.
        #expect(times[3] < times[0] / 3, "\(times)")
    }

    @Test func elementwiseTrafficByHand() {
        // tinyModel (2 layers, hidden 1024, FFN 4096, Q/K/V width 1024 + 2 x 256, vocab 1000) in BF16 at
        // TP1, one token, one sampled: per layer 2 x (3 x 1024 x 2 + 1024 x 2) norms + 2 x qkv width x 2
        // rotary + 4096 x (2 x 2 + 2) SwiGLU; plus 1000 FP32 logits.
        let step = StepTimeModel(model: Fixtures.tinyModel, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 1)
        let qkv = Double(Fixtures.tinyModel.qkvWidth)
        let perLayer = 2 * (3 * 1024 * 2 + 1024 * 2) + 2 * qkv * 2 + 4096 * 6.0
        let expected = 2 * perLayer + Double(Fixtures.tinyModel.vocab) * 4
        #expect(abs(step.elementwiseBytes(tokens: 1, sampled: 1) - expected) < 1e-6)
    }

    @Test func perFormatEfficiencyAppliesToItsFormat() {
        var gpu = Fixtures.roundGPU
        gpu.denseFLOPS[.fp8] = 200e12
        gpu.efficiency.computeByFormat = [.fp8: 0.5]
        let roofline = Roofline(gpu: gpu)
        #expect(roofline.flops[.fp8] == 100e12)
        #expect(roofline.flops[.bf16] == 100e12 * gpu.efficiency.compute)
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
        #expect(ExpertLoad.expectedTouched(experts: 8, active: 2, tokens: 1) == 2)
        #expect(abs(ExpertLoad.expectedTouched(experts: 8, active: 2, tokens: 2) - 3.5) < 1e-12)
        #expect(abs(ExpertLoad.expectedTouched(experts: 8, active: 2, tokens: 1000) - 8) < 1e-9)
        #expect(ExpertLoad.expectedTouched(experts: 128, active: 4, tokens: 0) == 0)
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

/// `--explain`: the operators' times are the step's time, in every report format.
@Suite struct ExplainTests {
    @Test func sharesAddUpToTheStepTime() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "hardware.gpus_per_node=1")])
        let outcome = try ScenarioRun.outcome(scenario)
        let steps = StepExplanation.representative(deployment: outcome.deployment, metrics: outcome.metrics)
        #expect(steps.map(\.kind) == ["decode", "prefill"])
        for step in steps {
            let sum = step.operators.reduce(0) { $0 + $1.ms }
            #expect(abs(sum - step.stepMs) < 1e-9)
            #expect(abs(step.operators.reduce(0) { $0 + $1.share } - 1) < 1e-12)
            #expect(step.operators.allSatisfy { $0.mfu <= 1 + 1e-9 && $0.mbu <= 1 + 1e-9 })
        }
        // The decode step is the step model's time for the same work, to the nanosecond.
        let decode = steps[0]
        let work = StepWork(decodeSequences: decode.sequences, decodeContextTokens: Double(decode.sequences * decode.contextTokens),
                            sampledTokens: decode.sequences)
        #expect(abs(outcome.deployment.stepModel.time(for: work) * 1000 - decode.stepMs) < 1e-9)
        // A large decode batch of Llama 2 70B is memory-bound in its GEMMs' weights and its attention.
        #expect(decode.operators.first { $0.name == "attention" }?.bound == .memory)
        let report = RunReport(scenario: scenario, outcome: outcome, includeWallTime: false, explain: true)
        #expect(report.text().contains("where the time goes"))
        #expect(try report.json().contains("\"explain\""))
        #expect(report.html().contains("Where the time goes: prefill step"))
    }
}

@Suite struct SpeculativeDecodingTests {
    @Test func expectedTokensPerPassByHand() {
        // 1 + a + a^2 + a^3 with a = 0.5: 1.875.
        #expect(SpeculativeDecoding(draftTokens: 3, acceptanceRate: 0.5, draftCost: 0).expectedTokensPerPass == 1.875)
        #expect(SpeculativeDecoding(draftTokens: 2, acceptanceRate: 0, draftCost: 0).expectedTokensPerPass == 1)
    }

    @Test func decodeStepCostsTheVerifyPassOverItsTokens() {
        // A pure decode step is one draft-and-verify pass over the E tokens it emits per sequence:
        // (T(verify: 1 + d tokens per sequence) + c x T(plain decode)) / E.
        let spec = SpeculativeDecoding(draftTokens: 3, acceptanceRate: 0.8, draftCost: 0.05)
        let plain = StepTimeModel(model: Fixtures.tinyModel, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16), tensorParallel: 1)
        let speculative = StepTimeModel(model: Fixtures.tinyModel, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16),
                                        tensorParallel: 1, speculation: spec)
        let work = StepWork(decodeSequences: 64, decodeContextTokens: 64 * 500, sampledTokens: 64)
        var verify = work
        verify.prefillTokens = 64 * 3
        verify.prefillAttendedPositions = 3 * 64 * 500
        verify.sampledTokens = 64 * 4   // every verified position's logits
        let e = 1 + 0.8 + 0.64 + 0.512
        let expected = (plain.time(for: verify) + 0.05 * plain.time(for: work)) / e
        #expect(abs(speculative.time(for: work) - expected) < 1e-15)
        // Memory-bound decode (one weight read per pass for ~2.95 tokens): faster per token than plain.
        #expect(speculative.time(for: work) < plain.time(for: work))
    }

    @Test func scenarioKeysReachTheStepModel() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "serving.speculative.draft_tokens=3"), Override(parsing: "serving.speculative.acceptance_rate=0.7")])
        #expect(try scenario.deployment().stepModel.speculation == SpeculativeDecoding(draftTokens: 3, acceptanceRate: 0.7, draftCost: 0.05))
        #expect(throws: InputError.self) {
            try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "serving.speculative.acceptance_rate=1.5")])
        }
    }
}
