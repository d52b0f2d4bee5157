import Foundation

extension HostCheck {
    /// A description of how far the machine has moved from its profile (more than 20% in read
    /// bandwidth or FMA peak: beyond the run-to-run noise of this shared 2-core machine), or nil.
    /// Also when the check ran on a different number of threads than the calibration.
    public var machineDrift: String? {
        if let threads = profileThreads, threads != options.threads {
            return "the profile was calibrated on \(threads) threads and the check ran on \(options.threads)"
        }
        let read = currentReadBandwidth / profileReadBandwidth - 1, fma = currentFMAPeak / profileFMAPeak - 1
        guard abs(read) > 0.2 || abs(fma) > 0.2 else { return nil }
        return String(format: "the machine differs from its calibration (read bandwidth %+.0f%%, FMA peak %+.0f%%)", read * 100, fma * 100)
    }

    /// The JSON report: the nine headline fields at the top level, then the details.
    public func json() throws -> String {
        try ReportJSON.encode(JSONReport(self))
    }

    /// A plain-text table of predicted against measured, with the step-by-step comparison and where
    /// the real run's time went.
    public func text() -> String {
        func row(_ name: String, _ predicted: String, _ measured: String, _ error: Double) -> String {
            Format.pad(name, 26, right: false) + Format.pad(predicted, 14) + Format.pad(measured, 14)
                + String(format: "%+9.1f%%", error) + "\n"
        }
        var text = "host check: \(options.model) on \(device) (\(kernelPath)), profile \(profile)\n"
        text += "workload: \(options.requests) requests, \(options.inputTokens) in / \(options.outputTokens) out, "
        text += "at most \(options.maxBatchSequences) sequences and \(options.maxBatchTokens) tokens a step, \(options.threads) threads\n\n"
        text += Format.pad("", 26) + Format.pad("predicted", 14) + Format.pad("measured", 14) + "    error\n"
        text += row("output tokens/s", String(format: "%.2f", predicted.outputTokensPerSecond),
                    String(format: "%.2f", measured.outputTokensPerSecond), throughputErrorPct)
        text += row("TPOT p50 (ms)", String(format: "%.1f", predicted.tpotP50 * 1e3), String(format: "%.1f", measured.tpotP50 * 1e3), tpotErrorPct)
        text += row("TTFT p50 (ms)", String(format: "%.0f", predicted.ttftP50 * 1e3), String(format: "%.0f", measured.ttftP50 * 1e3), ttftErrorPct)
        text += row("run (s)", String(format: "%.1f", predicted.seconds), String(format: "%.1f", measured.seconds),
                    Self.errorPct(predicted.seconds, measured.seconds))
        text += "\nthe step-time model on the real run's steps:\n"
        for comparison in stepComparisons {
            let n = Double(comparison.steps)
            text += row("\(comparison.kind) step (ms, \(comparison.steps)x)", String(format: "%.1f", comparison.predictedSeconds / n * 1e3),
                        String(format: "%.1f", comparison.measuredSeconds / n * 1e3),
                        Self.errorPct(comparison.predictedSeconds, comparison.measuredSeconds))
        }
        let busy = gemmSeconds + attentionSeconds + otherSeconds
        text += String(format: "\nreal run: %.1f%% of step time in FP4 GEMMs, %.1f%% in attention, %.1f%% in element-wise operators (not modelled); %.0f MB of packed weights\n",
                       gemmSeconds / busy * 100, attentionSeconds / busy * 100, otherSeconds / busy * 100, weightBytes / 1e6)
        text += String(format: "machine before the run: read %.1f GB/s, FMA %.0f GFLOP/s; the profile recorded %.1f GB/s, %.0f GFLOP/s\n",
                       currentReadBandwidth / 1e9, currentFMAPeak / 1e9, profileReadBandwidth / 1e9, profileFMAPeak / 1e9)
        if let drift = machineDrift {
            text += "warning: \(drift); errors now measure the machine's change, not the model's. Recalibrate and rerun.\n"
        }
        text += "invariants: \(outputTokens) output tokens of \(options.requests * options.outputTokens) requested; at most \(peakSequences) sequences a step; longest KV slot \(peakContext) tokens\n"
        return text
    }
}

