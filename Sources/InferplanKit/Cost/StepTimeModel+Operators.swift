import Foundation

extension StepTimeModel {
    /// Calls `visit(name, flops, bytes, format, seconds, bound)` for each operator of the step,
    /// totals over the layers it occurs in. The single place where a step's work is counted.
    @inline(__always)
    func forEachOperator(
        of work: StepWork,
        _ visit: (StaticString, Double, Double, ComputeFormat, Double, OperatorCost.Bound) -> Void
    ) {
        guard !work.isEmpty else { return }
        // Roofline one operator occurring in `count` layers with per-layer flops and bytes.
        // `rows`: a weight GEMM's token dimension M, for the efficiency ramp. Tensor parallelism
        // splits N (column-parallel) or K (row-parallel), never M: every GPU of the group multiplies
        // all M rows. `shape`: the weight matrix as one GPU holds it, N x K, for the shape ramp.
        // `launches`: kernel calls per layer (the FFN is two GEMMs: gate and up fused, then down).
        // `slowdown`: how much slower than the GEMMs' efficiency the operator computes (attention).
        func op(_ name: StaticString, _ count: Double, flops: Double, bytes: Double, _ format: ComputeFormat,
                rows: Double? = nil, shape: (n: Double, k: Double)? = nil, launches: Double = 1, slowdown: Double = 1) {
            let ramp = (rows.map { roofline.gemmRamp(tokens: $0) } ?? 1) * (shape.map { roofline.shapeRamp(n: $0.n, k: $0.k) } ?? 1)
            let (seconds, memoryBound) = roofline.time(flops: flops / ramp * slowdown, bytes: bytes, format: format)
            visit(name, flops * count, bytes * count, format, (seconds + launches * kernelOverheadSeconds) * count,
                  memoryBound ? .memory : .compute)
        }
        let t = Double(work.tokens)
        let h = Double(model.hidden)
        let layers = Double(model.layers)
        let width = Double(model.attentionWidth)

        // QKV projection (column-parallel): reads the hidden state, writes Q, K, V. Under
        // data-parallel attention each GPU projects its own a = t / tp tokens with the whole matrix.
        let a = t / attentionTokenShards
        let ws = attentionWeightShards
        op("qkv_projection", layers,
           flops: 2 * a * qkvParameters / ws,
           bytes: weights.qkvBytesPerLayer / ws + a * (h + Double(model.qkvWidth) / ws) * Self.activationBytes,
           attentionProjectionFormat, rows: a, shape: (Double(model.qkvWidth) / ws, h))

        // Attention over the KV cache, in the KV cache's format (never the weights'). Decode tokens
        // attend to their whole cache plus themselves; prefill chunks as counted in `StepWork`.
        // Heads are split over the tensor-parallel group, the cache over min(tp, kv heads).
        let newTokens = t
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

        // O projection (row-parallel): reads the attention output, writes the hidden state.
        op("o_projection", layers,
           flops: 2 * a * width * h / ws,
           bytes: weights.outputBytesPerLayer / ws + a * (width / ws + h) * Self.activationBytes,
           attentionProjectionFormat, rows: a, shape: (h, width / ws))

        if model.denseFFNLayers > 0 {
            op("dense_ffn", Double(model.denseFFNLayers),
               flops: 2 * t * model.denseFFNParametersPerLayer / tp,
               bytes: weights.denseFFNBytesPerLayer / tp + t * (2 * h + 3 * Double(model.ffn) / tp) * Self.activationBytes,
               mlpFormat, rows: t, shape: (Double(model.ffn) / tp, h), launches: 2)
        }
        if let moe = model.moe {
            visitExperts(moe, tokens: t, op: op, visit)
        }

        // Element-wise work: memory traffic that does not shrink with narrower weights.
        let elementwise = elementwiseBytes(tokens: t, sampled: Double(work.sampledTokens))
        let (elementwiseSeconds, _) = roofline.time(flops: 0, bytes: elementwise, format: .bf16)
        visit("elementwise", 0, elementwise, .bf16, elementwiseSeconds, .memory)

        // LM head: only for tokens that are sampled.
        let sampled = Double(work.sampledTokens)
        if sampled > 0 {
            let vocab = Double(model.vocab)
            op("lm_head", 1,
               flops: 2 * sampled * vocab * h / tp,
               bytes: weights.lmHeadBytes / tp + sampled * (h + vocab / tp) * Self.activationBytes, lmHeadFormat,
               rows: sampled, shape: (vocab / tp, h))
        }

        // Tensor parallelism: an all-reduce of the hidden state after attention and after the FFN
        // (MoE layers under expert parallelism combine by all-to-all instead). Data-parallel
        // attention needs none after attention; its FFN gathers the group's tokens and scatters the
        // results back (all-gather plus reduce-scatter: the traffic of one all-reduce).
        if tensorParallel > 1 {
            let message = t * h * Self.activationBytes
            let seconds = Collectives.allReduceTime(bytes: message, gpus: tensorParallel, gpusPerNode: gpusPerNode,
                                                    scaleUp: gpu.scaleUp, scaleOut: scaleOut)
            let count = (attentionTokenShards > 1 ? layers : 2 * layers) - (parallelism.expert > 1 ? Double(model.moeLayers) : 0)
            visit("tp_all_reduce", 0, count * message, .bf16, count * seconds, .link)
        }

        // Pipeline: the micro-batch's hidden state passes from each stage to the next, over NVLink
        // inside a node and over the NICs where a stage boundary falls between nodes.
        if parallelism.pipeline > 1 {
            let message = t * h * Self.activationBytes
            let boundaries = parallelism.pipeline - 1
            let crossNode = tensorParallel >= gpusPerNode ? boundaries
                : min(boundaries, (tensorParallel * parallelism.pipeline - 1) / gpusPerNode)
            let inside = message / gpu.scaleUp.linkBytesPerSecondPerDirection + gpu.scaleUp.latencySeconds
            let across = message / scaleOut.bytesPerSecondPerGPU + scaleOut.latencySeconds
            let seconds = Double(boundaries - crossNode) * inside + Double(crossNode) * across
            visit("pp_handoff", 0, Double(boundaries) * message, .bf16, seconds, .link)
        }
    }

