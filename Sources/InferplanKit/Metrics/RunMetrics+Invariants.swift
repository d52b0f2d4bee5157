/// What every report must satisfy before it is printed, checked in release builds too (each check
/// is O(1)): a violation is a bug in inferplan, never a figure to show (issue 13).
extension RunMetrics {
    /// The invariants this run breaks, in words; empty for a sound run.
    ///
    /// - every issued sample completed (the engine drains every run);
    /// - generated tokens mean a positive, finite throughput over a positive simulated time;
    /// - percentiles ordered: p50 <= p90 <= p99, none negative;
    /// - no NaN or infinity in any figure;
    /// - the KV cache never held more than its capacity.
    public var invariantViolations: [String] {
        var broken: [String] = []
        if completedSamples != issuedSamples {
            broken.append("completed samples (\(completedSamples)) != issued samples (\(issuedSamples))")
        }
        if outputTokens > 0 && !(outputTokensPerSecond > 0 && simulatedSeconds > 0) {
            broken.append("\(outputTokens) tokens generated but throughput \(outputTokensPerSecond) tokens/s over \(simulatedSeconds) s")
        }
        for (name, summary) in [("TTFT", ttftMs), ("TPOT", tpotMs)] {
            let values = [summary.p50, summary.p90, summary.p99, summary.mean]
            if !values.allSatisfy(\.isFinite) {
                broken.append("\(name) has a non-finite figure (p50 \(summary.p50), p90 \(summary.p90), p99 \(summary.p99), mean \(summary.mean))")
            } else if !(0 <= summary.p50 && Self.ordered(summary.p50, summary.p90) && Self.ordered(summary.p90, summary.p99)) {
                broken.append("\(name) percentiles out of order (p50 \(summary.p50) ms, p90 \(summary.p90) ms, p99 \(summary.p99) ms)")
            }
        }
        let figures: [(String, Double)] = [("throughput", outputTokensPerSecond), ("simulated seconds", simulatedSeconds),
                                           ("mean batch", meanBatchSequences), ("KV peak", kvPeakFraction)]
            + outputTokensPerSecondByGroup.enumerated().map { ("throughput of node group \($0.offset + 1)", $0.element) }
        for (name, value) in figures where !value.isFinite || value < 0 {
            broken.append("\(name) is \(value)")
        }
        if kvPeakFraction > 1 + 1e-9 {
            broken.append("KV cache peak \(kvPeakFraction) of capacity (above 1)")
        }
        return broken
    }

    /// a <= b up to the rounding of interpolated quantiles: GSL's linear interpolation between
    /// order statistics can put p50 one ulp above p90 when the values are (nearly) all equal.
    static func ordered(_ a: Double, _ b: Double) -> Bool { a <= b + 1e-9 * max(abs(a), abs(b), 1) }
}

/// A report that broke an invariant: a bug to report, with what is needed to reproduce it. The
/// CLI prints it as "internal error" and exits with status 3.
public struct InternalError: Error, CustomStringConvertible, Sendable {
    public var violations: [String]
    /// The scenario as run (file, `--set`s and the effective YAML), so the report can be reproduced.
    public var scenario: String

    public init(violations: [String], scenario: String) {
        self.violations = violations
        self.scenario = scenario
    }

    public var description: String {
        "internal error: the report breaks \(violations.count == 1 ? "an invariant" : "\(violations.count) invariants"):\n"
            + violations.map { "  - \($0)\n" }.joined()
            + "This is a bug in inferplan; please report it with this message. The scenario as run:\n"
            + scenario
    }
}
