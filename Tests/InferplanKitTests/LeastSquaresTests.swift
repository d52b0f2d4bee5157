import Foundation
import Testing
@testable import InferplanKit

@Suite struct LeastSquaresTests {
    @Test func recoversARooflineFromExactData() throws {
        // t = max(bytes / bw, flops / peak) + c with bw = 20, peak = 300, c = 0.5 (arbitrary units).
        let points: [(bytes: Double, flops: Double)] = (1...12).map { (Double($0) * 10, Double($0 * $0) * 40) }
        let times = points.map { max($0.bytes / 20, $0.flops / 300) + 0.5 }
        let fit = try LeastSquares.fit(initial: [10, 100, 0.1], step: 1e-6) { p in
            zip(points, times).map { max($0.bytes / p[0], $0.flops / p[1]) + p[2] - $1 }
        }
        #expect(abs(fit.parameters[0] - 20) < 1e-4 && abs(fit.parameters[1] - 300) < 1e-3 && abs(fit.parameters[2] - 0.5) < 1e-5)
        #expect(fit.rms < 1e-6)
    }

    @Test func standardErrorGrowsWithNoise() throws {
        // y = 2x + noise (alternating +-0.1): slope 2 with a standard error near 0.1 / sqrt(sum x^2).
        let xs = (1...20).map(Double.init)
        let ys = xs.enumerated().map { 2 * $1 + ($0 % 2 == 0 ? 0.1 : -0.1) }
        let fit = try LeastSquares.fit(initial: [1]) { p in zip(xs, ys).map { p[0] * $0 - $1 } }
        #expect(abs(fit.parameters[0] - 2) < 1e-3)
        let expected = 0.1 * (20.0 / 19).squareRoot() / xs.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(fit.standardErrors[0] - expected) / expected < 0.05)
    }

    @Test func tooFewPointsIsAnError() {
        #expect(throws: FitError.self) { try LeastSquares.fit(initial: [1, 2]) { _ in [0] } }
    }
}
