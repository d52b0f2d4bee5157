/// What `inferplan run` reports for a video scenario (text, JSON and HTML): seconds per video,
/// videos per second, GPU-seconds per video, energy, and where a video's time goes.
public struct VideoRunReport: Sendable, Encodable {
    public struct Operator: Sendable, Encodable {
        public var name: String
        public var seconds: Double
        public var share: Double
        public var tflop: Double
        public var gb: Double
        public var bound: String
        public var format: String
    }

    public var scenario: String
    public var file: String
    public var overrides: [String]
    public var warnings: [String]
    public var model: String
    public var modelName: String
    public var weights: String
    public var attention: String
    public var gpu: String
    public var gpus: Int
    public var nodes: Int
    public var replicas: Int
    public var gpusPerReplica: Int
    public var sequenceParallel: Int
    public var sequenceParallelMode: String
    public var cfgParallel: Bool
    public var benchmark: String
    public var workloadScenario: String
    public var video: String
    public var tokensPerVideo: Int
    public var forwardPassesPerVideo: Int
    public var issuedSamples: Int
    public var simulatedS: Double
    public var videoLatencyS: LatencySummary
    public var videosPerS: Double
    public var videosPerSPerGPU: Double
    public var gpuSecondsPerVideo: Double
    public var secondsPerForwardPass: Double
    public var memoryGBPerGPU: Double
    public var meanPowerWPerGPU: Double
    public var energyJ: Double
    public var joulesPerVideo: Double
    public var clusterUSDPerHour: Double?
    public var usdPerVideo: Double?
    /// The first replica's video, operator by operator (their seconds add up to its time).
    public var explain: [Operator]

    enum CodingKeys: String, CodingKey {
        case scenario, file, overrides, warnings, model, modelName, weights, attention, gpu, gpus, nodes, replicas
        case gpusPerReplica, sequenceParallel, sequenceParallelMode, cfgParallel, benchmark, workloadScenario, video
        case tokensPerVideo, forwardPassesPerVideo, issuedSamples, simulatedS, videoLatencyS, videosPerS, videosPerSPerGPU
        case gpuSecondsPerVideo, secondsPerForwardPass, memoryGBPerGPU, meanPowerWPerGPU, energyJ, joulesPerVideo
        case clusterUSDPerHour = "cluster_usd_per_hour", usdPerVideo = "usd_per_video", explain
    }

    public init(scenario: VideoScenario, outcome: VideoRunOutcome) {
        let deployment = outcome.deployment, metrics = outcome.metrics
        let first = deployment.replicas[0]
        self.scenario = scenario.name
        file = scenario.file
        overrides = scenario.overrides
        warnings = scenario.warnings
        model = scenario.model.id
        modelName = scenario.model.name
        weights = scenario.weights.rawValue
        attention = scenario.attention.rawValue
        gpu = scenario.groups.map { "\($0.gpus) x \($0.gpu.id)" }.joined(separator: " + ")
        gpus = deployment.gpus
        nodes = deployment.nodes
        replicas = deployment.replicas.count
        gpusPerReplica = scenario.parallelism.gpusPerReplica
        sequenceParallel = scenario.parallelism.sequence
        sequenceParallelMode = scenario.parallelism.mode.rawValue
        cfgParallel = scenario.parallelism.cfg
        benchmark = scenario.workload.benchmark
        workloadScenario = scenario.workload.scenario.rawValue
        let v = scenario.workload.video
        video = "\(v.width) x \(v.height), \(v.frames) frames at \(Format.grouped(v.fps, decimals: 0)) fps, \(v.steps) steps\(v.guidance ? " with guidance" : "")"
        tokensPerVideo = scenario.model.tokens(v)
        forwardPassesPerVideo = v.forwardPasses
        issuedSamples = metrics.videos
        simulatedS = metrics.durationSeconds
        videoLatencyS = metrics.latencySeconds
        videosPerS = metrics.videosPerSecond
        videosPerSPerGPU = metrics.videosPerSecondPerGPU
        gpuSecondsPerVideo = metrics.gpuSecondsPerVideo
        secondsPerForwardPass = first.cost.secondsPerForwardPass
        memoryGBPerGPU = deployment.memoryBytesPerGPU / 1e9
        meanPowerWPerGPU = metrics.meanPowerWattsPerGPU
        energyJ = metrics.energyJoules
        joulesPerVideo = metrics.joulesPerVideo
        if let prices = scenario.prices {
            let perHour = prices.usdPerHour(gpus: deployment.gpus, watts: metrics.meanPowerWattsPerGPU * Double(deployment.gpus))
            clusterUSDPerHour = perHour
            usdPerVideo = metrics.videosPerSecond > 0 ? perHour / (metrics.videosPerSecond * 3600) : nil
        }
        let total = first.cost.secondsPerVideo
        explain = first.cost.operators.map {
            Operator(name: $0.name, seconds: $0.seconds, share: total > 0 ? $0.seconds / total : 0, tflop: $0.flops / 1e12,
                     gb: $0.bytes / 1e9, bound: $0.bound.rawValue, format: $0.format.rawValue)
        }
    }

    public func json() throws -> String { try ReportJSON.encode(self) }

    var explainRows: [[String]] {
        explain.map { [$0.name, Format.grouped($0.seconds, decimals: 2), Format.percent($0.share, decimals: 1),
                       Format.grouped($0.tflop, decimals: 0), Format.grouped($0.gb, decimals: 0), $0.bound, $0.format] }
    }
}
