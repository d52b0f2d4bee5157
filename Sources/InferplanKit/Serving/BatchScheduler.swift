/// A batching policy: decides which sequences and prompt chunks go into a replica's next step.
///
/// A new policy (static batches, chunked prefill with a fixed chunk, ...) is one new type conforming
/// to this protocol.
public protocol BatchScheduler: Sendable {
    /// Plans the next step on `state` (admitting from `state.waiting` and recording the prompt
    /// chunks in `state.planned`) and returns the work it amounts to; empty means nothing to do.
    func formBatch(_ state: inout ReplicaState, requests: [Request]) -> StepWork
}

/// KV tokens a request holds at its end: its prompt and all of its output.
@inline(__always)
func kvTokensAtCompletion(_ request: Request) -> Int { request.inputTokens + request.outputTokens }
