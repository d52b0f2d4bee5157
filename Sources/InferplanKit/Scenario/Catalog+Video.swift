extension Catalog {
    /// True when a model or benchmark entry describes video generation (`family: video-diffusion`
    /// or `family: video`), which a video scenario reads instead of an LLM one.
    public static func isVideo(_ document: YAMLValue) -> Bool {
        guard case .mapping(let raw) = document.node, let family = raw["family"]?.string else { return false }
        return family.hasPrefix("video")
    }

    /// Decodes a video diffusion model entry (`family: video-diffusion`).
    public func videoModel(_ document: YAMLValue) throws -> VideoDiffusionModel {
        let map = try document.mapping(allowed: ["id", "name", "family", "experts", "layers", "hidden", "heads", "ffn", "patch",
                                                 "cross_attention", "parameters_b_per_expert", "text_encoder", "vae",
                                                 "source", "confidence", "notes"])
        let patchValue = try map.required("patch", hint: "[1, 2, 2] (latent frames x height x width per token)")
        let patch = try patchValue.sequence().map { try $0.int(in: 1...64) }
        guard patch.count == 3 else { throw patchValue.error("\(patch.count) numbers", valid: "three: frames x height x width, e.g. [1, 2, 2]") }
        let hidden = try map.required("hidden").int(in: 1...1_000_000)
        let headsValue = try map.required("heads")
        let heads = try headsValue.int(in: 1...10_000)
        guard hidden % heads == 0 else { throw headsValue.error("\(heads) heads do not divide the hidden size \(hidden)", valid: "a divisor of hidden") }
        let text = try map.required("text_encoder", hint: "{name: umT5-XXL encoder, layers: 24, hidden: 4096, ffn: 10240, gated_ffn: true, tokens: 512}")
            .mapping(allowed: ["name", "layers", "hidden", "ffn", "gated_ffn", "tokens"])
        let vae = try map.required("vae").mapping(allowed: ["temporal_compression", "spatial_compression", "latent_channels", "parameters_b", "decoder"])
        var groups: [VideoDiffusionModel.ConvolutionGroup] = []
        for item in try vae.required("decoder", hint: "a list of {count, in, out, kernel: [3, 3, 3], at: [temporal, spatial]}").sequence() {
            let m = try item.mapping(allowed: ["count", "in", "out", "kernel", "at"])
            let kernelValue = try m.required("kernel"), atValue = try m.required("at")
            let kernel = try kernelValue.sequence().map { try $0.int(in: 1...15) }
            let at = try atValue.sequence().map { try $0.int(in: 1...1024) }
            guard kernel.count == 3 else { throw kernelValue.error("\(kernel.count) numbers", valid: "three: frames x height x width, e.g. [3, 3, 3]") }
            guard at.count == 2 else { throw atValue.error("\(at.count) numbers", valid: "two divisors of the output: [temporal, spatial], e.g. [4, 8]") }
            groups.append(.init(count: try m.required("count").int(in: 1...1000), inputChannels: try m.required("in").int(in: 1...100_000),
                                outputChannels: try m.required("out").int(in: 1...100_000), kernel: kernel,
                                temporalDivisor: at[0], spatialDivisor: at[1]))
        }
        return VideoDiffusionModel(
            id: try map.required("id").string(),
            name: try map.required("name").string(),
            experts: try map.optional("experts")?.int(in: 1...64) ?? 1,
            layers: try map.required("layers").int(in: 1...10_000),
            hidden: hidden,
            heads: heads,
            ffn: try map.required("ffn").int(in: 1...10_000_000),
            patch: .init(frames: patch[0], height: patch[1], width: patch[2]),
            crossAttention: try map.optional("cross_attention")?.bool() ?? true,
            textEncoder: .init(name: try text.optional("name")?.string() ?? "text encoder",
                               layers: try text.required("layers").int(in: 0...1000),
                               hidden: try text.required("hidden").int(in: 1...1_000_000),
                               ffn: try text.required("ffn").int(in: 1...10_000_000),
                               gatedFFN: try text.optional("gated_ffn")?.bool() ?? false,
                               tokens: try text.required("tokens").int(in: 1...1_000_000)),
            vae: .init(temporalCompression: try vae.required("temporal_compression").int(in: 1...64),
                       spatialCompression: try vae.required("spatial_compression").int(in: 1...64),
                       latentChannels: try vae.required("latent_channels").int(in: 1...10_000),
                       decoder: groups,
                       parametersB: try vae.optional("parameters_b")?.double(in: 0...1000) ?? 0),
            statedParametersPerExpert: try map.optional("parameters_b_per_expert")?.double(in: 0...1e5),
            source: try map.required("source", hint: "where the shape comes from").string(),
            confidence: try map.optional("confidence")?.string() ?? "unstated")
    }

    /// Decodes a video benchmark preset (`family: video`).
    public func videoBenchmark(_ document: YAMLValue) throws -> VideoBenchmarkPreset {
        let map = try document.mapping(allowed: ["id", "family", "model", "dataset", "video", "samples", "min_single_stream_queries",
                                                 "min_duration_s", "source", "confidence"])
        return VideoBenchmarkPreset(
            id: try map.required("id").string(),
            model: try map.required("model").string(),
            dataset: try map.optional("dataset")?.string() ?? "",
            video: try Self.videoShape(map.required("video"), defaults: nil),
            samples: try map.required("samples").int(in: 1...10_000_000),
            minSingleStreamQueries: try map.optional("min_single_stream_queries")?.int(in: 1...10_000_000) ?? 50,
            minDurationSeconds: try map.optional("min_duration_s")?.double(in: 0...1e8, unit: "s") ?? Workload.defaultMinDuration,
            source: try map.required("source").string(),
            confidence: try map.optional("confidence")?.string() ?? "unstated")
    }

    static let videoShapeKeys = ["height", "width", "frames", "fps", "steps", "guidance", "boundary_ratio"]

    /// A video's shape: every key required unless `defaults` (a benchmark's) supplies it.
    static func videoShape(_ value: YAMLValue, defaults: VideoShape?) throws -> VideoShape {
        let m = try value.mapping(allowed: videoShapeKeys)
        func int(_ key: String, _ range: ClosedRange<Int>, _ preset: Int?) throws -> Int {
            if let v = m.optional(key) { return try v.int(in: range) }
            if let preset { return preset }
            _ = try m.required(key, hint: "e.g. {height: 720, width: 1280, frames: 81, fps: 16, steps: 20, guidance: true}")
            return 0
        }
        let shape = VideoShape(
            height: try int("height", 8...100_000, defaults?.height),
            width: try int("width", 8...100_000, defaults?.width),
            frames: try int("frames", 1...100_000, defaults?.frames),
            fps: try m.optional("fps")?.double(in: 0.1...1000, unit: "frames/s") ?? defaults?.fps ?? 16,
            steps: try int("steps", 1...10_000, defaults?.steps),
            guidance: try m.optional("guidance")?.bool() ?? defaults?.guidance ?? true,
            boundaryRatio: try m.optional("boundary_ratio")?.double(in: 0...1) ?? defaults?.boundaryRatio ?? 1)
        return shape
    }
}
