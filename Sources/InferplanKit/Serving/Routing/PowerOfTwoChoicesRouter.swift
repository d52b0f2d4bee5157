/// Power of two choices (Mitzenmacher): two replicas drawn at random, the less loaded (relative to
/// its speed) wins. O(1) per request, and nothing to maintain.
public struct PowerOfTwoChoicesRouter: Router {
    private let pool: [Replica]
    private let random: RandomSource

    public init(pool: [Replica], seed: UInt64) {
        self.pool = pool
        random = RandomSource(seed: seed)
    }

    public func choose() -> Replica {
        let a = pool[random.index(below: pool.count)]
        let b = pool[random.index(below: pool.count)]
        return LeastLoadRouter.outstanding(b) < LeastLoadRouter.outstanding(a) ? b : a
    }
}
