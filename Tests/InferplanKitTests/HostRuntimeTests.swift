import CFP4
import Foundation
import Testing
@testable import InferplanKit

/// The host serving loop: its element-wise operators, its KV cache (decoding with the cache gives the
/// tokens recomputing the whole prefix gives), its batching (the simulator's policy, the limits
/// held, every token produced) and its determinism.
@Suite struct TransformerOpsTests {
    @Test func rmsnormScalesEachRowToUnitRMS() {
        let x: [Float] = [3, 4, 0, 0, 1, 1, 1, 1]   // rows of 4: RMS 2.5 and 1
        var out = [Float](repeating: 0, count: 8)
        ip_rmsnorm(x, 2, 4, 0, &out, 2)
        #expect(out == [1.2, 1.6, 0, 0, 1, 1, 1, 1])
    }

    @Test func ropeIsTheIdentityAtPositionZeroAndARotationAfter() {
        let headDim = 4
        var table = [Float](repeating: 0, count: 2 * headDim)
        ip_rope_table(2, headDim, 10_000, &table)
        // Position 1: angles 1 and 1/100 for the pairs (0, 2) and (1, 3).
        #expect(abs(table[headDim + 0] - Float(cos(1.0))) < 1e-6 && abs(table[headDim + 2] - Float(sin(1.0))) < 1e-6)
        #expect(abs(table[headDim + 1] - Float(cos(0.01))) < 1e-6)
        var x: [Float] = [1, 2, 3, 4, 1, 2, 3, 4]
        let positions: [Int32] = [0, 1]
        ip_rope(&x, 2, headDim, 1, headDim, positions, table)
        #expect(Array(x[0..<4]) == [1, 2, 3, 4])
        // (a, b) = (1, 3) turned by 1 radian.
        #expect(abs(x[4] - Float(cos(1.0) - 3 * sin(1.0))) < 1e-5 && abs(x[6] - Float(3 * cos(1.0) + sin(1.0))) < 1e-5)
        let before: Float = 1 + 4 + 9 + 16, after = x[4...].reduce(0) { $0 + $1 * $1 }
        #expect(abs(after - before) < 1e-4)
    }

    @Test func swigluAndArgmax() {
        let gateUp: [Float] = [0, 2, 5, 3]   // one row, ffn 2: gates 0 and 2, ups 5 and 3
        var out = [Float](repeating: 0, count: 2)
        ip_silu_mul(gateUp, 1, 2, &out, 1)
        #expect(out[0] == 0 && abs(out[1] - Float(2 / (1 + exp(-2.0)) * 3)) < 1e-5)
        var index = [Int32](repeating: -1, count: 2)
        ip_argmax([1, 7, 7, 2, -1, -3, -2, -5], 2, 4, &index)
        #expect(index == [1, 0])   // the first of equal maxima
    }
}

@Suite struct HostServingLoopTests {
    /// 2 layers, hidden 64, 4 query / 2 KV heads of 16, FFN 128, vocabulary 256.
    static let model = ModelArchitecture(
        id: "host-tiny", name: "Host tiny", layers: 2, hidden: 64, ffn: 128,
        attention: .init(queryHeads: 4, kvHeads: 2, headDim: 16), moe: nil, vocab: 256, maxContext: 128)

    static func transformer(threads: Int = 2, slots: Int = 4, tokens: Int = 64) -> HostTransformer {
        HostTransformer(model: model, maxTokens: tokens, maxSequences: slots, maxContext: 64, seed: 3, threads: threads)
    }

    @Test func decodingWithTheCacheGivesTheTokensOfRecomputingThePrefix() {
        let cached = Self.transformer(), recomputed = Self.transformer()
        var sequence: [Int32] = [5, 17, 200, 3, 99]
        let prefill = cached.forward([ForwardSegment(slot: 1, start: 0, tokens: sequence, sample: true)])
        var next = prefill[0]
        for _ in 0..<6 {
            // Without the cache: the whole sequence again, from position 0, in another slot.
            let again = recomputed.forward([ForwardSegment(slot: 2, start: 0, tokens: sequence, sample: true)])
            #expect(again[0] == next)
            sequence.append(next)
            next = cached.forward([ForwardSegment(slot: 1, start: sequence.count - 1, tokens: [sequence.last!], sample: true)])[0]
        }
        // Greedy tokens from random weights vary: the check is not passing on a constant.
        #expect(Set(sequence.suffix(6)).count > 1)
    }

    @Test func sequencesInOneStepDoNotSeeEachOther() {
        let alone = Self.transformer(), together = Self.transformer()
        let a: [Int32] = [1, 2, 3], b: [Int32] = [9, 8, 7, 6]
        let one = alone.forward([ForwardSegment(slot: 0, start: 0, tokens: a, sample: true)])
        let two = alone.forward([ForwardSegment(slot: 1, start: 0, tokens: b, sample: true)])
        let both = together.forward([ForwardSegment(slot: 3, start: 0, tokens: b, sample: true),
                                     ForwardSegment(slot: 0, start: 0, tokens: a, sample: true)])
        #expect(both == [two[0], one[0]])
    }

