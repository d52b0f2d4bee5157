import CGSL

/// A seeded GSL random number generator (Mersenne Twister, MT19937).
///
/// Not thread-safe, like the `gsl_rng` it wraps: one per simulation. The same seed gives the same
/// stream on every machine, which is what makes reports reproducible byte for byte.
public final class RandomSource {
    private let rng: OpaquePointer

    public init(seed: UInt64) {
        GSLSetup.once()
        rng = OpaquePointer(gsl_rng_alloc(inferplan_gsl_rng_mt19937()))
        gsl_rng_set(UnsafeMutablePointer(rng), UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(UnsafeMutablePointer(rng)) }

    private var pointer: UnsafeMutablePointer<gsl_rng> { UnsafeMutablePointer(rng) }

    func withGSL<T>(_ body: (UnsafeMutablePointer<gsl_rng>) -> T) -> T { body(pointer) }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(pointer) }

    /// Exponential with the given mean (GSL takes the mean, not the rate).
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(pointer, mean) }

    /// Lognormal whose underlying normal has mean `mu` and standard deviation `sigma`.
    public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(pointer, mu, sigma) }

    /// Normal with the given mean and standard deviation.
    public func normal(mean: Double, sd: Double) -> Double { mean + gsl_ran_gaussian(pointer, sd) }

    /// Uniform integer in 0..<n.
    public func index(below n: Int) -> Int { Int(gsl_rng_uniform_int(pointer, UInt(n))) }

    /// Fills `count` bytes with uniform random bits, 32 at a time (MT19937 draws 32-bit words).
    public func fill(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        var index = 0
        while index < count {
            var word = UInt32(truncatingIfNeeded: gsl_rng_get(pointer))
            for _ in 0..<min(4, count - index) {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
    }
}

/// GSL's preprocessed table for drawing indices with given weights (`gsl_ran_discrete`), O(1) per draw.
final class DiscreteTable {
    private let table: UnsafeMutablePointer<gsl_ran_discrete_t>

    init(weights: [Double]) {
        table = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc($0.count, $0.baseAddress)! }
    }

    deinit { gsl_ran_discrete_free(table) }

    func draw(_ random: RandomSource) -> Int { random.discrete(table) }
}

extension RandomSource {
    func discrete(_ table: UnsafeMutablePointer<gsl_ran_discrete_t>) -> Int {
        withGSL { Int(gsl_ran_discrete($0, table)) }
    }
}
