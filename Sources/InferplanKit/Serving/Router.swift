/// Chooses the replica that serves an arriving request, among `replicas` (a pool of one role).
public protocol Router {
    mutating func choose(among replicas: [Replica]) -> Replica
}

/// Replicas in turn: request counts in proportion to their speed, whatever their load. Equal
/// replicas are taken strictly in turn (O(1)); replicas of different GPU types by smooth weighted
/// round robin (each gains its weight, the one with most credit is chosen and pays the total; O(replicas)).
public struct RoundRobinRouter: Router {
    private var next = 0
    private var credit: [Double] = []
    public init() {}

    public mutating func choose(among replicas: [Replica]) -> Replica {
        guard replicas.contains(where: { $0.weight != replicas[0].weight }) else {
            defer { next = (next + 1) % replicas.count }
            return replicas[next % replicas.count]
        }
        if credit.count != replicas.count { credit = Array(repeating: 0, count: replicas.count) }
        var best = 0
        var total = 0.0
        for index in replicas.indices {
            credit[index] += replicas[index].weight
            total += replicas[index].weight
            if credit[index] > credit[best] { best = index }
        }
        credit[best] -= total
        return replicas[best]
    }
}

/// The replica with the least load by `load`; ties go round the replicas in turn, so an idle
/// cluster is still used evenly. O(replicas).
struct LeastLoadChooser {
    private var start = 0

    mutating func choose<Load: Comparable>(among replicas: [Replica], load: (Replica) -> Load) -> Replica {
        defer { start = (start + 1) % replicas.count }
        var best = replicas[start % replicas.count]
        var bestLoad = load(best)
        for offset in 1..<max(1, replicas.count) {
            let candidate = replicas[(start + offset) % replicas.count]
            let candidateLoad = load(candidate)
            if candidateLoad < bestLoad { best = candidate; bestLoad = candidateLoad }
        }
        return best
    }
}

/// The replica with the fewest requests queued or running, relative to its speed.
public struct LeastOutstandingRouter: Router {
    private var chooser = LeastLoadChooser()
    public init() {}

    public mutating func choose(among replicas: [Replica]) -> Replica {
        chooser.choose(among: replicas) { Double($0.state.outstanding) / $0.weight }
    }
}

/// The replica whose KV cache is least full (queued requests count as load on ties).
public struct LeastKVLoadRouter: Router {
    private var chooser = LeastLoadChooser()
    public init() {}

    public mutating func choose(among replicas: [Replica]) -> Replica {
        chooser.choose(among: replicas) { KVLoad(fraction: $0.state.kvLoad, queued: Double($0.state.outstanding) / $0.weight) }
    }

    struct KVLoad: Comparable {
        var fraction: Double
        var queued: Double
        static func < (a: KVLoad, b: KVLoad) -> Bool { (a.fraction, a.queued) < (b.fraction, b.queued) }
    }
}

/// Power of two choices (Mitzenmacher): two replicas drawn at random, the less loaded (relative to
/// its speed) wins. O(1).
public struct PowerOfTwoChoicesRouter: Router {
    private let random: RandomSource
    public init(seed: UInt64) { random = RandomSource(seed: seed) }

    public func choose(among replicas: [Replica]) -> Replica {
        let a = replicas[random.index(below: replicas.count)]
        let b = replicas[random.index(below: replicas.count)]
        return Double(b.state.outstanding) / b.weight < Double(a.state.outstanding) / a.weight ? b : a
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
