/// The replica with the least load (relative to its speed); ties go round the replicas in turn, so
/// an idle cluster is still used evenly.
///
/// Loads live in a `MinimumTree` kept current by `loadChanged(_:)`: O(log R) per request and per
/// change, never a scan of the pool.
public struct LeastLoadRouter<Load: Comparable>: Router {
    private let pool: [Replica]
    /// The pool position of each replica, by replica index (-1: not in this pool).
    private let position: [Int]
    private let load: (Replica) -> Load
    private var tree: MinimumTree<Load>
    /// Where the tie-break starts: one further round the pool for every request.
    private var start = 0

    public init(pool: [Replica], load: @escaping (Replica) -> Load) {
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
}

extension LeastLoadRouter where Load == Double {
    /// Least outstanding: requests queued or running, relative to the replica's speed.
    static func outstanding(_ replica: Replica) -> Double { Double(replica.state.outstanding) / replica.weight }
}

/// Least KV load: the fullest KV cache loses; requests queued or running break ties.
public struct KVLoad: Comparable, Sendable {
    public var fraction: Double
    public var queued: Double
    public static func < (a: KVLoad, b: KVLoad) -> Bool { (a.fraction, a.queued) < (b.fraction, b.queued) }
}

extension LeastLoadRouter where Load == KVLoad {
    static func kvLoad(_ replica: Replica) -> KVLoad {
        KVLoad(fraction: replica.state.kvLoad, queued: Double(replica.state.outstanding) / replica.weight)
    }
}
