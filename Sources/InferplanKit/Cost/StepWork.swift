/// What one engine step of one replica computes: aggregates only, so costing a step is O(1)
/// whatever the batch size.
public struct StepWork: Sendable, Equatable {
    /// New prompt tokens processed this step (all prefill chunks together).
    public var prefillTokens: Int = 0
    /// Sum over those prompt tokens of the positions each attends to (causal: a chunk of `c` tokens
    /// after a cached prefix of `p` attends to c*p + c*(c+1)/2 positions).
    public var prefillAttendedPositions: Double = 0
    /// Sum over prefill chunks of the cached prefix each chunk reads back from the KV cache.
    public var prefillPrefixTokens: Double = 0
    /// Prompt chunks this step (one per sequence being prefilled).
    public var prefillSequences: Int = 0
    /// Sequences producing one token each this step.
    public var decodeSequences: Int = 0
    /// Sum of the cached context lengths of those sequences.
    public var decodeContextTokens: Double = 0
    /// Tokens that leave the step as output and go through the LM head: one per decode, one per
    /// prompt whose prefill completes this step.
    public var sampledTokens: Int = 0

    public init(prefillTokens: Int = 0, prefillAttendedPositions: Double = 0, prefillPrefixTokens: Double = 0,
                decodeSequences: Int = 0, decodeContextTokens: Double = 0, sampledTokens: Int = 0) {
        self.prefillTokens = prefillTokens
        self.prefillAttendedPositions = prefillAttendedPositions
        self.prefillPrefixTokens = prefillPrefixTokens
        self.decodeSequences = decodeSequences
        self.decodeContextTokens = decodeContextTokens
        self.sampledTokens = sampledTokens
    }

    /// Tokens through the linear layers.
    public var tokens: Int { prefillTokens + decodeSequences }

    public var isEmpty: Bool { tokens == 0 }

    /// Sequences the host schedules and prepares this step.
    public var scheduledSequences: Int { prefillSequences + decodeSequences }

    /// Adds a prefill chunk of `chunk` tokens that follows `prefix` already-cached tokens.
    public mutating func addPrefillChunk(_ chunk: Int, afterPrefix prefix: Int, completesPrompt: Bool) {
        let c = Double(chunk), p = Double(prefix)
        prefillTokens += chunk
        prefillAttendedPositions += c * p + c * (c + 1) / 2
        prefillPrefixTokens += p
        prefillSequences += 1
        if completesPrompt { sampledTokens += 1 }
    }
}
