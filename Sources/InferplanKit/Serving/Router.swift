/// Chooses the replica that serves an arriving request, among `replicas` (a pool of one role).
public protocol Router {
    mutating func choose(among replicas: [Replica]) -> Replica
}

/// Replicas in turn: equal request counts, whatever their load.
public struct RoundRobinRouter: Router {
    private var next = 0
    public init() {}

    public mutating func choose(among replicas: [Replica]) -> Replica {
        defer { next = (next + 1) % replicas.count }
        return replicas[next % replicas.count]
    }
}

/// The replica with the fewest requests queued or running (lowest index on ties). O(replicas).
public struct LeastOutstandingRouter: Router {
    public init() {}

    public func choose(among replicas: [Replica]) -> Replica {
        replicas.min { $0.state.outstanding < $1.state.outstanding } ?? replicas[0]
    }
}

/// The replica whose KV cache is least full, counting queued requests as load on ties. O(replicas).
public struct LeastKVLoadRouter: Router {
    public init() {}

    public func choose(among replicas: [Replica]) -> Replica {
        replicas.min { ($0.state.kvLoad, $0.state.outstanding) < ($1.state.kvLoad, $1.state.outstanding) } ?? replicas[0]
    }
}

/// Power of two choices (Mitzenmacher): two replicas drawn at random, the less loaded one wins. O(1).
public struct PowerOfTwoChoicesRouter: Router {
    private let random: RandomSource
    public init(seed: UInt64) { random = RandomSource(seed: seed) }

    public func choose(among replicas: [Replica]) -> Replica {
        let a = replicas[random.index(below: replicas.count)]
        let b = replicas[random.index(below: replicas.count)]
        return b.state.outstanding < a.state.outstanding ? b : a
    }
}

extension ServingConfig.RouterKind {
    func makeRouter(seed: UInt64) -> any Router {
        switch self {
        case .roundRobin: return RoundRobinRouter()
        case .leastOutstanding: return LeastOutstandingRouter()
        case .leastKVLoad: return LeastKVLoadRouter()
        case .powerOfTwoChoices: return PowerOfTwoChoicesRouter(seed: seed)
        }
    }
}
