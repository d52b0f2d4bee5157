import Foundation

/// Outcomes by case kind and verdict, the failures with what reproduces them, and the slowest case.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: [String: Int]] = [:]
    private(set) var failures: [(number: Int, kind: String, what: String, verdict: String, message: String)] = []
    private var slowest: (seconds: Double, number: Int, what: String) = (0, -1, "")

    func add(_ fuzzCase: FuzzCase, _ verdict: Verdict, seconds: Double, stderr: String) {
        lock.lock(); defer { lock.unlock() }
        counts[fuzzCase.kind.rawValue, default: [:]][verdict.column, default: 0] += 1
        if verdict.isFailure {
            failures.append((fuzzCase.number, fuzzCase.kind.rawValue, fuzzCase.what, "\(verdict)", Verdict.firstLine(stderr)))
        }
        if seconds > slowest.seconds { slowest = (seconds, fuzzCase.number, fuzzCase.what) }
    }

    func table(seed: UInt64, seconds: Double, jobs: Int) -> String {
        lock.lock(); defer { lock.unlock() }
        let columns = Verdict.columns
        let width = 20
        func pad(_ text: String, _ count: Int) -> String { text.count >= count ? text : text + String(repeating: " ", count: count - text.count) }
        var lines = [pad("case kind", width) + columns.map { pad($0, max(6, $0.count + 2)) }.joined()]
        var totals: [String: Int] = [:]
        for kind in FuzzCase.Kind.allCases.map(\.rawValue) where counts[kind] != nil {
            let row = counts[kind]!
            lines.append(pad(kind, width) + columns.map { pad(String(row[$0] ?? 0), max(6, $0.count + 2)) }.joined())
            for (column, count) in row { totals[column, default: 0] += count }
        }
        lines.append(pad("all", width) + columns.map { pad(String(totals[$0] ?? 0), max(6, $0.count + 2)) }.joined())
        let total = totals.values.reduce(0, +)
        lines.append("")
        lines.append("\(total) cases (seed \(seed)) in \(String(format: "%.0f", seconds)) s on \(jobs) jobs; slowest: case \(slowest.number), \(String(format: "%.1f", slowest.seconds)) s (\(slowest.what.prefix(100)))")
        lines.append("failures: \(failures.count)")
        for failure in failures.sorted(by: { $0.number < $1.number }) {
            lines.append("  case \(failure.number) [\(failure.kind)] \(failure.verdict): \(failure.what.prefix(160))")
            if !failure.message.isEmpty { lines.append("      \(failure.message.prefix(240))") }
        }
        return lines.joined(separator: "\n")
    }
}
