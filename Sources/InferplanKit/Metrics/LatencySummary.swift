import CGSL

/// Percentiles and mean of a latency, in milliseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var mean: Double

    public static let empty = LatencySummary(p50: 0, p90: 0, p99: 0, mean: 0)

    public init(p50: Double, p90: Double, p99: Double, mean: Double) {
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.mean = mean
    }

    /// Summarises `seconds` (unsorted) with GSL's quantile (linear interpolation between order
    /// statistics) and mean, reported in milliseconds.
    public init(seconds: [Double]) {
        guard !seconds.isEmpty else { self = .empty; return }
        let sorted = seconds.sorted()
        func quantile(_ f: Double) -> Double {
            sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, f) } * 1000
        }
        let mean = sorted.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) } * 1000
        self.init(p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), mean: mean)
    }
}
