/// Throughput and scaling efficiency of a scenario as its cluster grows: the mission's headline
/// output. At each node count the scenario runs with `hardware.nodes` set (every node group scaled
/// alike); Offline keeps the work per node constant (samples x nodes), Server and Interactive report
/// the throughput at each count's highest rate meeting the p99 limits.
///
/// Efficiency below 100% comes only from the model's mechanisms (collectives, load imbalance,
/// stragglers, dispatch limits), never from a constant.
public struct ScalingStudy: Sendable, Encodable {
    public struct Point: Sendable, Encodable {
        public var nodes: Int
        public var gpus: Int
        public var outputTokensPerS: Double
        public var outputTokensPerSPerGPU: Double
        public var maxQPS: Double?
        /// Per-GPU throughput relative to the first count's.
        public var efficiency: Double
        /// Per-node throughput relative to the first count's.
        public var efficiencyPerNode: Double
        public var ttftP99Ms: Double
        public var tpotP99Ms: Double
        public var error: String?
        /// Against ideal scaling from the first count, by mechanism (`ScalingStudy+Losses.swift`).
        public var losses: Losses?
        /// The node count asked for (`nodes` is the cluster's, several groups' together).
        var count = 0
        /// With `--repeat N`: the per-GPU efficiency's mean and 95% interval over N seeds.
        public var efficiencyOverSeeds: IntervalEstimate?

        enum CodingKeys: String, CodingKey {
            case nodes, gpus, efficiency, error, losses, efficiencyOverSeeds
            case outputTokensPerS, outputTokensPerSPerGPU
            case maxQPS, efficiencyPerNode, ttftP99Ms, tpotP99Ms
        }
    }

    public var scenario: String
    public var workloadScenario: String
    /// Offline: whether each size runs a fixed count per node (`workload.samples` given) rather
    /// than LoadGen's sizing.
    public var fixedSamplesPerNode = false
    public var points: [Point]

    enum CodingKeys: String, CodingKey {
        case scenario, points, workloadScenario
    }

    /// Runs `path` at each of `nodeCounts` (with `overrides` applied first), `jobs` node counts at
    /// a time; `progress(done, total)` after each. The points come in the order of `nodeCounts`
    /// whatever the threads' timing.
    public init(path: String, overrides: [Override], nodeCounts: [Int], jobs: Int = 1,
                progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let base = try Scenario.load(path: path, overrides: overrides)
        scenario = base.name
        workloadScenario = base.workload.scenario.rawValue
        fixedSamplesPerNode = base.workload.samples != nil
        let baseNodes = base.groups.map(\.nodes)
        var points = try nodeCounts.parallelMap(jobs: jobs, progress: progress) { count in
            try Self.point(path: path, base: base, baseNodes: baseNodes, overrides: overrides, count: count)
        }
        if let first = points.first(where: { $0.error == nil }) {
            for index in points.indices where points[index].error == nil {
                points[index].efficiency = points[index].outputTokensPerSPerGPU / first.outputTokensPerSPerGPU
                points[index].efficiencyPerNode = (points[index].outputTokensPerS / Double(points[index].nodes))
                    / (first.outputTokensPerS / Double(first.nodes))
            }
        }
        // The loss waterfall: paired runs of each count with the mechanisms off in turn (no extra
        // run for a mechanism the scenario does not have), against the first count's throughput
        // per GPU with all of them off.
        let stages = try points.parallelMap(jobs: jobs) { point -> [Double]? in
            guard point.error == nil else { return nil }
            let scenario = try Self.load(path: path, base: base, baseNodes: baseNodes, overrides: overrides, count: point.count, more: [])
            return try Self.stages(scenario: scenario, tokensPerS: point.outputTokensPerS) { off in
                let variant = try Self.load(path: path, base: base, baseNodes: baseNodes, overrides: overrides, count: point.count, more: off)
                return try ScenarioRun.outcome(variant).metrics.outputTokensPerSecond
            }
        }
        if let firstIndex = points.firstIndex(where: { $0.error == nil }), let firstStages = stages[firstIndex] {
            let idealPerGPU = firstStages[3] / Double(points[firstIndex].gpus)
            for index in points.indices {
                if let stages = stages[index] { points[index].losses = Self.losses(stages: stages, ideal: idealPerGPU * Double(points[index].gpus)) }
            }
        }
        self.points = points
        let broken = invariantViolations
        if !broken.isEmpty { throw InternalError(violations: broken, scenario: base.echo) }
    }

