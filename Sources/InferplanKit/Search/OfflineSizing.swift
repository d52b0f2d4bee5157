import Foundation

/// How many samples an MLPerf Offline run issues.
///
/// LoadGen's Offline query carries max(min_query_count, 1.1 x min_duration x offline_expected_qps)
/// samples, the performance sample set repeated as needed (mlcommons/inference
/// loadgen/test_settings_internal.cc, `kSlack = 1.1`; ../shared/reference/mlperf-rules.md), so a run
/// lasts at least `min_duration` (600 s) whatever the cluster's size. A fixed sample count instead
/// would make a large cluster's run last seconds and measure its drain tail, not its throughput.
///
/// The submitter's expected rate is the system's own throughput: here the steady-state completion
/// rate of a short Offline probe of the same deployment (`saturatedRate`).
public enum OfflineSizing {
    /// LoadGen's slack on the expected duration.
    public static let slack = 1.1

    /// Samples in the probe that estimates the rate: three full batches per replica, so every
    /// replica reaches its steady batch between ramp-up and drain; at least 2,000, at most 200,000.
    public static func probeSamples(deployment: Deployment) -> Int {
        let batches = 3 * deployment.replicas * deployment.serving.maxBatchSequences
        return min(200_000, max(2000, batches))
    }

    /// A saturated Offline probe: its steady completion rate and its engine events per simulated
    /// second, both for the whole deployment.
    public struct Probe: Sendable {
        /// Samples per second completed between the 20th and 80th percentile completions.
        public var rate: Double
        /// Engine events per simulated second (what a longer run of the same load costs).
        public var eventsPerSecond: Double
    }

    /// Samples per second the deployment completes when saturated, measured in a short Offline
    /// probe between its 20th and 80th percentile completions: the steady state, without the
    /// ramp-up of the first batch or the drain of the last. Also the max-rate search's first guess.
    /// A large homogeneous cluster is probed on a slice of it (`Deployment.offlineSlice`).
    public static func saturatedRate(deployment: Deployment, workload: Workload) throws(EventLimitReached) -> Double {
        try probe(deployment: deployment, workload: workload).rate
    }

    /// Events the probe may take: far more than a saturated probe needs (about 40,000 on one
    /// 8-GPU node, 100,000 on a slice), so only a starved deployment - a load generator slower than
    /// the replicas, each sample then decoding alone - reaches it. Its rate is then read from the
    /// completions so far, which are already in that steady trickle.
    public static let probeMaxEvents = 4_000_000

    /// The probe behind `saturatedRate`.
    public static func probe(deployment: Deployment, workload: Workload) throws(EventLimitReached) -> Probe {
        let (probed, scale) = deployment.offlineSlice() ?? (deployment, 1)
        var offline = workload
        offline.scenario = .offline
        offline.trace = nil
        offline.samples = probeSamples(deployment: probed)
        offline.maxEvents = min(workload.maxEvents, probeMaxEvents)
        let result = Simulation(deployment: probed, workload: offline).run()
        let eventsPerSecond = scale * Double(result.events) / max(result.endSeconds, 1e-9)
        let times = result.log.completion.filter(\.isFinite).sorted()
        // Stopped at its limit before ten completions: no rate to read.
        if times.count < 10 { _ = try result.checked() }
        guard times.count >= 10 else { return Probe(rate: 1e-3, eventsPerSecond: eventsPerSecond) }
        let low = times[times.count / 5], high = times[times.count * 4 / 5]
        let completedBetween = Double(times.count * 4 / 5 - times.count / 5)
        let rate = high > low ? completedBetween / (high - low) : Double(times.count) / max(times.last!, 1e-9)
        return Probe(rate: max(1e-3, scale * rate), eventsPerSecond: eventsPerSecond)
    }

    /// An Offline run LoadGen would size beyond what one run simulates: capping it would end the
    /// run before `min_duration` and measure its drain tail, not the cluster's throughput.
    public struct TooManySamples: Error, Sendable {
        public var wanted: Double
        public var cap: Int
        /// The duration that would fit under the cap at the measured rate.
        public var fittingDuration: Double
    }

    /// Samples LoadGen asks for at `rate` samples/s to last `duration`: 1.1 x duration x rate.
    static func wanted(rate: Double, duration: Double) -> Double { (slack * duration * rate).rounded(.up) }

    /// The sample count LoadGen would issue at `rate` samples/s, at most `cap`.
    public static func samples(rate: Double, duration: Double, minimum: Int, cap: Int) -> Int {
        let wanted = wanted(rate: rate, duration: duration)
        return min(cap, max(minimum, wanted.isFinite ? Int(min(wanted, Double(cap))) : cap))
    }

    /// Runs an Offline workload as LoadGen would size it, or as given when it names `samples` (or
    /// is not Offline). The rate comes from `probe`; should the run still end before the minimum
    /// duration (the estimate was high), it is rerun once with the count scaled by the shortfall,
    /// as a submitter whose run LoadGen rejected for its duration would.
    ///
    /// Throws `EventLimitReached` when a run stops at `workload.maxEvents`, or up front when the
    /// probe's events per second say the sized run would need more; `TooManySamples` when LoadGen
    /// would issue more than `cap` samples.
    public static func run(_ workload: Workload, on deployment: Deployment, cap: Int) throws -> SimulationResult {
        guard workload.scenario == .offline, workload.samples == nil, workload.trace == nil else {
            return try Simulation(deployment: deployment, workload: workload).run().checked()
        }
        var sized = workload
        let probe = try probe(deployment: deployment, workload: workload)
        let wanted = wanted(rate: probe.rate, duration: workload.durationSeconds)
        if wanted > Double(cap) {
            throw TooManySamples(wanted: wanted, cap: cap, fittingDuration: Double(cap) / (slack * probe.rate))
        }
        let first = samples(rate: probe.rate, duration: workload.durationSeconds, minimum: workload.minSamples, cap: cap)
        let expectedEvents = probe.eventsPerSecond * Double(first) / probe.rate
        if expectedEvents > Double(workload.maxEvents) {
            throw EventLimitReached(limit: workload.maxEvents, simulatedSeconds: nil, estimated: expectedEvents)
        }
        sized.samples = first
        let result = try Simulation(deployment: deployment, workload: sized).run().checked()
        guard result.endSeconds > 0, result.endSeconds < workload.durationSeconds, first < cap else { return result }
        let measured = Double(first) / result.endSeconds
        sized.samples = samples(rate: measured, duration: workload.durationSeconds, minimum: workload.minSamples, cap: cap)
        return try Simulation(deployment: deployment, workload: sized).run().checked()
    }
}