    @Test func continuousBatchingProducesEveryTokenWithinTheLimits() {
        let lengths = [(16, 4), (8, 1), (30, 7), (5, 9), (16, 4), (12, 2), (20, 5), (9, 3), (3, 6)]
        let requests = lengths.map { Request(arrival: 0, inputTokens: $0.0, outputTokens: $0.1) }
        let loop = HostServingLoop(backend: Self.transformer(), maxBatchSequences: 3, maxBatchTokens: 40)
        #expect(loop.unsupportedReason(requests) == nil)
        let result = loop.run(requests, vocab: Self.model.vocab, seed: 1)
        // Tokens in = tokens out: every request got exactly its output tokens, each once.
        #expect(result.outputs.map(\.count) == lengths.map(\.1))
        #expect(result.log.outputTokens == lengths.reduce(0) { $0 + $1.1 } && result.log.completed == requests.count)
        #expect(result.steps.reduce(0) { $0 + $1.work.sampledTokens } == result.log.outputTokens)
        #expect(result.steps.reduce(0) { $0 + $1.work.prefillTokens } == lengths.reduce(0) { $0 + $1.0 })
        // The limits: sequences per step, tokens per step, and the KV slot (the last token is never fed back).
        #expect(result.peakSequences <= 3)
        #expect(result.steps.allSatisfy { $0.work.tokens <= 40 && $0.work.decodeSequences + $0.work.sampledTokens - $0.work.decodeSequences <= 3 })
        #expect(result.peakContext == lengths.map { $0.0 + $0.1 - 1 }.max())
        for id in requests.indices {
            #expect(result.log.firstToken[id] <= result.log.completion[id] && result.log.issued[id] == 0)
        }
    }

    @Test func theStepsAreTheSimulatorsContinuousBatching() {
        // 8 requests of 16 in / 4 out, 4 a batch: a prefill of 64 tokens, 3 decode steps of 4, twice.
        let requests = Array(repeating: Request(arrival: 0, inputTokens: 16, outputTokens: 4), count: 8)
        let loop = HostServingLoop(backend: Self.transformer(), maxBatchSequences: 4, maxBatchTokens: 64)
        let result = loop.run(requests, vocab: Self.model.vocab, seed: 1)
        let shapes = result.steps.map { [$0.work.prefillTokens, $0.work.decodeSequences] }
        #expect(shapes == [[64, 0], [0, 4], [0, 4], [0, 4], [64, 0], [0, 4], [0, 4], [0, 4]])
        // The simulator, on the same workload and policy, takes the same 8 steps.
        let deployment = Fixtures.deployment(model: Self.model, maxSeqs: 4, maxTokens: 64, scheduler: .continuous)
        let workload = Workload(benchmark: "test", scenario: .offline, input: LengthDistribution(.fixed(16)), output: LengthDistribution(.fixed(4)), samples: 8, qps: 0,
                                duration: 0, seed: 1, limits: nil)
        let simulated = Simulation(deployment: deployment, workload: workload).run()
        #expect(simulated.replicaStats[0].steps == 8)
    }

    @Test func runsAreDeterministicAcrossRunsAndThreadCounts() {
        let requests = (0..<6).map { Request(arrival: 0, inputTokens: 6 + $0, outputTokens: 5) }
        func outputs(threads: Int) -> [[Int32]] {
            HostServingLoop(backend: Self.transformer(threads: threads), maxBatchSequences: 4, maxBatchTokens: 64)
                .run(requests, vocab: Self.model.vocab, seed: 9).outputs
        }
        let two = outputs(threads: 2)
        #expect(two == outputs(threads: 2) && two == outputs(threads: 1))
    }

    @Test func unsupportedModelsAndWorkloadsAreNamed() throws {
        #expect(HostTransformer.unsupportedReason(try Fixtures.model("mixtral-8x7b"))?.contains("mixture of experts") == true)
        #expect(HostTransformer.unsupportedReason(try Fixtures.model("synthetic-1b")) == nil)
        let loop = HostServingLoop(backend: Self.transformer(), maxBatchSequences: 4, maxBatchTokens: 32)
        #expect(loop.unsupportedReason([Request(arrival: 0, inputTokens: 33, outputTokens: 1)])?.contains("max_batch_tokens 32") == true)
        #expect(loop.unsupportedReason([Request(arrival: 0, inputTokens: 30, outputTokens: 40)])?.contains("64-token KV slot") == true)
    }
}

