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
            let search = MaxRateSearch(deployment: deployment, workload: workload, limits: limits,
                                       tolerance: workload.searchTolerance).run()
            return RunOutcome(deployment: deployment, metrics: search.metrics, qps: search.maxQPS, search: search)
        }
        let metrics = RunMetrics(result: OfflineSizing.run(workload, on: deployment, cap: Scenario.maxRequests))
        return RunOutcome(deployment: deployment, metrics: metrics,
                          qps: workload.scenario.isRateDriven ? workload.qps : nil, search: nil)
    }
}