private struct JSONReport: Encodable {
    struct Step: Encodable {
        var kind: String
        var steps: Int
        var measuredMsMean: Double
        var predictedMsMean: Double
        var errorPct: Double
    }

    var measuredOutputTokensPerS: Double
    var predictedOutputTokensPerS: Double
    var throughputErrorPct: Double
    var measuredTpotMsP50: Double
    var predictedTpotMsP50: Double
    var tpotErrorPct: Double
    var measuredTtftMsP50: Double
    var predictedTtftMsP50: Double
    var ttftErrorPct: Double
    var measuredSeconds: Double
    var predictedSeconds: Double
    var model: String
    var device: String
    var kernelPath: String
    var profile: String
    var requests: Int
    var inputTokens: Int
    var outputTokens: Int
    var maxBatchSeqs: Int
    var maxBatchTokens: Int
    var threads: Int
    var seed: UInt64
    var steps: [Step]
    var gemmSeconds: Double
    var attentionSeconds: Double
    var elementwiseSeconds: Double
    var weightBytes: Double
    var readBandwidthGbSNow: Double
    var readBandwidthGbSProfile: Double
    var fmaPeakGflopSNow: Double
    var fmaPeakGflopSProfile: Double
    var machineDrift: String?
    var generatedTokens: Int
    var peakBatchSeqs: Int
    var peakKvTokens: Int

    init(_ check: HostCheck) {
        measuredOutputTokensPerS = check.measured.outputTokensPerSecond
        predictedOutputTokensPerS = check.predicted.outputTokensPerSecond
        throughputErrorPct = check.throughputErrorPct
        measuredTpotMsP50 = check.measured.tpotP50 * 1e3
        predictedTpotMsP50 = check.predicted.tpotP50 * 1e3
        tpotErrorPct = check.tpotErrorPct
        measuredTtftMsP50 = check.measured.ttftP50 * 1e3
        predictedTtftMsP50 = check.predicted.ttftP50 * 1e3
        ttftErrorPct = check.ttftErrorPct
        measuredSeconds = check.measured.seconds
        predictedSeconds = check.predicted.seconds
        model = check.options.model
        device = check.device
        kernelPath = check.kernelPath
        profile = check.profile
        requests = check.options.requests
        inputTokens = check.options.inputTokens
        outputTokens = check.options.outputTokens
        maxBatchSeqs = check.options.maxBatchSequences
        maxBatchTokens = check.options.maxBatchTokens
        threads = check.options.threads
        seed = check.options.seed
        steps = check.stepComparisons.map {
            Step(kind: $0.kind, steps: $0.steps, measuredMsMean: $0.measuredSeconds / Double($0.steps) * 1e3,
                 predictedMsMean: $0.predictedSeconds / Double($0.steps) * 1e3,
                 errorPct: HostCheck.errorPct($0.predictedSeconds, $0.measuredSeconds))
        }
        gemmSeconds = check.gemmSeconds
        attentionSeconds = check.attentionSeconds
        elementwiseSeconds = check.otherSeconds
        weightBytes = check.weightBytes
        readBandwidthGbSNow = check.currentReadBandwidth / 1e9
        readBandwidthGbSProfile = check.profileReadBandwidth / 1e9
        fmaPeakGflopSNow = check.currentFMAPeak / 1e9
        fmaPeakGflopSProfile = check.profileFMAPeak / 1e9
        machineDrift = check.machineDrift
        generatedTokens = check.outputTokens
        peakBatchSeqs = check.peakSequences
        peakKvTokens = check.peakContext
    }
}
