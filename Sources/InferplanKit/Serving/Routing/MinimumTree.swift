/// Loads of R slots in a complete binary tree (a segment tree) whose every node knows the
/// smallest load below it, so the least-loaded slot is found, and a slot's load changed, in
/// O(log R), with the tie-break a cyclic scan would give.
struct MinimumTree<Load: Comparable> {
    /// Leaf loads, by slot.
    private(set) var loads: [Load]
    /// Node i covers a range of slots and holds the slot of its smallest load (-1: an empty
    /// range past the last slot). Leaves start at `leaves`.
    private var nodes: [Int]
    private let leaves: Int

    /// O(R).
    init(_ loads: [Load]) {
        precondition(!loads.isEmpty)
        self.loads = loads
        var width = 1
        while width < loads.count { width *= 2 }
        leaves = width
        nodes = Array(repeating: -1, count: 2 * width)
        for slot in loads.indices { nodes[width + slot] = slot }
        for node in stride(from: width - 1, through: 1, by: -1) { nodes[node] = smaller(nodes[2 * node], nodes[2 * node + 1]) }
    }

    /// The slot of the smaller load (the left one on ties); -1 stands for no slot.
    private func smaller(_ a: Int, _ b: Int) -> Int {
        if a < 0 { return b }
        if b < 0 { return a }
        return loads[b] < loads[a] ? b : a
    }

    /// The smallest load. O(1).
    var minimum: Load { loads[nodes[1]] }

    /// Sets `slot`'s load. O(log R); O(1) when the load is unchanged (the engine reports every step
    /// of a replica, and a replica's count of requests changes far less often).
    mutating func update(_ slot: Int, to load: Load) {
        if loads[slot] == load { return }
        loads[slot] = load
        var node = (leaves + slot) / 2
        while node >= 1 {
            nodes[node] = smaller(nodes[2 * node], nodes[2 * node + 1])
            node /= 2
        }
    }

    /// The first slot at or after `start`, wrapping round to 0, whose load is the minimum: the
    /// choice of a scan that starts at `start` and keeps the first strictly smaller load. O(log R).
    func firstMinimal(from start: Int) -> Int {
        let least = minimum
        return firstAtMost(least, from: start, node: 1, low: 0, high: leaves) ?? firstAtMost(least, from: 0, node: 1, low: 0, high: leaves)!
    }

    /// The first slot >= `from` in node's range [low, high) whose load is not above `bound`.
    private func firstAtMost(_ bound: Load, from: Int, node: Int, low: Int, high: Int) -> Int? {
        guard high > from, nodes[node] >= 0, !(bound < loads[nodes[node]]) else { return nil }
        if node >= leaves { return nodes[node] }
        let middle = (low + high) / 2
        return firstAtMost(bound, from: from, node: 2 * node, low: low, high: middle)
            ?? firstAtMost(bound, from: from, node: 2 * node + 1, low: middle, high: high)
    }
}
