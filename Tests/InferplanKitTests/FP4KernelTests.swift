import CFP4
import Foundation
import Testing
@testable import InferplanKit

/// The fast MXFP4 GEMM on every dispatch path this CPU has, against the scalar reference.
@Suite struct FP4KernelTests {
    struct Case: Sendable, CustomStringConvertible {
        var batch: Int, rows: Int, k: Int
        var description: String { "B\(batch) N\(rows) K\(k)" }
    }

    static let cases = [Case(batch: 1, rows: 1, k: 32), Case(batch: 1, rows: 17, k: 96), Case(batch: 2, rows: 3, k: 256),
                        Case(batch: 5, rows: 64, k: 160), Case(batch: 9, rows: 33, k: 64), Case(batch: 4, rows: 8, k: 4096),
                        // Large batches: passes of 64 rows (64, 64, 2) and of 60 rows at K 8192 (60, 7), with
                        // the activations quantised on both threads.
                        Case(batch: 130, rows: 12, k: 2048), Case(batch: 67, rows: 5, k: 8192)]

    static var paths: [ip_kernel_path] {
        let best = ip_best_path()
        return [IP_PATH_SCALAR, IP_PATH_AVX2, IP_PATH_AVX512_VNNI].filter { $0.rawValue <= best.rawValue }
    }

    /// Deterministic pseudo-random values in [-range, range].
    static func values(_ count: Int, seed: UInt64, range: Float) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * range
        }
    }

    @Test(arguments: cases)
    func everyPathMatchesTheReference(shape: Case) throws {
        let w = Self.values(shape.rows * shape.k, seed: UInt64(shape.k), range: 3)
        let x = Self.values(shape.batch * shape.k, seed: UInt64(shape.rows) + 7, range: 2)
        var packed = [UInt8](repeating: 0, count: shape.rows * shape.k / 2)
        var scales = [UInt8](repeating: 0, count: shape.rows * shape.k / 32)
        #expect(ip_mxfp4_quantize(w, w.count, &packed, &scales) == IP_FP4_OK)
        var reference = [Float](repeating: 0, count: shape.batch * shape.rows)
        #expect(ip_mxfp4_gemm_reference(x, shape.batch, packed, scales, shape.rows, shape.k, &reference) == IP_FP4_OK)
        var dequantised = [Float](repeating: 0, count: w.count)
        ip_mxfp4_dequantize(packed, scales, w.count, &dequantised)
        for path in Self.paths {
            for threads in [1, 2] {
                var y = [Float](repeating: .nan, count: shape.batch * shape.rows)
                #expect(ip_mxfp4_gemm(x, shape.batch, packed, scales, shape.rows, shape.k, &y, Int32(threads), path) == IP_FP4_OK)
                for b in 0..<shape.batch {
                    for r in 0..<shape.rows {
                        // Bound: each activation is off by at most amax(block) / 254 after int8 rounding.
                        var bound: Float = 1e-4
                        for block in 0..<(shape.k / 32) {
                            let xs = (0..<32).map { abs(x[b * shape.k + block * 32 + $0]) }.max()! / 254
                            bound += xs * (0..<32).reduce(0) { $0 + abs(dequantised[r * shape.k + block * 32 + $1]) }
                        }
                        let error = abs(y[b * shape.rows + r] - reference[b * shape.rows + r])
                        #expect(error <= bound * 1.001, "\(ip_path_name(path).map { String(cString: $0) } ?? "") \(shape) b\(b) r\(r): \(error) > \(bound)")
                    }
                }
            }
        }
    }

    @Test func pathsAgreeWithEachOther() {
        let shape = Case(batch: 3, rows: 21, k: 320)
        let w = Self.values(shape.rows * shape.k, seed: 3, range: 5)
        let x = Self.values(shape.batch * shape.k, seed: 4, range: 1)
        var packed = [UInt8](repeating: 0, count: w.count / 2), scales = [UInt8](repeating: 0, count: w.count / 32)
        #expect(ip_mxfp4_quantize(w, w.count, &packed, &scales) == IP_FP4_OK)
        let results = Self.paths.map { path -> [Float] in
            var y = [Float](repeating: 0, count: shape.batch * shape.rows)
            #expect(ip_mxfp4_gemm(x, shape.batch, packed, scales, shape.rows, shape.k, &y, 2, path) == IP_FP4_OK, "path \(path)")
            return y
        }
        // The same integer dot products; only the float summation order differs.
        for other in results.dropFirst() {
            for (a, b) in zip(results[0], other) { #expect(abs(a - b) <= 1e-4 * max(1, abs(a))) }
        }
    }

    @Test func rejectsBadLengthsAndUnsupportedPaths() {
        var y = [Float](repeating: 0, count: 4)
        #expect(ip_mxfp4_gemm([Float](repeating: 1, count: 40), 1, [UInt8](repeating: 0, count: 80), [UInt8](repeating: 127, count: 4),
                              4, 40, &y, 1, IP_PATH_AUTO) == IP_FP4_BAD_LENGTH)
        if ip_best_path() != IP_PATH_AVX512_VNNI {
            #expect(ip_mxfp4_gemm([Float](repeating: 1, count: 32), 1, [UInt8](repeating: 0, count: 64), [UInt8](repeating: 127, count: 4),
                                  4, 32, &y, 1, IP_PATH_AVX512_VNNI) == IP_FP4_NOT_FINITE)
        }
    }
}

