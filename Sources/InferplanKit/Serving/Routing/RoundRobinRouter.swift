import HeapModule

/// Replicas in turn: request counts in proportion to their speed, whatever their load.
///
/// Equal replicas are taken strictly in turn, O(1) per request. Replicas of different speeds
/// (a cluster of several GPU types) by smooth weighted round robin: at the n-th request every
/// replica has gained its weight n times and paid the total weight W once per time it was chosen,
/// so its credit is n w - W c; the one with the most credit is chosen (the lowest index on ties).
/// Among replicas of one weight that is the one chosen fewest times, so each weight class keeps a
/// heap of (times chosen, index) and a request compares the classes' leaders: O(G + log R), G the
/// distinct weights (the GPU types, a handful).
public struct RoundRobinRouter: Router {
    private let pool: [Replica]
    private var next = 0
    /// Weighted: one class per distinct weight.
    private var classes: [WeightClass] = []
    private var requests = 0
    private let totalWeight: Double

    private struct WeightClass {
        var weight: Double
        /// (times chosen, position in the pool); the minimum leads the class.
        var heap: Heap<Pick>
    }

    private struct Pick: Comparable {
        var chosen: Int
        var position: Int
        static func < (a: Pick, b: Pick) -> Bool { (a.chosen, a.position) < (b.chosen, b.position) }
    }

    public init(pool: [Replica]) {
        self.pool = pool
        totalWeight = pool.reduce(0) { $0 + $1.weight }
        let weights = Set(pool.map(\.weight))
        if weights.count > 1 {
            classes = weights.sorted().map { weight in
                WeightClass(weight: weight, heap: Heap(pool.indices.filter { pool[$0].weight == weight }.map { Pick(chosen: 0, position: $0) }))
            }
        }
    }

    public mutating func choose() -> Replica {
        guard !classes.isEmpty else {
            defer { next = (next + 1) % pool.count }
            return pool[next]
        }
        requests += 1
        var best: (credit: Double, class: Int, position: Int)?
        for index in classes.indices {
            let leader = classes[index].heap.min!
            let credit = Double(requests) * classes[index].weight - totalWeight * Double(leader.chosen)
            if best == nil || credit > best!.credit || (credit == best!.credit && leader.position < best!.position) {
                best = (credit, index, leader.position)
            }
        }
        var pick = classes[best!.class].heap.removeMin()
        pick.chosen += 1
        classes[best!.class].heap.insert(pick)
        return pool[pick.position]
    }
}
