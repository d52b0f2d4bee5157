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

    /// Summarises `seconds` (unsorted): percentiles as GSL's `gsl_stats_quantile_from_sorted_data`
    /// defines them (linear interpolation between the order statistics at f x (n - 1)), found by
    /// GSL's quickselect (`gsl_stats_select`, O(n) each) instead of a full sort, which took a tenth
    /// of a 128-node run; and the mean (GSL). Reported in milliseconds.
    public init(seconds: [Double]) {
        guard !seconds.isEmpty else { self = .empty; return }
        var data = seconds
        let n = data.count
        let mean = data.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) } * 1000
        func orderStatistic(_ k: Int) -> Double {
            data.withUnsafeMutableBufferPointer { gsl_stats_select($0.baseAddress, 1, n, k) }
        }
        func quantile(_ f: Double) -> Double {
            let index = f * Double(n - 1)
            let low = Int(index), delta = index - Double(low)
            guard low < n - 1 else { return orderStatistic(low) * 1000 }
            return ((1 - delta) * orderStatistic(low) + delta * orderStatistic(low + 1)) * 1000
        }
        self.init(p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), mean: mean)
    }
}
