/// Static batching (request-level, as before Orca): when the replica is empty it takes up to
/// `maxBatchSequences` requests as one batch, prefills them (in chunks of the token budget) and
/// decodes until every one has finished; nothing joins a batch in flight.
struct StaticBatchScheduler: BatchScheduler {
    var maxBatchSequences: Int
    var maxBatchTokens: Int

    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork {
        state.beginStep()
        var work = StepWork()
        let batchOpen = state.running == 0
        state.planDecodes(into: &work, requests: requests, book: &book)
        var budget = maxBatchTokens
        state.continuePrefills(budget: &budget, into: &work)
        if batchOpen {
            state.admitWaiting(budget: &budget, maxSequences: maxBatchSequences, into: &work, requests: requests, book: &book)
            // The rest of the batch is admitted now, its prompts to follow in later steps.
            while state.running < maxBatchSequences, let next = state.waiting.first {
                guard state.admitWithoutChunk(next, requests: requests, book: &book) else { break }
            }
        }
        return work
    }
}
