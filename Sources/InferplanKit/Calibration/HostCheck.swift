import CFP4
import Foundation

/// The closed loop: predict a workload on this machine from a calibration profile with the
/// simulator, then serve the same workload for real with the bundled kernels
/// (`HostServingLoop` on `HostTransformer`), and compare.
///
/// Both sides see the same model shape, the same requests (`Workload.generateRequests`), the same
/// batching policy (continuous, whole prompts, decodes first) and the same metric definitions
/// (`RequestLog.latencies`). What differs is only where a step's time comes from: the
/// `StepTimeModel` with the profile's fitted roofline, or the wall clock.
public struct HostCheck: Sendable {
    /// The workload the check serves (issue 3's: 64 requests of 128 in and 64 out, at most 16 in a batch).
    public struct Options: Sendable {
        public var model = "synthetic-1b"
        public var requests = 64
        public var inputTokens = 128
        public var outputTokens = 64
        public var maxBatchSequences = 16
        public var maxBatchTokens = 2048
        public var seed: UInt64 = 1
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Offline (every request at t = 0) or Server (Poisson arrivals at `qps`, so that the loop is
        /// compared under queueing too).
        public var scenario: ScenarioKind = .offline
        public var qps: Double = 0

        public init() {}
    }

    /// One side's headline figures, in seconds.
    public struct Figures: Sendable {
        public var outputTokensPerSecond: Double
        public var tpotP50: Double
        public var ttftP50: Double
        /// First issue to last completion.
        public var seconds: Double
    }

    /// Predicted and measured time of one kind of step (prefill-only or decode-only), summed over
    /// the steps the real run took: the step-time model checked step by step.
    public struct StepComparison: Sendable {
        public var kind: String
        public var steps: Int
        public var measuredSeconds: Double
        public var predictedSeconds: Double
    }

    public var options: Options
    public var profile: String
    public var device: String
    public var kernelPath: String
    public var predicted: Figures
    public var measured: Figures
    public var stepComparisons: [StepComparison]
    /// Measured seconds in the GEMMs, the attention kernel and the element-wise operators.
    public var gemmSeconds: Double
    public var attentionSeconds: Double
    public var otherSeconds: Double
    public var weightBytes: Double
    /// The machine's read bandwidth and FMA peak as the profile recorded them and as measured just
    /// before the real run: a shared or throttled machine that has drifted since calibration shows here.
    public var profileReadBandwidth: Double
    public var profileFMAPeak: Double
    public var currentReadBandwidth: Double
    public var currentFMAPeak: Double
    /// Threads the profile was calibrated with (nil if it does not say).
    public var profileThreads: Int?
    /// Real-run invariants: every requested output token produced, never more sequences in a step
    /// than allowed, never more tokens in a slot than it holds.
    public var outputTokens: Int
    /// Requests served (Server: the Poisson draw's count) and the output tokens they asked for.
    public var requestsServed: Int
    public var requestedOutputTokens: Int
    public var peakSequences: Int
    public var peakContext: Int

    public var throughputErrorPct: Double { Self.errorPct(predicted.outputTokensPerSecond, measured.outputTokensPerSecond) }
    public var tpotErrorPct: Double { Self.errorPct(predicted.tpotP50, measured.tpotP50) }
    public var ttftErrorPct: Double { Self.errorPct(predicted.ttftP50, measured.ttftP50) }

    /// (predicted - measured) / measured, in percent.
    static func errorPct(_ predicted: Double, _ measured: Double) -> Double {
        measured > 0 ? (predicted - measured) / measured * 100 : .nan
    }

    /// The scenario the simulator predicts: the model, the profile as the device, MXFP4 weights
    /// (the LM head too, as the host loop runs it), a BF16 KV cache, continuous batching, Offline.
    public static func scenario(profile: String, options: Options, catalog: Catalog = .bundled) throws -> Scenario {
        let quoted = "'" + profile.replacingOccurrences(of: "'", with: "''") + "'"
        let text = """
        name: hostcheck
        model: \(options.model)
        hardware: {gpu: \(quoted), gpus_per_node: 1, nodes: 1}
        precision: {weights: mxfp4, kv_cache: bf16, lm_head: mxfp4}
        parallelism: {tensor: 1}
        serving: {scheduler: continuous, kv_policy: reserve, max_batch_seqs: \(options.maxBatchSequences), max_batch_tokens: \(options.maxBatchTokens)}
        workload: \(Self.workload(options))
        """
        let document = try YAMLDocument.parse(text, name: "hostcheck")
        return try Scenario(document: document, baseDirectory: FileManager.default.currentDirectoryPath, catalog: catalog)
    }

    /// Offline: `requests` samples at t = 0. Server: Poisson arrivals at `qps` for as long as
    /// `requests` of them take on average (the count is then Poisson too); both sides see the same
    /// draws (`Workload.generateRequests`).
    static func workload(_ options: Options) -> String {
        let lengths = "input_tokens: \(options.inputTokens), output_tokens: \(options.outputTokens), seed: \(options.seed)"
        guard options.scenario == .server, options.qps > 0 else {
            return "{scenario: offline, samples: \(options.requests), \(lengths)}"
        }
        return "{scenario: server, qps: \(options.qps), duration_s: \(Double(options.requests) / options.qps), \(lengths)}"
    }

