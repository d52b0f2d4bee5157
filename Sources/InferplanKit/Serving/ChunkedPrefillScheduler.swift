/// Sarathi-Serve-style chunked prefill: every step carries all decodes plus prompt chunks, within a
/// token budget of `chunkTokens` per step (decodes included), so long prompts never stall the
/// decodes behind them for more than one chunk.
public struct ChunkedPrefillScheduler: BatchScheduler {
    public var maxBatchSequences: Int
    /// The step's token budget: decodes plus prompt chunks.
    public var chunkTokens: Int

    public init(maxBatchSequences: Int, chunkTokens: Int) {
        self.maxBatchSequences = maxBatchSequences
        self.chunkTokens = chunkTokens
    }

    public func formBatch(_ state: inout ReplicaState, requests: [Request], log: inout RequestLog) -> StepWork {
        state.beginStep()
        var work = StepWork()
        plan(&state, &work, requests: requests, log: &log)
        state.breakStall(&work, requests: requests, log: &log) { state, work, log in
            plan(&state, &work, requests: requests, log: &log)
        }
        return work
    }

    private func plan(_ state: inout ReplicaState, _ work: inout StepWork, requests: [Request], log: inout RequestLog) {
        state.planDecodes(into: &work, requests: requests, log: &log)
        var budget = chunkTokens - state.decodeCount
        state.continuePrefills(budget: &budget, into: &work)
        state.admitWaiting(budget: &budget, maxSequences: maxBatchSequences, into: &work, requests: requests, log: &log)
    }
}