    /// The study over `runs` seeds (the scenario's seed, then the next ones): the first seed's
    /// points, each with the mean and 95% interval of its per-GPU efficiency over all of them.
    /// With stragglers or jitter on, efficiency is a distribution, not a number.
    public static func repeated(path: String, overrides: [Override], nodeCounts: [Int], runs: Int, jobs: Int = 1,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ScalingStudy {
        let seed = try Scenario.load(path: path, overrides: overrides).workload.seed
        var studies: [ScalingStudy] = []
        for run in 0..<runs {
            let seeded = overrides + [try Override(parsing: "workload.seed=\(seed &+ UInt64(run))")]
            var shifted: (@Sendable (Int, Int) -> Void)?
            if let progress {
                let done = run * nodeCounts.count, total = runs * nodeCounts.count
                shifted = { finished, _ in progress(done + finished, total) }
            }
            studies.append(try ScalingStudy(path: path, overrides: seeded, nodeCounts: nodeCounts, jobs: jobs, progress: shifted))
        }
        var study = studies[0]
        for index in study.points.indices where study.points[index].error == nil {
            let values = studies.compactMap { $0.points[index].error == nil ? $0.points[index].efficiency : nil }
            study.points[index].efficiencyOverSeeds = IntervalEstimate(values)
        }
        return study
    }

    /// Scaling efficiency must be a positive, finite fraction: per GPU against the first cluster
    /// measured, never more than 5% above it for a larger cluster (a larger cluster of the same
    /// nodes does not get faster per GPU beyond noise), as issue 13 states for every report.
    public var invariantViolations: [String] {
        guard let first = points.first(where: { $0.error == nil }) else { return [] }
        var broken: [String] = []
        for point in points where point.error == nil {
            if !(point.efficiency.isFinite && point.efficiency > 0) || !(point.efficiencyPerNode.isFinite && point.efficiencyPerNode > 0) {
                broken.append("scaling efficiency at \(point.nodes) nodes is \(point.efficiency) per GPU, \(point.efficiencyPerNode) per node")
            } else if point.nodes >= first.nodes && point.efficiency > 1.05 {
                broken.append("scaling efficiency at \(point.nodes) nodes is \(point.efficiency) per GPU against \(first.nodes), above 1.05")
            }
        }
        return broken
    }

    /// The scenario at node count `count` (every group grown alike), with `more` overrides last.
    static func load(path: String, base: Scenario, baseNodes: [Int], overrides: [Override], count: Int, more: [Override]) throws -> Scenario {
        var extra = overrides
        // Every group grows alike: a single group gets `count` nodes; several keep their
        // proportions (count x each group's nodes / the first group's).
        if base.groups.count == 1 {
            extra.append(try Override(parsing: "hardware.nodes=\(count)"))
        }
        // Offline: the same work per node. Without `samples` every size is sized as LoadGen does
        // (at least the minimum duration at its own rate); a fixed count grows with the nodes.
        if base.workload.scenario == .offline, let samples = base.workload.samples {
            extra.append(try Override(parsing: "workload.samples=\(min(Scenario.maxRequests, samples * count))"))
        }
        if base.workload.scenario.isRateDriven, base.workload.trace == nil {
            extra.append(try Override(parsing: "workload.qps=max"))
        }
        var scenario = try Scenario.load(path: path, overrides: extra + more)
        if base.groups.count > 1 {
            for index in scenario.groups.indices { scenario.groups[index].nodes = baseNodes[index] * count }
        }
        return scenario
    }

    /// One node count's point; bad input at that count is the point's error, not the study's.
    private static func point(path: String, base: Scenario, baseNodes: [Int], overrides: [Override], count: Int) throws -> Point {
        do {
            let scenario = try load(path: path, base: base, baseNodes: baseNodes, overrides: overrides, count: count, more: [])
            let outcome = try ScenarioRun.outcome(scenario)
            let gpus = outcome.deployment.gpus
            let tokens = outcome.metrics.outputTokensPerSecond
            var point = Point(nodes: outcome.deployment.nodes, gpus: gpus, outputTokensPerS: tokens,
                              outputTokensPerSPerGPU: tokens / Double(gpus), maxQPS: outcome.search?.maxQPS,
                              efficiency: 0, efficiencyPerNode: 0,
                              ttftP99Ms: outcome.metrics.ttftMs.p99, tpotP99Ms: outcome.metrics.tpotMs.p99, error: nil)
            point.count = count
            return point
        } catch let error as InputError {
            return Point(nodes: count, gpus: 0, outputTokensPerS: 0, outputTokensPerSPerGPU: 0, maxQPS: nil, efficiency: 0,
                         efficiencyPerNode: 0, ttftP99Ms: 0, tpotP99Ms: 0,
                         error: error.description.replacingOccurrences(of: "\n", with: "; "))
        }
    }

    public func text() -> String {
        var lines = ["scaling of \(scenario) (\(workloadScenario)\(workloadScenario == "offline" ? (fixedSamplesPerNode ? ", same work per node" : ", each size sized as LoadGen does: at least the minimum duration") : ", at each count's max rate under the p99 limits"))",
                     "  nodes   gpus      tokens/s    per GPU   max qps   efficiency (per GPU / per node)   losses vs ideal: harness  stragglers  collectives  tail"]
        for p in points {
            if let error = p.error {
                lines.append(Format.pad(String(p.nodes), 7) + "   " + error)
                continue
            }
            var line = Format.pad(String(p.nodes), 7) + Format.pad(String(p.gpus), 7) + Format.pad(Format.grouped(p.outputTokensPerS, decimals: 0), 14)
                + Format.pad(Format.grouped(p.outputTokensPerSPerGPU, decimals: 0), 11)
                + Format.pad(p.maxQPS.map { Format.grouped($0, decimals: 1) } ?? "-", 10)
                + "   " + Format.pad(Format.percent(p.efficiency) + " / " + Format.percent(p.efficiencyPerNode), 17, right: false)
            if let l = p.losses {
                line += "                   " + Format.pad(Format.percent(l.harness, decimals: 1), 7) + Format.pad(Format.percent(l.stragglers, decimals: 1), 12)
                    + Format.pad(Format.percent(l.collectives, decimals: 1), 13) + Format.pad(Format.percent(l.tail, decimals: 1), 7)
            }
            if let interval = p.efficiencyOverSeeds {
                line += String(format: "   over seeds %.1f%% [%.1f, %.1f]", interval.mean * 100, interval.ci95Low * 100, interval.ci95High * 100)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
