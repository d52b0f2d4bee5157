/// vLLM-style continuous batching: every decoding sequence gets its token first; the rest of the
/// step's token budget goes to prompts, continuing partly-done prompts before admitting new ones,
/// and chunking the last prompt to fit. A request is admitted only while the batch has a free
/// sequence slot and the KV cache can hold its prompt and all its output.
public struct ContinuousBatchScheduler: BatchScheduler {
    public var maxBatchSequences: Int
    public var maxBatchTokens: Int

    public init(maxBatchSequences: Int, maxBatchTokens: Int) {
        self.maxBatchSequences = maxBatchSequences
        self.maxBatchTokens = maxBatchTokens
    }

    public func formBatch(_ state: inout ReplicaState, requests: [Request]) -> StepWork {
        var work = StepWork(decodeSequences: state.decodeCount,
                            decodeContextTokens: Double(state.decodeContextTokens),
                            sampledTokens: state.decodeCount)
        var budget = maxBatchTokens - state.decodeCount
        state.planned.removeAll(keepingCapacity: true)

        // Prompts already admitted continue first, in arrival order.
        var slot = 0
        while budget > 0, slot < state.prefilling.count {
            let entry = state.prefilling[slot]
            let prompt = requests[entry.request].inputTokens
            let chunk = min(prompt - entry.done, budget)
            work.addPrefillChunk(chunk, afterPrefix: entry.done, completesPrompt: entry.done + chunk == prompt)
            state.planned.append(.init(slot: slot, tokens: chunk))
            budget -= chunk
            slot += 1
        }

        // Then new prompts, while a sequence slot, token budget and KV reservation allow.
        var sequences = state.decodeCount + state.prefilling.count
        while budget > 0, sequences < maxBatchSequences, let next = state.waiting.first {
            let request = requests[next]
            let need = kvTokensAtCompletion(request)
            guard state.reservedTokens + need <= state.kvCapacityTokens else { break }
            state.waiting.removeFirst()
            state.reservedTokens += need
            state.prefilling.append(.init(request: next, done: 0))
            let chunk = min(request.inputTokens, budget)
            work.addPrefillChunk(chunk, afterPrefix: 0, completesPrompt: chunk == request.inputTokens)
            state.planned.append(.init(slot: state.prefilling.count - 1, tokens: chunk))
            budget -= chunk
            sequences += 1
        }
        return work
    }
}
