/// The outcome of running one scenario: a single run, or the max-rate search and the run it settled on.
public struct RunOutcome: Sendable {
    public var deployment: Deployment
    public var metrics: RunMetrics
    /// The Poisson rate the metrics were measured at (Server, Interactive).
    public var qps: Double?
    public var search: MaxRateSearch.Result?
}

/// The run layer: everything between a decoded scenario and its figures. Builds the deployment,
/// runs the engine once (Offline sized as LoadGen sizes it), searches the highest rate within the
/// limits for `qps: max`, repeats over seeds, and checks every outcome's invariants. It sits above
/// the engine (`Simulation`, which knows nothing of scenarios) and the searches (`MaxRateSearch`,
/// `OfflineSizing`); `run`, `scale`, `plan`, sweeps and `validate` all run scenarios through it.
public enum ScenarioRun {
    /// The whole flow for one scenario: scenario -> deployment (checked) -> engine -> metrics.
    public static func run(_ scenario: Scenario) throws -> (deployment: Deployment, metrics: RunMetrics) {
        let outcome = try outcome(scenario)
        return (outcome.deployment, outcome.metrics)
    }

    /// As `run`, and for `qps: max` the max-rate search under the scenario's p99 limits.
    public static func outcome(_ scenario: Scenario) throws -> RunOutcome {
        do {
            return try unguardedOutcome(scenario)
        } catch let limit as EventLimitReached {
            throw eventLimitError(limit, scenario: scenario)
        }
    }

    private static func unguardedOutcome(_ scenario: Scenario) throws -> RunOutcome {
        let deployment = try scenario.deployment()
        let workload = scenario.workload
        if workload.searchMaxRate, let limits = workload.limits {
            let search: MaxRateSearch.Result
            do {
                search = try MaxRateSearch(deployment: deployment, workload: workload, limits: limits,
                                           tolerance: workload.searchTolerance).run()
            } catch let error as MaxRateSearch.TooManyRequests {
                throw scenario.error("workload.duration_s", String(format: "a probe of the max-rate search at %.1f queries/s over %g s would issue %.0f queries, more than one run simulates (%d)",
                                                                   error.qps, workload.durationSeconds, error.requests, error.maxRequests),
                                     valid: "a workload.duration_s of at most \(Int(Double(error.maxRequests) / error.qps)) s (MLPerf's minimum is 600 s)")
            }
            guard search.maxQPS > 0 else { throw noRateMeets(limits, search: search, scenario: scenario) }
            try checkInvariants(search.metrics, of: scenario)
            return RunOutcome(deployment: deployment, metrics: search.metrics, qps: search.maxQPS, search: search)
        }
        let result: SimulationResult
        do {
            result = try OfflineSizing.run(workload, on: deployment, cap: Scenario.maxRequests)
        } catch let error as OfflineSizing.TooManySamples {
            let key = scenario.locations["workload.duration_s"] != nil ? "workload.duration_s" : "hardware.nodes"
            throw scenario.error(key, "an Offline run of \(Format.grouped(workload.durationSeconds, decimals: 0)) s on this cluster would issue \(Format.grouped(error.wanted, decimals: 0)) samples (1.1 x duration x its rate, as LoadGen sizes it), more than one run simulates (\(Format.grouped(error.cap)))",
                                 valid: "fewer nodes (the throughput of identical nodes adds up in Offline), a workload.duration_s of at most \(Int(error.fittingDuration)) s, or a fixed workload.samples")
        }
        let metrics = RunMetrics(result: result)
        if metrics.issuedSamples == 0 {
            // A Poisson draw (or a trace) with no query in the run: nothing was measured.
            throw scenario.error("workload.qps", "the run issued no query (\(workload.qps) queries/s over \(workload.durationSeconds) s), so there is nothing to report",
                                 valid: "a higher workload.qps or a longer workload.duration_s")
        }
        try checkInvariants(metrics, of: scenario)
        return RunOutcome(deployment: deployment, metrics: metrics,
                          qps: workload.scenario.isRateDriven ? workload.qps : nil, search: nil)
    }
}

