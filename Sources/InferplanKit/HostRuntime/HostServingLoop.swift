import DequeModule
import Foundation

/// A real serving loop: continuous batching of a workload's requests on a `ForwardBackend`, timed by
/// the wall clock.
///
/// The policy is the simulator's `ContinuousBatchScheduler`, so that the closed-loop check compares
/// step times and not policies: every decoding sequence gets its next token first; the rest of the
/// step's token budget admits whole prompts, oldest first, while a sequence slot is free; a prompt's
/// step samples its first token. Requests are issued at their arrival time (all at 0 in Offline).
struct HostServingLoop {
    let backend: ForwardBackend
    let maxBatchSequences: Int
    let maxBatchTokens: Int

    /// One step: its work as the simulator counts it, and its measured time.
    struct Step: Sendable {
        var work: StepWork
        var seconds: Double
    }

    struct Result: Sendable {
        var requests: [Request]
        /// Issue, first-token and completion times, seconds from the start of the run.
        var log: RequestLog
        /// Each request's generated tokens (greedy, so the same every run).
        var outputs: [[Int32]]
        var steps: [Step]
        /// When the last request completed.
        var seconds: Double
        /// Seconds in the GEMMs, the attention kernel and the element-wise operators.
        var timing: ForwardTiming
        /// The most sequences that shared a step, and the longest sequence held in a KV slot.
        var peakSequences: Int
        var peakContext: Int
    }

    private struct Running {
        var request: Int
        var slot: Int
        var cached: Int
        var last: Int32
    }

    /// Why `requests` cannot run with these limits, or nil.
    func unsupportedReason(_ requests: [Request]) -> String? {
        if let long = requests.first(where: { $0.inputTokens > maxBatchTokens }) {
            return "a prompt of \(long.inputTokens) tokens exceeds max_batch_tokens \(maxBatchTokens) (the loop does not split prompts)"
        }
        if let long = requests.first(where: { $0.inputTokens + $0.outputTokens > backend.maxContext }) {
            return "a request of \(long.inputTokens + long.outputTokens) tokens exceeds the \(backend.maxContext)-token KV slot"
        }
        if requests.contains(where: { $0.outputTokens < 1 || $0.inputTokens < 1 }) {
            return "every request needs at least one input and one output token"
        }
        return nil
    }

    /// Runs every request to completion. Prompt tokens are drawn from `seed` (uniform over the vocabulary).
    func run(_ requests: [Request], vocab: Int, seed: UInt64) -> Result {
        if let reason = unsupportedReason(requests) { preconditionFailure(reason) }
        precondition(maxBatchSequences <= backend.maxSequences && maxBatchTokens <= backend.maxTokens)
        let random = RandomSource(seed: seed)
        let prompts = requests.map { request in (0..<request.inputTokens).map { _ in Int32(random.index(below: vocab)) } }
        let arrivalOrder = requests.indices.sorted { (requests[$0].arrivalSeconds, $0) < (requests[$1].arrivalSeconds, $1) }

        var log = RequestLog(count: requests.count)
        var outputs = Array(repeating: [Int32](), count: requests.count)
        var steps: [Step] = []
        var waiting = Deque<Int>()
        var running: [Running] = []
        var freeSlots = Array((0..<maxBatchSequences).reversed())
        var nextArrival = 0
        var peakSequences = 0, peakContext = 0
        let timingBefore = backend.timing
        let start = ContinuousClock.now
        func elapsed() -> Double { (ContinuousClock.now - start).seconds }

        while log.completed < requests.count {
            let now = elapsed()
            while nextArrival < arrivalOrder.count, requests[arrivalOrder[nextArrival]].arrivalSeconds <= now {
                let id = arrivalOrder[nextArrival]
                log.issued[id] = requests[id].arrivalSeconds
                waiting.append(id)
                nextArrival += 1
            }
            // Decodes first, then whole prompts within the rest of the token budget.
            var segments = running.map { ForwardSegment(slot: $0.slot, start: $0.cached, tokens: [$0.last], sample: true) }
            var budget = maxBatchTokens - running.count
            var admitted: [Running] = []
            while running.count + admitted.count < maxBatchSequences, let next = waiting.first,
                  requests[next].inputTokens <= budget {
                waiting.removeFirst()
                let slot = freeSlots.removeLast()
                segments.append(ForwardSegment(slot: slot, start: 0, tokens: prompts[next], sample: true))
                admitted.append(Running(request: next, slot: slot, cached: requests[next].inputTokens, last: 0))
                budget -= requests[next].inputTokens
            }
            if segments.isEmpty {
                // Idle until the next arrival.
                let wait = requests[arrivalOrder[nextArrival]].arrivalSeconds - now
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                continue
            }
            var work = StepWork(decodeSequences: running.count,
                                decodeContextTokens: Double(running.reduce(0) { $0 + $1.cached }),
                                sampledTokens: running.count)
            for sequence in admitted { work.addPrefillChunk(sequence.cached, afterPrefix: 0, completesPrompt: true) }
            let stepStart = elapsed()
            let sampled = backend.forward(segments)
            let end = elapsed()
            steps.append(Step(work: work, seconds: end - stepStart))
            peakSequences = max(peakSequences, running.count + admitted.count)

            // Decodes: one more token each; prompts: their first.
            var stillRunning: [Running] = []
            for (index, var sequence) in (running + admitted).enumerated() {
                let id = sequence.request
                let token = sampled[index]
                outputs[id].append(token)
                log.outputTokens += 1
                if index >= running.count { log.firstToken[id] = end } else { sequence.cached += 1 }
                peakContext = max(peakContext, sequence.cached)
                if outputs[id].count == requests[id].outputTokens {
                    log.completion[id] = end
                    log.completed += 1
                    freeSlots.append(sequence.slot)
                } else {
                    sequence.last = token
                    stillRunning.append(sequence)
                }
            }
            running = stillRunning
        }
        let timing = backend.timing - timingBefore
        let seconds = log.completion.max() ?? 0
        return Result(requests: requests, log: log, outputs: outputs, steps: steps, seconds: seconds,
                      timing: timing, peakSequences: peakSequences, peakContext: peakContext)
    }
}
