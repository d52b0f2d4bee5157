import Foundation
import Testing
import CGSL
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

    /// Quickselect gives exactly the order statistics a sort gives: the percentiles are bit for bit
    /// GSL's quantiles of the sorted data, for shuffled data with ties, at every size up to a few.
    @Test(arguments: [1, 2, 3, 7, 100, 1001, 20_000])
    func selectedPercentilesEqualTheSortedOnes(count: Int) {
        var random = SystemRandomNumberGenerator()
        let values = (0..<count).map { _ in Double(Int.random(in: 0..<(count / 2 + 2), using: &random)) * 1e-3 + 1e-6 }
        let summary = LatencySummary(seconds: values)
        let sorted = values.sorted()
        for (f, figure) in [(0.5, summary.p50), (0.9, summary.p90), (0.99, summary.p99)] {
            let expected = sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, f) } * 1000
            #expect(figure == expected, "n \(count), f \(f)")
        }
    }

    @Test func sameSeedSameRequests() {
        let workload = Workload(benchmark: "t", scenario: .server, input: .init(.lognormal(mean: 100, sigma: 1)),
                                output: .init(.fixed(5)), samples: 0, qps: 10, duration: 100, seed: 9, limits: nil)
        #expect(workload.generateRequests() == workload.generateRequests())
    }
}

@Suite struct TraceTests {
    private let scratch = ScratchFolder()

    private func write(_ text: String) throws -> String {
        let path = scratch.file("trace-\(UUID().uuidString).csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func azureLayoutWithTimeScaling() throws {
        let path = try write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.1805900,396,109\n2023-11-17 00:00:00.0000000,8,1\n")
        let requests = try TraceFile.load(path: path, displayName: "t.csv", timeScale: 0.5)
        #expect(requests.count == 3)
        #expect(requests[0] == Request(arrival: 0, inputTokens: 374, outputTokens: 44))
        #expect(abs(requests[1].arrivalSeconds - 1.75) < 1e-6)
        // 18:15:46.68059 to midnight: 20,653.31941 s, halved.
        #expect(abs(requests[2].arrivalSeconds - 20_653.31941 / 2) < 1e-5)
    }

    @Test func plainLayout() throws {
        let path = try write("arrival_s,input_tokens,output_tokens\n5,10,2\n6.5,20,3\n")
        let requests = try TraceFile.load(path: path, displayName: "t.csv", timeScale: 1)
        #expect(requests.map(\.arrivalSeconds) == [0, 1.5] && requests.map(\.inputTokens) == [10, 20])
    }

    @Test func malformedRowsNameTheirLine() throws {
        let path = try write("arrival_s,input_tokens,output_tokens\n0,10,2\n1,ten,3\n")
        do {
            _ = try TraceFile.load(path: path, displayName: "t.csv", timeScale: 1)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.location == "t.csv:3" && error.keyPath == "input_tokens")
        }
        let backwards = try write("arrival_s,input_tokens,output_tokens\n5,10,2\n1,10,3\n")
        #expect(throws: InputError.self) { try TraceFile.load(path: backwards, displayName: "t.csv", timeScale: 1) }
        let badTime = try write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-13-16 18:15:46,374,44\n")
        #expect(throws: InputError.self) { try TraceFile.load(path: badTime, displayName: "t.csv", timeScale: 1) }
    }

    @Test func histogramFollowsItsWeights() {
        let distribution = LengthDistribution(.histogram([.init(low: 1, high: 10, weight: 1), .init(low: 100, high: 100, weight: 3)]))
        let sampler = distribution.sampler(RandomSource(seed: 5))
        let draws = (0..<40_000).map { _ in sampler.next() }
        let share = Double(draws.filter { $0 == 100 }.count) / Double(draws.count)
        #expect(abs(share - 0.75) < 0.01)
        #expect(draws.allSatisfy { (1...10).contains($0) || $0 == 100 })
        let expectedMean: Double = (5.5 + 300) / 4
        #expect(distribution.nominalMean == expectedMean)
    }
}