extension ScenarioRun {
    /// Every outcome passes the report invariants before anyone sees it (`RunMetrics+Invariants`).
    static func checkInvariants(_ metrics: RunMetrics, of scenario: Scenario) throws {
        let broken = metrics.invariantViolations
        if !broken.isEmpty { throw InternalError(violations: broken, scenario: scenario.echo) }
    }

    /// A run stopped, or refused, at the event limit: say how far it got or what it would need, and
    /// how to ask for it.
    static func eventLimitError(_ limit: EventLimitReached, scenario: Scenario) -> InputError {
        let key = scenario.locations["workload.max_events"] != nil ? "workload.max_events" : "workload.duration_s"
        let problem: String
        let needed: Double
        if let estimated = limit.estimated {
            problem = "the run would take about \(Format.grouped(estimated, decimals: 0)) engine events, more than the limit of \(Format.grouped(Double(limit.limit), decimals: 0)) (workload.max_events, about a minute of simulation per 50 M)"
            needed = estimated * 1.2
        } else {
            let reached = limit.simulatedSeconds.map { String(format: " at %.1f s of simulated time", $0) } ?? ""
            problem = "the run stopped at its limit of \(Format.grouped(Double(limit.limit), decimals: 0)) engine events\(reached) before its requests drained (workload.max_events guards against runs of hours)"
            needed = Double(limit.limit) * 10
        }
        return scenario.error(key, problem,
                              valid: "fewer nodes or a shorter workload.duration_s; or, to run it anyway, a higher limit, e.g. --set workload.max_events=\(Int(min(needed, 1e12)))")
    }

    /// The error of a max-rate search in which no rate met the limits: the best p99s any probe
    /// reached, against the limits.
    static func noRateMeets(_ limits: LatencyLimits, search: MaxRateSearch.Result, scenario: Scenario) -> InputError {
        let measured = search.probes.filter { $0.outputTokensPerS > 0 }
        let ttft = measured.map(\.ttftP99Ms).min() ?? .nan, tpot = measured.map(\.tpotP99Ms).min() ?? .nan
        let key = scenario.locations["workload.limits"] != nil ? "workload.limits" : "workload.qps"
        return scenario.error(key, String(format: "no arrival rate meets the p99 limits: the best of %d probes reached p99 TTFT %.1f ms and p99 TPOT %.1f ms, against limits of %.0f ms and %.0f ms",
                                          search.probes.count, ttft, tpot, limits.ttftP99Seconds * 1000, limits.tpotP99Seconds * 1000),
                              valid: "looser workload.limits, or a deployment fast enough for one query alone to meet them")
    }
}

extension ScenarioRun {
    /// `--repeat N`: the scenario with seeds seed, seed + 1, ..., seed + N - 1, `jobs` at a time
    /// (`first`, when given, is the outcome of the first seed, already run). Outcomes come in
    /// seed order whatever the threads' timing; `progress(done, total)` after each.
    public static func repeated(_ scenario: Scenario, runs: Int, first: RunOutcome? = nil, jobs: Int,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> (outcomes: [RunOutcome], summary: RepeatSummary) {
        let seeds = (0..<UInt64(runs)).map { scenario.workload.seed &+ $0 }
        let done = first.map { [$0] } ?? []
        let offset = done.count
        var shifted: (@Sendable (Int, Int) -> Void)?
        if let progress { shifted = { progress($0 + offset, $1 + offset) } }
        let others = try Array(seeds.dropFirst(offset)).parallelMap(jobs: jobs, progress: shifted) { seed in
            var variant = scenario
            variant.workload.seed = seed
            return try outcome(variant)
        }
        let outcomes = done + others
        return (outcomes, RepeatSummary(seeds: seeds, outcomes: outcomes))
    }
}
