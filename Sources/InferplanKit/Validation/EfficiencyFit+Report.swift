import Foundation

/// Text and JSON of fits and cross-validations.
extension FitReport {
    public func text() -> String {
        var lines = ["parameter                          value   +/- sd   rows  source"]
        for p in parameters {
            lines.append(Format.pad(p.key, 32, right: false) + Format.pad(Format.fixed(p.value, 3), 8)
                         + Format.pad(p.standardError.map { Format.fixed($0, 3) } ?? "-", 9) + Format.pad(String(p.rows), 7) + "  " + p.source)
        }
        lines.append("")
        lines.append("in-sample (every row predicted with these values; TP chosen as `validate` does):")
        lines.append(CrossValidation.summary(report.rows))
        return lines.joined(separator: "\n") + "\n"
    }

    public struct JSON: Encodable {
        var parameters: [EfficiencyFit.Parameter]
        var inSample: CrossValidation.Summary
        enum CodingKeys: String, CodingKey { case parameters, inSample }
    }

    public var json: JSON { JSON(parameters: parameters, inSample: CrossValidation.Summary(report.rows)) }
}

extension CrossValidation {
    /// Median and 90th-percentile absolute errors per scenario, and the rows beyond +-35%.
    public struct Summary: Encodable, Sendable {
        var predictedRows: Int
        var medianAbsErrorPctByScenario: [String: Double]
        var p90AbsErrorPctByScenario: [String: Double]
        var rowsBeyond35Pct: Int
        enum CodingKeys: String, CodingKey {
            case predictedRows, medianAbsErrorPctByScenario
            case p90AbsErrorPctByScenario, rowsBeyond35Pct = "rows_beyond_35_pct"
        }

        init(_ rows: [ValidationRow]) {
            predictedRows = rows.filter { $0.errorPercent != nil }.count
            var medians: [String: Double] = [:], p90s: [String: Double] = [:]
            for scenario in ["offline", "server", "interactive"] {
                medians[scenario] = ValidationReport.absoluteErrorPercentile(rows, scenario: scenario, 0.5).map(Self.round2)
                p90s[scenario] = ValidationReport.absoluteErrorPercentile(rows, scenario: scenario, 0.9).map(Self.round2)
            }
            medianAbsErrorPctByScenario = medians
            p90AbsErrorPctByScenario = p90s
            rowsBeyond35Pct = rows.filter { abs($0.errorPercent ?? 0) > 35 }.count
        }

        static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    }

    static func summary(_ rows: [ValidationRow]) -> String {
        let summary = Summary(rows)
        var lines = ["  scenario      rows  median |error|  p90 |error|"]
        for scenario in ["offline", "server", "interactive"] {
            let count = rows.filter { $0.result.scenario == scenario && $0.errorPercent != nil }.count
            guard count > 0 else { continue }
            lines.append("  " + Format.pad(scenario, 12, right: false) + Format.pad(String(count), 6)
                         + Format.pad(String(format: "%.1f%%", summary.medianAbsErrorPctByScenario[scenario]!), 16)
                         + Format.pad(String(format: "%.1f%%", summary.p90AbsErrorPctByScenario[scenario]!), 13))
        }
        lines.append("  \(summary.rowsBeyond35Pct) of \(summary.predictedRows) predicted rows beyond +-35%")
        return lines.joined(separator: "\n")
    }

    public func text() -> String {
        var lines = ["leave-one-\(grouping.rawValue)-out: each \(grouping.rawValue)'s rows predicted with parameters refitted without them"]
        lines.append("  held out             rows  median |error| by scenario (offline / server / interactive)   refitted")
        for fold in folds {
            let medians = ["offline", "server", "interactive"].map { scenario in
                ValidationReport.absoluteErrorPercentile(fold.rows, scenario: scenario, 0.5).map { String(format: "%.1f%%", $0) } ?? "-"
            }
            let fitted = fold.parameters.filter { $0.source == "fitted" }.map { "\($0.key) \(Format.fixed($0.value, 3))" }
            lines.append("  " + Format.pad(fold.group, 18, right: false) + Format.pad(String(fold.rows.count), 6) + "  "
                         + Format.pad(medians.joined(separator: " / "), 58, right: false) + fitted.joined(separator: ", "))
        }
        lines.append("out of group:")
        lines.append(Self.summary(rows))
        return lines.joined(separator: "\n") + "\n"
    }

    public struct JSON: Encodable {
        struct Fold: Encodable {
            var group: String
            var parameters: [EfficiencyFit.Parameter]
            var summary: Summary
        }
        var grouping: String
        var folds: [Fold]
        var outOfGroup: Summary
        enum CodingKeys: String, CodingKey { case grouping, folds, outOfGroup }
    }

    public var json: JSON {
        JSON(grouping: grouping.rawValue,
             folds: folds.map { .init(group: $0.group, parameters: $0.parameters, summary: Summary($0.rows)) },
             outOfGroup: Summary(rows))
    }
}

extension EfficiencyFit.Parameter {
    enum CodingKeys: String, CodingKey { case key, value, standardError, rows, source }
}
