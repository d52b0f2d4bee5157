import Foundation

/// How long one engine step of one replica takes: the answer to "how long does a decode step take".
///
/// Per operator (QKV projection, attention over the KV cache, O projection, dense FFN or routed
/// experts, LM head) it counts FLOPs and HBM bytes for the step's batch on one GPU of the
/// tensor-parallel group, and costs each with the roofline (`Roofline`); tensor-parallel
/// all-reduces (two per layer) go over the scale-up link (`Collectives`); a fixed per-step overhead
/// covers scheduling and launch, and a per-call overhead (`EfficiencyProfile.kernelOverhead`) the
/// stacks that pay for every kernel call. Everything that does not depend on the batch is computed once at
/// init, so `time(for:)` is O(1).
public struct StepTimeModel: Sendable {
    public let model: ModelArchitecture
    public let gpu: GPUSpec
    public let precision: Precision
    public let tensorParallel: Int
    /// GPUs per node, and the network between nodes, for tensor parallelism that spans nodes.
    public let gpusPerNode: Int
    public let scaleOut: ScaleOutNetwork
    public let roofline: Roofline
    public let weights: WeightLayout

    /// Formats the matrix units actually run in.
    public let attentionProjectionFormat: ComputeFormat
    public let mlpFormat: ComputeFormat
    public let expertFormat: ComputeFormat
    public let attentionFormat: ComputeFormat
    public let lmHeadFormat: ComputeFormat

    /// Bytes per activation element moved between operators (BF16).
    static let activationBytes = 2.0

    private let tp: Double
    private let kernelOverhead: Double
    /// compute / attention efficiency (1 unless the profile calibrated its attention kernel).
    private let attentionSlowdown: Double
    private let kvShards: Double
    private let kvBytesPerTokenPerLayer: Double
    private let qkvParameters: Double

