import Foundation

/// The highest Poisson rate whose p99 TTFT and p99 TPOT stay within the limits, found the way
/// MLPerf's Server and Interactive results are: by running the full-length scenario at candidate
/// rates.
///
/// Bracket, then narrow, `probesPerRound` rates at a time, run at once on the available cores: the
/// first round tries the Offline capacity (tokens/s over mean output tokens) and 1.5 times it,
/// raising by that much again while all pass, or halving while none does; then each round splits
/// the bracket into `probesPerRound + 1` equal parts (a round of two probes narrows it threefold in
/// the time of one probe on two cores, against twofold for bisection), until its width is at most
/// `tolerance` of its lower end. The rates tried never depend on the number of cores, so neither
/// does the answer. Robust to the noise of a finite run by construction: every probe uses the same seed
/// (common random numbers: the k-th query has the same lengths at every rate and its arrival time
/// scales as 1/rate), and each probe lasts the benchmark's full minimum duration (600 s by
/// default), so its p99 rests on thousands of queries. Where noise makes a passing rate lie above a
/// failing one, the bracket is the highest pass below the lowest failure.
public struct MaxRateSearch: Sendable {
    public struct Probe: Sendable, Encodable {
        public var qps: Double
        public var meetsLimits: Bool
        public var ttftP99Ms: Double
        public var tpotP99Ms: Double
        public var outputTokensPerS: Double
        enum CodingKeys: String, CodingKey {
            case qps, meetsLimits, ttftP99Ms, tpotP99Ms, outputTokensPerS
        }
    }

    public struct Result: Sendable {
        /// The highest passing rate; 0 when even a very light load misses the limits.
        public var maxQPS: Double
        /// The run at `maxQPS` (or at the lightest rate tried, when none passed).
        public var metrics: RunMetrics
        /// The lowest failing rate found.
        public var failingQPS: Double
        public var probes: [Probe]
        public var tolerance: Double
    }

    public let deployment: Deployment
    public let workload: Workload
    public let limits: LatencyLimits
    public let tolerance: Double

    public init(deployment: Deployment, workload: Workload, limits: LatencyLimits, tolerance: Double) {
        self.deployment = deployment
        self.workload = workload
        self.limits = limits
        self.tolerance = tolerance
    }

    /// A rate's run and whether it meets the limits; `EventLimitReached` when the run stopped at
    /// the workload's event limit (its figures would not be a result).
    public func probe(_ qps: Double) throws(EventLimitReached) -> (meets: Bool, metrics: RunMetrics) {
        var load = workload
        load.qps = qps
        load.searchMaxRate = false
        let metrics = RunMetrics(result: try Simulation(deployment: deployment, workload: load).run().checked())
        // A probe that issued no query measured nothing: it cannot pass.
        let meets = metrics.issuedSamples > 0 && metrics.completedSamples == metrics.issuedSamples
            && limits.areMet(by: metrics)
        return (meets, metrics)
    }

    /// A probe at `qps` would issue more queries than one run may hold (`maxRequests`).
    public struct TooManyRequests: Error, Sendable {
        public var qps: Double
        public var requests: Double
        public var maxRequests: Int
    }

    /// Rates tried per round, run at once (on up to this many cores). Two: this machine class has two
    /// cores, and a third probe per round would cost a whole probe time there for a 4x instead of 3x
    /// narrowing.
    public static let probesPerRound = 2

    /// Runs the search on up to `jobs` cores; probes are capped at `maxRequests` expected queries
    /// each, as every run is.
    public func run(maxRequests: Int = Workload.maxRequests, jobs: Int = availableCores) throws -> Result {
        var probes: [Probe] = []
        var passing: (qps: Double, metrics: RunMetrics)?
        /// The run at the lowest failing rate (reported when no rate passes).
        var lightest: (qps: Double, metrics: RunMetrics)?
        /// Probes `rates` (ascending) at once; returns whether each meets the limits.
        func test(_ rates: [Double]) throws -> [Bool] {
            for qps in rates where qps * workload.durationSeconds > Double(maxRequests) {
                throw TooManyRequests(qps: qps, requests: qps * workload.durationSeconds, maxRequests: maxRequests)
            }
            let outcomes = try rates.parallelMap(jobs: jobs) { qps throws(EventLimitReached) in try self.probe(qps) }
            for (qps, (meets, metrics)) in zip(rates, outcomes) {
                probes.append(Probe(qps: qps, meetsLimits: meets, ttftP99Ms: metrics.ttftMs.p99, tpotP99Ms: metrics.tpotMs.p99,
                                    outputTokensPerS: metrics.outputTokensPerSecond))
                if meets, qps > (passing?.qps ?? -1) { passing = (qps, metrics) }
                if !meets, qps < (lightest?.qps ?? .infinity) { lightest = (qps, metrics) }
            }
            return outcomes.map(\.meets)
        }
        let k = Self.probesPerRound
        var low = 0.0, high = Double.infinity
        /// Narrows the bracket with one round's outcomes: the lowest failure above `low` becomes
        /// `high`, the highest pass below it `low`.
        func narrow(_ rates: [Double], _ meets: [Bool]) {
            if let failure = zip(rates, meets).first(where: { !$0.1 && $0.0 > low })?.0 { high = min(high, failure) }
            if let pass = zip(rates, meets).filter({ $0.1 && $0.0 < high }).map(\.0).max() { low = max(low, pass) }
        }

        // Bracket: raise by 1.5x steps while every rate passes, at most 12 steps above capacity.
        var base = try capacityEstimate()
        var steps = 0
        while high == .infinity {
            let rates = (0..<k).map { base * pow(1.5, Double($0)) }
            narrow(rates, try test(rates))
            steps += k
            base = rates.last! * 1.5
            if steps >= 12 { break }
        }
        if high == .infinity { high = base }
        // Lower by halves while no rate passes.
        while low == 0 {
            let rates = (1...k).reversed().map { high / pow(2, Double($0)) }
            if rates[0] * workload.durationSeconds < 1 {
                // Even a trickle misses the limits (e.g. a TTFT limit below one bare prefill).
                return Result(maxQPS: 0, metrics: lightest!.metrics, failingQPS: high, probes: probes, tolerance: tolerance)
            }
            // No pass: `narrow` made the lowest rate tried the new `high`.
            narrow(rates, try test(rates))
        }
        // Narrow to the stated tolerance.
        while (high - low) / low > tolerance {
            let rates = (1...k).map { low + (high - low) * Double($0) / Double(k + 1) }
            narrow(rates, try test(rates))
        }
        return Result(maxQPS: low, metrics: passing!.metrics, failingQPS: high, probes: probes, tolerance: tolerance)
    }

    /// The first guess: the rate the deployment completes when saturated (`OfflineSizing`).
    func capacityEstimate() throws -> Double { try OfflineSizing.saturatedRate(deployment: deployment, workload: workload) }
}
