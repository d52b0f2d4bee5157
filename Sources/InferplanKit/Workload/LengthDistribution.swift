import Foundation

/// A distribution of token counts (prompt or generated lengths), drawn with GSL and clipped to
/// [min, max] - the way MLPerf datasets are filtered (e.g. Llama 2 70B: at most 1,024 in and out).
public struct LengthDistribution: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        case fixed(Int)
        case uniform(low: Int, high: Int)
        /// Lognormal with the given mean of the lengths (before clipping) and log-space sigma.
        case lognormal(mean: Double, sigma: Double)
        /// Normal with mean and standard deviation (before clipping).
        case normal(mean: Double, sd: Double)
        /// An empirical histogram: bins of lengths [low, high] with relative weights.
        case histogram([Bin])
    }

    public struct Bin: Sendable, Equatable {
        public var low: Int
        public var high: Int
        public var weight: Double

        public init(low: Int, high: Int, weight: Double) {
            self.low = low
            self.high = high
            self.weight = weight
        }
    }

    public var shape: Shape
    public var min: Int
    public var max: Int

    public init(_ shape: Shape, min: Int = 1, max: Int = Int.max) {
        self.shape = shape
        self.min = min
        self.max = max
    }

    public func sample(_ random: RandomSource) -> Int {
        let raw: Double
        switch shape {
        case .fixed(let n): raw = Double(n)
        case let .uniform(low, high): raw = Double(low + random.index(below: high - low + 1))
        case let .lognormal(mean, sigma):
            // mean = exp(mu + sigma^2/2), so mu = ln(mean) - sigma^2/2.
            raw = random.lognormal(mu: log(mean) - sigma * sigma / 2, sigma: sigma)
        case let .normal(mean, sd): raw = random.normal(mean: mean, sd: sd)
        case .histogram: return sampler(random).next()
        }
        return Swift.min(max, Swift.max(min, Int(raw.rounded())))
    }

    /// The largest length this distribution can produce (used to check that one request fits).
    public var upperBound: Int {
        switch shape {
        case .fixed(let n): return Swift.min(max, Swift.max(min, n))
        case let .uniform(_, high): return Swift.min(max, high)
        case .lognormal, .normal: return max
        case .histogram(let bins): return Swift.min(max, bins.map(\.high).max() ?? max)
        }
    }

    /// Mean before clipping, for descriptions.
    public var nominalMean: Double {
        switch shape {
        case .fixed(let n): return Double(n)
        case let .uniform(low, high): return Double(low + high) / 2
        case let .lognormal(mean, _): return mean
        case let .normal(mean, _): return mean
        case .histogram(let bins):
            let total = bins.reduce(0) { $0 + $1.weight }
            return bins.reduce(0) { $0 + $1.weight * Double($1.low + $1.high) / 2 } / total
        }
    }

    public var summary: String {
        switch shape {
        case .fixed(let n): return "fixed \(n)"
        case let .uniform(low, high): return "uniform \(low)-\(high)"
        case let .lognormal(mean, sigma): return "lognormal mean \(Int(mean)) sigma \(sigma), clipped \(min)-\(max)"
        case let .normal(mean, sd): return "normal mean \(Int(mean)) sd \(Int(sd)), clipped \(min)-\(max)"
        case .histogram(let bins): return "histogram of \(bins.count) bins, mean \(Int(nominalMean))"
        }
    }
}

/// Draws lengths from one distribution with one random stream; holds GSL's preprocessed table for
/// histograms, built once.
public final class LengthSampler {
    private let distribution: LengthDistribution
    private let random: RandomSource
    private let table: DiscreteTable?

    init(_ distribution: LengthDistribution, random: RandomSource) {
        self.distribution = distribution
        self.random = random
        if case .histogram(let bins) = distribution.shape {
            table = DiscreteTable(weights: bins.map(\.weight))
        } else {
            table = nil
        }
    }

    public func next() -> Int {
        if case .histogram(let bins) = distribution.shape, let table {
            // A bin by its weight (gsl_ran_discrete), then a length uniformly within it.
            let bin = bins[table.draw(random)]
            let length = bin.low + random.index(below: bin.high - bin.low + 1)
            return Swift.min(distribution.max, Swift.max(distribution.min, length))
        }
        return distribution.sample(random)
    }
}

extension LengthDistribution {
    public func sampler(_ random: RandomSource) -> LengthSampler { LengthSampler(self, random: random) }
}