/// The NVFP4 GEMM on every dispatch path, against dequantised weights.
@Suite struct NVFP4KernelTests {
    @Test(arguments: FP4KernelTests.cases)
    func everyPathMatchesDequantisedMath(shape: FP4KernelTests.Case) throws {
        let w = FP4KernelTests.values(shape.rows * shape.k, seed: UInt64(shape.k) + 11, range: 3)
        let x = FP4KernelTests.values(shape.batch * shape.k, seed: UInt64(shape.rows) + 5, range: 2)
        let global = ip_nvfp4_global_scale(w, w.count)
        var packed = [UInt8](repeating: 0, count: w.count / 2), scales = [UInt8](repeating: 0, count: w.count / 16)
        #expect(ip_nvfp4_quantize(w, w.count, global, &packed, &scales) == IP_FP4_OK)
        var dequantised = [Float](repeating: 0, count: w.count)
        ip_nvfp4_dequantize(packed, scales, w.count, global, &dequantised)
        for path in FP4KernelTests.paths {
            for threads in [1, 2] {
                var y = [Float](repeating: .nan, count: shape.batch * shape.rows)
                #expect(ip_nvfp4_gemm(x, shape.batch, packed, scales, global, shape.rows, shape.k, &y, Int32(threads), path) == IP_FP4_OK)
                for b in 0..<shape.batch {
                    for r in 0..<shape.rows {
                        var exact = 0.0
                        var bound: Float = 1e-4
                        for block in 0..<(shape.k / 32) {
                            let xs = (0..<32).map { abs(x[b * shape.k + block * 32 + $0]) }.max()! / 254
                            bound += xs * (0..<32).reduce(0) { $0 + abs(dequantised[r * shape.k + block * 32 + $1]) }
                        }
                        for i in 0..<shape.k { exact += Double(x[b * shape.k + i]) * Double(dequantised[r * shape.k + i]) }
                        let error = abs(Double(y[b * shape.rows + r]) - exact)
                        #expect(error <= Double(bound) * 1.001, "path \(path.rawValue) \(shape) b\(b) r\(r): \(error) > \(bound)")
                    }
                }
            }
        }
    }

    @Test func rejectsBadLengths() {
        var y = [Float](repeating: 0, count: 1)
        #expect(ip_nvfp4_gemm([Float](repeating: 1, count: 16), 1, [UInt8](repeating: 0, count: 8), [UInt8](repeating: 0x38, count: 1),
                              1, 1, 16, &y, 1, IP_PATH_AUTO) == IP_FP4_BAD_LENGTH)
    }
}

@Suite struct HostCalibrationFitTests {
    @Test func recoversARooflineFromSyntheticTimings() throws {
        // Timings made from bandwidth 20 GB/s, MXFP4 150 GOP/s, NVFP4 120 GOP/s, transition p = 4 and
        // 100 us per call, over the calibration's own grid (the tiny overhead probe included).
        var data: [HostCalibration.Measurement] = []
        for kernel in ["mxfp4", "nvfp4"] {
            for (k, n) in [(256, 64), (2048, 5632), (4096, 14336)] {
                for batch in [1, 2, 4, 8, 16, 32, 64, 128, 256] where k >= 1024 || batch <= 16 {
                    var m = HostCalibration.Measurement(kernel: kernel, k: k, n: n, batch: batch, seconds: 0)
                    let compute = m.ops / (kernel == "mxfp4" ? 150e9 : 120e9), memory = m.bytes / 20e9
                    m.seconds = pow(pow(compute, 4) + pow(memory, 4), 0.25) + 100e-6
                    data.append(m)
                }
            }
        }
        let fit = try HostCalibration.fit(data, startBandwidth: 15e9, startPeak: 300e9)
        #expect(abs(fit.bandwidth / 20e9 - 1) < 1e-3)
        #expect(abs(fit.peak["mxfp4"]! / 150e9 - 1) < 1e-3 && abs(fit.peak["nvfp4"]! / 120e9 - 1) < 1e-3)
        #expect(abs(fit.overhead / 100e-6 - 1) < 1e-2)
        #expect(abs(fit.overlapExponent - 4) < 1e-2)
        #expect(fit.rmsLogError < 1e-4)
    }
}

@Suite struct HostProfileDeviceTests {
    @Test func aCalibrationProfileIsADevice() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Scenarios/host-synthetic-1b.yaml").path
        let scenario = try Scenario.load(path: path)
        let gpu = scenario.gpu
        #expect(gpu.id == "host" && gpu.confidence == "measured")
        // FP4 weights compute at the fitted kernel rate, wider formats at the measured FMA peak.
        #expect(gpu.computeFormat(for: .fp4) == .fp4 && gpu.denseFLOPS[.fp4]! > 0 && gpu.denseFLOPS[.bf16]! > gpu.denseFLOPS[.fp4]!)
        #expect(gpu.efficiency.compute == 1 && gpu.efficiency.bandwidth > 0.3 && gpu.efficiency.bandwidth <= 1)
        let (_, metrics) = try ScenarioRun.run(scenario)
        #expect(metrics.completedSamples == 64 && metrics.outputTokens == 64 * 64)
    }
}