    /// Predicts, then runs for real. `progress` hears what is happening (the real run takes minutes).
    public static func run(profile: String, options: Options, catalog: Catalog = .bundled,
                           progress: (String) -> Void = { _ in }) throws -> HostCheck {
        let scenario = try Self.scenario(profile: profile, options: options, catalog: catalog)
        if let reason = HostTransformer.unsupportedReason(scenario.model) {
            throw InputError(location: "--model \(options.model)", keyPath: "model", problem: reason,
                             valid: "a dense grouped-query model such as synthetic-1b")
        }
        let (deployment, metrics) = try ScenarioRun.run(scenario)
        // LatencySummary is in milliseconds; Figures in seconds.
        let predicted = Figures(outputTokensPerSecond: metrics.outputTokensPerSecond, tpotP50: metrics.tpotMs.p50 / 1e3,
                                ttftP50: metrics.ttftMs.p50 / 1e3, seconds: metrics.simulatedSeconds)
        progress(String(format: "predicted: %.1f output tokens/s, TPOT p50 %.1f ms, TTFT p50 %.0f ms over %.1f s",
                        predicted.outputTokensPerSecond, predicted.tpotP50 * 1e3, predicted.ttftP50 * 1e3, predicted.seconds))

        let requests = scenario.workload.generateRequests()
        let longest = requests.map { $0.inputTokens + $0.outputTokens }.max() ?? 1
        progress("building \(scenario.model.id) with random MXFP4 weights")
        let backend = HostTransformer(model: scenario.model, maxTokens: options.maxBatchTokens,
                                      maxSequences: options.maxBatchSequences, maxContext: longest,
                                      seed: options.seed, threads: options.threads)
        let loop = HostServingLoop(backend: backend, maxBatchSequences: options.maxBatchSequences,
                                   maxBatchTokens: options.maxBatchTokens)
        if let reason = loop.unsupportedReason(requests) {
            throw InputError(location: "hostcheck", keyPath: "workload", problem: reason)
        }
        // Warm-up: one token through every layer, so page faults and first-touch costs stay out.
        _ = backend.forward([ForwardSegment(slot: 0, start: 0, tokens: [0], sample: true)])
        // The limits as the calibration measures them: the median of passes.
        let limits = (0..<5).map { _ in HostCalibration.machineLimits(threads: options.threads) }
        let readNow = limits.map(\.readBandwidth).sorted()[2], fmaNow = limits.map(\.fmaPeak).sorted()[2]
        progress(String(format: "machine now: read %.1f GB/s, FMA %.0f GFLOP/s", readNow / 1e9, fmaNow / 1e9))
        progress(String(format: "serving %d requests for real (about %.0f s)", requests.count, predicted.seconds))
        let result = loop.run(requests, vocab: scenario.model.vocab, seed: options.seed)

        let (ttft, tpot, _) = result.log.latencies(of: requests)
        let measured = Figures(outputTokensPerSecond: result.seconds > 0 ? Double(result.log.outputTokens) / result.seconds : 0,
                               tpotP50: LatencySummary(seconds: tpot).p50 / 1e3, ttftP50: LatencySummary(seconds: ttft).p50 / 1e3,
                               seconds: result.seconds)
        let model = deployment.stepModel
        var comparisons: [String: StepComparison] = [:]
        for step in result.steps {
            let kind = step.work.prefillTokens == 0 ? "decode" : (step.work.decodeSequences == 0 ? "prefill" : "mixed")
            comparisons[kind, default: StepComparison(kind: kind, steps: 0, measuredSeconds: 0, predictedSeconds: 0)].steps += 1
            comparisons[kind]!.measuredSeconds += step.seconds
            comparisons[kind]!.predictedSeconds += model.time(for: step.work)
        }
        let gpu = scenario.gpu
        let recorded = try Catalog.hostProfileMachine(YAMLDocument.load(path: profile))
        return HostCheck(
            options: options, profile: profile, device: gpu.name, kernelPath: String(cString: ip_path_name(ip_best_path())),
            predicted: predicted, measured: measured,
            stepComparisons: ["prefill", "decode", "mixed"].compactMap { comparisons[$0] },
            gemmSeconds: result.timing.gemm, attentionSeconds: result.timing.attention, otherSeconds: result.timing.other,
            weightBytes: Double(backend.weightBytes),
            profileReadBandwidth: recorded.readBandwidth, profileFMAPeak: recorded.fmaPeak,
            currentReadBandwidth: readNow, currentFMAPeak: fmaNow, profileThreads: recorded.threads, outputTokens: result.log.outputTokens,
            requestsServed: requests.count, requestedOutputTokens: requests.reduce(0) { $0 + $1.outputTokens },
            peakSequences: result.peakSequences, peakContext: result.peakContext)
    }
}
