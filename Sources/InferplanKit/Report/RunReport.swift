/// The report of one run: what was simulated and the headline figures, in a shape that encodes
/// directly to the JSON that tools read (`RunReport+JSON.swift`) and renders as a table for people
/// (`RunReport+Text.swift`).
public struct RunReport: Sendable, Encodable {
    public struct Limits: Sendable, Encodable {
        public var ttftP99Ms: Double
        public var tpotP99Ms: Double
        enum CodingKeys: String, CodingKey {
            case ttftP99Ms, tpotP99Ms
        }
    }

    public var scenario: String
    public var file: String
    public var model: String
    public var modelName: String
    public var gpu: String
    public var gpuName: String
    public var weights: String
    public var kvCache: String
    public var lmHead: String
    public var gpus: Int
    public var nodes: Int
    public var tensorParallel: Int
    public var pipelineParallel: Int
    public var expertParallel: Int
    /// "tensor" (split by head) or "data" (each GPU its own sequences).
    public var attentionParallel: String
    public var replicas: Int
    public var benchmark: String
    public var workloadScenario: String
    public var scheduler: String
    public var kvPolicy: String
    public var router: String
    public var seed: UInt64
    public var qps: Double?
    public var issuedSamples: Int
    public var completedSamples: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var outputTokensPerS: Double
    public var outputTokensPerSPerGPU: Double
    public var ttftMs: LatencySummary
    public var tpotMs: LatencySummary
    public var latencyLimits: Limits?
    public var latencyLimitsMet: Bool?
    public var maxQPS: Double?
    public var search: SearchSummary?
    public var repeatSummary: RepeatSummary?
    public var preemptions: Int
    /// Throughput per node group, for a cluster of several (nil for one).
    public var groups: [GroupReport]?
    public var meanBatchSeqs: Double
    public var kvPeakFraction: Double
    public var kvCapacityTokensPerReplica: Int
    public var weightsGBPerGPU: Double
    public var simulatedS: Double
    /// Wall time of the simulation; the one field that differs between identical runs, so
    /// `--reproducible` leaves it out.
    public var wallS: Double?
    public var events: Int
    /// `--explain`: where the time of a representative decode and prefill step goes.
    public var explain: [StepExplanation]?
    /// The scenario's warnings (`Scenario.warnings`): allowed, probably not meant.
    public var warnings: [String]
    /// Power and energy of the GPUs (`PowerProfile`; low confidence until fitted to MLPerf Power).
    /// Per node: the GPUs only (host power is not modelled yet).
    public var meanPowerWPerGPU: Double
    public var peakPowerWPerGPU: Double
    public var meanPowerWPerNode: Double
    public var energyJ: Double
    public var outputTokensPerJoule: Double
    public var joulesPerQuery: Double
    /// With the scenario's `cost:`: the cluster's dollars per hour (GPU-hours and energy) and per
    /// million output tokens at the operating point (the max rate for a search).
    public var clusterUSDPerHour: Double?
    public var usdPerMillionOutputTokens: Double?
    /// The overrides applied to the scenario file (`Scenario.overrides`), so that a header naming
    /// the file's scenario never reads as if it described the file unchanged.
    public var overrides: [String]

    enum CodingKeys: String, CodingKey {
        case scenario, file, model, gpu, weights, gpus, nodes, replicas, benchmark, seed, qps, events
        case modelName, gpuName, kvCache, lmHead
        case tensorParallel, workloadScenario
        case pipelineParallel, expertParallel, attentionParallel
        case scheduler, kvPolicy, router, maxQPS, search, repeatSummary = "repeat", preemptions, groups
        case issuedSamples, completedSamples
        case inputTokens, outputTokens
        case outputTokensPerS, outputTokensPerSPerGPU
        case ttftMs, tpotMs, latencyLimits, latencyLimitsMet
        case meanBatchSeqs, kvPeakFraction
        case kvCapacityTokensPerReplica, weightsGBPerGPU
        case simulatedS, wallS, explain, warnings, overrides
        case meanPowerWPerGPU, peakPowerWPerGPU, meanPowerWPerNode, energyJ, outputTokensPerJoule, joulesPerQuery
        case clusterUSDPerHour, usdPerMillionOutputTokens
    }

    public struct GroupReport: Sendable, Encodable {
        public var gpu: String
        public var nodes: Int
        public var gpus: Int
        public var outputTokensPerS: Double
        public var outputTokensPerSPerGPU: Double
        enum CodingKeys: String, CodingKey {
            case gpu, nodes, gpus, outputTokensPerS, outputTokensPerSPerGPU
        }
    }