@Suite struct HostCheckTests {
    static let profile = Fixtures.packageRoot.appendingPathComponent("Calibration/host-xeon-avx512-2threads.yaml").path

    @Test func theSimulatedSideIsTheHostLoopsDeployment() throws {
        let scenario = try HostCheck.scenario(profile: Self.profile, options: HostCheck.Options())
        #expect(scenario.model.id == "synthetic-1b" && scenario.precision.lmHead == .mxfp4)
        #expect(scenario.serving.maxBatchSequences == 16 && scenario.serving.maxBatchTokens == 2048)
        // The LM head in MXFP4: 4.25 bits a weight.
        let layout = WeightLayout(model: scenario.model, precision: scenario.precision)
        #expect(layout.lmHeadBytes == 32000 * 2048 * 4.25 / 8)
        // The profile's per-call overhead is charged per kernel call, not per step.
        #expect(scenario.gpu.efficiency.stepOverheadSeconds == 0 && scenario.gpu.efficiency.kernelOverheadSeconds > 0)
        #expect(scenario.workload.generateRequests().count == 64)
    }

    @Test func aSmallCheckReportsTheIssuesFieldsAndItsInvariants() throws {
        var options = HostCheck.Options()
        options.model = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/host-tiny.yaml").path
        options.requests = 6
        options.inputTokens = 8
        options.outputTokens = 4
        options.maxBatchSequences = 3
        options.maxBatchTokens = 32
        options.threads = 2   // the profile's
        let check = try HostCheck.run(profile: Self.profile, options: options)
        #expect(check.outputTokens == 24 && check.peakSequences == 3 && check.peakContext == 11)
        #expect(check.stepComparisons.map(\.kind) == ["prefill", "decode"])
        #expect(check.stepComparisons.map(\.steps) == [2, 6])
        let json = try check.json()
        for key in ["measured_output_tokens_per_s", "predicted_output_tokens_per_s", "throughput_error_pct",
                    "measured_tpot_ms_p50", "predicted_tpot_ms_p50", "tpot_error_pct",
                    "measured_ttft_ms_p50", "predicted_ttft_ms_p50", "ttft_error_pct"] {
            #expect(json.contains("\"\(key)\" : "), "missing \(key)")
        }
        // Run on 2 threads against a 2-thread profile: no complaint about threads.
        #expect(check.profileThreads == 2 && check.machineDrift?.contains("threads") != true)
        var other = check
        other.options.threads = 1
        #expect(other.machineDrift == "the profile was calibrated on 2 threads and the check ran on 1")
        // Predicted and measured come from the same metric code: TTFT below the whole run, TPOT below TTFT here.
        #expect(check.measured.ttftP50 > 0 && check.measured.ttftP50 < check.measured.seconds)
        #expect(check.predicted.ttftP50 > 0 && check.predicted.ttftP50 < check.predicted.seconds)
    }

    /// Server mode: the same Poisson draws on both sides (arrivals spread over requests / qps
    /// seconds), the per-step-kind errors in the JSON, and a series of runs summarised.
    @Test func aServerCheckSharesItsArrivalsAndSummarisesRepeats() throws {
        var options = HostCheck.Options()
        options.model = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/host-tiny.yaml").path
        options.requests = 6
        options.inputTokens = 8
        options.outputTokens = 4
        options.maxBatchSequences = 3
        options.maxBatchTokens = 32
        options.threads = 2
        options.scenario = .server
        options.qps = 50
        let scenario = try HostCheck.scenario(profile: Self.profile, options: options)
        let requests = scenario.workload.generateRequests()
        #expect(scenario.workload.scenario == .server && scenario.workload.qps == 50)
        #expect(abs(scenario.workload.durationSeconds - 6.0 / 50) < 1e-12)
        #expect(requests.allSatisfy { $0.arrivalSeconds > 0 && $0.arrivalSeconds < 0.12 })
        let checks = try (0..<2).map { _ in try HostCheck.run(profile: Self.profile, options: options) }
        for check in checks {
            #expect(check.requestsServed == requests.count && check.outputTokens == 4 * requests.count)
        }
        let json = try checks[0].json()
        #expect(json.contains("\"decode_step_error_pct\" : ") && json.contains("\"scenario\" : \"server\""))
        let series = HostCheckSeries(checks)
        #expect(series.runs == 2 && series.perRun.count == 2)
        #expect(abs(series.throughputErrorPct.mean - (checks[0].throughputErrorPct + checks[1].throughputErrorPct) / 2) < 1e-9)
        #expect(series.text().contains("over 2 back-to-back runs"))
    }

    @Test func aModelTheLoopCannotRunIsAnInputError() throws {
        var options = HostCheck.Options()
        options.model = "mixtral-8x7b"
        #expect(throws: InputError.self) { try HostCheck.run(profile: Self.profile, options: options) }
    }
}
