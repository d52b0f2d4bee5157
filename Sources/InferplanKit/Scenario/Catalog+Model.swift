extension Catalog {
    /// Decodes a model entry.
    public func model(_ document: YAMLValue) throws -> ModelArchitecture {
        if Self.isVideo(document) {
            throw document.error("\(document.source.name) is a video diffusion model, and an LLM is expected here",
                                 valid: "an LLM (see `inferplan catalog`); video models run in video scenarios (workload.benchmark: mlperf-wan-2.2-t2v)")
        }
        let map = try document.mapping(allowed: ["id", "name", "layers", "hidden", "ffn", "attention", "moe", "vocab",
                                                 "max_context", "bf16_components", "parameters_b", "source", "confidence", "notes"])
        let attentionMap = try map.required("attention", hint: "{q_heads: 64, kv_heads: 8, head_dim: 128}")
            .mapping(allowed: ["q_heads", "kv_heads", "head_dim", "sliding_window", "sliding_every", "mla"])
        var latent: ModelArchitecture.LatentAttention?
        if let mla = attentionMap.optional("mla") {
            let m = try mla.mapping(allowed: ["q_rank", "kv_rank", "rope_dim", "nope_dim", "value_dim"])
            latent = .init(queryRank: try m.required("q_rank").int(in: 1...1_000_000),
                           kvRank: try m.required("kv_rank").int(in: 1...1_000_000),
                           ropeDim: try m.required("rope_dim").int(in: 0...100_000),
                           noPEDim: try m.required("nope_dim").int(in: 1...100_000),
                           valueDim: try m.required("value_dim").int(in: 1...100_000))
        }
        let queryHeads = try attentionMap.required("q_heads").int(in: 1...100_000)
        let kvValue = try attentionMap.required("kv_heads")
        let kvHeads = try kvValue.int(in: 1...queryHeads)
        guard queryHeads % kvHeads == 0 else {
            throw kvValue.error("\(kvHeads) KV heads do not divide \(queryHeads) query heads", valid: "a divisor of q_heads")
        }
        let attention = ModelArchitecture.Attention(
            queryHeads: queryHeads, kvHeads: kvHeads,
            headDim: try attentionMap.required("head_dim").int(in: 1...100_000),
            slidingWindow: try attentionMap.optional("sliding_window")?.int(in: 1...100_000_000),
            slidingEvery: try attentionMap.optional("sliding_every")?.int(in: 1...1000) ?? 2,
            latent: latent)
        var moe: ModelArchitecture.MixtureOfExperts?
        let layers = try map.required("layers").int(in: 1...100_000)
        if let moeValue = map.optional("moe") {
            let m = try moeValue.mapping(allowed: ["experts", "active", "shared", "expert_ffn", "dense_layers"])
            let experts = try m.required("experts").int(in: 1...1_000_000)
            moe = .init(experts: experts, active: try m.required("active").int(in: 1...experts),
                        shared: try m.optional("shared")?.int(in: 0...1000) ?? 0,
                        expertFFN: try m.required("expert_ffn").int(in: 1...10_000_000),
                        denseLayers: try m.optional("dense_layers")?.int(in: 0...(layers - 1)) ?? 0)
        }
        var components: Set<ModelArchitecture.Component> = []
        if let list = map.optional("bf16_components") {
            for item in try list.sequence() { components.insert(try item.choice(ModelArchitecture.Component.self)) }
        }
        return ModelArchitecture(
            id: try map.required("id").string(),
            name: try map.required("name").string(),
            layers: layers,
            hidden: try map.required("hidden").int(in: 1...10_000_000),
            ffn: try map.required("ffn").int(in: 1...100_000_000),
            attention: attention,
            moe: moe,
            vocab: try map.required("vocab").int(in: 1...100_000_000),
            maxContext: try map.required("max_context").int(in: 1...100_000_000),
            bf16Components: components,
            statedParameters: try map.optional("parameters_b")?.double(in: 0...1e6),
            source: try map.required("source", hint: "where the shape comes from").string(),
            confidence: try map.optional("confidence")?.string() ?? "unstated")
    }
}
