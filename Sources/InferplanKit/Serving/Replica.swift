/// One model replica: a tensor-parallel group of GPUs running its own batching loop.
///
/// Its life is a chain of steps: `startStep` forms a batch and returns how long it takes;
/// `finishStep` applies the step's effects (tokens produced, prompts done, sequences finished).
public final class Replica {
    public let index: Int
    public let node: Int
    public private(set) var state: ReplicaState
    public private(set) var isBusy = false
    private let scheduler: any BatchScheduler
    private let stepModel: StepTimeModel

    public init(index: Int, node: Int, kvCapacityTokens: Int, scheduler: any BatchScheduler, stepModel: StepTimeModel) {
        self.index = index
        self.node = node
        self.state = ReplicaState(kvCapacityTokens: kvCapacityTokens)
        self.scheduler = scheduler
        self.stepModel = stepModel
    }

    public func enqueue(_ request: Int) {
        state.waiting.append(request)
    }

    /// Forms the next batch; returns its duration in seconds, or nil when there is nothing to run.
    public func startStep(requests: [Request]) -> Double? {
        precondition(!isBusy, "replica \(index) started a step while one is in flight")
        let work = scheduler.formBatch(&state, requests: requests)
        guard !work.isEmpty else { return nil }
        isBusy = true
        state.batchSequencesSum += state.decodeCount + state.planned.count
        return stepModel.time(for: work)
    }

    /// Applies the step that just ended at `now`: one token for every decoding sequence, the planned
    /// prompt chunks, first tokens for finished prompts, and completions.
    public func finishStep(at now: Double, requests: [Request], log: inout RequestLog) {
        precondition(isBusy, "replica \(index) finished a step it had not started")
        isBusy = false
        state.stepsDone += 1
        let step = state.stepsDone

        // Every decoding sequence produced one token and cached the one it consumed.
        state.usedTokens += state.decodeCount
        state.decodeContextTokens += state.decodeCount
        log.outputTokens += state.decodeCount

        // Prompt chunks; a prompt whose last chunk ran produces its first token now.
        var finishedPrompts: [Int] = []
        for chunk in state.planned {
            state.prefilling[chunk.slot].done += chunk.tokens
            state.usedTokens += chunk.tokens
            let entry = state.prefilling[chunk.slot]
            if entry.done == requests[entry.request].inputTokens { finishedPrompts.append(chunk.slot) }
        }
        state.peakUsedTokens = max(state.peakUsedTokens, state.usedTokens)
        for slot in finishedPrompts {
            let id = state.prefilling[slot].request
            let request = requests[id]
            log.firstToken[id] = now
            log.outputTokens += 1
            if request.outputTokens <= 1 {
                complete(id, request, at: now, cached: request.inputTokens, log: &log)
            } else {
                state.decodeCount += 1
                state.decodeContextTokens += request.inputTokens
                state.finishing.insert(.init(step: step + request.outputTokens - 1, request: id))
            }
        }
        // Remove finished prompts from the prefill list, keeping arrival order (slots ascend).
        if !finishedPrompts.isEmpty {
            var keep = 0
            var next = 0
            for slot in state.prefilling.indices {
                if next < finishedPrompts.count, finishedPrompts[next] == slot { next += 1; continue }
                state.prefilling[keep] = state.prefilling[slot]
                keep += 1
            }
            state.prefilling.removeLast(state.prefilling.count - keep)
        }

        // Sequences whose last token came out of this step.
        while let first = state.finishing.min, first.step <= step {
            _ = state.finishing.removeMin()
            let request = requests[first.request]
            let cached = request.inputTokens + request.outputTokens - 1
            state.decodeCount -= 1
            state.decodeContextTokens -= cached
            complete(first.request, request, at: now, cached: cached, log: &log)
        }
        state.checkInvariants()
    }

    private func complete(_ id: Int, _ request: Request, at now: Double, cached: Int, log: inout RequestLog) {
        state.usedTokens -= cached
        state.reservedTokens -= kvTokensAtCompletion(request)
        log.completion[id] = now
        log.completed += 1
    }
}
