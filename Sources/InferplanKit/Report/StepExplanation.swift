import Foundation

/// `--explain`: where a step's time goes. For a representative decode step and prefill step of the
/// run, each operator and overhead with its share of the step, FLOPs, bytes, what bounds it, and the
/// fractions of the datasheet's peak FLOPS (MFU) and HBM bandwidth (MBU) it achieves. The shares of
/// a step add up to its time, which is `StepTimeModel.time(for:)`.
public struct StepExplanation: Sendable, Encodable {
    public struct Operator: Sendable, Encodable {
        public var name: String
        public var ms: Double
        public var share: Double
        public var gflop: Double
        public var gbytes: Double
        public var bound: OperatorCost.Bound
        public var format: String
        /// Achieved FLOP/s over the datasheet dense peak of the format it runs in.
        public var mfu: Double
        /// Achieved bytes/s over the datasheet HBM bandwidth.
        public var mbu: Double
    }

    /// "decode" or "prefill".
    public var kind: String
    public var sequences: Int
    public var tokens: Int
    /// Mean cached context per decoding sequence (decode), or prompt length (prefill).
    public var contextTokens: Int
    public var stepMs: Double
    public var operators: [Operator]

    enum CodingKeys: String, CodingKey {
        case kind, sequences, tokens, operators
        case contextTokens, stepMs
    }

    /// One step of `work` on `model`, explained.
    public init(kind: String, work: StepWork, contextTokens: Int, model: StepTimeModel) {
        self.kind = kind
        sequences = work.scheduledSequences
        tokens = work.tokens
        self.contextTokens = contextTokens
        let costs = model.operatorCosts(for: work)
        let total = costs.reduce(0) { $0 + $1.seconds }
        stepMs = total * 1000
        let gpu = model.gpu
        operators = costs.map { cost in
            let seconds = max(cost.seconds, 1e-18)
            return Operator(name: cost.name, ms: cost.seconds * 1000, share: total > 0 ? cost.seconds / total : 0,
                            gflop: cost.flops / 1e9, gbytes: cost.bytes / 1e9, bound: cost.bound, format: cost.format.rawValue,
                            mfu: cost.flops / seconds / max(1, gpu.peakFLOPS(for: cost.format)),
                            mbu: cost.bound == .link ? 0 : cost.bytes / seconds / gpu.memoryBytesPerSecond)
        }
    }

    /// The representative steps of a run: a decode step at the run's mean batch, each sequence at
    /// the mean prompt plus half the mean output, and a prefill step of mean-length prompts filling
    /// the token budget.
    public static func representative(deployment: Deployment, metrics: RunMetrics) -> [StepExplanation] {
        let completed = Double(max(1, metrics.completedSamples))
        let meanInput = max(1, Int((Double(metrics.inputTokens) / completed).rounded()))
        let meanOutput = Double(metrics.outputTokens) / completed
        let batch = max(1, Int(metrics.meanBatchSequences.rounded()))
        let context = meanInput + Int((meanOutput / 2).rounded())
        let decode = StepWork(decodeSequences: batch, decodeContextTokens: Double(batch * context), sampledTokens: batch)
        var prefill = StepWork()
        let budget = deployment.serving.maxBatchTokens
        let chunk = min(meanInput, budget)
        for _ in 0..<max(1, min(deployment.serving.maxBatchSequences, budget / chunk)) {
            prefill.addPrefillChunk(chunk, afterPrefix: 0, completesPrompt: chunk == meanInput)
        }
        return [StepExplanation(kind: "decode", work: decode, contextTokens: context, model: deployment.stepModel),
                StepExplanation(kind: "prefill", work: prefill, contextTokens: chunk, model: deployment.stepModel)]
    }

    /// A table for people.
    public func text() -> String {
        var lines = ["  \(kind) step: \(sequences) sequences, \(Format.grouped(Double(tokens))) tokens, \(Format.grouped(Double(contextTokens))) tokens of context each: \(Format.fixed(stepMs, 2)) ms",
                     "    operator               ms    share      GFLOP        GB  bound     format   MFU    MBU"]
        for op in operators {
            lines.append("    " + Format.pad(op.name, 18, right: false) + Format.pad(Format.fixed(op.ms, 3), 9)
                         + Format.pad(Format.percent(op.share, decimals: 1), 9) + Format.pad(Format.grouped(op.gflop, decimals: 1), 11)
                         + Format.pad(Format.fixed(op.gbytes, 3), 10) + "  " + Format.pad(op.bound.rawValue, 9, right: false)
                         + Format.pad(op.format, 6, right: false) + Format.pad(Format.percent(op.mfu, decimals: 0), 6)
                         + Format.pad(Format.percent(op.mbu, decimals: 0), 7))
        }
        return lines.joined(separator: "\n")
    }

    /// Rows for an HTML table.
    public var tableRows: [[String]] {
        operators.map { op in
            [op.name, Format.fixed(op.ms, 3), Format.percent(op.share, decimals: 1), Format.grouped(op.gflop, decimals: 1),
             Format.fixed(op.gbytes, 3), op.bound.rawValue, op.format, Format.percent(op.mfu, decimals: 0), Format.percent(op.mbu, decimals: 0)]
        }
    }
}
