/// `inferplan scale` for a video scenario: videos/s, videos/s per GPU and efficiency at each node
/// count (every node group grown alike). Replicas do not talk to each other, so what loses
/// throughput with the cluster is the Offline run's tail (the last videos on fewer replicas than
/// there are) and, when a replica spans nodes, the sequence-parallel exchange over the NICs.
public struct VideoScalingStudy: Sendable, Encodable {
    public struct Point: Sendable, Encodable {
        public var nodes: Int
        public var gpus: Int
        public var replicas: Int
        public var videosPerS: Double
        public var videosPerSPerGPU: Double
        /// Per-GPU videos/s relative to the first count's.
        public var efficiency: Double
        public var videoLatencyP90S: Double
        public var error: String?
    }

    public var scenario: String
    public var workloadScenario: String
    public var points: [Point]

    public init(path: String, overrides: [Override], nodeCounts: [Int], jobs: Int = 1,
                progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        guard case .video(let base) = try ScenarioFile.load(path: path, overrides: overrides) else {
            throw InputError(location: path, keyPath: "model", problem: "not a video scenario", valid: "a scenario whose model is a video model")
        }
        scenario = base.name
        workloadScenario = base.workload.scenario.rawValue
        let baseNodes = base.groups.map(\.nodes)
        var points = try nodeCounts.parallelMap(jobs: jobs, progress: progress) { count -> Point in
            do {
                var extra = overrides
                if base.groups.count == 1 { extra.append(try Override(parsing: "hardware.nodes=\(count)")) }
                guard case .video(var scenario) = try ScenarioFile.load(path: path, overrides: extra) else {
                    throw InputError(location: path, keyPath: "model", problem: "not a video scenario")
                }
                if base.groups.count > 1 {
                    for index in scenario.groups.indices { scenario.groups[index].nodes = baseNodes[index] * count }
                }
                let outcome = try VideoScenarioRun.outcome(scenario)
                return Point(nodes: outcome.deployment.nodes, gpus: outcome.deployment.gpus, replicas: outcome.deployment.replicas.count,
                             videosPerS: outcome.metrics.videosPerSecond, videosPerSPerGPU: outcome.metrics.videosPerSecondPerGPU,
                             efficiency: 0, videoLatencyP90S: outcome.metrics.latencySeconds.p90)
            } catch let error as InputError {
                return Point(nodes: count, gpus: 0, replicas: 0, videosPerS: 0, videosPerSPerGPU: 0, efficiency: 0, videoLatencyP90S: 0,
                             error: error.description.replacingOccurrences(of: "\n", with: "; "))
            }
        }
        if let first = points.first(where: { $0.error == nil }) {
            for index in points.indices where points[index].error == nil {
                points[index].efficiency = points[index].videosPerSPerGPU / first.videosPerSPerGPU
            }
        }
        self.points = points
    }

    public var text: String {
        var lines = ["inferplan scale - \(scenario) (\(workloadScenario))", ""]
        lines.append("  " + ["nodes", "GPUs", "replicas", "videos/s", "per GPU", "efficiency", "p90 s"].enumerated()
            .map { Format.pad($1, [6, 7, 10, 12, 12, 12, 10][$0]) }.joined())
        for point in points {
            if let error = point.error {
                lines.append("  " + Format.pad("\(point.nodes)", 6) + "  " + error)
                continue
            }
            let cells = ["\(point.nodes)", "\(point.gpus)", "\(point.replicas)", Format.grouped(point.videosPerS, decimals: 4),
                         Format.grouped(point.videosPerSPerGPU, decimals: 5), Format.percent(point.efficiency, decimals: 1),
                         Format.grouped(point.videoLatencyP90S, decimals: 2)]
            lines.append("  " + cells.enumerated().map { Format.pad($1, [6, 7, 10, 12, 12, 12, 10][$0]) }.joined())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func html() -> String {
        let good = points.filter { $0.error == nil }
        let nodes = SVGChart.Axis(label: "nodes", integerTicks: true)
        let charts = [
            SVGChart(title: "Videos/s vs nodes", x: nodes, y: .init(label: "videos/s", includesZero: true),
                     series: [.init(name: "videos/s", points: good.map { (Double($0.nodes), $0.videosPerS) })], width: 520).svg(),
            SVGChart(title: "Scaling efficiency vs nodes (vs the first count)", x: nodes, y: .init(label: "efficiency %", includesZero: true),
                     series: [.init(name: "per GPU", points: good.map { (Double($0.nodes), 100 * $0.efficiency) })],
                     references: [.init(label: "100%", y: 100)], width: 520).svg(),
        ]
        let rows = points.map { p in
            p.error.map { ["\(p.nodes)", "", "", "", "", "", $0] }
                ?? ["\(p.nodes)", "\(p.gpus)", "\(p.replicas)", Format.grouped(p.videosPerS, decimals: 4), Format.grouped(p.videosPerSPerGPU, decimals: 5),
                    Format.percent(p.efficiency, decimals: 1), Format.grouped(p.videoLatencyP90S, decimals: 2)]
        }
        let body = HTMLPage.charts(charts)
            + HTMLPage.table(header: ["nodes", "GPUs", "replicas", "videos/s", "per GPU", "efficiency", "p90 s"], rows: rows)
        return HTMLPage.page(title: "inferplan scale - \(scenario)", subtitle: workloadScenario, body: body)
    }
}
