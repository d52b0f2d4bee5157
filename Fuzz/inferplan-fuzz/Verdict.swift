import Foundation

/// What a case's outcome means: a pass (a sound report, or bad input refused in words) or a
/// failure to fix (a crash, a hang, a memory blow-up, a report that breaks an invariant, a message
/// that does not say where the problem is).
enum Verdict: Equatable {
    case report, refused, refusedWithoutLine, writeError
    case crash(String), hang, memory(Int), brokenInvariant(String), internalError, badMessage(String), unexpectedStatus(Int32)

    var isFailure: Bool {
        switch self {
        case .report, .refused, .refusedWithoutLine, .writeError: return false
        default: return true
        }
    }

    var column: String {
        switch self {
        case .report: return "exit 0"
        case .refused: return "exit 2"
        case .refusedWithoutLine: return "exit 2 (no line)"
        case .writeError: return "exit 1 (write)"
        case .crash: return "crash"
        case .hang: return "hang"
        case .memory: return "memory"
        case .brokenInvariant: return "bad report"
        case .internalError: return "exit 3"
        case .badMessage: return "bad message"
        case .unexpectedStatus: return "other exit"
        }
    }

    static let columns = ["exit 0", "exit 2", "exit 2 (no line)", "exit 1 (write)", "crash", "hang", "memory", "bad report", "exit 3",
                          "bad message", "other exit"]

    static func judge(_ run: CaseRunner.Run, of fuzzCase: FuzzCase, folder: String, memoryLimit: Int) -> Verdict {
        if run.timedOut { return .hang }
        if run.peakBytes > memoryLimit { return .memory(run.peakBytes) }
        if let signal = run.signal { return .crash("signal \(signal)") }
        switch run.status {
        case 0: return checkReport(run, fuzzCase.check, folder: folder).map(Verdict.brokenInvariant) ?? .report
        case 1:
            // Only a failed write may exit 1, and it says so.
            return run.stderr.hasPrefix("error: cannot write") || run.stderr.contains("cannot write") ? .writeError : .badMessage(firstLine(run.stderr))
        case 2: return checkMessage(run.stderr, folder: folder)
        case 3: return .internalError
        case 128...: return .crash("exit \(run.status)")
        default: return .unexpectedStatus(run.status)
        }
    }

    static func firstLine(_ text: String) -> String { String(text.split(separator: "\n").first ?? "").prefix(300).description }

