import Foundation
import Testing
@testable import InferplanKit

/// The calibration profile round trip: timings of a known machine -> the fit -> the YAML profile ->
/// the device the simulator reads back. No kernel runs (`HostCalibration.Plan.run()` measures; its
/// init only builds the grid).
@Suite struct CalibrationProfileTests {
    /// A machine with these limits: 20 GB/s effective bandwidth, 300 / 200 GOP/s for MXFP4 / NVFP4,
    /// 15 us per call, transition p = 2; attention at 40 GFLOP/s.
    static let bandwidth = 20e9, mxfp4 = 300e9, nvfp4 = 200e9, overhead = 15e-6, exponent = 2.0, attentionRate = 40e9

    static func calibration() throws -> HostCalibration {
        let plan = HostCalibration.Plan(quick: true, threads: 2)
        let gemm = plan.gemm.map { point -> HostCalibration.Measurement in
            var m = point
            let peak = m.kernel == "mxfp4" ? mxfp4 : nvfp4
            m.seconds = Roofline.combine(compute: m.ops / peak, memory: m.bytes / bandwidth, exponent: exponent) + overhead
            return m
        }
        let attention = plan.attention.map { point -> HostCalibration.AttentionMeasurement in
            var m = point
            m.seconds = Roofline.combine(compute: m.flops / attentionRate, memory: m.bytes / bandwidth, exponent: exponent) + overhead
            return m
        }
        return try HostCalibration(cpu: "Test CPU", threads: 2, path: "avx2", date: "2026-12-03", memoryBytes: 16e9,
                                   readBandwidth: 25e9, fmaPeak: 500e9, measurements: gemm, attention: attention)
    }

    @Test func buildingAPlanRunsNothingAndQuickIsSmaller() {
        let quick = HostCalibration.Plan(quick: true, threads: 2), full = HostCalibration.Plan(quick: false, threads: 2)
        #expect(quick.gemm.allSatisfy { $0.seconds == 0 } && quick.attention.allSatisfy { $0.seconds == 0 })
        #expect(quick.gemm.count < full.gemm.count && quick.passes < full.passes)
        // Both formats at every shape; the overhead probe (K 256) only at batches up to 16.
        #expect(Set(quick.gemm.map(\.kernel)) == ["mxfp4", "nvfp4"])
        #expect(quick.gemm.filter { $0.k < 1024 }.allSatisfy { $0.batch <= 16 })
    }

    @Test func theFitRecoversAKnownMachine() throws {
        let fit = try Self.calibration().fit
        #expect(abs(fit.bandwidth / Self.bandwidth - 1) < 0.01)
        #expect(abs(fit.peak["mxfp4"]! / Self.mxfp4 - 1) < 0.01 && abs(fit.peak["nvfp4"]! / Self.nvfp4 - 1) < 0.01)
        #expect(abs(fit.overhead / Self.overhead - 1) < 0.01)
        #expect(abs(fit.overlapExponent - Self.exponent) < 0.02)
        #expect(fit.rmsLogError < 1e-3)
    }

    @Test func theProfileReadsBackAsTheDeviceItDescribes() throws {
        let calibration = try Self.calibration()
        let device = try Catalog.bundled.gpu(YAMLDocument.parse(calibration.yaml(), name: "profile.yaml"), baseDirectory: ".")
        // The read rate measured (25 GB/s) is the device's bandwidth; the fitted 20 GB/s is its
        // efficiency (0.8); FP4 at the fitted MXFP4 rate; wider formats at the FMA peak.
        #expect(abs(device.memoryBytesPerSecond - 25e9) / 25e9 < 1e-5)
        #expect(abs(device.efficiency.bandwidth - calibration.fit.bandwidth / 25e9) < 1e-5)
        #expect(abs(device.denseFLOPS[.fp4]! / calibration.fit.peak["mxfp4"]! - 1) < 1e-5)
        #expect(abs(device.denseFLOPS[.bf16]! - 500e9) / 500e9 < 1e-5)
        #expect(abs(device.efficiency.kernelOverheadSeconds / calibration.fit.overhead - 1) < 1e-5)
        #expect(abs(device.efficiency.overlapExponent - calibration.fit.overlapExponent) < 1e-5)
        #expect(abs(device.usableMemoryBytes - 16e9) < 1)
        #expect(device.name == "Test CPU (2 threads)")
        let machine = try Catalog.hostProfileMachine(YAMLDocument.parse(calibration.yaml(), name: "profile.yaml"))
        #expect(machine.threads == 2 && abs(machine.readBandwidth - 25e9) < 1e4 && abs(machine.fmaPeak - 500e9) < 1e5)
        // Every timing is in the profile with its residual.
        #expect(calibration.yaml().components(separatedBy: "\n  - [mxfp4, ").count - 1 == calibration.measurements.count / 2)
    }
}

/// A calibration says when the machine moved under it: the per-pass limits spreading by more than 20%.
@Suite struct CalibrationDriftTests {
    @Test func aSteadyMachineGivesNoWarningAndADriftingOneDoes() {
        #expect(HostCalibration.drift(reads: [40e9, 41e9, 39e9, 40e9, 42e9], peaks: [480e9, 470e9, 490e9, 485e9, 475e9]) == nil)
        // Read bandwidth from 30 to 45 GB/s around a median of 40: a spread of 37.5%.
        let warning = HostCalibration.drift(reads: [30e9, 40e9, 45e9, 40e9, 41e9], peaks: [480e9, 480e9, 480e9, 480e9, 480e9])
        #expect(warning?.contains("read bandwidth spread 38%") == true && warning?.contains("5 passes") == true)
    }
}