    /// The max-rate search behind `max_qps`: its tolerance and every rate it tried.
    public struct SearchSummary: Sendable, Encodable {
        public var tolerance: Double
        public var failingQPS: Double
        public var probes: [MaxRateSearch.Probe]
        enum CodingKeys: String, CodingKey { case tolerance, failingQPS, probes }
    }

    public init(scenario: Scenario, outcome: RunOutcome, repeatSummary: RepeatSummary? = nil, includeWallTime: Bool = true,
                explain: Bool = false) {
        self.init(scenario: scenario, deployment: outcome.deployment, metrics: outcome.metrics, includeWallTime: includeWallTime)
        if explain { self.explain = StepExplanation.representative(deployment: outcome.deployment, metrics: outcome.metrics) }
        qps = outcome.qps
        if let search = outcome.search {
            maxQPS = search.maxQPS
            self.search = SearchSummary(tolerance: search.tolerance, failingQPS: search.failingQPS, probes: search.probes)
        }
        self.repeatSummary = repeatSummary
    }

    public init(scenario: Scenario, deployment: Deployment, metrics: RunMetrics, includeWallTime: Bool = true) {
        self.scenario = scenario.name
        file = scenario.file
        model = scenario.model.id
        modelName = scenario.model.name
        gpu = scenario.gpu.id
        gpuName = scenario.gpu.name
        weights = scenario.precision.weights.rawValue
        kvCache = scenario.precision.kvCache.rawValue
        lmHead = scenario.precision.lmHead.rawValue
        gpus = deployment.gpus
        nodes = deployment.nodes
        tensorParallel = deployment.tensorParallel
        pipelineParallel = deployment.parallelism.pipeline
        expertParallel = deployment.parallelism.expert
        attentionParallel = deployment.parallelism.attentionDataParallel ? "data" : "tensor"
        replicas = deployment.replicas
        benchmark = scenario.workload.benchmark
        warnings = scenario.warnings
        overrides = scenario.overrides
        workloadScenario = scenario.workload.scenario.rawValue
        scheduler = deployment.serving.scheduler.rawValue
        kvPolicy = deployment.serving.kvPolicy.rawValue
        router = deployment.serving.router.rawValue
        preemptions = metrics.preemptions
        if deployment.groups.count > 1 {
            groups = zip(deployment.groups, metrics.outputTokensPerSecondByGroup).map { group, tokens in
                GroupReport(gpu: group.gpu.id, nodes: group.nodes, gpus: group.gpus, outputTokensPerS: tokens,
                            outputTokensPerSPerGPU: tokens / Double(group.gpus))
            }
        }
        seed = scenario.workload.seed
        qps = scenario.workload.scenario.isRateDriven ? scenario.workload.qps : nil
        issuedSamples = metrics.issuedSamples
        completedSamples = metrics.completedSamples
        inputTokens = metrics.inputTokens
        outputTokens = metrics.outputTokens
        outputTokensPerS = metrics.outputTokensPerSecond
        outputTokensPerSPerGPU = metrics.outputTokensPerSecond / Double(deployment.gpus)
        ttftMs = metrics.ttftMs
        tpotMs = metrics.tpotMs
        if let limits = scenario.workload.limits {
            latencyLimits = Limits(ttftP99Ms: limits.ttftP99Seconds * 1000, tpotP99Ms: limits.tpotP99Seconds * 1000)
            latencyLimitsMet = limits.areMet(by: metrics)
        }
        meanBatchSeqs = metrics.meanBatchSequences
        kvPeakFraction = metrics.kvPeakFraction
        kvCapacityTokensPerReplica = deployment.memory.kvCapacityTokens
        weightsGBPerGPU = deployment.memory.weightBytesPerGPU / 1e9
        simulatedS = metrics.simulatedSeconds
        wallS = includeWallTime ? metrics.wallSeconds : nil
        events = metrics.events
        meanPowerWPerGPU = metrics.meanPowerWattsPerGPU
        peakPowerWPerGPU = metrics.peakPowerWattsPerGPU
        meanPowerWPerNode = metrics.meanPowerWattsPerGPU * Double(deployment.gpus) / Double(max(1, deployment.nodes))
        energyJ = metrics.energyJoules
        outputTokensPerJoule = metrics.outputTokensPerJoule
        joulesPerQuery = metrics.joulesPerQuery
        if let prices = scenario.prices {
            let perHour = prices.usdPerHour(gpus: deployment.gpus, watts: metrics.meanPowerWattsPerGPU * Double(deployment.gpus))
            clusterUSDPerHour = perHour
            usdPerMillionOutputTokens = metrics.outputTokensPerSecond > 0 ? perHour / (metrics.outputTokensPerSecond * 3600) * 1e6 : nil
        }
    }
}
