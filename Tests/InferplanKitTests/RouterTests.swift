import Foundation
import Testing
@testable import InferplanKit

/// The routers answer without scanning the pool (`MinimumTree`, weight-class heaps), and choose
/// exactly as the scanning versions they replaced did; those are kept here as the reference.
@Suite struct RouterTests {
    /// Replicas of the tiny deployment with the given weights.
    private func pool(weights: [Double]) -> [Replica] {
        let deployment = Fixtures.deployment(gpusPerNode: weights.count)
        return weights.enumerated().map { index, weight in
            Replica(index: index, node: 0, role: .mixed,
                    state: ReplicaState(kvCapacityTokens: 1000, blockTokens: 16, policy: .paged, windowTokens: 0),
                    scheduler: deployment.makeScheduler(role: .mixed), stepModel: deployment.groups[0].stepModel, weight: weight)
        }
    }

    /// The scan the least-load routers used to run: from a start that moves one replica on per
    /// request, the first strictly smaller load wins.
    private struct ScanningChooser {
        var start = 0
        mutating func choose(_ loads: [Double]) -> Int {
            defer { start = (start + 1) % loads.count }
            var best = start % loads.count
            for offset in 1..<loads.count where loads[(start + offset) % loads.count] < loads[best] {
                best = (start + offset) % loads.count
            }
            return best
        }
    }

    /// Smooth weighted round robin as it used to run: every replica gains its weight, the one with
    /// most credit (the first on ties) is chosen and pays the total.
    private struct ScanningRoundRobin {
        var credit: [Double]
        let weights: [Double]
        init(weights: [Double]) { self.weights = weights; credit = weights.map { _ in 0 } }
        mutating func choose() -> Int {
            var best = 0
            for index in weights.indices {
                credit[index] += weights[index]
                if credit[index] > credit[best] { best = index }
            }
            credit[best] -= weights.reduce(0, +)
            return best
        }
    }

    final class Loads: @unchecked Sendable { var values: [Double] = [] }

    @Test(arguments: [1, 2, 7, 64, 100])
    func leastLoadChoosesAsTheScanDid(replicas: Int) {
        let pool = pool(weights: Array(repeating: 1, count: replicas))
        let loads = Loads()
        let random = RandomSource(seed: UInt64(replicas))
        // Few distinct loads, so that ties (and the rotating tie-break) are frequent.
        loads.values = (0..<replicas).map { _ in Double(random.index(below: 4)) }
        var router = LeastLoadRouter(pool: pool) { RouterLoad(loads.values[$0.index]) }
        var reference = ScanningChooser()
        for _ in 0..<2_000 {
            let chosen = router.choose().index
            #expect(chosen == reference.choose(loads.values))
            // The chosen replica gets a request; another one, picked at random, finishes some.
            loads.values[chosen] += 1
            router.loadChanged(pool[chosen])
            let other = random.index(below: replicas)
            loads.values[other] = max(0, loads.values[other] - Double(random.index(below: 3)))
            router.loadChanged(pool[other])
        }
    }

    @Test func minimumTreeFindsTheFirstMinimumFromAnyStart() {
        var tree = MinimumTree([3, 1, 2, 1, 5])
        #expect(tree.minimum == 1)
        #expect(tree.firstMinimal(from: 0) == 1)
        #expect(tree.firstMinimal(from: 2) == 3)
        #expect(tree.firstMinimal(from: 4) == 1)      // wraps round
        tree.update(3, to: 0)
        #expect(tree.minimum == 0 && tree.firstMinimal(from: 4) == 3)
    }

    @Test(arguments: [[1.0, 1, 1], [1.0, 0.5, 0.5, 0.25], [0.5, 1, 0.25, 1, 0.5, 0.5, 1]])
    func weightedRoundRobinChoosesAsTheScanDid(weights: [Double]) {
        var router = RoundRobinRouter(pool: pool(weights: weights))
        var reference = ScanningRoundRobin(weights: weights)
        var counts = Array(repeating: 0, count: weights.count)
        for _ in 0..<1_000 {
            let chosen = router.choose().index
            #expect(chosen == reference.choose())
            counts[chosen] += 1
        }
        // Shares in proportion to the weights.
        let total = weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            #expect(abs(Double(counts[index]) - 1_000 * weight / total) <= 1)
        }
    }
}
