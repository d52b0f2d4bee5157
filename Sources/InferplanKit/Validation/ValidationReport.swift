import Foundation

/// One published result next to its prediction.
public struct ValidationRow: Sendable {
    public var result: PublishedResult
    public var predicted: Double?
    public var tensorParallelUsed: Int?
    /// Server and Interactive: the highest Poisson rate meeting the p99 limits.
    public var maxQPS: Double?
    /// True when the row did not disclose tensor parallelism and the best-fitting one was chosen.
    public var tensorParallelChosen = false
    public var skipped: String?
    /// A prediction that broke a report invariant: a bug, which fails the whole validation.
    public var internalError: InternalError?

    public init(result: PublishedResult) {
        self.result = result
    }

    /// Signed error of the prediction against the published figure, in percent.
    public var errorPercent: Double? {
        guard let predicted, let published = result.tokensPerSecond else { return nil }
        return (predicted - published) / published * 100
    }
}

/// Predictions against published results, with the median absolute error.
public struct ValidationReport: Sendable, Encodable {
    public var header: [String]
    public var rows: [ValidationRow]

    public var medianAbsoluteErrorPercent: Double? { medianAbsoluteErrorPercent(scenario: nil) }

    /// Median absolute error over the predicted rows (of one scenario, if given).
    public func medianAbsoluteErrorPercent(scenario: String?) -> Double? {
        Self.absoluteErrorPercentile(rows, scenario: scenario, 0.5)
    }

    /// The `q` quantile (0.5: the median) of the absolute errors of `rows` (of one scenario, if
    /// given), interpolated between order statistics; nil without predicted rows.
    public static func absoluteErrorPercentile(_ rows: [ValidationRow], scenario: String?, _ q: Double) -> Double? {
        let errors = rows.filter { scenario == nil || $0.result.scenario == scenario }.compactMap { $0.errorPercent.map(abs) }.sorted()
        guard !errors.isEmpty else { return nil }
        let position = q * Double(errors.count - 1)
        let low = Int(position.rounded(.down)), high = min(errors.count - 1, low + 1)
        return errors[low] + (position - Double(low)) * (errors[high] - errors[low])
    }


    public func encode(to encoder: Encoder) throws {
        var root = encoder.container(keyedBy: DynamicCodingKey.self)
        var list = root.nestedUnkeyedContainer(forKey: DynamicCodingKey("rows"))
        for row in rows {
            var object = list.nestedContainer(keyedBy: DynamicCodingKey.self)
            for (name, value) in zip(header, row.result.row.values) { try object.encode(value, forKey: DynamicCodingKey(name)) }
            try object.encode(row.result.line, forKey: DynamicCodingKey("line"))
            if let skipped = row.skipped {
                try object.encode(skipped, forKey: DynamicCodingKey("skipped"))
                continue
            }
            try object.encodeIfPresent(row.predicted.map(round2), forKey: DynamicCodingKey("predicted_tokens_per_s"))
            try object.encodeIfPresent(row.result.tokensPerSecond, forKey: DynamicCodingKey("published_tokens_per_s"))
            try object.encodeIfPresent(row.errorPercent.map(round2), forKey: DynamicCodingKey("error_pct"))
            try object.encodeIfPresent(row.tensorParallelUsed, forKey: DynamicCodingKey("tensor_parallel_used"))
            try object.encodeIfPresent(row.maxQPS.map(round2), forKey: DynamicCodingKey("predicted_max_qps"))
            try object.encode(row.tensorParallelChosen, forKey: DynamicCodingKey("tensor_parallel_chosen"))
        }
        try root.encodeIfPresent(medianAbsoluteErrorPercent.map(round2), forKey: DynamicCodingKey("median_abs_error_pct"))
        var byScenario = root.nestedContainer(keyedBy: DynamicCodingKey.self, forKey: DynamicCodingKey("median_abs_error_pct_by_scenario"))
        for scenario in ["offline", "server", "interactive"] {
            try byScenario.encodeIfPresent(medianAbsoluteErrorPercent(scenario: scenario).map(round2), forKey: DynamicCodingKey(scenario))
        }
        try root.encode(rows.filter { $0.errorPercent != nil }.count, forKey: DynamicCodingKey("predicted_rows"))
        try root.encode(rows.filter { $0.skipped != nil }.count, forKey: DynamicCodingKey("skipped_rows"))
    }

    public func text() -> String {
        var lines = ["line  benchmark       scenario     accelerator  gpus nodes  TP      published    predicted    error"]
        for row in rows {
            let r = row.result
            var line = Format.pad(String(r.row.line), 4, right: false) + "  " + Format.pad(r.benchmark, 15, right: false) + " "
                + Format.pad(r.scenario, 12, right: false) + " " + Format.pad(r.accelerator, 12, right: false)
                + Format.pad(String(r.gpus), 5) + Format.pad(String(r.nodes), 6)
            if let skipped = row.skipped {
                lines.append(line + "  skipped: \(skipped)")
                continue
            }
            let tp = row.tensorParallelUsed.map { "\($0)\(row.tensorParallelChosen ? "*" : "")" } ?? "-"
            line += Format.pad(tp, 4) + Format.pad(r.tokensPerSecond.map { Format.grouped($0, decimals: 0) } ?? "-", 15)
                + Format.pad(row.predicted.map { Format.grouped($0, decimals: 0) } ?? "-", 13)
                + Format.pad(row.errorPercent.map { String(format: "%+.1f%%", $0) } ?? "-", 9)
            lines.append(line)
        }
        lines.append("")
        lines.append("* tensor parallelism not disclosed: the highest-throughput deployment that fits was chosen")
        let predicted = rows.filter { $0.errorPercent != nil }.count
        let median = medianAbsoluteErrorPercent.map { String(format: "%.1f%%", $0) } ?? "n/a"
        lines.append("median absolute error \(median) over \(predicted) predicted rows; \(rows.count - predicted) skipped")
        let perScenario = ["offline", "server", "interactive"].compactMap { (scenario: String) -> String? in
            medianAbsoluteErrorPercent(scenario: scenario).map { "\(scenario) \(String(format: "%.1f%%", $0))" }
        }
        if !perScenario.isEmpty { lines.append("by scenario: " + perScenario.joined(separator: ", ")) }
        return lines.joined(separator: "\n") + "\n"
    }
}

private func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

extension PublishedResult {
    var line: Int { row.line }
}
