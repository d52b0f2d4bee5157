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

    /// The step-time model's error summed over the real run's steps of one kind, in percent.
    public func stepErrorPct(_ kind: String) -> Double? {
        stepComparisons.first { $0.kind == kind }.map { Self.errorPct($0.predictedSeconds, $0.measuredSeconds) }
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
        text += "workload: " + (options.scenario == .server ? String(format: "server at %.3g queries/s, about ", options.qps) : "offline, ")
        text += "\(options.requests) requests, \(options.inputTokens) in / \(options.outputTokens) out, "
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
        text += "invariants: \(outputTokens) output tokens of \(requestedOutputTokens) requested by \(requestsServed) requests; at most \(peakSequences) sequences a step; longest KV slot \(peakContext) tokens\n"
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
    /// The step-time model on the real run's prefill-only and decode-only steps (nil: none ran).
    var prefillStepErrorPct: Double?
    var decodeStepErrorPct: Double?
    var scenario: String
    var qps: Double?
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
        prefillStepErrorPct = check.stepErrorPct("prefill")
        decodeStepErrorPct = check.stepErrorPct("decode")
        scenario = check.options.scenario.rawValue
        qps = check.options.scenario == .server ? check.options.qps : nil
        model = check.options.model
        device = check.device
        kernelPath = check.kernelPath
        profile = check.profile
        requests = check.requestsServed
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

/// `hostcheck --repeat N`: the same check N times back to back (the prediction is the same each
/// time; the real run is not), with each error's mean and 95% interval over the runs.
public struct HostCheckSeries: Sendable, Encodable {
    public var runs: Int
    public var throughputErrorPct: IntervalEstimate
    public var tpotErrorPct: IntervalEstimate
    public var ttftErrorPct: IntervalEstimate
    public var prefillStepErrorPct: IntervalEstimate?
    public var decodeStepErrorPct: IntervalEstimate?
    /// Each run's errors, in order: throughput, TPOT p50, TTFT p50.
    public var perRun: [[Double]]
    /// Runs during which the machine had drifted from its profile (see `HostCheck.machineDrift`).
    public var driftWarnings: [String]

    public init(_ checks: [HostCheck]) {
        runs = checks.count
        throughputErrorPct = IntervalEstimate(checks.map(\.throughputErrorPct))
        tpotErrorPct = IntervalEstimate(checks.map(\.tpotErrorPct))
        ttftErrorPct = IntervalEstimate(checks.map(\.ttftErrorPct))
        let prefill = checks.compactMap { $0.stepErrorPct("prefill") }, decode = checks.compactMap { $0.stepErrorPct("decode") }
        prefillStepErrorPct = prefill.count == checks.count ? IntervalEstimate(prefill) : nil
        decodeStepErrorPct = decode.count == checks.count ? IntervalEstimate(decode) : nil
        perRun = checks.map { [$0.throughputErrorPct, $0.tpotErrorPct, $0.ttftErrorPct] }
        driftWarnings = checks.enumerated().compactMap { index, check in check.machineDrift.map { "run \(index + 1): \($0)" } }
    }

    public func text() -> String {
        func line(_ name: String, _ e: IntervalEstimate?) -> String {
            guard let e else { return "" }
            return Format.pad(name, 22, right: false) + String(format: "%+7.1f%%   [%+.1f, %+.1f]\n", e.mean, e.ci95Low, e.ci95High)
        }
        var text = "over \(runs) back-to-back runs: mean error [95% interval]\n"
        text += line("output tokens/s", throughputErrorPct) + line("TPOT p50", tpotErrorPct) + line("TTFT p50", ttftErrorPct)
        text += line("prefill steps", prefillStepErrorPct) + line("decode steps", decodeStepErrorPct)
        for (index, errors) in perRun.enumerated() {
            text += String(format: "  run %d: throughput %+.1f%%, TPOT %+.1f%%, TTFT %+.1f%%\n", index + 1, errors[0], errors[1], errors[2])
        }
        for warning in driftWarnings { text += "warning: \(warning)\n" }
        return text
    }
}
