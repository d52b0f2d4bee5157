/// Sarathi-Serve-style chunked prefill: every step carries all decodes plus prompt chunks, within a
/// token budget of `chunkTokens` per step (decodes included), so long prompts never stall the
/// decodes behind them for more than one chunk.
struct ChunkedPrefillScheduler: BatchScheduler {
    var maxBatchSequences: Int
    /// The step's token budget: decodes plus prompt chunks.
    var chunkTokens: Int

    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork {
        state.formStep(requests: requests, book: &book) { state, work, book in
            plan(&state, &work, requests: requests, book: &book)
        }
    }

    private func plan(_ state: inout ReplicaState, _ work: inout StepWork, requests: [Request], book: inout RequestBook) {
        state.planDecodes(into: &work, requests: requests, book: &book)
        var budget = chunkTokens - state.decodeCount
        state.continuePrefills(budget: &budget, into: &work)
        state.admitWaiting(budget: &budget, maxSequences: maxBatchSequences, into: &work, requests: requests, book: &book)
    }
}
