import Foundation

/// A text-to-video scenario as the user wrote it, decoded and resolved against the catalog: a DiT
/// video pipeline deployed on node groups, and the MLPerf SingleStream or Offline load.
///
/// ```yaml
/// workload: {benchmark: mlperf-wan-2.2-t2v, scenario: single-stream}
/// hardware: {gpu: b200, gpus_per_node: 8, nodes: 1}
/// precision: {weights: bf16, attention: bf16}
/// serving: {sequence_parallel: 8, mode: ulysses, cfg_parallel: false}
/// ```
/// A file is a video scenario when its model (or its benchmark's) is a video model
/// (`ScenarioFile.load` decides); everything else about it reads like an LLM scenario.
public struct VideoScenario: Sendable {
    public var name: String
    public var file: String
    public var model: VideoDiffusionModel
    public var groups: [NodeGroup]
    public var weights: WeightFormat
    public var attention: VideoAttentionFormat
    public var parallelism: VideoParallelism
    public var workload: VideoWorkload
    public var benchmark: VideoBenchmarkPreset?
    public var prices: Prices?
    public var locations: [String: String]
    public var warnings: [String] = []
    public var overrides: [String] = []

    public var gpus: Int { groups.reduce(0) { $0 + $1.gpus } }
    public var nodes: Int { groups.reduce(0) { $0 + $1.nodes } }
    public var gpu: GPUSpec { groups[0].gpu }

    public static let topLevelKeys = ["name", "model", "hardware", "precision", "serving", "workload", "cost"]
    static let servingKeys = ["sequence_parallel", "mode", "cfg_parallel"]
    static let workloadKeys = ["benchmark", "scenario", "samples", "seed", "duration_s", "video"]

    public func location(of keyPath: String) -> String { locations[keyPath] ?? file }

    func error(_ keyPath: String, _ problem: String, valid: String = "") -> InputError {
        InputError(location: location(of: keyPath), keyPath: keyPath, problem: problem, valid: valid)
    }

    /// Decodes a video scenario document; catalog paths are relative to `baseDirectory`.
    public init(document: YAMLValue, baseDirectory: String, catalog: Catalog) throws {
        var locations: [String: String] = [:]
        func note(_ value: YAMLValue) -> YAMLValue {
            locations[value.keyPath] = value.location
            return value
        }
        let root = try document.mapping(allowed: Self.topLevelKeys)
        file = document.source.name
        overrides = document.source.applied
        name = try Scenario.name(root, of: document)

        let workloadMap = try root.required("workload", hint: "{benchmark: mlperf-wan-2.2-t2v, scenario: single-stream}")
            .mapping(allowed: Self.workloadKeys)
        var benchmark: VideoBenchmarkPreset?
        if let value = workloadMap.optional("benchmark") {
            let document = try catalog.document(.benchmarks, reference: note(value), baseDirectory: baseDirectory)
            guard Catalog.isVideo(document) else {
                throw value.error("\(try value.string()) is an LLM benchmark, and this scenario's model generates video",
                                  valid: "a video benchmark such as mlperf-wan-2.2-t2v")
            }
            benchmark = try catalog.videoBenchmark(document)
        }
        self.benchmark = benchmark
        let modelDocument: YAMLValue
        if let value = root.optional("model") {
            modelDocument = try catalog.document(.models, reference: note(value), baseDirectory: baseDirectory)
            guard Catalog.isVideo(modelDocument) else {
                throw value.error("\(try value.string()) is an LLM, and workload.benchmark is a video benchmark",
                                  valid: "a video model such as wan2.2-t2v-a14b, or an LLM benchmark")
            }
        } else if let benchmark {
            modelDocument = try catalog.document(.models, id: benchmark.model)
        } else {
            throw InputError(location: document.location, keyPath: "model", problem: "missing required key 'model'",
                             valid: "a video model id (wan2.2-t2v-a14b) or a path to its YAML; or name a workload.benchmark")
        }
        model = try catalog.videoModel(modelDocument)

        let hardwareValue = try root.required("hardware", hint: "{gpu: b200, gpus_per_node: 8, nodes: 1}")
        var nodeGroups = try Scenario.nodeGroups(hardwareValue, catalog: catalog, baseDirectory: baseDirectory, note: note)
        try Scenario.applyPowerCaps(hardwareValue, to: &nodeGroups, note: note)
        groups = nodeGroups

        let precisionMap = try root.optional("precision").map { try note($0).mapping(allowed: ["weights", "attention"]) }
        weights = try precisionMap?.optional("weights").map { try note($0).choice(WeightFormat.self) } ?? .bf16
        attention = try precisionMap?.optional("attention").map { try note($0).choice(VideoAttentionFormat.self) } ?? .bf16

        let servingMap = try root.optional("serving").map { try note($0).mapping(allowed: Self.servingKeys) }
        let sequence = try servingMap?.optional("sequence_parallel").map { try note($0).int(in: 1...4096) } ?? 1
        let mode = try servingMap?.optional("mode").map { try note($0).choice(VideoParallelism.Mode.self) } ?? .ulysses
        let cfg = try servingMap?.optional("cfg_parallel").map { try note($0).bool() } ?? false
        parallelism = VideoParallelism(sequence: sequence, mode: mode, cfg: cfg)
        prices = try Scenario.prices(root.optional("cost"), note: note)

        let kind = try workloadMap.optional("scenario").map { try note($0).choice(VideoWorkload.Kind.self) } ?? .offline
        let video: VideoShape
        if let value = workloadMap.optional("video") {
            video = try Catalog.videoShape(note(value), defaults: benchmark?.video)
        } else if let preset = benchmark?.video {
            video = preset
        } else {
            throw InputError(location: workloadMap.owner.location, keyPath: "workload.video", problem: "missing required key 'video'",
                             valid: "name a workload.benchmark (mlperf-wan-2.2-t2v), or give video: {height: 720, width: 1280, frames: 81, steps: 20}")
        }
        let samples = try workloadMap.optional("samples").map { try note($0).int(in: 1...1_000_000) }
        let minimum = kind == .singleStream ? (benchmark?.minSingleStreamQueries ?? 50) : (benchmark?.samples ?? 1)
        workload = VideoWorkload(
            benchmark: benchmark?.id ?? "custom", scenario: kind, video: video, samples: samples, minSamples: minimum,
            durationSeconds: try workloadMap.optional("duration_s").map { try note($0).double(in: 0...1e8, unit: "s") }
                ?? benchmark?.minDurationSeconds ?? Workload.defaultMinDuration,
            seed: UInt64(try workloadMap.optional("seed").map { try note($0).int(in: 0...Int(Int32.max)) } ?? 1))
        self.locations = locations
        try checkShape()
    }

