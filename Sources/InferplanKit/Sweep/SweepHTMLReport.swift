import Foundation

/// A sweep's results as one self-contained HTML page with the charts a planner expects:
/// throughput and scaling efficiency vs nodes, p99 TTFT/TPOT vs request rate, throughput per GPU vs
/// tokens/s per user (the Pareto view), and the table of points.
public struct SweepHTMLReport {
    public var title: String
    public var axes: [String]
    public var rows: [SweepRow]

    /// Reads a results folder (or its `results.jsonl`).
    public init(results path: String) throws {
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let folder = isFolder.boolValue ? path : (path as NSString).deletingLastPathComponent
        let manifestPath = (folder as NSString).appendingPathComponent("results.manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestPath),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let axes = manifest["axes"] as? [String] else {
            throw InputError(location: path, keyPath: "", problem: "no sweep results (results.manifest.json) here",
                             valid: "a folder written by `inferplan sweep` or `inferplan merge`")
        }
        let journal = (folder as NSString).appendingPathComponent("results.jsonl")
        let text = String(decoding: FileManager.default.contents(atPath: journal) ?? Data(), as: UTF8.self)
        // Every line must be a result: a line that is not is named, never dropped silently. (A sweep
        // interrupted mid-write leaves a half line; the sweep command drops it when it resumes.)
        var parsed: [SweepRow] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let row = SweepRow.parse(jsonLine: line, axes: axes) else {
                throw InputError(location: "\(journal):\(number + 1)", keyPath: "", problem: "not a result line of this sweep",
                                 valid: "the results.jsonl that `inferplan sweep` wrote (run the sweep command again to repair an interrupted one)")
            }
            parsed.append(row)
        }
        guard !parsed.isEmpty else {
            throw InputError(location: journal, keyPath: "", problem: "the sweep has no results yet", valid: "run the sweep first")
        }
        rows = parsed.sorted { $0.point < $1.point }
        self.axes = axes
        title = "inferplan sweep " + ((manifest["sweep"] as? String) ?? "")
    }

    /// Valid rows grouped by the values of every axis except `axis`, as chart series.
    private func series(along axis: String) -> [(name: String, rows: [SweepRow])] {
        guard let position = axes.firstIndex(of: axis) else { return [] }
        var groups: [String: [SweepRow]] = [:]
        var order: [String] = []
        for row in rows where row.error == nil {
            let name = row.axisValues.enumerated().filter { $0.offset != position }.map(\.element).joined(separator: " / ")
            if groups[name] == nil { order.append(name) }
            groups[name, default: []].append(row)
        }
        return order.map { ($0.isEmpty ? "all" : $0, groups[$0]!) }
    }

    private func value(_ row: SweepRow, axis: String) -> Double? {
        axes.firstIndex(of: axis).flatMap { Double(row.axisValues[$0]) }
    }

    public func html() -> String {
        var charts: [String] = []
        var notes: [String] = []
        // A text-to-video sweep: videos instead of tokens, seconds per video instead of TTFT/TPOT.
        let video = rows.contains { ($0.figure("videos_per_s") ?? nil) != nil }
        if axes.contains("hardware.nodes") {
            charts += video ? scalingCharts(throughput: "videos_per_s", perGPU: "videos_per_s_per_gpu", unit: "videos/s")
                : scalingCharts(throughput: "output_tokens_per_s", perGPU: "output_tokens_per_s_per_gpu", unit: "output tokens/s")
        } else {
            notes.append("No hardware.nodes axis: no scaling charts.")
        }
        if axes.contains("workload.qps") {
            charts += latencyCharts(along: "workload.qps")
        } else if rows.contains(where: { ($0.figure("max_qps") ?? nil) != nil }) {
            charts += latencyCharts(along: nil)
        } else if !video {
            notes.append("No workload.qps axis and no max-rate points: no latency-vs-rate charts.")
        }
        if video { charts.append(videoChart()) }
        if rows.contains(where: { $0.figure("output_tokens_per_s") != nil }) { charts.append(paretoChart()) }
        if rows.contains(where: { ($0.figure("usd_per_million_output_tokens") ?? nil) != nil }) { charts.append(costChart()) }

        var header = ["point"] + axes + ["tokens/s", "per GPU", "GPUs", "max qps", "TTFT p99 ms", "TPOT p99 ms", "limits met",
                                         "tokens/J", "$/M tokens", "error"]
        if video { header = ["point"] + axes + ["videos/s", "per GPU", "GPUs", "p90 s per video", "kJ per video", "$ per video", "error"] }
        let tableRows = rows.map { r -> [String] in
            if video {
                return [String(r.point)] + r.axisValues + [
                    (r.figure("videos_per_s") ?? nil).map { Format.grouped($0, decimals: 4) } ?? "",
                    (r.figure("videos_per_s_per_gpu") ?? nil).map { Format.grouped($0, decimals: 5) } ?? "",
                    r.figure("gpus").map { String(Int($0)) } ?? "",
                    (r.figure("video_latency_p90_s") ?? nil).map { Format.grouped($0, decimals: 2) } ?? "",
                    (r.figure("joules_per_video") ?? nil).map { Format.grouped($0 / 1000, decimals: 1) } ?? "",
                    (r.figure("usd_per_video") ?? nil).map { Format.grouped($0, decimals: 3) } ?? "",
                    r.error ?? "",
                ]
            }
            return
            [String(r.point)] + r.axisValues + [
                r.figure("output_tokens_per_s").map { Format.grouped($0, decimals: 0) } ?? "",
                r.figure("output_tokens_per_s_per_gpu").map { Format.grouped($0, decimals: 0) } ?? "",
                r.figure("gpus").map { String(Int($0)) } ?? "",
                (r.figure("max_qps") ?? nil).map { Format.grouped($0, decimals: 2) } ?? "",
                r.figure("ttft_p99_ms").map { Format.grouped($0, decimals: 1) } ?? "",
                r.figure("tpot_p99_ms").map { Format.grouped($0, decimals: 1) } ?? "",
                (r.figure("latency_limits_met") ?? nil).map { $0 == 1 ? "yes" : "no" } ?? "",
                (r.figure("output_tokens_per_joule") ?? nil).map { Format.grouped($0, decimals: 2) } ?? "",
                (r.figure("usd_per_million_output_tokens") ?? nil).map { Format.grouped($0, decimals: 3) } ?? "",
                r.error ?? "",
            ]
        }
        let textColumns = Set(1...max(1, axes.count)).union([header.count - 1])
        let body = HTMLPage.note("\(rows.count) points over \(axes.joined(separator: ", ")). \(notes.joined(separator: " "))")
            + HTMLPage.charts(charts)
            + HTMLPage.section("Points") + HTMLPage.table(header: header, rows: tableRows, textColumns: textColumns,
                                                          rowClasses: rows.map { $0.error != nil ? "bad" : nil })
        return HTMLPage.page(title: title, body: body)
    }

    /// Throughput and per-GPU scaling efficiency against the node count, one line per combination
    /// of the other axes, with integer node ticks and the 100% mark.
    private func scalingCharts(throughput figure: String, perGPU perGPUFigure: String, unit: String) -> [String] {
        var throughput: [SVGChart.Series] = [], efficiency: [SVGChart.Series] = []
        for group in series(along: "hardware.nodes") {
            let points = group.rows.compactMap { row -> (nodes: Double, tokens: Double, perGPU: Double)? in
                guard let n = value(row, axis: "hardware.nodes"), let tokens = row.figure(figure) ?? nil,
                      let perGPU = row.figure(perGPUFigure) ?? nil else { return nil }
                return (n, tokens, perGPU)
            }.sorted { $0.nodes < $1.nodes }
            throughput.append(.init(name: group.name, points: points.map { (x: $0.nodes, y: $0.tokens) }))
            if let first = points.first, first.perGPU > 0 {
                efficiency.append(.init(name: group.name, points: points.map { (x: $0.nodes, y: 100 * $0.perGPU / first.perGPU) }))
            }
        }
        let nodes = SVGChart.Axis(label: "nodes", integerTicks: true)
        return [
            SVGChart(title: "Throughput vs nodes", x: nodes, y: .init(label: unit, includesZero: true), series: throughput).svg(),
            SVGChart(title: "Scaling efficiency vs nodes (per GPU, vs the first count)", x: nodes,
                     y: .init(label: "efficiency %", includesZero: true), series: efficiency,
                     references: [.init(label: "100%", y: 100)]).svg(),
        ]
    }

    /// p99 TTFT and p99 TPOT in two panels (never one linear axis: TPOT would read as zero), against
    /// the rate axis - or, without one, against each point's max rate - with the p99 limits drawn.
    private func latencyCharts(along rateAxis: String?) -> [String] {
        let quantities = [("TTFT", "ttft_p99_ms", "ttft_p99_limit_ms"), ("TPOT", "tpot_p99_ms", "tpot_p99_limit_ms")]
        return quantities.map { name, figure, limitFigure in
            var lines: [SVGChart.Series] = []
            if let rateAxis {
                for group in series(along: rateAxis) {
                    let points = group.rows.compactMap { r in value(r, axis: rateAxis).flatMap { q in r.figure(figure).map { (x: q, y: $0) } } }
                    lines.append(.init(name: group.name, points: points.sorted { $0.x < $1.x }))
                }
            } else {
                let points = rows.compactMap { r in (r.figure("max_qps") ?? nil).flatMap { q in r.figure(figure).map { (x: q, y: $0) } } }
                lines.append(.init(name: "at max rate", points: points.sorted { $0.x < $1.x }, style: .scatter))
            }
            let limits = Set(rows.compactMap { $0.figure(limitFigure) ?? nil }).sorted()
            return SVGChart(title: "p99 \(name) vs request rate\(rateAxis == nil ? " (each point's max rate)" : "")",
                            x: .init(label: "queries/s"), y: .latency("p99 \(name) ms", values: lines.flatMap(\.points).map(\.y)), series: lines,
                            references: limits.map { .init(label: "p99 limit \(Format.grouped($0, decimals: 0)) ms", y: $0) }).svg()
        }
    }

    /// Valid rows as per-GPU throughput against `x` (rows without it left out), one scatter series
    /// per GPU when the sweep varies the GPU, each point labelled with its other axis values; and
    /// the same points in row order.
    private func perGPUThroughputSeries(x: (SweepRow) -> Double?) -> (series: [SVGChart.Series], points: [(x: Double, y: Double)]) {
        let gpuAxis = axes.firstIndex(of: "hardware.gpu")
        var groups: [String: [(x: Double, y: Double, label: String)]] = [:]
        var order: [String] = []
        var all: [(x: Double, y: Double)] = []
        for r in rows where r.error == nil {
            guard let value = x(r), let perGPU = r.figure("output_tokens_per_s_per_gpu") else { continue }
            let gpu = gpuAxis.map { r.axisValues[$0] } ?? "points"
            let label = r.axisValues.enumerated().filter { $0.offset != gpuAxis }.map(\.element).joined(separator: " ")
            if groups[gpu] == nil { order.append(gpu) }
            groups[gpu, default: []].append((value, perGPU, label))
            all.append((value, perGPU))
        }
        let series = order.map { gpu in
            SVGChart.Series(name: gpu, points: groups[gpu]!.map { ($0.x, $0.y) }, style: .scatter,
                            labels: groups[gpu]!.map { $0.label.isEmpty ? gpu : $0.label })
        }
        return (series, all)
    }

    /// Videos/s per GPU against p90 seconds per video, one scatter series per GPU type: the
    /// throughput-latency trade of sequence parallelism and replica size.
    private func videoChart() -> String {
        let gpuAxis = axes.firstIndex(of: "hardware.gpu")
        var groups: [String: [(x: Double, y: Double, label: String)]] = [:]
        var order: [String] = []
        for r in rows where r.error == nil {
            guard let latency = r.figure("video_latency_p90_s") ?? nil, let perGPU = r.figure("videos_per_s_per_gpu") ?? nil else { continue }
            let gpu = gpuAxis.map { r.axisValues[$0] } ?? "points"
            if groups[gpu] == nil { order.append(gpu) }
            groups[gpu, default: []].append((latency, perGPU, r.axisValues.enumerated().filter { $0.offset != gpuAxis }.map(\.element).joined(separator: " ")))
        }
        let series = order.map { gpu in
            SVGChart.Series(name: gpu, points: groups[gpu]!.map { ($0.x, $0.y) }, style: .scatter, labels: groups[gpu]!.map { $0.label })
        }
        return SVGChart(title: "Videos/s per GPU vs seconds per video", x: .init(label: "p90 seconds per video", scale: .log),
                        y: .init(label: "videos/s per GPU", includesZero: true), series: series).svg()
    }

    /// Per-GPU throughput against per-user speed (1000 / p50 TPOT), with the Pareto frontier.
    private func paretoChart() -> String {
        let (series, all) = perGPUThroughputSeries { r in r.figure("tpot_p50_ms").flatMap { $0 > 0 ? 1000 / $0 : nil } }
        var frontier: [(x: Double, y: Double)] = []
        for p in all.sorted(by: { $0.x > $1.x }) where p.y > (frontier.last?.y ?? -1) { frontier.append(p) }
        return SVGChart(title: "Throughput per GPU vs speed per user", x: .init(label: "output tokens/s per user (1000 / p50 TPOT ms)"),
                        y: .init(label: "output tokens/s per GPU", includesZero: true),
                        series: series + [.init(name: "Pareto frontier", points: frontier.sorted { $0.x < $1.x }, style: .dashed, color: "#444", markers: false)]).svg()
    }

    /// Per-GPU throughput against dollars per million output tokens (with the scenario's `cost:`).
    private func costChart() -> String {
        let series = perGPUThroughputSeries { $0.figure("usd_per_million_output_tokens") ?? nil }.series
        return SVGChart(title: "Throughput per GPU vs dollars per million tokens", x: .init(label: "$ per million output tokens", includesZero: true),
                        y: .init(label: "output tokens/s per GPU", includesZero: true), series: series).svg()
    }
}
