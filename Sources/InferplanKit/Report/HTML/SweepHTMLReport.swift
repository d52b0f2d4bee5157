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
        if axes.contains("hardware.nodes") {
            let groups = series(along: "hardware.nodes")
            var throughput: [SVGChart.Series] = [], efficiency: [SVGChart.Series] = []
            for group in groups {
                let points = group.rows.compactMap { row in value(row, axis: "hardware.nodes").flatMap { n in row.figure("output_tokens_per_s").map { (n, $0) } } }
                    .sorted { $0.0 < $1.0 }
                throughput.append(.init(name: group.name, points: points.map { (x: $0.0, y: $0.1) }))
                if let first = points.first, first.1 > 0 {
                    efficiency.append(.init(name: group.name, points: points.map { (x: $0.0, y: 100 * ($0.1 / $0.0) / (first.1 / first.0)) }))
                }
            }
            charts.append(SVGChart(title: "Throughput vs nodes", xLabel: "nodes", yLabel: "output tokens/s", series: throughput).svg())
            charts.append(SVGChart(title: "Scaling efficiency vs nodes (per node, vs the first count)", xLabel: "nodes", yLabel: "efficiency %", series: efficiency).svg())
        } else {
            notes.append("No hardware.nodes axis: no scaling charts.")
        }
        let rateAxis = axes.contains("workload.qps") ? "workload.qps" : nil
        if let rateAxis {
            var latency: [SVGChart.Series] = []
            for group in series(along: rateAxis) {
                let sorted = group.rows.sorted { (value($0, axis: rateAxis) ?? 0) < (value($1, axis: rateAxis) ?? 0) }
                latency.append(.init(name: "TTFT " + group.name, points: sorted.compactMap { r in value(r, axis: rateAxis).flatMap { q in r.figure("ttft_p99_ms").map { (x: q, y: $0) } } }))
                latency.append(.init(name: "TPOT " + group.name, points: sorted.compactMap { r in value(r, axis: rateAxis).flatMap { q in r.figure("tpot_p99_ms").map { (x: q, y: $0) } } }, dashed: true))
            }
            charts.append(SVGChart(title: "p99 TTFT and TPOT vs request rate", xLabel: "queries/s", yLabel: "p99 latency ms", series: latency).svg())
        } else {
            let points = rows.compactMap { r in (r.figure("max_qps") ?? nil).flatMap { q in r.figure("ttft_p99_ms").map { (x: q, y: $0) } } }
            if !points.isEmpty {
                let tpot = rows.compactMap { r in (r.figure("max_qps") ?? nil).flatMap { q in r.figure("tpot_p99_ms").map { (x: q, y: $0) } } }
                charts.append(SVGChart(title: "p99 TTFT and TPOT at each point's max rate", xLabel: "queries/s", yLabel: "p99 latency ms",
                                       series: [.init(name: "TTFT p99", points: points.sorted { $0.x < $1.x }), .init(name: "TPOT p99", points: tpot.sorted { $0.x < $1.x }, dashed: true)]).svg())
            } else {
                notes.append("No workload.qps axis and no max-rate points: no latency-vs-rate chart.")
            }
        }
        // Pareto: per-GPU throughput against per-user speed (1 / p50 TPOT).
        let pareto = rows.filter { $0.error == nil }.compactMap { r -> (x: Double, y: Double)? in
            guard let tpot = r.figure("tpot_p50_ms"), tpot > 0, let perGPU = r.figure("output_tokens_per_s_per_gpu") else { return nil }
            return (1000 / tpot, perGPU)
        }
        var frontier: [(x: Double, y: Double)] = []
        for p in pareto.sorted(by: { $0.x > $1.x }) where p.y > (frontier.last?.y ?? -1) { frontier.append(p) }
        charts.append(SVGChart(title: "Throughput per GPU vs speed per user", xLabel: "output tokens/s per user (1000 / p50 TPOT ms)",
                               yLabel: "output tokens/s per GPU",
                               series: [.init(name: "points", points: pareto, scatter: true), .init(name: "Pareto frontier", points: frontier.sorted { $0.x < $1.x }, dashed: true)]).svg())

        let header = ["point"] + axes + ["tokens/s", "per GPU", "GPUs", "max qps", "TTFT p99 ms", "TPOT p99 ms", "limits met", "error"]
        let tableRows = rows.map { r -> [String] in
            [String(r.point)] + r.axisValues + [
                r.figure("output_tokens_per_s").map { Format.grouped($0, decimals: 0) } ?? "",
                r.figure("output_tokens_per_s_per_gpu").map { Format.grouped($0, decimals: 0) } ?? "",
                r.figure("gpus").map { String(Int($0)) } ?? "",
                (r.figure("max_qps") ?? nil).map { Format.grouped($0, decimals: 2) } ?? "",
                r.figure("ttft_p99_ms").map { Format.grouped($0, decimals: 1) } ?? "",
                r.figure("tpot_p99_ms").map { Format.grouped($0, decimals: 1) } ?? "",
                (r.figure("latency_limits_met") ?? nil).map { $0 == 1 ? "yes" : "no" } ?? "",
                r.error ?? "",
            ]
        }
        let textColumns = Set(1...max(1, axes.count)).union([header.count - 1])
        let body = "<h1>\(SVGChart.escape(title))</h1><p class=\"note\">\(rows.count) points over \(SVGChart.escape(axes.joined(separator: ", "))). \(notes.joined(separator: " "))</p>"
            + "<div class=\"charts\">" + charts.map { "<figure>\($0)</figure>" }.joined() + "</div>"
            + "<h2>Points</h2>" + HTMLPage.table(header: header, rows: tableRows, textColumns: textColumns)
        return HTMLPage.page(title: title, body: body)
    }
}
