import Foundation

/// How long one engine step of one replica takes: the answer to "how long does a decode step take".
///
/// Per operator (QKV projection, attention over the KV cache, O projection, dense FFN or routed
/// experts, LM head) it counts FLOPs and HBM bytes for the step's batch on one GPU of the
/// tensor-parallel group, and costs each with the roofline (`Roofline`); tensor-parallel
/// all-reduces (two per layer) go over the scale-up link (`Collectives`); a fixed per-step overhead
/// covers scheduling and launch. Everything that does not depend on the batch is computed once at
/// init, so `time(for:)` is O(1).
public struct StepTimeModel: Sendable {
    public let model: ModelArchitecture
    public let gpu: GPUSpec
    public let precision: Precision
    public let tensorParallel: Int
    public let roofline: Roofline
    public let weights: WeightLayout

    /// Formats the matrix units actually run in.
    public let attentionProjectionFormat: ComputeFormat
    public let mlpFormat: ComputeFormat
    public let expertFormat: ComputeFormat
    public let attentionFormat: ComputeFormat

    /// Bytes per activation element moved between operators (BF16).
    static let activationBytes = 2.0

    private let tp: Double
    private let kvShards: Double
    private let kvBytesPerTokenPerLayer: Double

    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int) {
        self.model = model
        self.gpu = gpu
        self.precision = precision
        self.tensorParallel = tensorParallel
        self.roofline = Roofline(gpu: gpu)
        self.weights = WeightLayout(model: model, precision: precision)
        self.tp = Double(tensorParallel)
        self.kvShards = Double(WeightLayout.kvShards(model: model, tensorParallel: tensorParallel))
        self.kvBytesPerTokenPerLayer = model.kvElementsPerTokenPerLayer * precision.kvCache.bytesPerElement
        attentionProjectionFormat = gpu.computeFormat(for: weights.attentionFormat.preferredCompute)
        mlpFormat = gpu.computeFormat(for: weights.mlpFormat.preferredCompute)
        expertFormat = gpu.computeFormat(for: weights.expertFormat.preferredCompute)
        attentionFormat = gpu.computeFormat(for: precision.kvCache.compute)
    }

    /// Seconds for one step doing `work`.
    public func time(for work: StepWork) -> Double {
        var total = gpu.efficiency.stepOverhead
        for cost in operatorCosts(for: work) { total += cost.seconds }
        return total
    }

    /// The step's operators with their FLOPs, bytes and seconds, already multiplied by the layers
    /// they occur in (per GPU of the tensor-parallel group).
    public func operatorCosts(for work: StepWork) -> [OperatorCost] {
        guard !work.isEmpty else { return [] }
        let t = Double(work.tokens)
        let h = Double(model.hidden)
        let layers = Double(model.layers)
        var costs: [OperatorCost] = []

        // QKV projection: reads the hidden state, writes Q, K, V.
        let qkvParameters = weights.qkvBytesPerLayer / weights.attentionFormat.bytesPerWeight
        costs.append(scaled(roofline.cost(
            "qkv_projection",
            flops: 2 * t * qkvParameters / tp,
            bytes: weights.qkvBytesPerLayer / tp + t * (h + Double(model.qkvWidth) / tp) * Self.activationBytes,
            format: attentionProjectionFormat), by: layers))

        costs.append(contentsOf: attentionCosts(for: work))

        // O projection: reads the attention output, writes the hidden state.
        let outputParameters = Double(model.attentionWidth) * h
        costs.append(scaled(roofline.cost(
            "o_projection",
            flops: 2 * t * outputParameters / tp,
            bytes: weights.outputBytesPerLayer / tp + t * (Double(model.attentionWidth) / tp + h) * Self.activationBytes,
            format: attentionProjectionFormat), by: layers))

        if model.denseFFNLayers > 0 {
            let ffn = Double(model.ffn)
            costs.append(scaled(roofline.cost(
                "dense_ffn",
                flops: 2 * t * model.denseFFNParametersPerLayer / tp,
                bytes: weights.denseFFNBytesPerLayer / tp + t * (2 * h + 3 * ffn / tp) * Self.activationBytes,
                format: mlpFormat), by: Double(model.denseFFNLayers)))
        }
        if let moe = model.moe {
            costs.append(scaled(expertCost(tokens: t, moe: moe), by: Double(model.moeLayers)))
        }

        // LM head: only for tokens that are sampled.
        let sampled = Double(work.sampledTokens)
        if sampled > 0 {
            let vocab = Double(model.vocab)
            costs.append(roofline.cost(
                "lm_head",
                flops: 2 * sampled * vocab * h / tp,
                bytes: weights.lmHeadBytes / tp + sampled * (h + vocab / tp) * Self.activationBytes,
                format: .bf16))
        }

        // Tensor parallelism: an all-reduce of the hidden state after attention and after the FFN.
        if tensorParallel > 1 {
            let message = t * h * Self.activationBytes
            let seconds = 2 * layers * Collectives.allReduceTime(bytes: message, gpus: tensorParallel, link: gpu.scaleUp)
            costs.append(OperatorCost(name: "tp_all_reduce", flops: 0, bytes: 2 * layers * message, format: .bf16,
                                      seconds: seconds, isMemoryBound: true))
        }
        return costs
    }

    /// Attention over the KV cache, for full and (if any) sliding-window layers.
    private func attentionCosts(for work: StepWork) -> [OperatorCost] {
        var costs: [OperatorCost] = []
        let newTokens = Double(work.tokens)
        func cost(_ name: String, layers: Int, attended: Double, cachedRead: Double) -> OperatorCost {
            // Heads are split over the tensor-parallel group; the cache over min(tp, kv heads).
            let flops = model.attentionFLOPsPerTokenPerLayer(context: attended) / tp
            let bytes = (cachedRead + newTokens) * kvBytesPerTokenPerLayer / kvShards
            return scaled(roofline.cost(name, flops: flops, bytes: bytes, format: attentionFormat), by: Double(layers))
        }
        // Decode tokens attend to their whole cache plus themselves; prefill chunks as counted.
        let decodeAttended = work.decodeContextTokens + Double(work.decodeSequences)
        if model.fullAttentionLayers > 0 {
            costs.append(cost("attention", layers: model.fullAttentionLayers,
                              attended: decodeAttended + work.prefillAttendedPositions,
                              cachedRead: work.decodeContextTokens + work.prefillPrefixTokens))
        }
        if model.slidingLayers > 0, let window = model.attention.slidingWindow.map(Double.init) {
            // A sliding layer attends to at most `window` positions per token (an upper bound for
            // sequences still shorter than the window).
            let decode = min(decodeAttended, Double(work.decodeSequences) * window)
            let prefill = min(work.prefillAttendedPositions, Double(work.prefillTokens) * window)
            costs.append(cost("attention_sliding", layers: model.slidingLayers, attended: decode + prefill,
                              cachedRead: min(work.decodeContextTokens, Double(work.decodeSequences) * window)))
        }
        return costs
    }

    /// Routed experts (plus shared experts and the router) of one MoE layer.
    ///
    /// FLOPs follow the active experts per token; bytes follow the distinct experts the batch
    /// touches: with uniform routing of `t` tokens choosing `k` of `E` experts each, the expected
    /// number touched is E(1 - (1 - k/E)^t): all of them at large batch, k at batch 1.
    private func expertCost(tokens t: Double, moe: ModelArchitecture.MixtureOfExperts) -> OperatorCost {
        let h = Double(model.hidden)
        let touched = Self.expectedExpertsTouched(experts: moe.experts, active: moe.active, tokens: t)
        let expertParameters = model.expertParameters
        let flops = 2 * t * (Double(moe.active + moe.shared) * expertParameters + model.routerParametersPerLayer) / tp
        let weightBytes = ((touched + Double(moe.shared)) * weights.expertBytes + weights.routerBytesPerLayer) / tp
        let activations = t * (2 * h + Double(moe.active + moe.shared) * 3 * Double(moe.expertFFN) / tp) * Self.activationBytes
        return roofline.cost("experts", flops: flops, bytes: weightBytes + activations, format: expertFormat)
    }

    /// E(1 - (1 - k/E)^t): expected distinct experts touched by `tokens` tokens routed uniformly.
    public static func expectedExpertsTouched(experts: Int, active: Int, tokens: Double) -> Double {
        let e = Double(experts)
        guard tokens > 0 else { return 0 }
        return e * (1 - pow(1 - Double(active) / e, tokens))
    }

    private func scaled(_ cost: OperatorCost, by factor: Double) -> OperatorCost {
        var cost = cost
        cost.flops *= factor
        cost.bytes *= factor
        cost.seconds *= factor
        return cost
    }
}

