/// The outcome of running one scenario: a single run, or the max-rate search and the run it settled on.
public struct RunOutcome: Sendable {
    public var deployment: Deployment
    public var metrics: RunMetrics
    /// The Poisson rate the metrics were measured at (Server, Interactive).
    public var qps: Double?
    public var search: MaxRateSearch.Result?
}

extension Simulation {
    /// The whole flow for one scenario: scenario -> deployment (checked) -> engine -> metrics.
    public static func run(_ scenario: Scenario) throws -> (deployment: Deployment, metrics: RunMetrics) {
        let outcome = try outcome(scenario)
        return (outcome.deployment, outcome.metrics)
    }

    /// As `run`, and for `qps: max` the max-rate search under the scenario's p99 limits.
    public static func outcome(_ scenario: Scenario) throws -> RunOutcome {
        let deployment = try scenario.deployment()
        let workload = scenario.workload
        if workload.searchMaxRate, let limits = workload.limits {
            let search: MaxRateSearch.Result
            do {
                search = try MaxRateSearch(deployment: deployment, workload: workload, limits: limits,
                                           tolerance: workload.searchTolerance).run()
            } catch let error as MaxRateSearch.TooManyRequests {
                throw scenario.error("workload.duration_s", String(format: "a probe of the max-rate search at %.1f queries/s over %g s would issue %.0f queries, more than one run simulates (%d)",
                                                                   error.qps, workload.duration, error.requests, error.maxRequests),
                                     valid: "a workload.duration_s of at most \(Int(Double(error.maxRequests) / error.qps)) s (MLPerf's minimum is 600 s)")
            }
            guard search.maxQPS > 0 else { throw noRateMeets(limits, search: search, scenario: scenario) }
            return RunOutcome(deployment: deployment, metrics: search.metrics, qps: search.maxQPS, search: search)
        }
        let metrics = RunMetrics(result: OfflineSizing.run(workload, on: deployment, cap: Scenario.maxRequests))
        if metrics.issuedSamples == 0 {
            // A Poisson draw (or a trace) with no query in the run: nothing was measured.
            throw scenario.error("workload.qps", "the run issued no query (\(workload.qps) queries/s over \(workload.duration) s), so there is nothing to report",
                                 valid: "a higher workload.qps or a longer workload.duration_s")
        }
        return RunOutcome(deployment: deployment, metrics: metrics,
                          qps: workload.scenario.isRateDriven ? workload.qps : nil, search: nil)
    }
}

extension Simulation {
    /// The error of a max-rate search in which no rate met the limits: the best p99s any probe
    /// reached, against the limits.
    static func noRateMeets(_ limits: LatencyLimits, search: MaxRateSearch.Result, scenario: Scenario) -> InputError {
        let measured = search.probes.filter { $0.outputTokensPerS > 0 }
        let ttft = measured.map(\.ttftP99Ms).min() ?? .nan, tpot = measured.map(\.tpotP99Ms).min() ?? .nan
        let key = scenario.locations["workload.limits"] != nil ? "workload.limits" : "workload.qps"
        return scenario.error(key, String(format: "no arrival rate meets the p99 limits: the best of %d probes reached p99 TTFT %.1f ms and p99 TPOT %.1f ms, against limits of %.0f ms and %.0f ms",
                                          search.probes.count, ttft, tpot, limits.ttftP99 * 1000, limits.tpotP99 * 1000),
                              valid: "looser workload.limits, or a deployment fast enough for one query alone to meet them")
    }
}