    /// Routed experts (plus shared experts and the router) of the MoE layers, as real stacks run
    /// them: grouped GEMMs in which each touched expert sees about t x k / touched rows, so their
    /// efficiency follows the same ramp per expert; FLOPs follow the active experts per token and
    /// bytes the distinct experts the batch touches (`ExpertLoad.expectedTouched`).
    @inline(__always)
    private func visitExperts(
        _ moe: ModelArchitecture.MixtureOfExperts, tokens t: Double,
        op: (StaticString, Double, Double, Double, ComputeFormat, Double?, (n: Double, k: Double)?, Double, Double) -> Void,
        _ visit: (StaticString, Double, Double, ComputeFormat, Double, OperatorCost.Bound) -> Void
    ) {
        let h = Double(model.hidden)
        let moeLayers = Double(model.moeLayers)
        let touched = ExpertLoad.expectedTouched(experts: moe.experts, active: moe.active, tokens: t)
        if parallelism.expert > 1 {
            // Expert parallelism: whole experts on `expert` GPUs; the busiest one sets the time.
            let e = parallelism.expert
            let pairs = ExpertLoad.busiest(pairs: t * Double(moe.active), gpus: e) * parallelism.expertImbalance
            let split = tp / Double(e)   // each expert's columns over the rest of the tensor group
            let flops = 2 * (pairs + t * Double(moe.shared)) * model.expertParameters / split + 2 * t * model.routerParametersPerLayer / tp
            let bytes = ((touched + Double(moe.shared)) * weights.expertBytes + weights.routerBytesPerLayer) / tp
                + pairs * (2 * h + 3 * Double(moe.expertFFN) / split) * Self.activationBytes
            op("experts", moeLayers, flops, bytes, expertFormat, pairs / Double(max(1, moe.experts / e)),
               (Double(moe.expertFFN) / split, h), 2, 1)
            // Dispatch and combine: each GPU sends its 1/e share of the tokens' k copies to the others.
            let message = t / Double(e) * Double(moe.active) * h * Self.activationBytes * Double(e - 1) / Double(e)
            let seconds = 2 * Collectives.allToAllTime(bytesPerGPU: message, gpus: e, gpusPerNode: gpusPerNode,
                                                       scaleUp: gpu.scaleUp, scaleOut: scaleOut)
            visit("ep_all_to_all", 0, 2 * moeLayers * message, .bf16, moeLayers * seconds, .link)
        } else {
            let flops = 2 * t * (Double(moe.active + moe.shared) * model.expertParameters + model.routerParametersPerLayer) / tp
            let weightBytes = ((touched + Double(moe.shared)) * weights.expertBytes + weights.routerBytesPerLayer) / tp
            let activations = t * (2 * h + Double(moe.active + moe.shared) * 3 * Double(moe.expertFFN) / tp) * Self.activationBytes
            op("experts", moeLayers, flops, weightBytes + activations, expertFormat,
               t * Double(moe.active) / max(1, touched), (Double(moe.expertFFN) / tp, h), 2, 1)
        }
    }

