import Foundation

/// `validate --scaling`: how well the model predicts what happens to per-GPU throughput as a
/// submitter's system grows. Rows of one submitter, round, benchmark, scenario, GPU and weight
/// format at different GPU counts form a group; each row is compared with the group's smallest,
/// as published and as predicted, and the difference is given in points of efficiency.
public struct ScalingValidation: Sendable, Encodable {
    public struct Pair: Sendable, Encodable {
        /// CSV lines of the reference (fewest GPUs) and the larger row.
        public var referenceLine: Int
        public var line: Int
        public var round: String
        public var benchmark: String
        public var scenario: String
        public var accelerator: String
        public var submitter: String
        public var referenceGPUs: Int
        public var gpus: Int
        public var nodes: Int
        /// Per-GPU throughput of the larger row over the reference's, published and predicted.
        public var publishedEfficiency: Double
        public var predictedEfficiency: Double?
        /// Predicted minus published, in points (percent).
        public var differencePoints: Double? { predictedEfficiency.map { ($0 - publishedEfficiency) * 100 } }

        enum CodingKeys: String, CodingKey {
            case referenceLine, line, round, benchmark, scenario, accelerator, submitter, referenceGPUs, gpus, nodes
            case publishedEfficiency, predictedEfficiency, differencePoints
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(referenceLine, forKey: .referenceLine)
            try c.encode(line, forKey: .line)
            try c.encode(round, forKey: .round)
            try c.encode(benchmark, forKey: .benchmark)
            try c.encode(scenario, forKey: .scenario)
            try c.encode(accelerator, forKey: .accelerator)
            try c.encode(submitter, forKey: .submitter)
            try c.encode(referenceGPUs, forKey: .referenceGPUs)
            try c.encode(gpus, forKey: .gpus)
            try c.encode(nodes, forKey: .nodes)
            try c.encode((publishedEfficiency * 10_000).rounded() / 10_000, forKey: .publishedEfficiency)
            try c.encodeIfPresent(predictedEfficiency.map { ($0 * 10_000).rounded() / 10_000 }, forKey: .predictedEfficiency)
            try c.encodeIfPresent(differencePoints.map { ($0 * 100).rounded() / 100 }, forKey: .differencePoints)
        }
    }

    public var pairs: [Pair]

    /// The submitter of a `submitter_system` field: the text before its colon
    /// ("JuniperNetworks: DGX-H100...") or its first word ("NVIDIA H200-SXM-141GB 8x ...").
    static func submitter(_ system: String) -> String {
        let trimmed = system.trimmingCharacters(in: .whitespaces)
        let name = trimmed.contains(":") ? String(trimmed.split(separator: ":")[0]) : String(trimmed.split(separator: " ").first ?? "")
        return name.lowercased()
    }

    /// The groups' rows, each paired with its group's reference (the row with the fewest GPUs; the
    /// first of them in the file on ties). Rows with as many GPUs as the reference are not pairs.
    public static func pairs(of results: [PublishedResult]) -> [(reference: Int, row: Int)] {
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, result) in results.enumerated() where result.tokensPerSecond != nil {
            let key = [result.round ?? "", result.benchmark, result.scenario, result.accelerator, result.weights,
                       submitter(result.row.fields["submitter_system"] ?? "")].joined(separator: "|")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        var pairs: [(Int, Int)] = []
        for key in order {
            let members = groups[key]!
            guard let reference = members.min(by: { results[$0].gpus < results[$1].gpus }) else { continue }
            for member in members where results[member].gpus != results[reference].gpus {
                pairs.append((reference, member))
            }
        }
        return pairs
    }

    /// The pairs of `rows` (validated rows of one table) with their published and predicted
    /// efficiencies.
    public init(rows: [ValidationRow]) {
        let results = rows.map(\.result)
        pairs = Self.pairs(of: results).map { reference, index in
            let ref = rows[reference], row = rows[index]
            func perGPU(_ value: Double?, _ r: PublishedResult) -> Double? { value.map { $0 / Double(r.gpus) } }
            let published = perGPU(row.result.tokensPerSecond, row.result)! / perGPU(ref.result.tokensPerSecond, ref.result)!
            var predicted: Double?
            if let a = perGPU(row.predicted, row.result), let b = perGPU(ref.predicted, ref.result), b > 0 { predicted = a / b }
            return Pair(referenceLine: ref.result.line, line: row.result.line, round: row.result.round ?? "", benchmark: row.result.benchmark,
                        scenario: row.result.scenario, accelerator: row.result.accelerator,
                        submitter: Self.submitter(row.result.row.fields["submitter_system"] ?? ""),
                        referenceGPUs: ref.result.gpus, gpus: row.result.gpus, nodes: row.result.nodes,
                        publishedEfficiency: published, predictedEfficiency: predicted)
        }
    }

    public func text() -> String {
        var lines = ["scaling: per-GPU throughput of each row over its group's smallest (same submitter, round, benchmark, scenario, GPU, format)",
                     "  lines      round  benchmark       scenario     accelerator  submitter         GPUs      published  predicted  difference"]
        for p in pairs {
            lines.append("  " + Format.pad("\(p.referenceLine)->\(p.line)", 9, right: false) + "  " + Format.pad(p.round, 5, right: false) + "  "
                         + Format.pad(p.benchmark, 15, right: false) + " " + Format.pad(p.scenario, 12, right: false) + " "
                         + Format.pad(p.accelerator, 12, right: false) + " " + Format.pad(p.submitter, 16, right: false)
                         + Format.pad("\(p.referenceGPUs)->\(p.gpus)", 7)
                         + Format.pad(Format.percent(p.publishedEfficiency), 13)
                         + Format.pad(p.predictedEfficiency.map { Format.percent($0) } ?? "-", 11)
                         + Format.pad(p.differencePoints.map { String(format: "%+.1f", $0) } ?? "-", 12))
        }
        let differences = pairs.compactMap(\.differencePoints).map(abs).sorted()
        if !differences.isEmpty {
            let median = differences.count % 2 == 1 ? differences[differences.count / 2]
                : (differences[differences.count / 2 - 1] + differences[differences.count / 2]) / 2
            lines.append(String(format: "%d pairs predicted: median |difference| %.1f points, %d within 5 points", differences.count, median,
                                differences.filter { $0 <= 5 + 1e-9 }.count))
        } else {
            lines.append("no pair predicted")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
