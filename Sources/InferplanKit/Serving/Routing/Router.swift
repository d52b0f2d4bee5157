/// Chooses the replica that serves an arriving request, among the pool (one role's replicas) it was
/// made for.
///
/// The engine tells a router whenever a replica of its pool may have changed load
/// (`loadChanged(_:)`), so that no choice has to scan the pool: every router here costs O(1) or
/// O(log R) per request and per change, R the replicas of the pool.
public protocol Router {
    /// The replica for the next request.
    mutating func choose() -> Replica
    /// `replica` may have changed load (requests queued or finished, KV blocks used or freed).
    mutating func loadChanged(_ replica: Replica)
}

extension Router {
    /// Routers that ignore load need no notice.
    public mutating func loadChanged(_ replica: Replica) {}
}

extension ServingConfig.RouterKind {
    /// The router of this kind over `pool` (which must not be empty).
    func makeRouter(pool: [Replica], seed: UInt64) -> any Router {
        precondition(!pool.isEmpty, "a router needs replicas")
        switch self {
        case .roundRobin: return RoundRobinRouter(pool: pool)
        case .leastOutstanding: return LeastLoadRouter(pool: pool, load: LeastLoadRouter.outstanding)
        case .leastKVLoad: return LeastLoadRouter(pool: pool, load: LeastLoadRouter.kvLoad)
        case .powerOfTwoChoices: return PowerOfTwoChoicesRouter(pool: pool, seed: seed)
        }
    }
}