    /// HBM bytes of the step's element-wise work, all layers, per GPU. Counted as the fused kernels
    /// of TensorRT-LLM and vLLM run it, per token and layer:
    /// - twice (before attention and before the FFN) a fused residual add + RMSNorm + activation
    ///   quantisation: reads the residual and the input (2 x 2h bytes), writes the residual (2h) and
    ///   the normalised input in the next GEMM's format (h x its bytes);
    /// - rotary embedding on this GPU's Q and K: read and write (2 x 2 bytes per element);
    /// - the gated activation (SwiGLU) fused with quantisation for the down projection: reads gate
    ///   and up (2 x 2 bytes per element), writes the product (its bytes per element);
    /// - MoE layers: router logits (FP32) written and read for top-k, and the token permutation to
    ///   the routed experts and back: dispatch reads the token and writes its k copies, combine
    ///   reads the k expert outputs and writes the token (2 (k + 1) hidden states; shared experts
    ///   take the token in place). Under data-parallel attention a GPU routes only its own tokens;
    /// and per sampled token, sampling's read of the FP32 logits.
    func elementwiseBytes(tokens t: Double, sampled: Double) -> Double {
        let h = Double(model.hidden)
        let a = Self.activationBytes
        let attentionInput = Self.activationInputBytes(attentionProjectionFormat)
        // Under data-parallel attention a GPU normalises only its own tokens before attention (and
        // ropes all heads of them: the same bytes as its heads of every token).
        let norms = (3 * h * a + h * attentionInput) / attentionTokenShards
            + (3 * h * a + h * Self.activationInputBytes(model.moe == nil ? mlpFormat : expertFormat))
        let rotary = 2 * Double(model.qkvWidth) / tp * a
        var perToken = Double(model.layers) * (norms + rotary)
        if model.denseFFNLayers > 0 {
            perToken += Double(model.denseFFNLayers) * Double(model.ffn) / tp * (2 * a + Self.activationInputBytes(mlpFormat))
        }
        if let moe = model.moe {
            let k = Double(moe.active + moe.shared)
            let routing = 2 * Double(moe.experts) * Self.logitBytes
            let permutation = 2 * Double(moe.active + 1) * h * a
            let activation = k * Double(moe.expertFFN) / tp * (2 * a + Self.activationInputBytes(expertFormat))
            perToken += Double(model.moeLayers) * ((routing + permutation) / attentionTokenShards + activation)
        }
        return t * perToken + sampled * Double(model.vocab) * Self.logitBytes
    }

    /// Bytes per element of a GEMM's input activations in `format`: FP8 and FP4 GEMMs take their
    /// activations quantised (FP4 as 4-bit values with block scales), BF16 ones as they are.
    static func activationInputBytes(_ format: ComputeFormat) -> Double {
        switch format {
        case .bf16: return 2
        case .fp8, .fp6: return 1
        case .fp4: return 0.5625
        }
    }
}
