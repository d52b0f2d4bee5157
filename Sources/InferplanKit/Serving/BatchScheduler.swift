/// A batching policy: decides which sequences and prompt chunks go into a replica's next step.
///
/// A new policy is one new type conforming to this protocol, composed from the primitives in
/// `ReplicaState+Batching.swift` (which keep the KV blocks exact).
public protocol BatchScheduler: Sendable {
    /// Plans the next step on `state` (admitting from its queues and recording prompt chunks in
    /// `state.planned`) and returns the work it amounts to; empty means nothing can run now.
    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork
}
