/// Parameter, KV-cache and attention arithmetic derived from the shape.
extension ModelArchitecture {
    public var isMoE: Bool { moe != nil }

    /// Layers whose FFN is routed experts.
    public var moeLayers: Int { moe.map { layers - $0.denseLayers } ?? 0 }
    /// Layers whose FFN is dense.
    public var denseFFNLayers: Int { layers - moeLayers }

    // MARK: Parameters per layer

    /// Attention projection weights of one layer (Q, K, V, O; or MLA's down/up projections).
    public var attentionParametersPerLayer: Double {
        let h = Double(hidden)
        if let mla = attention.latent {
            let heads = Double(attention.queryHeads)
            let qDown = h * Double(mla.queryRank)
            let qUp = Double(mla.queryRank) * heads * Double(mla.noPEDim + mla.ropeDim)
            let kvDown = h * Double(mla.kvRank + mla.ropeDim)
            let kvUp = Double(mla.kvRank) * heads * Double(mla.noPEDim + mla.valueDim)
            let out = heads * Double(mla.valueDim) * h
            return qDown + qUp + kvDown + kvUp + out
        }
        let q = Double(attention.queryHeads * attention.headDim)
        let kv = Double(attention.kvHeads * attention.headDim)
        return h * q + 2 * h * kv + q * h
    }

    /// Width of the attention output (the O projection's input).
    public var attentionWidth: Int {
        if let mla = attention.latent { return attention.queryHeads * mla.valueDim }
        return attention.queryHeads * attention.headDim
    }

    /// Width of the fused QKV projection's output.
    public var qkvWidth: Int {
        if let mla = attention.latent { return mla.queryRank + mla.kvRank + mla.ropeDim }
        return (attention.queryHeads + 2 * attention.kvHeads) * attention.headDim
    }

    /// A dense SwiGLU FFN: gate, up and down projections.
    public var denseFFNParametersPerLayer: Double { 3 * Double(hidden) * Double(ffn) }

    /// One routed (or shared) expert.
    public var expertParameters: Double { 3 * Double(hidden) * Double(moe?.expertFFN ?? 0) }

    public var routerParametersPerLayer: Double { Double(hidden) * Double(moe?.experts ?? 0) }

    /// Input embedding plus an untied LM head.
    public var embeddingParameters: Double { 2 * Double(vocab) * Double(hidden) }

    /// All parameters of the model.
    public var totalParameters: Double {
        var total = Double(layers) * attentionParametersPerLayer + Double(denseFFNLayers) * denseFFNParametersPerLayer
        if let moe {
            total += Double(moeLayers) * (Double(moe.experts + moe.shared) * expertParameters + routerParametersPerLayer)
        }
        return total + embeddingParameters
    }

    /// Parameters one token's forward pass multiplies with (active experts only), excluding embeddings.
    public var activeParametersPerToken: Double {
        var total = Double(layers) * attentionParametersPerLayer + Double(denseFFNLayers) * denseFFNParametersPerLayer
        if let moe {
            total += Double(moeLayers) * (Double(moe.active + moe.shared) * expertParameters + routerParametersPerLayer)
        }
        return total + Double(vocab) * Double(hidden)
    }

    // MARK: KV cache

    /// Layers that use a sliding window (their cache holds at most `window` tokens per sequence).
    public var slidingLayers: Int {
        guard attention.slidingWindow != nil else { return 0 }
        return layers / attention.slidingEvery
    }

    public var fullAttentionLayers: Int { layers - slidingLayers }

    /// Cached elements per token in one full-attention layer (K and V, or MLA's latent + rope key).
    public var kvElementsPerTokenPerLayer: Double {
        if let mla = attention.latent { return Double(mla.kvRank + mla.ropeDim) }
        return 2 * Double(attention.kvHeads * attention.headDim)
    }

    /// Cached elements of one sequence of `length` tokens, over all layers.
    public func kvElements(forSequenceOf length: Int) -> Double {
        let full = Double(fullAttentionLayers) * Double(length)
        let sliding = Double(slidingLayers) * Double(min(length, attention.slidingWindow ?? 0))
        return (full + sliding) * kvElementsPerTokenPerLayer
    }

    // MARK: Attention work

    /// FLOPs of one query token attending over `context` cached tokens in one layer (QK^T and PV).
    public func attentionFLOPsPerTokenPerLayer(context: Double) -> Double {
        if let mla = attention.latent {
            // Absorbed MLA: scores over the (kvRank + rope)-wide latent, values over the kvRank latent.
            return 2 * Double(attention.queryHeads) * Double(2 * mla.kvRank + mla.ropeDim) * context
        }
        return 4 * Double(attention.queryHeads * attention.headDim) * context
    }
}
