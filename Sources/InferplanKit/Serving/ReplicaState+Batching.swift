/// The building blocks schedulers compose: decodes, prompt chunks, admission, preemption, and the
/// moves of a sequence between stages. Each keeps the KV blocks exact.
extension ReplicaState {
    // MARK: A step

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

    // MARK: Decoding

    /// The phase class of a sequence that has `cached` tokens at step count `step`.
    @inline(__always)
    func phase(cached: Int, step: Int) -> Int {
        let r = (cached - step) % blockTokens
        return r < 0 ? r + blockTokens : r
    }

    /// Blocks the decodes of the next step need: one for each sequence whose cache fills its last block.
    var decodeBlocksNeeded: Int { phaseCounts[phase(cached: 0, step: stepsDone)] }

    /// Puts every decoding sequence into the step, preempting (paged policy) the most recently
    /// admitted sequences until the new blocks fit. Returns false if nothing can run.
    mutating func planDecodes(into work: inout StepWork, requests: [Request], book: inout RequestBook) {
        while decodeCount > 0, decodeBlocksNeeded > freeBlocks {
            guard preemptLatest(requests: requests, book: &book) else { break }
        }
        let needed = decodeCount > 0 ? decodeBlocksNeeded : 0
        precondition(needed <= freeBlocks, "decodes need \(needed) blocks with \(freeBlocks) free and nothing to preempt")
        usedBlocks += needed
        plannedDecodeBlocks = needed
        work.decodeSequences = decodeCount
        work.decodeContextTokens = Double(decodeContextTokens)
        work.sampledTokens += decodeCount
    }

    /// Starts decoding `id`, whose prefill (here or on a prefill replica) left `cached` tokens.
    mutating func startDecoding(_ id: Int, cached: Int, requests: [Request], book: inout RequestBook) {
        let remaining = requests[id].outputTokens - Int(book.progress.generated[id])
        book.progress.joinStep[id] = stepsDone
        book.progress.joinCached[id] = Int32(cached)
        phaseCounts[phase(cached: cached, step: stepsDone)] += 1
        decodeCount += 1
        decodeContextTokens += cached
        finishing.insert(Finish(step: stepsDone + remaining, request: id, epoch: book.progress.epoch[id]))
    }

    /// Removes decoding sequence `id` at the current step; returns its cached tokens and brings its
    /// `generated` count up to date.
    mutating func stopDecoding(_ id: Int, book: inout RequestBook) -> Int {
        let steps = stepsDone - book.progress.joinStep[id]
        let joined = Int(book.progress.joinCached[id])
        let cached = joined + steps
        phaseCounts[phase(cached: joined, step: book.progress.joinStep[id])] -= 1
        decodeCount -= 1
        decodeContextTokens -= cached
        book.progress.generated[id] += Int32(steps)
        return cached
    }

    /// Frees the KV of a sequence that leaves this replica with `cached` tokens.
    mutating func release(_ id: Int, cached: Int, requests: [Request]) {
        usedTokens -= cached
        usedBlocks -= blocks(cached) + windowBlocks
        if policy == .reserve { reservedBlocks -= reservation(requests[id]) }
    }

    // MARK: Prompts

    /// Blocks a request reserves under `.reserve`: its prompt and all its output.
    func reservation(_ request: Request) -> Int { blocks(request.inputTokens + request.outputTokens) + windowBlocks }

    /// Tokens a prompt chunk of up to `wanted` tokens can have, given the free blocks.
    func chunkThatFits(done: Int, wanted: Int) -> Int {
        guard policy == .paged else { return wanted }
        let room = (blocks(done) + freeBlocks) * blockTokens - done
        return max(0, min(wanted, room))
    }

    /// Plans `tokens` more of the prompt in `slot`, allocating its blocks.
    mutating func planChunk(slot: Int, tokens: Int, into work: inout StepWork) {
        let entry = prefilling[slot]
        usedBlocks += blocks(entry.done + tokens) - blocks(entry.done)
        work.addPrefillChunk(tokens, afterPrefix: entry.done, completesPrompt: entry.done + tokens == entry.target)
        planned.append(PlannedChunk(slot: slot, tokens: tokens))
    }

    /// Continues the prompts already admitted, oldest first, within `budget` tokens and `maxChunk`
    /// per prompt (nil: unlimited). `wholeOnly` skips prompts whose rest does not fit.
    mutating func continuePrefills(budget: inout Int, maxChunk: Int? = nil, wholeOnly: Bool = false, into work: inout StepWork) {
        var slot = 0
        while budget > 0, slot < prefilling.count {
            let entry = prefilling[slot]
            let rest = entry.target - entry.done
            var wanted = min(rest, budget, maxChunk ?? rest)
            if wholeOnly && wanted < rest { wanted = 0 }
            let chunk = chunkThatFits(done: entry.done, wanted: wanted)
            if chunk > 0 && (!wholeOnly || chunk == rest) {
                planChunk(slot: slot, tokens: chunk, into: &work)
                budget -= chunk
            }
            slot += 1
        }
    }

    // MARK: Preemption

    /// Preempts the most recently admitted running sequence (vLLM's recompute policy): frees its KV
    /// and puts it back at the front of the queue, keeping the tokens it has produced. Returns false
    /// when nothing is running.
    @discardableResult
    mutating func preemptLatest(requests: [Request], book: inout RequestBook) -> Bool {
        while let (id, epoch) = admissions.popLast() {
            guard epoch == book.progress.epoch[id], book.log.completion[id].isNaN else { continue }
            if let slot = prefilling.firstIndex(where: { $0.request == id }) {
                let done = prefilling[slot].done
                prefilling.remove(at: slot)
                release(id, cached: done, requests: requests)
            } else {
                let cached = stopDecoding(id, book: &book)
                release(id, cached: cached, requests: requests)
            }
            book.progress.epoch[id] &+= 1
            book.log.preemptions[id] &+= 1
            book.log.totalPreemptions += 1
            preemptions += 1
            waiting.prepend(id)
            return true
        }
        return false
    }

    /// Drops stale admission entries once they outnumber the live ones, keeping the list O(running).
    /// Reads `book` only; it is `inout` so that the call, made every step, copies (and retains) none
    /// of its eight arrays.
    mutating func compactAdmissions(book: inout RequestBook) {
        guard admissions.count > 2 * running + 64 else { return }
        admissions.removeAll { $0.epoch != book.progress.epoch[$0.request] || !book.log.completion[$0.request].isNaN }
    }
}
