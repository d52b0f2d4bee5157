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
        var measured_ms_mean: Double
        var predicted_ms_mean: Double
        var error_pct: Double
    }

    var measured_output_tokens_per_s: Double
    var predicted_output_tokens_per_s: Double
    var throughput_error_pct: Double
    var measured_tpot_ms_p50: Double
    var predicted_tpot_ms_p50: Double
    var tpot_error_pct: Double
    var measured_ttft_ms_p50: Double
    var predicted_ttft_ms_p50: Double
    var ttft_error_pct: Double
    var measured_seconds: Double
    var predicted_seconds: Double
    var model: String
    var device: String
    var kernel_path: String
    var profile: String
    var requests: Int
    var input_tokens: Int
    var output_tokens: Int
    var max_batch_seqs: Int
    var max_batch_tokens: Int
    var threads: Int
    var seed: UInt64
    var steps: [Step]
    var gemm_seconds: Double
    var attention_seconds: Double
    var elementwise_seconds: Double
    var weight_bytes: Double
    var read_bandwidth_gb_s_now: Double
    var read_bandwidth_gb_s_profile: Double
    var fma_peak_gflop_s_now: Double
    var fma_peak_gflop_s_profile: Double
    var machine_drift: String?
    var generated_tokens: Int
    var peak_batch_seqs: Int
    var peak_kv_tokens: Int

    init(_ check: HostCheck) {
        measured_output_tokens_per_s = check.measured.outputTokensPerSecond
        predicted_output_tokens_per_s = check.predicted.outputTokensPerSecond
        throughput_error_pct = check.throughputErrorPct
        measured_tpot_ms_p50 = check.measured.tpotP50 * 1e3
        predicted_tpot_ms_p50 = check.predicted.tpotP50 * 1e3
        tpot_error_pct = check.tpotErrorPct
        measured_ttft_ms_p50 = check.measured.ttftP50 * 1e3
        predicted_ttft_ms_p50 = check.predicted.ttftP50 * 1e3
        ttft_error_pct = check.ttftErrorPct
        measured_seconds = check.measured.seconds
        predicted_seconds = check.predicted.seconds
        model = check.options.model
        device = check.device
        kernel_path = check.kernelPath
        profile = check.profile
        requests = check.options.requests
        input_tokens = check.options.inputTokens
        output_tokens = check.options.outputTokens
        max_batch_seqs = check.options.maxBatchSequences
        max_batch_tokens = check.options.maxBatchTokens
        threads = check.options.threads
        seed = check.options.seed
        steps = check.stepComparisons.map {
            Step(kind: $0.kind, steps: $0.steps, measured_ms_mean: $0.measuredSeconds / Double($0.steps) * 1e3,
                 predicted_ms_mean: $0.predictedSeconds / Double($0.steps) * 1e3,
                 error_pct: HostCheck.errorPct($0.predictedSeconds, $0.measuredSeconds))
        }
        gemm_seconds = check.gemmSeconds
        attention_seconds = check.attentionSeconds
        elementwise_seconds = check.otherSeconds
        weight_bytes = check.weightBytes
        read_bandwidth_gb_s_now = check.currentReadBandwidth / 1e9
        read_bandwidth_gb_s_profile = check.profileReadBandwidth / 1e9
        fma_peak_gflop_s_now = check.currentFMAPeak / 1e9
        fma_peak_gflop_s_profile = check.profileFMAPeak / 1e9
        machine_drift = check.machineDrift
        generated_tokens = check.outputTokens
        peak_batch_seqs = check.peakSequences
        peak_kv_tokens = check.peakContext
    }
}
