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

    /// Samples per second the deployment completes when saturated, measured in a short Offline
    /// probe between its 20th and 80th percentile completions: the steady state, without the
    /// ramp-up of the first batch or the drain of the last. Also the max-rate search's first guess.
    public static func saturatedRate(deployment: Deployment, workload: Workload) -> Double {
        var offline = workload
        offline.scenario = .offline
        offline.trace = nil
        offline.samples = probeSamples(deployment: deployment)
        let result = Simulation(deployment: deployment, workload: offline).run()
        let times = result.log.completion.filter(\.isFinite).sorted()
        guard times.count >= 10 else { return 1e-3 }
        let low = times[times.count / 5], high = times[times.count * 4 / 5]
        let completedBetween = Double(times.count * 4 / 5 - times.count / 5)
        if high > low { return max(1e-3, completedBetween / (high - low)) }
        return max(1e-3, Double(times.count) / max(times.last!, 1e-9))
    }

    /// The sample count LoadGen would issue at `rate` samples/s, at most `cap`.
    public static func samples(rate: Double, duration: Double, minimum: Int, cap: Int) -> Int {
        let wanted = (slack * duration * rate).rounded(.up)
        return min(cap, max(minimum, wanted.isFinite ? Int(min(wanted, Double(cap))) : cap))
    }

    /// Runs an Offline workload as LoadGen would size it, or as given when it names `samples` (or
    /// is not Offline). The rate comes from `saturatedRate`; should the run still end before the
    /// minimum duration (the estimate was high), it is rerun once with the count scaled by the
    /// shortfall, as a submitter whose run LoadGen rejected for its duration would.
    public static func run(_ workload: Workload, on deployment: Deployment, cap: Int) -> SimulationResult {
        guard workload.scenario == .offline, workload.samples == nil, workload.trace == nil else {
            return Simulation(deployment: deployment, workload: workload).run()
        }
        var sized = workload
        let rate = saturatedRate(deployment: deployment, workload: workload)
        let first = samples(rate: rate, duration: workload.duration, minimum: workload.minSamples, cap: cap)
        sized.samples = first
        let result = Simulation(deployment: deployment, workload: sized).run()
        guard result.endTime > 0, result.endTime < workload.duration, first < cap else { return result }
        let measured = Double(first) / result.endTime
        sized.samples = samples(rate: measured, duration: workload.duration, minimum: workload.minSamples, cap: cap)
        return Simulation(deployment: deployment, workload: sized).run()
    }
}
