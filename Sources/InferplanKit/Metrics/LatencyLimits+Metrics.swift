extension LatencyLimits {
    /// Whether a run's p99 TTFT and p99 TPOT are within the limits: MLPerf's latency constraint
    /// for Server and Interactive, the one definition the report and the max-rate search share.
    public func areMet(by metrics: RunMetrics) -> Bool {
        metrics.ttftMs.p99 <= ttftP99Seconds * 1000 && metrics.tpotMs.p99 <= tpotP99Seconds * 1000
    }
}
