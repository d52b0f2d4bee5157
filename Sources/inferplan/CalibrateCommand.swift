import ArgumentParser
import Foundation
import InferplanKit

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Measure this machine's limits, time the bundled FP4 decode kernels, and fit a roofline profile.",
        discussion: """
        Writes a YAML profile (raw measurements, fitted values with uncertainties, residuals, provenance).

        Example:
          inferplan calibrate --quick --output Calibration/host.yaml
        """
    )

    @Flag(name: .long, help: "A smaller grid: a few seconds (3.7 s on 2 cores) instead of about a minute.")
    var quick = false

    @Option(name: .shortAndLong, help: "Where to write the profile (default: Calibration/host-<date>.yaml); never overwritten without --force.")
    var output: String?

    @Flag(name: .long, help: "Replace --output if it exists.")
    var force = false

    func run() throws {
        let started = Date()
        let calibration = try HostCalibration.Plan(quick: quick).run()
        let path = output ?? "Calibration/host-\(calibration.date).yaml"
        var writer = OutputOptions()
        writer.output = path
        writer.force = force
        try writer.write(calibration.yaml())
        let fit = calibration.fit
        print(String(format: "read bandwidth %.1f GB/s, FMA peak %.0f GFLOP/s; fitted bandwidth %.1f +/- %.1f GB/s, MXFP4 %.0f GOP/s, NVFP4 %.0f GOP/s, overhead %.0f us, transition p = %.1f; rms log error %.3f over %d timings in %.0f s",
                     calibration.readBandwidth / 1e9, calibration.fmaPeak / 1e9, fit.bandwidth / 1e9, fit.bandwidthError / 1e9,
                     fit.peak["mxfp4"]! / 1e9, fit.peak["nvfp4"]! / 1e9, fit.overhead * 1e6, fit.overlapExponent, fit.rmsLogError,
                     calibration.measurements.count, Date().timeIntervalSince(started)))
        print(String(format: "standard errors: MXFP4 +/- %.0f GOP/s (%.1f%%), NVFP4 +/- %.0f GOP/s (%.1f%%), bandwidth +/- %.1f%%",
                     fit.peakError["mxfp4"]! / 1e9, fit.peakError["mxfp4"]! / fit.peak["mxfp4"]! * 100,
                     fit.peakError["nvfp4"]! / 1e9, fit.peakError["nvfp4"]! / fit.peak["nvfp4"]! * 100, fit.bandwidthError / fit.bandwidth * 100))
        if let drift = calibration.drift { Console.err("warning: \(drift)\n") }
        print("wrote \(path)")
    }
}
