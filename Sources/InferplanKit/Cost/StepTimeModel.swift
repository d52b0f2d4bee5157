import Foundation

/// How long one engine step of one replica takes: the answer to "how long does a decode step take".
///
/// Per operator (QKV and O projections, attention over the KV cache, dense FFN or routed experts,
/// MoE routing, element-wise work, LM head and sampling) it counts FLOPs and HBM bytes for the
/// step's batch on one GPU of the tensor-parallel group and costs each with the roofline
/// (`Roofline`) in the format the matrix units actually run; tensor-parallel all-reduces (two per
/// layer), expert all-to-alls and pipeline hand-offs go over the links (`Collectives`); a fixed
/// per-step overhead covers scheduling and launch, a per-call overhead
/// (`EfficiencyProfile.kernelOverheadSeconds`) the stacks that pay for every kernel call, and host work per
/// scheduled sequence (`EfficiencyProfile.hostSecondsPerSequence`) is added or overlapped as the stack
/// does. `StepTimeModel+Operators.swift` is the one place a step's work is counted.
///
/// Everything that does not depend on the batch is computed once at init, so `time(for:)` is O(1)
/// and allocation-free. A class: a replica asks it once per step, and as a struct of about 1 KB
/// (the model, the GPU and the precomputed terms) it was copied and its references retained on
/// every call, a quarter of an Offline run's time on 10,000 nodes.
public final class StepTimeModel: Sendable {
    public let model: ModelArchitecture
    public let gpu: GPUSpec
    public let precision: Precision
    public let tensorParallel: Int
    /// GPUs per node, and the network between nodes, for tensor parallelism that spans nodes.
    public let gpusPerNode: Int
    public let scaleOut: ScaleOutNetwork
    public let roofline: Roofline
    public let weights: WeightLayout
    /// Pipeline stages and expert parallelism (tensor parallelism is `tensorParallel`).
    public let parallelism: Parallelism
    /// Draft tokens verified per decode step, and how many of them are accepted (off by default).
    public let speculation: SpeculativeDecoding?

    /// Formats the matrix units actually run in.
    public let attentionProjectionFormat: ComputeFormat
    public let mlpFormat: ComputeFormat
    public let expertFormat: ComputeFormat
    public let attentionFormat: ComputeFormat
    public let lmHeadFormat: ComputeFormat

    /// Bytes per activation element moved between operators (BF16).
    static let activationBytes = 2.0
    /// Bytes per logit read by sampling (FP32 logits).
    static let logitBytes = 4.0

