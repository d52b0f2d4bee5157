import Foundation

extension SVGChart.Axis {
    /// The axis range and its ticks for `values` (non-finite values, and on a log axis values at or
    /// below zero, are ignored).
    func range(of values: [Double]) -> (low: Double, high: Double, ticks: [Double]) {
        switch scale {
        case .log:
            return SVGChart.logRange(values.filter { $0.isFinite && $0 > 0 })
        case .linear:
            let finite = values.filter(\.isFinite) + (includesZero ? [0] : [])
            let (low, high, ticks) = SVGChart.niceRange(finite)
            guard integerTicks else { return (low, high, ticks) }
            // Whole-number ticks: the nice step rounded up to an integer, so that a 1-12 node axis
            // never shows 2.5 nodes.
            let step = max(1, ((ticks.count > 1 ? ticks[1] - ticks[0] : 1)).rounded(.up))
            let start = (low / step).rounded(.down) * step, end = (high / step).rounded(.up) * step
            return (start, end, stride(from: start, through: end + step / 2, by: step).map { $0 })
        }
    }

    /// Position of `value` along the axis as a fraction 0...1 of `range`.
    func fraction(_ value: Double, low: Double, high: Double) -> Double {
        switch scale {
        case .log:
            guard value > 0, high > low else { return 0.5 }
            return (log10(value) - log10(low)) / (log10(high) - log10(low))
        case .linear:
            return high > low ? (value - low) / (high - low) : 0.5
        }
    }
}

extension SVGChart {
    /// A range padded to round numbers, with about five ticks.
    static func niceRange(_ values: [Double]) -> (Double, Double, [Double]) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (0, 1, [0, 0.5, 1]) }
        if high == low { return (low - 1, high + 1, [low - 1, low, high + 1]) }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let start = floor(low / step) * step, end = ceil(high / step) * step
        let ticks = stride(from: start, through: end + step / 2, by: step).map { $0 }
        return (start, end, ticks)
    }

    /// A log range from the decade at or below the smallest value to the decade at or above the
    /// largest, with a tick at each decade (and at 2 and 5 when the range spans at most two).
    static func logRange(_ positive: [Double]) -> (Double, Double, [Double]) {
        guard let low = positive.min(), let high = positive.max() else { return (1, 10, [1, 10]) }
        let first = floor(log10(low)), last = max(first + 1, ceil(log10(high)))
        var ticks: [Double] = []
        for decade in stride(from: first, through: last, by: 1) {
            let base = pow(10, decade)
            ticks.append(base)
            if last - first <= 2, decade < last { ticks += [2 * base, 5 * base] }
        }
        return (pow(10, first), pow(10, last), ticks)
    }
}
