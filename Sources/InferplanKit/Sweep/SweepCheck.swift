import Foundation

/// Compares a sweep's results with a committed baseline CSV: a CI gate that makes a change which
/// moves predictions update the baseline knowingly.
public struct SweepCheck: Sendable {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable { case moved, added, missing, changedValidity = "changed validity" }
        public var kind: Kind
        public var point: String
        public var detail: String
        public var description: String { "\(kind.rawValue): \(point)\(detail.isEmpty ? "" : ": " + detail)" }
    }

    /// Figures compared, when present in both.
    public static let checkedFigures = ["output_tokens_per_s", "max_qps", "videos_per_s", "video_latency_p90_s"]

    public var findings: [Finding]
    public var compared: Int

    /// Rows are matched by their axis values; `tolerance` is relative (0.02 = 2%).
    public init(results: CSVTable, baseline: CSVTable, axes: [String], tolerance: Double) throws {
        for column in axes where !baseline.header.contains(column) {
            throw InputError(location: "\(baseline.file):1", keyPath: column, problem: "the baseline has no column '\(column)'",
                             valid: "a baseline written by this sweep (its results.csv)")
        }
        func key(_ row: CSVTable.Row) -> String { axes.map { "\($0)=\(row.fields[$0] ?? "")" }.joined(separator: ", ") }
        var base: [String: CSVTable.Row] = [:]
        for row in baseline.rows { base[key(row)] = row }
        var findings: [Finding] = []
        var seen = Set<String>()
        var compared = 0
        for row in results.rows {
            let name = key(row)
            seen.insert(name)
            guard let old = base[name] else {
                findings.append(Finding(kind: .added, point: name, detail: "not in the baseline"))
                continue
            }
            let wasValid = (old.fields["error"] ?? "").isEmpty, isValid = (row.fields["error"] ?? "").isEmpty
            guard wasValid == isValid else {
                findings.append(Finding(kind: .changedValidity, point: name,
                                        detail: isValid ? "now runs (the baseline had an error)" : "now fails: \(row.fields["error"] ?? "")"))
                continue
            }
            compared += 1
            for figure in Self.checkedFigures {
                guard let now = Double(row.fields[figure] ?? ""), let then = Double(old.fields[figure] ?? "") else { continue }
                let change = then == 0 ? (now == 0 ? 0 : .infinity) : (now - then) / abs(then)
                if abs(change) > tolerance {
                    findings.append(Finding(kind: .moved, point: name,
                                            detail: String(format: "%@ %@ -> %@ (%+.2f%%, tolerance %.2f%%)", figure,
                                                           SweepRow.format(then), SweepRow.format(now), change * 100, tolerance * 100)))
                }
            }
        }
        for row in baseline.rows where !seen.contains(key(row)) {
            findings.append(Finding(kind: .missing, point: key(row), detail: "in the baseline, not in the results"))
        }
        self.findings = findings
        self.compared = compared
    }

    public var passed: Bool { findings.isEmpty }
}

/// Joins the shard outputs of one sweep into a single results folder.
public enum SweepMerge {
    /// Merges the shards' results into `output`. Refuses - an `InputError`, nothing written - when
    /// the shards do not cover the sweep's points exactly (a point outside the sweep, or points
    /// missing, unless `allowIncomplete`), or when `output` already holds results files (with or
    /// without a manifest), unless `force`.
    public static func merge(directories: [String], into output: String, allowIncomplete: Bool = false, force: Bool = false) throws -> Int {
        var rows: [Int: SweepRow] = [:]
        var identity: (name: String, fingerprint: String, points: Int, axes: [String])?
        var shards = Set<String>()
        let manager = FileManager.default
        for directory in directories {
            let files = ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".manifest.json") }.sorted()
            guard !files.isEmpty else {
                throw InputError(location: directory, keyPath: "", problem: "no sweep results here", valid: "folders written by `inferplan sweep --output`")
            }
            for file in files {
                let path = (directory as NSString).appendingPathComponent(file)
                guard let data = manager.contents(atPath: path),
                      let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let name = manifest["sweep"] as? String, let fingerprint = manifest["fingerprint"] as? String,
                      let points = manifest["points"] as? Int, let axes = manifest["axes"] as? [String],
                      let shard = manifest["shard"] as? String else {
                    throw InputError(location: path, keyPath: "", problem: "not a sweep manifest")
                }
                if let identity, identity.fingerprint != fingerprint {
                    throw InputError(location: path, keyPath: "", problem: "results of a different sweep than \(identity.name)",
                                     valid: "the shards of one sweep, run from the same sweep file and base scenario")
                }
                identity = (name, fingerprint, points, axes)
                shards.insert(shard)
                let journal = path.replacingOccurrences(of: ".manifest.json", with: ".jsonl")
                let text = String(decoding: manager.contents(atPath: journal) ?? Data(), as: UTF8.self)
                for (number, line) in text.split(separator: "\n").enumerated() {
                    guard let row = SweepRow.parse(jsonLine: line, axes: axes) else {
                        throw InputError(location: "\(journal):\(number + 1)", keyPath: "", problem: "not a result line")
                    }
                    guard (0..<points).contains(row.point) else {
                        throw InputError(location: "\(journal):\(number + 1)", keyPath: "point",
                                         problem: "point \(row.point) is not one of the sweep's \(points) points",
                                         valid: "0 to \(points - 1)")
                    }
                    rows[row.point] = row
                }
            }
        }
        guard let identity else { throw InputError(location: "merge", keyPath: "", problem: "nothing to merge") }
        let missing = (0..<identity.points).filter { rows[$0] == nil }
        if !missing.isEmpty && !allowIncomplete {
            let examples = missing.prefix(8).map(String.init).joined(separator: ", ") + (missing.count > 8 ? ", ..." : "")
            throw InputError(location: "merge", keyPath: "", problem: "the shards cover \(rows.count) of the sweep's \(identity.points) points; missing: \(examples) (shards read: \(shards.sorted().joined(separator: ", ")))",
                             valid: "every shard's folder, each shard finished (rerun a shard's sweep command to resume it), or --allow-incomplete")
        }
        let target = (output as NSString).appendingPathComponent("results.manifest.json")
        let existing = ["results.manifest.json", "results.jsonl", "results.csv"].filter {
            manager.fileExists(atPath: (output as NSString).appendingPathComponent($0))
        }
        if !existing.isEmpty && !force {
            throw InputError(location: "--output \(output)", keyPath: "", problem: "the folder already holds \(existing.joined(separator: ", ")), which merging would overwrite",
                             valid: "an empty or new folder, or --force to replace them")
        }
        try FileOutput.createFolder(output, location: "--output \(output)")
        let sorted = rows.values.sorted { $0.point < $1.point }
        let manifest = SweepResults.manifest(name: identity.name, fingerprint: identity.fingerprint, points: identity.points,
                                             axes: identity.axes, shard: .whole)
        let location = "--output \(output)"
        try FileOutput.writeAtomically(manifest, to: target, location: location)
        try FileOutput.writeAtomically(sorted.map { $0.jsonLine(axes: identity.axes) + "\n" }.joined(),
                                       to: (output as NSString).appendingPathComponent("results.jsonl"), location: location)
        let csv = ([SweepRow.csvHeader(axes: identity.axes)] + sorted.map(\.csvLine)).joined(separator: "\n") + "\n"
        try FileOutput.writeAtomically(csv, to: (output as NSString).appendingPathComponent("results.csv"), location: location)
        return sorted.count
    }
}
