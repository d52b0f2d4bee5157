/// Speculative decoding (Eagle heads, MTP layers): a draft proposes `draftTokens` tokens per
/// sequence, the target model verifies them in one pass, and the accepted prefix plus one token
/// from the verification are emitted.
///
/// With each draft token accepted independently with probability a (given its predecessors were),
/// a pass emits E = (1 - a^(d+1)) / (1 - a) tokens per sequence on average (Leviathan et al.,
/// "Fast Inference from Transformers via Speculative Decoding", 2023). The pass costs the target
/// model on (1 + d) tokens per sequence plus the drafts, each a `draftCost` fraction of a target
/// decode step.
public struct SpeculativeDecoding: Sendable, Equatable {
    /// Draft tokens proposed per sequence per pass (d).
    public var draftTokens: Int
    /// Per-token acceptance probability (a), in [0, 1).
    public var acceptanceRate: Double
    /// Cost of drafting all d tokens, as a fraction of one target-model decode step at the same
    /// batch (an Eagle head or one MTP layer of a 60-80-layer model: a few percent per token).
    public var draftCost: Double

    /// The cost of drafting when `draft_cost` is not given: an Eagle head or MTP layer is about one
    /// layer of a 60-80-layer target, so d draft tokens cost about d/60 of a target step; 0.05 covers
    /// d = 3 (stated, not fitted).
    public static let defaultDraftCost = 0.05

    public init(draftTokens: Int, acceptanceRate: Double, draftCost: Double) {
        self.draftTokens = draftTokens
        self.acceptanceRate = acceptanceRate
        self.draftCost = draftCost
    }

    /// E: expected tokens a pass emits per sequence, 1 + a + a^2 + ... + a^d.
    public var expectedTokensPerPass: Double {
        var total = 0.0, term = 1.0
        for _ in 0...draftTokens {
            total += term
            term *= acceptanceRate
        }
        return total
    }

    /// The verification pass of `work`: every decode runs 1 + d tokens through the model, each
    /// attending to the sequence's cache (plus the drafts before it, negligible next to the cache),
    /// and each needs its logits to be checked against the draft, so all 1 + d go through the LM head.
    func verifyWork(_ work: StepWork) -> StepWork {
        var verify = work
        let extra = work.decodeSequences * draftTokens
        verify.prefillTokens += extra
        verify.prefillAttendedPositions += Double(draftTokens) * work.decodeContextTokens
        verify.sampledTokens += extra
        return verify
    }
}
