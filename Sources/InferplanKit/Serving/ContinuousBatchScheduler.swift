/// vLLM-style continuous batching (Orca's iteration-level scheduling): every decoding sequence gets
/// its token first; the rest of the step's token budget goes to whole prompts, oldest first. A prompt
/// is never split across steps, except one that could not run otherwise (longer than the budget
/// with nothing else to do).
struct ContinuousBatchScheduler: BatchScheduler {
    var maxBatchSequences: Int
    var maxBatchTokens: Int

    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork {
        state.beginStep()
        var work = StepWork()
        state.planDecodes(into: &work, requests: requests, book: &book)
        var budget = maxBatchTokens - state.decodeCount
        state.continuePrefills(budget: &budget, wholeOnly: true, into: &work)
        state.admitWaiting(budget: &budget, maxSequences: maxBatchSequences, wholeOnly: true,
                           into: &work, requests: requests, book: &book)
        if work.isEmpty {
            // A prompt longer than the whole budget runs in chunks, alone.
            var budget = maxBatchTokens
            state.continuePrefills(budget: &budget, into: &work)
            if work.isEmpty {
                state.admitWaiting(budget: &budget, maxSequences: 1, into: &work, requests: requests, book: &book)
            }
        }
        return work
    }
}
