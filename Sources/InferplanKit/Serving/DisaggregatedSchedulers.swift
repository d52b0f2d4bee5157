/// Prefill/decode disaggregation (Splitwise, DistServe): prefill replicas run prompts only and hand
/// each finished prompt's KV cache to a decode replica over the link between them; decode replicas
/// run decodes only. The hand-off itself is costed by `KVTransfer` and scheduled by the engine.

/// The prompt side: chunked prompts within the token budget, no decodes.
struct PrefillOnlyScheduler: BatchScheduler {
    var maxBatchSequences: Int
    var maxBatchTokens: Int

    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork {
        state.formStep(requests: requests, book: &book) { state, work, book in
            plan(&state, &work, requests: requests, book: &book)
        }
    }

    private func plan(_ state: inout ReplicaState, _ work: inout StepWork, requests: [Request], book: inout RequestBook) {
        var budget = maxBatchTokens
        state.continuePrefills(budget: &budget, into: &work)
        state.admitWaiting(budget: &budget, maxSequences: maxBatchSequences, into: &work, requests: requests, book: &book)
    }
}

/// The token side: sequences whose KV arrived start decoding at once; sequences preempted here are
/// recomputed here (chunked, within the token budget).
struct DecodeOnlyScheduler: BatchScheduler {
    var maxBatchSequences: Int
    var maxBatchTokens: Int

    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork {
        state.beginStep()
        while state.running < maxBatchSequences, let id = state.transferred.first {
            guard state.admitTransferred(id, requests: requests, book: &book) else { break }
        }
        var work = StepWork()
        state.planDecodes(into: &work, requests: requests, book: &book)
        var budget = maxBatchTokens - state.decodeCount
        state.continuePrefills(budget: &budget, into: &work)
        state.admitWaiting(budget: &budget, maxSequences: maxBatchSequences, into: &work, requests: requests, book: &book)
        return work
    }
}
