extension ScalingStudy {
    /// `inferplan scale --format html`: throughput and scaling efficiency against the node count
    /// (integer ticks, the 100% mark drawn), the p99 latencies at each count's rate for Server and
    /// Interactive, and the table of points.
    public func html() -> String {
        let good = points.filter { $0.error == nil }
        var headline: [(value: String, caption: String)] = []
        if let first = good.first, let last = good.last {
            headline = [
                (Format.grouped(last.outputTokensPerS, decimals: 0), "output tokens/s at \(last.nodes) node\(last.nodes == 1 ? "" : "s")"),
                (Format.grouped(last.outputTokensPerS / max(first.outputTokensPerS, 1e-9), decimals: 2) + "x",
                 "throughput from \(first.nodes) to \(last.nodes) node\(last.nodes == 1 ? "" : "s")"),
                (Format.percent(last.efficiency), "scaling efficiency per GPU at \(last.nodes) nodes"),
            ]
        }
        let nodes = SVGChart.Axis(label: "nodes", integerTicks: true)
        var charts = [
            SVGChart(title: "Throughput vs nodes", x: nodes, y: .init(label: "output tokens/s", includesZero: true),
                     series: [.init(name: "tokens/s", points: good.map { (Double($0.nodes), $0.outputTokensPerS) })], width: 520).svg(),
            SVGChart(title: "Scaling efficiency vs nodes (vs the first count)", x: nodes, y: .init(label: "efficiency %", includesZero: true),
                     series: [.init(name: "per GPU", points: good.map { (Double($0.nodes), 100 * $0.efficiency) }),
                              .init(name: "per node", points: good.map { (Double($0.nodes), 100 * $0.efficiencyPerNode) }, style: .dashed)],
                     references: [.init(label: "100%", y: 100)], width: 520).svg(),
        ]
        let waterfall = good.compactMap { p in p.losses.map { (p, $0) } }
        if !waterfall.isEmpty {
            charts.append(SVGStackedBars(
                title: "Where per-GPU throughput goes against ideal scaling",
                segments: ["efficiency", "harness", "stragglers", "collectives", "tail"],
                bars: waterfall.map { p, l in
                    .init(label: "\(p.nodes) node\(p.nodes == 1 ? "" : "s")",
                          values: [1 - l.total, l.harness, l.stragglers, l.collectives, l.tail].map { max(0, $0) })
                }, width: 520).svg())
        }
        if workloadScenario != "offline" {
            charts += [("TTFT", \Point.ttftP99Ms), ("TPOT", \Point.tpotP99Ms)].map { name, value in
                SVGChart(title: "p99 \(name) at each count's max rate", x: nodes, y: .init(label: "p99 \(name) ms", includesZero: true),
                         series: [.init(name: "p99 \(name)", points: good.map { (Double($0.nodes), $0[keyPath: value]) })], width: 520).svg()
            }
        }
        let rows = points.map { p -> [String] in
            guard p.error == nil else { return [String(p.nodes), "", "", "", "", "", "", "", "", p.error ?? ""] }
            return [String(p.nodes), String(p.gpus), Format.grouped(p.outputTokensPerS, decimals: 0), Format.grouped(p.outputTokensPerSPerGPU, decimals: 0),
                    p.maxQPS.map { Format.grouped($0, decimals: 2) } ?? "-", Format.percent(p.efficiency), Format.percent(p.efficiencyPerNode),
                    Format.grouped(p.ttftP99Ms, decimals: 1), Format.grouped(p.tpotP99Ms, decimals: 1), ""]
        }
        let how = workloadScenario == "offline"
            ? (fixedSamplesPerNode ? "Offline, the same work per node at every count" : "Offline, each count sized as LoadGen does (at least the minimum duration)")
            : "\(workloadScenario), at each count's highest rate meeting the p99 limits"
        let body = HTMLPage.headline(headline) + HTMLPage.charts(charts)
            + HTMLPage.section("Points")
            + HTMLPage.table(header: ["nodes", "GPUs", "tokens/s", "per GPU", "max qps", "efficiency per GPU", "per node", "TTFT p99 ms", "TPOT p99 ms", "error"],
                             rows: rows, textColumns: [9], rowClasses: points.map { $0.error == nil ? nil : "bad" })
        return HTMLPage.page(title: "inferplan scale - \(scenario)", subtitle: how, body: body)
    }
}
