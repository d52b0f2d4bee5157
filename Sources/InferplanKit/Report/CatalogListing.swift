import Foundation

/// What the catalog holds, with each entry's key figures, source and confidence.
public struct CatalogListing: Sendable, Encodable {
    public struct GPU: Sendable, Encodable {
        var id: String, name: String, memoryGB: Double, bandwidthTBs: Double
        var denseTFLOPS: [String: Double], scaleUp: String, efficiency: String, confidence: String, source: String
        enum CodingKeys: String, CodingKey {
            case id, name, efficiency, confidence, source
            case memoryGB, bandwidthTBs = "memory_bandwidth_tb_s", denseTFLOPS, scaleUp
        }
    }

    public struct Model: Sendable, Encodable {
        var id: String, name: String, parametersB: Double, activeParametersB: Double, kvBytesPerTokenBF16: Double
        var confidence: String, source: String
        enum CodingKeys: String, CodingKey {
            case id, name, confidence, source
            case parametersB, activeParametersB, kvBytesPerTokenBF16
        }
    }

    public struct Benchmark: Sendable, Encodable {
        var id: String, model: String, input: String, output: String, minOfflineSamples: Int, confidence: String
        enum CodingKeys: String, CodingKey {
            case id, model, input, output, confidence
            case minOfflineSamples
        }
    }

    public struct Efficiency: Sendable, Encodable {
        var id: String, compute: Double, computeByFormat: [String: Double], bandwidth: Double, stepOverheadMs: Double,
            hostPerSequenceUs: Double, stack: String, fittedOn: String, provenance: String
        enum CodingKeys: String, CodingKey {
            case id, compute, bandwidth, provenance, stack
            case computeByFormat, hostPerSequenceUs, fittedOn
            case stepOverheadMs
        }
    }

    public struct VideoModel: Sendable, Encodable {
        var id: String, name: String, experts: Int, parametersBPerExpert: Double, layers: Int, hidden: Int, confidence: String, source: String
    }

    public struct VideoBenchmark: Sendable, Encodable {
        var id: String, model: String, video: String, samples: Int, confidence: String
    }

    public var gpus: [GPU] = []
    public var models: [Model] = []
    public var videoModels: [VideoModel] = []
    public var benchmarks: [Benchmark] = []
    public var videoBenchmarks: [VideoBenchmark] = []
    public var efficiency: [Efficiency] = []
    public var nodes: [String] = []

    public init(catalog: Catalog) throws {
        let base = catalog.root.appendingPathComponent("gpus").path
        for id in catalog.ids(.gpus) {
            let gpu = try catalog.gpu(catalog.document(.gpus, id: id), baseDirectory: base)
            var flops: [String: Double] = [:]
            for (format, value) in gpu.denseFLOPS { flops[format.rawValue] = value / 1e12 }
            gpus.append(GPU(id: id, name: gpu.name, memoryGB: gpu.usableMemoryBytes / 1e9, bandwidthTBs: gpu.memoryBytesPerSecond / 1e12,
                            denseTFLOPS: flops, scaleUp: "\(gpu.scaleUp.name), \(gpu.scaleUp.topology.rawValue), \(gpu.scaleUp.domainGPUs) GPUs",
                            efficiency: gpu.efficiency.id, confidence: gpu.confidence, source: gpu.source))
        }
        for id in catalog.ids(.models) {
            let document = try catalog.document(.models, id: id)
            if Catalog.isVideo(document) {
                let video = try catalog.videoModel(document)
                videoModels.append(VideoModel(id: id, name: video.name, experts: video.experts, parametersBPerExpert: video.parametersPerExpert / 1e9,
                                              layers: video.layers, hidden: video.hidden, confidence: video.confidence, source: video.source))
                continue
            }
            let model = try catalog.model(document)
            models.append(Model(id: id, name: model.name, parametersB: model.totalParameters / 1e9,
                                activeParametersB: model.activeParametersPerToken / 1e9,
                                kvBytesPerTokenBF16: model.kvElements(forSequenceOf: 1) * 2,
                                confidence: model.confidence, source: model.source))
        }
        for id in catalog.ids(.benchmarks) {
            let document = try catalog.document(.benchmarks, id: id)
            if Catalog.isVideo(document) {
                let preset = try catalog.videoBenchmark(document)
                let v = preset.video
                videoBenchmarks.append(VideoBenchmark(id: id, model: preset.model, video: "\(v.width) x \(v.height), \(v.frames) frames, \(v.steps) steps\(v.guidance ? " with guidance" : "")",
                                                      samples: preset.samples, confidence: preset.confidence))
                continue
            }
            let preset = try catalog.benchmark(document)
            benchmarks.append(Benchmark(id: id, model: preset.model, input: preset.input.summary, output: preset.output.summary,
                                        minOfflineSamples: preset.minOfflineSamples, confidence: preset.confidence))
        }
        for id in catalog.ids(.nodes) {
            let entry = try catalog.document(.nodes, id: id).mapping(allowed: ["id", "name", "gpu", "gpus_per_node", "scale_out", "source"])
            nodes.append("\(id): \(try entry.required("name").string())")
        }
        for id in catalog.ids(.efficiency) {
            let profile = try catalog.efficiency(catalog.document(.efficiency, id: id))
            let byFormat = Dictionary(uniqueKeysWithValues: ComputeFormat.allCases.map { ($0.rawValue, profile.computeEfficiency($0)) })
            efficiency.append(Efficiency(id: id, compute: profile.compute, computeByFormat: byFormat, bandwidth: profile.bandwidth,
                                         stepOverheadMs: profile.stepOverheadSeconds * 1000, hostPerSequenceUs: profile.hostSecondsPerSequence * 1e6,
                                         stack: profile.stack, fittedOn: profile.fittedOn, provenance: profile.provenance))
        }
    }

