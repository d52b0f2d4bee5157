import Testing
@testable import InferplanKit

@Suite struct WorkloadTests {
    @Test func lognormalSamplesHaveTheStatedMeanAndStayInBounds() {
        let random = RandomSource(seed: 42)
        let distribution = LengthDistribution(.lognormal(mean: 300, sigma: 0.5), min: 1, max: 100_000)
        let samples = (0..<200_000).map { _ in distribution.sample(random) }
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        #expect(abs(mean - 300) / 300 < 0.01, "mean \(mean)")
        let clipped = LengthDistribution(.lognormal(mean: 300, sigma: 1.5), min: 10, max: 500)
        #expect((0..<10_000).allSatisfy { _ in (10...500).contains(clipped.sample(random)) })
    }

    @Test func uniformCoversItsRange() {
        let random = RandomSource(seed: 1)
        let values = Set((0..<5_000).map { _ in LengthDistribution(.uniform(low: 3, high: 7)).sample(random) })
        #expect(values == [3, 4, 5, 6, 7])
    }

    @Test func quantilesInterpolateLikeGSL() {
        // 1...100: median (50 + 51) / 2; p99 = 99 + 0.01 x (100 - 99) by linear interpolation.
        let summary = LatencySummary(seconds: (1...100).map { Double($0) / 1000 })
        #expect(abs(summary.p50 - 50.5) < 1e-9)
        #expect(abs(summary.p99 - 99.01) < 1e-9)
        #expect(abs(summary.mean - 50.5) < 1e-9)
    }

    @Test func sameSeedSameRequests() {
        let workload = Workload(benchmark: "t", scenario: .server, input: .init(.lognormal(mean: 100, sigma: 1)),
                                output: .init(.fixed(5)), samples: 0, qps: 10, duration: 100, seed: 9, limits: nil)
        #expect(workload.generateRequests() == workload.generateRequests())
    }
}