    /// Pipeline stages and expert parallelism (tensor parallelism is `tensorParallel`).
    public let parallelism: Parallelism

    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int,
                gpusPerNode: Int? = nil, scaleOut: ScaleOutNetwork = .rdma400, parallelism: Parallelism? = nil) {
        self.model = model
        self.parallelism = parallelism ?? Parallelism(tensor: tensorParallel)
        self.gpusPerNode = gpusPerNode ?? tensorParallel
        self.scaleOut = scaleOut
        self.gpu = gpu
        self.precision = precision
        self.tensorParallel = tensorParallel
        self.roofline = Roofline(gpu: gpu)
        self.weights = WeightLayout(model: model, precision: precision)
        self.tp = Double(tensorParallel)
        self.kernelOverhead = gpu.efficiency.kernelOverhead
        self.attentionSlowdown = gpu.efficiency.attention.map { gpu.efficiency.compute / $0 } ?? 1
        self.kvShards = Double(WeightLayout.kvShards(model: model, tensorParallel: tensorParallel))
        self.kvBytesPerTokenPerLayer = model.kvElementsPerTokenPerLayer * precision.kvCache.bytesPerElement
        self.qkvParameters = model.attentionParametersPerLayer - Double(model.attentionWidth) * Double(model.hidden)
        attentionProjectionFormat = gpu.computeFormat(for: weights.attentionFormat.preferredCompute)
        mlpFormat = gpu.computeFormat(for: weights.mlpFormat.preferredCompute)
        expertFormat = gpu.computeFormat(for: weights.expertFormat.preferredCompute)
        attentionFormat = gpu.computeFormat(for: precision.kvCache.compute)
        lmHeadFormat = gpu.computeFormat(for: weights.lmHeadFormat.preferredCompute)
    }

    /// Seconds for one step doing `work`. Allocation-free: this runs once per simulated step.
    public func time(for work: StepWork) -> Double {
        var total = gpu.efficiency.stepOverhead
        forEachOperator(of: work) { _, _, _, _, seconds, _ in total += seconds }
        return total
    }

    /// The step's operators with their FLOPs, bytes and seconds, already multiplied by the layers
    /// they occur in (per GPU of the tensor-parallel group).
    public func operatorCosts(for work: StepWork) -> [OperatorCost] {
        var costs: [OperatorCost] = []
        forEachOperator(of: work) { name, flops, bytes, format, seconds, memoryBound in
            costs.append(OperatorCost(name: "\(name)", flops: flops, bytes: bytes, format: format,
                                      seconds: seconds, isMemoryBound: memoryBound))
        }
        return costs
    }

    /// Calls `visit(name, flops, bytes, format, seconds, memoryBound)` for each operator of the step,
    /// totals over the layers it occurs in. The single place where a step's work is counted.
    @inline(__always)
    private func forEachOperator(
        of work: StepWork,
        _ visit: (StaticString, Double, Double, ComputeFormat, Double, Bool) -> Void
    ) {
        guard !work.isEmpty else { return }
        // Roofline one operator occurring in `count` layers with per-layer flops and bytes.
        // `rows`: the GEMM's token dimension, for the efficiency ramp (nil: not a weight GEMM). A
        // tensor-parallel GPU does 1/tp of the GEMM's work, so the ramp sees its share of the rows:
        // splitting N over more GPUs does not make small-M matrix work more efficient per GPU.
        // `launches`: kernel calls per layer (the FFN is two GEMMs: gate and up fused, then down).
        // `slowdown`: how much slower than the GEMMs' efficiency the operator computes (attention).
        func op(_ name: StaticString, _ count: Double, flops: Double, bytes: Double, _ format: ComputeFormat,
                rows: Double? = nil, launches: Double = 1, slowdown: Double = 1) {
            let ramp = rows.map { roofline.gemmRamp(tokens: $0 / tp) } ?? 1
            let (seconds, memoryBound) = roofline.time(flops: flops / ramp * slowdown, bytes: bytes, format: format)
            visit(name, flops * count, bytes * count, format, (seconds + launches * kernelOverhead) * count, memoryBound)
        }
        let t = Double(work.tokens)
        let h = Double(model.hidden)
        let layers = Double(model.layers)

        // QKV projection: reads the hidden state, writes Q, K, V.
        op("qkv_projection", layers,
           flops: 2 * t * qkvParameters / tp,
           bytes: weights.qkvBytesPerLayer / tp + t * (h + Double(model.qkvWidth) / tp) * Self.activationBytes,
           attentionProjectionFormat, rows: t)

        // Attention over the KV cache. Decode tokens attend to their whole cache plus themselves;
        // prefill chunks as counted in `StepWork`. Heads are split over the tensor-parallel group,
        // the cache over min(tp, kv heads).
        let newTokens = Double(work.tokens)
        let decodeAttended = work.decodeContextTokens + Double(work.decodeSequences)
        if model.fullAttentionLayers > 0 {
            let attended = decodeAttended + work.prefillAttendedPositions
            let cached = work.decodeContextTokens + work.prefillPrefixTokens
            op("attention", Double(model.fullAttentionLayers),
               flops: model.attentionFLOPsPerTokenPerLayer(context: attended) / tp,
               bytes: (cached + newTokens) * kvBytesPerTokenPerLayer / kvShards, attentionFormat, slowdown: attentionSlowdown)
        }
        if model.slidingLayers > 0, let window = model.attention.slidingWindow.map(Double.init) {
            // A sliding layer attends to at most `window` positions per token (an upper bound for
            // sequences still shorter than the window).
            let attended = min(decodeAttended, Double(work.decodeSequences) * window)
                + min(work.prefillAttendedPositions, Double(work.prefillTokens) * window)
            let cached = min(work.decodeContextTokens, Double(work.decodeSequences) * window)
            op("attention_sliding", Double(model.slidingLayers),
               flops: model.attentionFLOPsPerTokenPerLayer(context: attended) / tp,
               bytes: (cached + newTokens) * kvBytesPerTokenPerLayer / kvShards, attentionFormat, slowdown: attentionSlowdown)
        }

        // O projection: reads the attention output, writes the hidden state.
        let width = Double(model.attentionWidth)
        op("o_projection", layers,
           flops: 2 * t * width * h / tp,
           bytes: weights.outputBytesPerLayer / tp + t * (width / tp + h) * Self.activationBytes,
           attentionProjectionFormat, rows: t)

        if model.denseFFNLayers > 0 {
            op("dense_ffn", Double(model.denseFFNLayers),
               flops: 2 * t * model.denseFFNParametersPerLayer / tp,
               bytes: weights.denseFFNBytesPerLayer / tp + t * (2 * h + 3 * Double(model.ffn) / tp) * Self.activationBytes,
               mlpFormat, rows: t, launches: 2)
        }
        if let moe = model.moe, parallelism.expert > 1 {
            // Expert parallelism: whole experts on `expert` GPUs; the busiest one sets the time.
            let e = parallelism.expert
            let pairs = Parallelism.busiestLoad(pairs: t * Double(moe.active), gpus: e) * parallelism.expertImbalance
            let split = tp / Double(e)   // each expert's columns over the rest of the tensor group
            let touched = Self.expectedExpertsTouched(experts: moe.experts, active: moe.active, tokens: t)
            let flops = 2 * (pairs + t * Double(moe.shared)) * model.expertParameters / split + 2 * t * model.routerParametersPerLayer / tp
            let bytes = ((touched + Double(moe.shared)) * weights.expertBytes + weights.routerBytesPerLayer) / tp
                + pairs * (2 * h + 3 * Double(moe.expertFFN) / split) * Self.activationBytes
            op("experts", Double(model.moeLayers), flops: flops, bytes: bytes, expertFormat, rows: pairs / Double(max(1, moe.experts / e)), launches: 2)
            // Dispatch and combine: each GPU sends its 1/e share of the tokens' k copies to the others.
            let message = t / Double(e) * Double(moe.active) * h * Self.activationBytes * Double(e - 1) / Double(e)
            let seconds = 2 * Collectives.allToAllTime(bytesPerGPU: message, gpus: e, gpusPerNode: gpusPerNode,
                                                       scaleUp: gpu.scaleUp, scaleOut: scaleOut)
            visit("ep_all_to_all", 0, 2 * Double(model.moeLayers) * message, .bf16, Double(model.moeLayers) * seconds, true)
        } else if let moe = model.moe {
            let (flops, bytes) = expertWork(tokens: t, moe: moe)
            // Each touched expert's GEMM sees about t x k / touched tokens.
            let touched = max(1, Self.expectedExpertsTouched(experts: moe.experts, active: moe.active, tokens: t))
            op("experts", Double(model.moeLayers), flops: flops, bytes: bytes, expertFormat, rows: t * Double(moe.active) / touched, launches: 2)
        }

        // LM head: only for tokens that are sampled.
        let sampled = Double(work.sampledTokens)
        if sampled > 0 {
            let vocab = Double(model.vocab)
            op("lm_head", 1,
               flops: 2 * sampled * vocab * h / tp,
               bytes: weights.lmHeadBytes / tp + sampled * (h + vocab / tp) * Self.activationBytes, lmHeadFormat, rows: sampled)
        }

        // Tensor parallelism: an all-reduce of the hidden state after attention and after the FFN
        // (MoE layers under expert parallelism combine by all-to-all instead).
        if tensorParallel > 1 {
            let message = t * h * Self.activationBytes
            let seconds = Collectives.allReduceTime(bytes: message, gpus: tensorParallel, gpusPerNode: gpusPerNode,
                                                    scaleUp: gpu.scaleUp, scaleOut: scaleOut)
            let count = 2 * layers - (parallelism.expert > 1 ? Double(model.moeLayers) : 0)
            visit("tp_all_reduce", 0, count * message, .bf16, count * seconds, true)
        }

        // Pipeline: the micro-batch's hidden state passes from each stage to the next, over NVLink
        // inside a node and over the NICs where a stage boundary falls between nodes.
        if parallelism.pipeline > 1 {
            let message = t * h * Self.activationBytes
            let boundaries = parallelism.pipeline - 1
            let crossNode = tensorParallel >= gpusPerNode ? boundaries
                : min(boundaries, (tensorParallel * parallelism.pipeline - 1) / gpusPerNode)
            let inside = message / gpu.scaleUp.linkBytesPerSecondPerDirection + gpu.scaleUp.latency
            let across = message / scaleOut.bytesPerSecondPerGPU + scaleOut.latency
            let seconds = Double(boundaries - crossNode) * inside + Double(crossNode) * across
            visit("pp_handoff", 0, Double(boundaries) * message, .bf16, seconds, true)
        }
    }

    /// Routed experts (plus shared experts and the router) of one MoE layer.
    ///
    /// FLOPs follow the active experts per token; bytes follow the distinct experts the batch
    /// touches: with uniform routing of `t` tokens choosing `k` of `E` experts each, the expected
    /// number touched is E(1 - (1 - k/E)^t): all of them at large batch, k at batch 1.
    private func expertWork(tokens t: Double, moe: ModelArchitecture.MixtureOfExperts) -> (flops: Double, bytes: Double) {
        let h = Double(model.hidden)
        let touched = Self.expectedExpertsTouched(experts: moe.experts, active: moe.active, tokens: t)
        let flops = 2 * t * (Double(moe.active + moe.shared) * model.expertParameters + model.routerParametersPerLayer) / tp
        let weightBytes = ((touched + Double(moe.shared)) * weights.expertBytes + weights.routerBytesPerLayer) / tp
        let activations = t * (2 * h + Double(moe.active + moe.shared) * 3 * Double(moe.expertFFN) / tp) * Self.activationBytes
        return (flops, weightBytes + activations)
    }

    /// E(1 - (1 - k/E)^t): expected distinct experts touched by `tokens` tokens routed uniformly.
    public static func expectedExpertsTouched(experts: Int, active: Int, tokens: Double) -> Double {
        let e = Double(experts)
        guard tokens > 0 else { return 0 }
        return e * (1 - pow(1 - Double(active) / e, tokens))
    }
}