    /// An exit-2 message: one error in words, naming where (a file and line, an option, or the
    /// file), never a runtime dump.
    static func checkMessage(_ stderr: String, folder: String) -> Verdict {
        let line = firstLine(stderr)
        guard line.hasPrefix("error:") || line.hasPrefix("Error:") else { return .badMessage("no 'error:' line: \(line)") }
        for forbidden in ["Fatal error", "NSCocoaErrorDomain", "Stack dump", "Backtrace", "doesn’t exist", "Swift runtime failure"]
        where stderr.contains(forbidden) {
            return .badMessage("contains '\(forbidden)': \(line)")
        }
        // A file and line, or the option that carried the value (`--set key=value`, `--nodes`).
        if stderr.range(of: #":[0-9]+[:)]"#, options: .regularExpression) != nil || stderr.contains("line ")
            || line.hasPrefix("error: --set ") || stderr.range(of: #"'--[a-z-]+"#, options: .regularExpression) != nil
            || line.range(of: #"^[Ee]rror: --[a-z-]+"#, options: .regularExpression) != nil {
            return .refused
        }
        if stderr.contains("--") || stderr.contains(folder) || stderr.contains("Usage:") { return .refusedWithoutLine }
        return .badMessage("names no place: \(line)")
    }

    /// What an exit-0 case must satisfy; nil when it does.
    static func checkReport(_ run: CaseRunner.Run, _ check: FuzzCase.Check, folder: String) -> String? {
        switch check {
        case .none: return nil
        case .runReport:
            guard let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
                return "stdout is not a JSON report"
            }
            return runInvariants(object)
        case .scaleReport:
            guard let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
                  let points = object["points"] as? [[String: Any]] else { return "stdout is not a JSON scaling study" }
            let measured = points.filter { $0["error"] == nil }
            guard let first = measured.first else { return nil }
            for point in measured {
                let efficiency = point["efficiency"] as? Double ?? .nan
                if !(efficiency > 0 && efficiency.isFinite) { return "efficiency \(efficiency) at \(point["nodes"] ?? "?") nodes" }
                if (point["nodes"] as? Int ?? 0) >= (first["nodes"] as? Int ?? 0) && efficiency > 1.05 {
                    return "efficiency \(efficiency) above 1.05 at \(point["nodes"] ?? "?") nodes"
                }
            }
            return nil
        case let .results(name, points):
            guard let csv = try? String(contentsOfFile: folder + "/" + name + "/results.csv", encoding: .utf8) else {
                return "exit 0 without \(name)/results.csv"
            }
            let rows = csv.split(separator: "\n").count - 1
            if points >= 0 && rows != points { return "\(name)/results.csv has \(rows) points, expected \(points)" }
            if rows < 1 { return "\(name)/results.csv has no points" }
            return nil
        case .file(let name):
            let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? 0
            return size > 0 ? nil : "exit 0 without \(name)"
        }
    }

    /// The report invariants of issue 13, read from a `run --format json` report.
    static func runInvariants(_ report: [String: Any]) -> String? {
        func number(_ key: String) -> Double? { (report[key] as? NSNumber)?.doubleValue }
        if report["videos_per_s"] != nil { return videoInvariants(report) }
        guard let issued = number("issued_samples"), let completed = number("completed_samples") else { return "no sample counts" }
        if issued != completed { return "completed \(completed) of \(issued) issued samples" }
        if issued < 1 { return "no sample issued" }
        if let tokens = number("output_tokens"), tokens > 0, !((number("output_tokens_per_s") ?? 0) > 0) { return "tokens generated at 0 tokens/s" }
        for key in ["ttft_ms", "tpot_ms"] {
            guard let summary = report[key] as? [String: Any] else { return "no \(key)" }
            let p50 = (summary["p50"] as? NSNumber)?.doubleValue ?? .nan, p90 = (summary["p90"] as? NSNumber)?.doubleValue ?? .nan
            let p99 = (summary["p99"] as? NSNumber)?.doubleValue ?? .nan
            // Ordered up to the rounding of interpolated quantiles (one part in 10^9).
            func ordered(_ a: Double, _ b: Double) -> Bool { a <= b + 1e-9 * max(abs(a), abs(b), 1) }
            if !(0 <= p50 && ordered(p50, p90) && ordered(p90, p99) && p99.isFinite) { return "\(key) p50 \(p50), p90 \(p90), p99 \(p99)" }
        }
        if let peak = number("kv_peak_fraction"), !(peak >= 0 && peak <= 1) { return "KV peak \(peak)" }
        if let perGPU = number("output_tokens_per_s_per_gpu"), !perGPU.isFinite || perGPU < 0 { return "per-GPU throughput \(perGPU)" }
        return nil
    }

    /// A text-to-video report: videos issued, a positive finite rate, ordered latencies, and the
    /// explain shares adding up to the video's time.
    static func videoInvariants(_ report: [String: Any]) -> String? {
        func number(_ key: String) -> Double? { (report[key] as? NSNumber)?.doubleValue }
        guard let issued = number("issued_samples"), issued >= 1 else { return "no video issued" }
        guard let rate = number("videos_per_s"), rate > 0, rate.isFinite else { return "videos_per_s \(number("videos_per_s") ?? .nan)" }
        guard let latency = report["video_latency_s"] as? [String: Any],
              let p50 = (latency["p50"] as? NSNumber)?.doubleValue, let p90 = (latency["p90"] as? NSNumber)?.doubleValue,
              let p99 = (latency["p99"] as? NSNumber)?.doubleValue, 0 < p50, p50 <= p90 * (1 + 1e-9), p90 <= p99 * (1 + 1e-9), p99.isFinite else {
            return "video_latency_s not ordered and positive"
        }
        let shares = (report["explain"] as? [[String: Any]] ?? []).compactMap { ($0["share"] as? NSNumber)?.doubleValue }
        if abs(shares.reduce(0, +) - 1) > 1e-6 { return "explain shares add up to \(shares.reduce(0, +))" }
        return nil
    }
}
