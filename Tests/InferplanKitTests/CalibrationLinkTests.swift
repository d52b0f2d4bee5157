import Foundation
import Testing
@testable import InferplanKit

/// How calibration reaches the simulator: a per-call kernel overhead, the LM head's format, and GPU
/// entries whose efficiencies come from a calibration profile.
@Suite struct CalibrationLinkTests {
    private let scratch = ScratchFolder()

    static let profile = "Calibration/host-xeon-avx512-2threads.yaml"

    @Test func kernelOverheadIsChargedPerCall() throws {
        var gpu = Fixtures.roundGPU
        let model = Fixtures.tinyModel
        let precision = Precision(weights: .bf16, kvCache: .bf16)
        let work = StepWork(decodeSequences: 4, decodeContextTokens: 400, sampledTokens: 4)
        let without = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 1).time(for: work)
        gpu.efficiency.kernelOverheadSeconds = 1e-3
        let with = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 1).time(for: work)
        // Per layer QKV, attention, O and the FFN's two GEMMs (5 calls) x 2 layers, plus the LM head: 11 calls.
        #expect(abs((with - without) - 11e-3) < 1e-12)
    }

    @Test func aCalibratedAttentionKernelSetsTheAttentionRate() throws {
        var gpu = Fixtures.roundGPU
        let model = Fixtures.tinyModel
        let precision = Precision(weights: .bf16, kvCache: .bf16)
        var work = StepWork()
        work.addPrefillChunk(4096, afterPrefix: 0, completesPrompt: true)   // compute-bound attention
        func attentionSeconds() -> Double {
            StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 1)
                .operatorCosts(for: work).first { $0.name == "attention" }!.seconds
        }
        let flops = 2 * model.attentionFLOPsPerTokenPerLayer(context: 4096 * 4097 / 2)   // 2 layers
        #expect(abs(attentionSeconds() - flops / 100e12) / (flops / 100e12) < 1e-9)
        gpu.efficiency.attention = 0.25   // a quarter of the BF16 peak, where the GEMMs get all of it
        #expect(abs(attentionSeconds() - flops / 25e12) / (flops / 25e12) < 1e-9)
    }

    @Test func theAttentionFitRecoversItsRate() throws {
        // Timings made from 20 GFLOP/s with the GEMM fit's bandwidth, transition and overhead.
        let gemm = HostCalibration.Fit(bandwidth: 20e9, bandwidthError: 0, peak: [:], peakError: [:], overhead: 50e-6,
                                       overheadError: 0, overlapExponent: 4, overlapExponentError: 0, rmsLogError: 0, residuals: [])
        var data = HostCalibration.attentionGrid(quick: false)
        for i in data.indices {
            let m = data[i]
            data[i].seconds = Roofline.combine(compute: m.flops / 20e9, memory: m.bytes / 20e9, exponent: 4) + 50e-6
        }
        // By hand, a prefill of 2 prompts of 128: 4 x 32 x 64 x 2 x (128 x 129 / 2) FLOPs.
        #expect(data[4].prefill && data[4].flops == 4 * 32 * 64 * 2 * 8256)
        let fit = try HostCalibration.fitAttention(data, gemm: gemm, start: 1e9)
        #expect(abs(fit.rate / 20e9 - 1) < 1e-4 && fit.residuals.allSatisfy { abs($0) < 1e-6 })
    }

    @Test func aProfileDeviceUsesTheFittedBandwidthEvenAboveTheMeasuredRead() throws {
        // The kernels can beat the plain read loop; the fitted rate is what the simulator must use.
        let text = try String(contentsOfFile: Fixtures.packageRoot.appendingPathComponent(Self.profile).path, encoding: .utf8)
        let fitted = try Catalog.bundled.gpu(YAMLDocument.parse(text, name: "profile.yaml"), baseDirectory: ".")
        let fittedRate = fitted.memoryBytesPerSecond * fitted.efficiency.bandwidth
        let slowRead = text.replacingOccurrences(of: #"read_bandwidth_gb_s: [0-9.]+"#, with: "read_bandwidth_gb_s: 5",
                                                 options: .regularExpression)
        let device = try Catalog.bundled.gpu(YAMLDocument.parse(slowRead, name: "profile.yaml"), baseDirectory: ".")
        #expect(device.efficiency.bandwidth == 1 && abs(device.memoryBytesPerSecond - fittedRate) < 1)
        let machine = try Catalog.hostProfileMachine(YAMLDocument.parse(slowRead, name: "profile.yaml"))
        #expect(machine.readBandwidth == 5e9 && machine.threads == 2)
    }

    @Test func theLMHeadFormatIsAScenarioChoice() throws {
        let model = try Fixtures.model("llama2-70b")
        let bf16 = WeightLayout(model: model, precision: Precision(weights: .fp8, kvCache: .fp8))
        let fp8 = WeightLayout(model: model, precision: Precision(weights: .fp8, kvCache: .fp8, lmHead: .fp8))
        #expect(bf16.lmHeadBytes == 32000 * 8192 * 2 && fp8.lmHeadBytes == 32000 * 8192)
        #expect(bf16.embeddingBytes == fp8.embeddingBytes)   // the embedding stays BF16
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(
            of: "kv_cache: fp8}", with: "kv_cache: fp8, lm_head: fp8}"))
        #expect(scenario.precision.lmHead == .fp8)
        do {
            _ = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(
                of: "kv_cache: fp8}", with: "kv_cache: fp8, lm_head: fp5}"), name: "bad.yaml")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.location == "bad.yaml:3" && error.keyPath == "precision.lm_head" && error.valid.contains("mxfp4"))
        }
    }

    /// A scenario on a GPU entry (written to a temporary file) for the machine the profile was
    /// measured on, with its datasheet limits; the entry's path is returned too.
    func hostGPU(bandwidthTBs: Double, fp4TFLOPS: Double, efficiency: String) throws -> (scenario: String, gpuFile: String) {
        let gpu = """
        id: this-host
        name: This host as a GPU entry
        memory_gb: 20
        memory_bandwidth_tb_s: \(bandwidthTBs)
        dense_tflops: {bf16: 0.35, fp4: \(fp4TFLOPS)}
        scale_up: {topology: switched, bidirectional_gb_s: 10, domain_gpus: 1}
        efficiency: \(efficiency)
        source: test
        """
        let path = scratch.file("gpu-\(UUID().uuidString).yaml")
        try gpu.write(toFile: path, atomically: true, encoding: .utf8)
        let scenario = """
        model: synthetic-1b
        hardware: {gpu: \(path), gpus_per_node: 1, nodes: 1}
        precision: {weights: mxfp4, kv_cache: bf16}
        parallelism: {tensor: 1}
        serving: {scheduler: continuous, max_batch_seqs: 16, max_batch_tokens: 2048}
        workload: {scenario: offline, samples: 16, input_tokens: 128, output_tokens: 16, seed: 1}
        """
        return (scenario, path)
    }

    @Test func aGPUEntryTakesItsEfficienciesFromACalibrationProfile() throws {
        let efficiency = "{calibration: \(Self.profile), step_overhead_ms: 0, activation_reserve_gb: 0, kv_memory_fraction: 0.9, provenance: test}"
        let scenario = try Fixtures.scenario(hostGPU(bandwidthTBs: 0.03, fp4TFLOPS: 0.3, efficiency: efficiency).scenario)
        let host = try Catalog.bundled.gpu(YAMLDocument.load(path: Fixtures.packageRoot.appendingPathComponent(Self.profile).path),
                                           baseDirectory: ".")
        let e = scenario.gpu.efficiency
        // Fitted over datasheet: the same achieved rates the profile as a device has.
        #expect(abs(e.bandwidth * 0.03e12 - host.memoryBytesPerSecond * host.efficiency.bandwidth) < 1)
        #expect(abs(e.compute * 0.3e12 - host.denseFLOPS[.fp4]!) < 1)
        #expect(e.kernelOverheadSeconds == host.efficiency.kernelOverheadSeconds && e.overlapExponent == host.efficiency.overlapExponent)
        #expect(e.provenance.hasPrefix("test Compute, attention and bandwidth efficiency") && e.provenance.contains("inferplan calibrate"))
    }

    @Test func aProfileFasterThanTheDatasheetIsRejected() throws {
        let efficiency = "{calibration: \(Self.profile), step_overhead_ms: 0, activation_reserve_gb: 0, kv_memory_fraction: 0.9, provenance: test}"
        let slow = try hostGPU(bandwidthTBs: 0.01, fp4TFLOPS: 0.3, efficiency: efficiency)
        do {
            _ = try Fixtures.scenario(slow.scenario)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.location == "\(slow.gpuFile):7" && error.keyPath == "efficiency.calibration")
            #expect(error.problem.contains("fitted bandwidth is") && error.valid.contains("calibrated on this device"))
        }
        let both = "{calibration: \(Self.profile), compute_efficiency: 0.5, step_overhead_ms: 0, activation_reserve_gb: 0, kv_memory_fraction: 0.9, provenance: test}"
        do {
            _ = try Fixtures.scenario(hostGPU(bandwidthTBs: 0.03, fp4TFLOPS: 0.3, efficiency: both).scenario)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.keyPath == "efficiency.compute_efficiency" && error.problem.contains("comes from the calibration profile"))
        }
    }
}
