/// A batching policy: decides which sequences and prompt chunks go into a replica's next step.
///
/// A new policy is one new type conforming to this protocol, composed from the primitives in
/// `ReplicaState+Batching.swift` (which keep the KV blocks exact).
public protocol BatchScheduler: Sendable {
    /// Plans the next step on `state` (admitting from its queues and recording prompt chunks in
    /// `state.planned`) and returns the work it amounts to; empty means nothing can run now.
    func formBatch(_ state: inout ReplicaState, requests: [Request], book: inout RequestBook) -> StepWork
}

extension ReplicaState {
    /// Clears the plan of the previous step.
    mutating func beginStep() {
        planned.removeAll(keepingCapacity: true)
        plannedDecodeBlocks = 0
    }

    /// Plans a step with `plan`. If nothing could be planned although sequences hold KV (a paged
    /// cache full of half-done prompts), preempts the newest until the oldest can move - the way out
    /// of a KV deadlock - and plans again.
    mutating func formStep(requests: [Request], book: inout RequestBook,
                           plan: (inout ReplicaState, inout StepWork, inout RequestBook) -> Void) -> StepWork {
        beginStep()
        var work = StepWork()
        plan(&self, &work, &book)
        while work.isEmpty, running > 1, policy == .paged {
            guard preemptLatest(requests: requests, book: &book) else { break }
            beginStep()
            work = StepWork()
            plan(&self, &work, &book)
        }
        return work
    }
}
