/// Admission: a request leaves a queue (waiting, or transferred from a prefill replica) and takes
/// KV in this replica. One routine decides whether its KV fits, whatever the scheduler.
extension ReplicaState {
    /// Claims the KV that admitting `request` needs now, when its cache starts at `tokens` (the
    /// first chunk of its prompt, or the whole transferred cache): under `reserve`, its whole
    /// reservation (prompt and the most output it may produce); under `paged`, the blocks of
    /// `tokens`, the sliding window's and the watermark must be free. Returns false, changing
    /// nothing, when they are not. O(1).
    mutating func claimAdmissionKV(for request: Request, tokens: Int) -> Bool {
        switch policy {
        case .reserve:
            guard reservedBlocks + reservation(request) <= capacityBlocks else { return false }
            reservedBlocks += reservation(request)
        case .paged:
            guard blocks(tokens) + windowBlocks + watermarkBlocks <= freeBlocks else { return false }
        }
        return true
    }

    /// Records `id` as admitted now (newest last: preemption takes the newest first), holding its
    /// sliding window's blocks.
    private mutating func recordAdmission(_ id: Int, epoch: UInt32) {
        usedBlocks += windowBlocks
        admissions.append((id, epoch))
    }

    /// Admits waiting requests while a sequence slot, `budget` tokens and KV allow, planning each
    /// one's first chunk (at most `maxChunk`; whole prompts only when `wholeOnly`).
    mutating func admitWaiting(budget: inout Int, maxSequences: Int, maxChunk: Int? = nil, wholeOnly: Bool = false,
                               into work: inout StepWork, requests: [Request], book: inout RequestBook) {
        while budget > 0, running < maxSequences, let next = waiting.first {
            let request = requests[next]
            let target = request.inputTokens + Int(book.progress.generated[next])
            let chunk = min(target, budget, maxChunk ?? target)
            if wholeOnly && chunk < target { break }
            guard claimAdmissionKV(for: request, tokens: chunk) else { return }
            waiting.removeFirst()
            recordAdmission(next, epoch: book.progress.epoch[next])
            prefilling.append(Prefill(request: next, done: 0, target: target))
            planChunk(slot: prefilling.count - 1, tokens: chunk, into: &work)
            budget -= chunk
        }
    }

    /// Admits `id` (the first waiting request) into the prefilling set without planning any of its
    /// prompt yet (static batching plans its prompts together).
    mutating func admitWithoutChunk(_ id: Int, requests: [Request], book: inout RequestBook) -> Bool {
        let request = requests[id]
        guard claimAdmissionKV(for: request, tokens: request.inputTokens) else { return false }
        waiting.removeFirst()
        recordAdmission(id, epoch: book.progress.epoch[id])
        prefilling.append(Prefill(request: id, done: 0, target: request.inputTokens + Int(book.progress.generated[id])))
        return true
    }

    /// Takes a sequence whose prompt KV (`inputTokens` cached, first token out) arrived from a
    /// prefill replica straight into decoding, if its blocks fit.
    mutating func admitTransferred(_ id: Int, requests: [Request], book: inout RequestBook) -> Bool {
        let request = requests[id]
        let cached = request.inputTokens
        guard claimAdmissionKV(for: request, tokens: cached) else { return false }
        transferred.removeFirst()
        recordAdmission(id, epoch: book.progress.epoch[id])
        usedBlocks += blocks(cached)
        usedTokens += cached
        startDecoding(id, cached: cached, requests: requests, book: &book)
        return true
    }
}
