extension ValidationReport {
    /// `inferplan validate --format html`: predicted against published throughput on log axes, one
    /// colour per MLPerf scenario, with the ±10% band around "predicted = published"; the median
    /// errors; and every row, those off by more than 35% marked.
    public func html(file: String) -> String {
        let scenarios = ["offline", "server", "interactive"]
        let colors = ["offline": "#1f77b4", "server": "#ff7f0e", "interactive": "#9467bd"]
        let predicted = rows.filter { $0.errorPercent != nil }
        let series = scenarios.map { scenario in
            let these = predicted.filter { $0.result.scenario == scenario }
            return SVGChart.Series(name: scenario, points: these.map { ($0.result.tokensPerSecond ?? 0, $0.predicted ?? 0) },
                                   style: .scatter, color: colors[scenario],
                                   labels: these.map { "line \($0.result.line): \($0.result.accelerator) \($0.result.benchmark)" })
        }
        let scatter = SVGChart(title: "Predicted vs published output tokens/s (band: ±10%)",
                               x: .init(label: "published output tokens/s", scale: .log), y: .init(label: "predicted output tokens/s", scale: .log),
                               series: series, proportionalBand: (0.9, 1.1), width: 760, height: 560).svg()
        var headline: [(value: String, caption: String)] = [
            (medianAbsoluteErrorPercent.map { Format.fixed($0, 1) + "%" } ?? "n/a", "median absolute error, \(predicted.count) rows"),
        ]
        for scenario in scenarios {
            if let median = medianAbsoluteErrorPercent(scenario: scenario) { headline.append((Format.fixed(median, 1) + "%", "median, \(scenario)")) }
        }
        let within = predicted.filter { abs($0.errorPercent ?? 0) <= 10 }.count
        headline.append(("\(within) of \(predicted.count)", "rows within ±10%"))
        let table = rows.map { row -> [String] in
            let r = row.result
            return [String(r.line), r.round ?? "", r.benchmark, r.scenario, r.accelerator, String(r.gpus), String(r.nodes),
                    row.tensorParallelUsed.map { "\($0)\(row.tensorParallelChosen ? "*" : "")" } ?? "-",
                    r.tokensPerSecond.map { Format.grouped($0, decimals: 0) } ?? "-", row.predicted.map { Format.grouped($0, decimals: 0) } ?? "-",
                    row.errorPercent.map { String(format: "%+.1f%%", $0) } ?? "-", row.skipped ?? ""]
        }
        let body = HTMLPage.headline(headline) + HTMLPage.charts([scatter])
            + HTMLPage.section("Rows")
            + HTMLPage.table(header: ["line", "round", "benchmark", "scenario", "accelerator", "GPUs", "nodes", "TP", "published", "predicted", "error", "skipped"],
                             rows: table, textColumns: [1, 2, 3, 4, 11],
                             rowClasses: rows.map { abs($0.errorPercent ?? 0) > 35 ? "bad" : nil })
            + HTMLPage.note("* tensor parallelism not disclosed: the highest-throughput deployment that fits was chosen. Rows off by more than 35% are marked.")
        return HTMLPage.page(title: "inferplan validate", subtitle: file, body: body)
    }
}
