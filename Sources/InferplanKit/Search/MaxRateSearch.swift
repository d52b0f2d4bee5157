/// The highest Poisson rate whose p99 TTFT and p99 TPOT stay within the limits, found the way
/// MLPerf's Server and Interactive results are: by running the full-length scenario at candidate
/// rates.
///
/// Bracket, then bisect: the first guess is the Offline capacity (tokens/s over mean output
/// tokens), raised by half until a rate fails and halved until one passes; then the bracket is
/// bisected until its width is at most `tolerance` of its lower end. Robust to the noise of a finite
/// run by construction: every probe uses the same seed (common random numbers: the k-th query has
/// the same lengths at every rate and its arrival time scales as 1/rate), and each probe lasts the
/// benchmark's full minimum duration (600 s by default), so its p99 rests on thousands of queries.
public struct MaxRateSearch {
    public struct Probe: Sendable, Encodable {
        public var qps: Double
        public var meetsLimits: Bool
        public var ttftP99Ms: Double
        public var tpotP99Ms: Double
        public var outputTokensPerS: Double
        enum CodingKeys: String, CodingKey {
            case qps, meetsLimits = "meets_limits", ttftP99Ms = "ttft_p99_ms", tpotP99Ms = "tpot_p99_ms", outputTokensPerS = "output_tokens_per_s"
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

    /// A rate's run and whether it meets the limits.
    public func probe(_ qps: Double) -> (meets: Bool, metrics: RunMetrics) {
        var load = workload
        load.qps = qps
        load.searchMaxRate = false
        let metrics = RunMetrics(result: Simulation(deployment: deployment, workload: load).run())
        // A probe that issued no query measured nothing: it cannot pass.
        let meets = metrics.issuedSamples > 0 && metrics.completedSamples == metrics.issuedSamples
            && metrics.ttft.p99 <= limits.ttftP99 * 1000 && metrics.tpot.p99 <= limits.tpotP99 * 1000
        return (meets, metrics)
    }

    /// A probe at `qps` would issue more queries than one run may hold (`maxRequests`).
    public struct TooManyRequests: Error, Sendable {
        public var qps: Double
        public var requests: Double
        public var maxRequests: Int
    }

    /// Runs the search; probes are capped at `maxRequests` expected queries each, as every run is.
    public func run(maxRequests: Int = Scenario.maxRequests) throws -> Result {
        var probes: [Probe] = []
        var passing: (qps: Double, metrics: RunMetrics)?
        var lightest: RunMetrics?
        func test(_ qps: Double) throws -> Bool {
            let expected = qps * workload.duration
            if expected > Double(maxRequests) { throw TooManyRequests(qps: qps, requests: expected, maxRequests: maxRequests) }
            let (meets, metrics) = probe(qps)
            probes.append(Probe(qps: qps, meetsLimits: meets, ttftP99Ms: metrics.ttft.p99, tpotP99Ms: metrics.tpot.p99,
                                outputTokensPerS: metrics.outputTokensPerSecond))
            if meets, qps > (passing?.qps ?? -1) { passing = (qps, metrics) }
            if !meets { lightest = metrics }
            return meets
        }

        var high = capacityEstimate()
        var low = 0.0
        // Bracket: raise until a rate fails, then lower until one passes.
        var raises = 0
        while try test(high) {
            low = high
            high *= 1.5
            raises += 1
            if raises == 12 { break }
        }
        if low == 0 {
            var candidate = high / 2
            while try !test(candidate) {
                high = candidate
                candidate /= 2
                if candidate < high * 1e-4 || candidate * workload.duration < 1 {
                    // Even a trickle misses the limits (e.g. a TTFT limit below one bare prefill).
                    return Result(maxQPS: 0, metrics: lightest!, failingQPS: candidate, probes: probes, tolerance: tolerance)
                }
            }
            low = candidate
        }
        // Bisect to the stated tolerance.
        while (high - low) / low > tolerance {
            let mid = (low + high) / 2
            if try test(mid) { low = mid } else { high = mid }
        }
        return Result(maxQPS: low, metrics: passing!.metrics, failingQPS: high, probes: probes, tolerance: tolerance)
    }

    /// The first guess: the rate the deployment completes when saturated (`OfflineSizing`).
    func capacityEstimate() -> Double { OfflineSizing.saturatedRate(deployment: deployment, workload: workload) }
}