    /// The video must divide into whole latent frames and patches.
    private func checkShape() throws {
        let video = workload.video
        let spatial = model.vae.spatialCompression * max(model.patch.height, model.patch.width)
        if video.height % spatial != 0 || video.width % spatial != 0 {
            throw error("workload.video", "\(video.width) x \(video.height) pixels do not divide into \(model.name)'s \(spatial)-pixel patches (VAE \(model.vae.spatialCompression)x, patch \(model.patch.height) x \(model.patch.width))",
                        valid: "a height and width that are multiples of \(spatial), e.g. 720 x 1280 or 480 x 832")
        }
        if (video.frames - 1) % model.vae.temporalCompression != 0 {
            throw error("workload.video", "\(video.frames) frames are not 1 + a multiple of the VAE's \(model.vae.temporalCompression)x temporal compression",
                        valid: "1 + 4k frames, e.g. 81 or 121")
        }
    }
}

/// A scenario file of either family: the LLM one (`Scenario`) or the video one (`VideoScenario`).
public enum LoadedScenario: Sendable {
    case llm(Scenario)
    case video(VideoScenario)
}

/// Reads a scenario file and decides its family from its model (or its benchmark's model).
public enum ScenarioFile {
    public static func load(path: String, overrides: [Override] = [], catalog: Catalog = .bundled) throws -> LoadedScenario {
        let document = try YAMLDocument.load(path: path).applying(overrides)
        let base = (path as NSString).deletingLastPathComponent
        let baseDirectory = base.isEmpty ? "." : base
        if isVideo(document, baseDirectory: baseDirectory, catalog: catalog) {
            return .video(try VideoScenario(document: document, baseDirectory: baseDirectory, catalog: catalog))
        }
        return .llm(try Scenario(document: document, baseDirectory: baseDirectory, catalog: catalog))
    }

    /// True when the document's model, or else its benchmark, is of the video family. A reference
    /// that does not resolve is left for the scenario's own decoding to report.
    static func isVideo(_ document: YAMLValue, baseDirectory: String, catalog: Catalog) -> Bool {
        guard let root = try? document.mapping(allowed: Array(Set(Scenario.topLevelKeys + VideoScenario.topLevelKeys))) else { return false }
        if let model = root.optional("model") {
            return (try? catalog.document(.models, reference: model, baseDirectory: baseDirectory)).map(Catalog.isVideo) ?? false
        }
        guard let workload = try? root.optional("workload")?.mapping(allowed: Scenario.workloadKeys + VideoScenario.workloadKeys),
              let benchmark = workload.optional("benchmark") else { return false }
        return (try? catalog.document(.benchmarks, reference: benchmark, baseDirectory: baseDirectory)).map(Catalog.isVideo) ?? false
    }
}