    let tp: Double
    let kernelOverheadSeconds: Double
    /// compute / attention efficiency (1 unless the profile calibrated its attention kernel).
    let attentionSlowdown: Double
    let kvShards: Double
    /// GPUs the attention side's tokens are spread over: the tensor group under data-parallel
    /// attention, else 1 (every GPU of the group sees every token, its share of the heads).
    let attentionTokenShards: Double
    /// GPUs the attention weights are split over: 1 under data-parallel attention, else `tp`.
    let attentionWeightShards: Double
    let kvBytesPerTokenPerLayer: Double
    let qkvParameters: Double
    /// 1 / dense peak FLOP/s per compute format (by `ComputeFormat.index`; 0 where the GPU has no
    /// units), and 1 / HBM bytes/s: the busy time of a step's arithmetic and traffic at full speed.
    let inversePeakFLOPS: [Double]
    let inverseBandwidth: Double

    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int,
                gpusPerNode: Int? = nil, scaleOut: ScaleOutNetwork = .rdma400, parallelism: Parallelism? = nil,
                speculation: SpeculativeDecoding? = nil) {
        self.model = model
        self.parallelism = parallelism ?? Parallelism(tensor: tensorParallel)
        self.gpusPerNode = gpusPerNode ?? tensorParallel
        self.scaleOut = scaleOut
        self.gpu = gpu
        self.precision = precision
        self.tensorParallel = tensorParallel
        self.speculation = speculation
        self.roofline = Roofline(gpu: gpu)
        inversePeakFLOPS = ComputeFormat.allCases.map { gpu.denseFLOPS[$0].map { 1 / $0 } ?? 0 }
        inverseBandwidth = gpu.memoryBytesPerSecond > 0 ? 1 / gpu.memoryBytesPerSecond : 0
        self.weights = WeightLayout(model: model, precision: precision)
        self.tp = Double(tensorParallel)
        self.kernelOverheadSeconds = gpu.efficiency.kernelOverheadSeconds
        let attentionFormat = gpu.computeFormat(for: precision.kvCache.compute)
        self.attentionFormat = attentionFormat
        self.attentionSlowdown = gpu.efficiency.attention.map { gpu.efficiency.computeEfficiency(attentionFormat) / $0 } ?? 1
        let attentionData = self.parallelism.attentionDataParallel
        self.kvShards = Double(WeightLayout.kvShards(model: model, tensorParallel: tensorParallel, attentionDataParallel: attentionData))
        self.attentionTokenShards = attentionData ? Double(tensorParallel) : 1
        self.attentionWeightShards = attentionData ? 1 : Double(tensorParallel)
        self.kvBytesPerTokenPerLayer = model.kvElementsPerTokenPerLayer * precision.kvCache.bytesPerElement
        self.qkvParameters = model.attentionParametersPerLayer - Double(model.attentionWidth) * Double(model.hidden)
        attentionProjectionFormat = gpu.computeFormat(for: weights.attentionFormat.preferredCompute)
        mlpFormat = gpu.computeFormat(for: weights.mlpFormat.preferredCompute)
        expertFormat = gpu.computeFormat(for: weights.expertFormat.preferredCompute)
        lmHeadFormat = gpu.computeFormat(for: weights.lmHeadFormat.preferredCompute)
    }

    /// Seconds for one step doing `work`. Allocation-free: this runs once per simulated step.
    ///
    /// With speculative decoding, an engine step stands for 1/E of a draft-and-verify pass, E the
    /// expected tokens a pass emits per sequence: each decode then costs (1 + draft) verified
    /// tokens, plus the drafts, over E.
    public func time(for work: StepWork) -> Double {
        guard let speculation, work.decodeSequences > 0 else { return gpuAndHostTime(for: work) }
        let verify = speculation.verifyWork(work)
        let decodes = StepWork(decodeSequences: work.decodeSequences, decodeContextTokens: work.decodeContextTokens,
                               sampledTokens: work.decodeSequences)
        let draft = speculation.draftCost * gpuAndHostTime(for: decodes)
        let pass = gpuAndHostTime(for: verify) + draft
        // The prompts' share of the pass is paid in full; the decodes' share once per E tokens.
        let decodeShare = gpuAndHostTime(for: speculation.verifyWork(decodes)) + draft
        return pass - decodeShare * (1 - 1 / speculation.expectedTokensPerPass)
    }

    /// A step's time and how busy it keeps one GPU's matrix units and HBM: seconds of arithmetic at
    /// the formats' dense peaks and of traffic at the peak bandwidth, summed over its operators
    /// (what `PowerProfile` turns into joules). One pass over the operators; with speculative
    /// decoding the time is `time(for:)`'s and the busy times those of the work as given.
    public func activity(for work: StepWork) -> StepActivity {
        var device = 0.0, compute = 0.0, memory = 0.0, computeBound = 0.0
        forEachOperator(of: work) { _, flops, bytes, format, seconds, bound in
            device += seconds
            compute += flops * inversePeakFLOPS[format.index]
            memory += bytes * inverseBandwidth
            if bound == .compute { computeBound += seconds }
        }
        guard speculation == nil || work.decodeSequences == 0 else {
            return StepActivity(seconds: time(for: work), computeBusy: compute, memoryBusy: memory, computeBound: computeBound)
        }
        return StepActivity(seconds: stepSeconds(device: device, work: work), computeBusy: compute, memoryBusy: memory,
                            computeBound: computeBound)
    }

    /// GPU time of the step's operators, with the host's per-sequence work overlapped or added,
    /// plus the fixed step overhead.
    @inline(__always)
    func gpuAndHostTime(for work: StepWork) -> Double {
        var device = 0.0
        forEachOperator(of: work) { _, _, _, _, seconds, _ in device += seconds }
        return stepSeconds(device: device, work: work)
    }

    /// A step's seconds from its operators' `device` seconds: the host's per-sequence work
    /// overlapped with them or added, as the stack does, plus the fixed step overhead.
    @inline(__always)
    private func stepSeconds(device: Double, work: StepWork) -> Double {
        let host = gpu.efficiency.hostSecondsPerSequence * Double(work.scheduledSequences)
        let combined = gpu.efficiency.hostOverlapped ? max(device, host) : device + host
        return gpu.efficiency.stepOverheadSeconds + combined
    }

    /// The step's operators and overheads with their FLOPs, bytes and seconds, totals over the
    /// layers they occur in (per GPU of the tensor-parallel group). Their seconds add up to
    /// `time(for:)` (without speculative decoding).
    public func operatorCosts(for work: StepWork) -> [OperatorCost] {
        var costs: [OperatorCost] = []
        var device = 0.0
        forEachOperator(of: work) { name, flops, bytes, format, seconds, bound in
            device += seconds
            costs.append(OperatorCost(name: "\(name)", flops: flops, bytes: bytes, format: format, seconds: seconds, bound: bound))
        }
        let host = gpu.efficiency.hostSecondsPerSequence * Double(work.scheduledSequences)
        let exposedHost = gpu.efficiency.hostOverlapped ? max(0, host - device) : host
        if host > 0 {
            costs.append(OperatorCost(name: "host_per_sequence", flops: 0, bytes: 0, format: .bf16, seconds: exposedHost, bound: .host))
        }
        costs.append(OperatorCost(name: "step_overhead", flops: 0, bytes: 0, format: .bf16,
                                  seconds: gpu.efficiency.stepOverheadSeconds, bound: .overhead))
        return costs
    }
}

/// One step's time and how busy it keeps a GPU (`StepTimeModel.activity(for:)`), seconds each.
public struct StepActivity: Sendable, Equatable {
    public var seconds: Double
    /// Arithmetic at the formats' dense peaks, and HBM traffic at the peak bandwidth.
    public var computeBusy: Double
    public var memoryBusy: Double
    /// The part of `seconds` in compute-bound operators: what a lower clock stretches.
    public var computeBound: Double
}