    public func text() -> String {
        var lines = ["GPUs (dense TFLOP/s; usable HBM)"]
        for gpu in gpus {
            let flops = ["bf16", "fp8", "fp6", "fp4"].compactMap { key in gpu.denseTFLOPS[key].map { "\(key) \(Format.grouped($0, decimals: 0))" } }
            lines.append("  \(Format.pad(gpu.id, 10, right: false)) \(Format.pad(gpu.name, 28, right: false)) \(Format.fixed(gpu.memoryGB, 0)) GB, \(Format.fixed(gpu.bandwidthTBs, 2)) TB/s, \(flops.joined(separator: ", ")); \(gpu.scaleUp); efficiency \(gpu.efficiency); confidence \(gpu.confidence)")
        }
        lines.append("")
        lines.append("Models (parameters; KV cache per token at BF16)")
        for model in models {
            lines.append("  \(Format.pad(model.id, 14, right: false)) \(Format.pad(model.name, 40, right: false)) \(Format.fixed(model.parametersB, 2)) B total, \(Format.fixed(model.activeParametersB, 2)) B active per token, \(Format.grouped(model.kvBytesPerTokenBF16 / 1024, decimals: 0)) KiB KV per token")
        }
        lines.append("")
        lines.append("Video diffusion models (parameters per DiT expert)")
        for model in videoModels {
            lines.append("  \(Format.pad(model.id, 16, right: false)) \(Format.pad(model.name, 38, right: false)) \(model.experts) x \(Format.fixed(model.parametersBPerExpert, 2)) B, \(model.layers) layers of \(model.hidden)")
        }
        lines.append("")
        lines.append("Benchmark presets")
        for preset in benchmarks {
            lines.append("  \(Format.pad(preset.id, 22, right: false)) model \(preset.model); input \(preset.input); output \(preset.output); \(Format.grouped(preset.minOfflineSamples)) Offline samples")
        }
        for preset in videoBenchmarks {
            lines.append("  \(Format.pad(preset.id, 22, right: false)) model \(preset.model); \(preset.video); \(preset.samples) prompts")
        }
        lines.append("")
        lines.append("Nodes (hardware.node: GPU, count and scale-out network)")
        for node in nodes { lines.append("  " + node) }
        lines.append("")
        lines.append("Efficiency profiles (per software stack: compute efficiency per format, achieved bandwidth, host costs)")
        for profile in efficiency {
            let formats = ["bf16", "fp8", "fp4"].map { "\($0) \(Format.fixed(profile.computeByFormat[$0] ?? profile.compute, 3))" }
            lines.append("  \(Format.pad(profile.id, 20, right: false)) compute \(formats.joined(separator: ", ")); bandwidth \(Format.fixed(profile.bandwidth, 3)); step overhead \(Format.fixed(profile.stepOverheadMs, 2)) ms, host \(Format.fixed(profile.hostPerSequenceUs, 0)) us per sequence")
            lines.append("  \(Format.pad("", 20)) \(profile.stack); fitted on \(profile.fittedOn)")
        }
        lines.append("")
        lines.append("A scenario names these by id, or points at a YAML file of the same shape to add its own.")
        return lines.joined(separator: "\n") + "\n"
    }
}
