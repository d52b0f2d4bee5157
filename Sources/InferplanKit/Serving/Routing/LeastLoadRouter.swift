/// The replica with the least load (relative to its speed); ties go round the replicas in turn, so
/// an idle cluster is still used evenly.
///
/// Loads live in a `MinimumTree` kept current by `loadChanged(_:)`: O(log R) per request and per
/// change, never a scan of the pool. Not generic over the load (a `RouterLoad` pair serves both
/// routers), so the tree's code is specialised once and called without runtime generics.
public struct LeastLoadRouter: Router {
    private let pool: [Replica]
    /// The pool position of each replica, by replica index (-1: not in this pool).
    private let position: [Int]
    private let load: (Replica) -> RouterLoad
    private var tree: MinimumTree<RouterLoad>
    /// Where the tie-break starts: one further round the pool for every request.
    private var start = 0

    public init(pool: [Replica], load: @escaping (Replica) -> RouterLoad) {
        self.pool = pool
        self.load = load
        var position = Array(repeating: -1, count: (pool.map(\.index).max() ?? -1) + 1)
        for (slot, replica) in pool.enumerated() { position[replica.index] = slot }
        self.position = position
        tree = MinimumTree(pool.map(load))
    }

    public mutating func choose() -> Replica {
        defer { start = (start + 1) % pool.count }
        return pool[tree.firstMinimal(from: start)]
    }

    public mutating func loadChanged(_ replica: Replica) {
        guard replica.index < position.count, case let slot = position[replica.index], slot >= 0 else { return }
        tree.update(slot, to: load(replica))
    }

    /// Least outstanding: requests queued or running, relative to the replica's speed.
    static func outstanding(_ replica: Replica) -> RouterLoad {
        RouterLoad(Double(replica.state.outstanding) / replica.weight)
    }

    /// Least KV load: the fullest KV cache loses; requests queued or running break ties.
    static func kvLoad(_ replica: Replica) -> RouterLoad {
        RouterLoad(replica.state.kvLoad, then: Double(replica.state.outstanding) / replica.weight)
    }
}

/// A replica's load as a router compares it: by `primary`, then by `secondary`.
public struct RouterLoad: Comparable, Sendable {
    public var primary: Double
    public var secondary: Double

    public init(_ primary: Double, then secondary: Double = 0) {
        self.primary = primary
        self.secondary = secondary
    }

    @inline(__always)
    public static func < (a: RouterLoad, b: RouterLoad) -> Bool {
        a.primary < b.primary || (a.primary == b.primary && a.secondary < b.secondary)
    }
}
