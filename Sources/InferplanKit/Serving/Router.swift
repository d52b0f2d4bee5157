/// Chooses the replica that serves an arriving request.
public protocol Router {
    mutating func choose(among replicas: [Replica]) -> Int
}

/// Replicas in turn: equal request counts, whatever their load.
public struct RoundRobinRouter: Router {
    private var next = 0
    public init() {}

    public mutating func choose(among replicas: [Replica]) -> Int {
        defer { next = (next + 1) % replicas.count }
        return next
    }
}

/// The replica with the fewest requests queued or running (lowest index on ties). O(replicas).
public struct LeastOutstandingRouter: Router {
    public init() {}

    public func choose(among replicas: [Replica]) -> Int {
        var best = 0
        for index in replicas.indices where replicas[index].state.outstanding < replicas[best].state.outstanding {
            best = index
        }
        return best
    }
}

extension ServingConfig.RouterKind {
    func makeRouter() -> any Router {
        switch self {
        case .roundRobin: return RoundRobinRouter()
        case .leastOutstanding: return LeastOutstandingRouter()
        }
    }
}
