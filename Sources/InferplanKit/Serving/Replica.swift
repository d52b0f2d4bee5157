/// One model replica: a tensor-parallel group of GPUs running its own batching loop.
///
/// Its life is a chain of steps: `startStep` forms a batch and returns how long it takes;
/// `finishStep` applies the step's effects (tokens produced, prompts done, sequences finished,
/// prompts handed to a decode replica) and lists what left the replica.
public final class Replica {
    public enum Role: String, Sendable {
        /// Prompts and decodes (aggregated serving).
        case mixed
        /// Prompts only; finished prompts' KV goes to a decode replica.
        case prefill
        /// Decodes only; sequences arrive with their prompt KV.
        case decode
    }

    public let index: Int
    public let node: Int
    /// The node group it belongs to.
    public let group: Int
    public let role: Role
    /// Relative speed (1 for the fastest GPU type of the cluster), for routers that weigh replicas.
    public let weight: Double
    public private(set) var state: ReplicaState
    public private(set) var isBusy = false
    /// Multiplies every step time: this replica's GPUs' speed relative to nominal (> 1 is slower).
    public let slowdown: Double
    /// Requests that finished in the last step.
    public private(set) var completed: [Int] = []
    /// Requests whose prompt finished in the last step on a prefill replica, to be handed off.
    public private(set) var handoffs: [Int] = []
    /// Engine steps the work in flight stands for: 1, or more for a decode run (`startStep`).
    public private(set) var stepsInFlight = 0

    private let scheduler: any BatchScheduler
    private let stepModel: StepTimeModel
    private let jitter: StepJitter?
    /// How its GPUs' power follows their activity.
    public let power: PowerProfile
    /// GPUs one step of this replica occupies: its tensor group (a pipelined replica is one
    /// replica object per stage's virtual engine).
    public var gpus: Int { stepModel.tensorParallel }

    public init(index: Int, node: Int, group: Int = 0, role: Role, state: ReplicaState, scheduler: any BatchScheduler,
                stepModel: StepTimeModel, weight: Double = 1, slowdown: Double = 1, jitter: StepJitter? = nil) {
        self.index = index
        self.node = node
        self.group = group
        self.weight = weight
        self.role = role
        self.state = state
        self.scheduler = scheduler
        self.stepModel = stepModel
        self.slowdown = slowdown
        self.jitter = jitter
        power = stepModel.gpu.power
    }

    /// Times one step of `work` on this replica (its speed and jitter applied) and books the
    /// dynamic energy its GPUs draw over it. Returns the step's seconds. O(1).
    private func costStep(_ work: StepWork) -> Double {
        let activity = stepModel.activity(for: work)
        // Under a power cap the clock drops until the step fits (`PowerProfile.capped`), and the
        // capped step's energy is its own; otherwise the energy follows the step as stretched by
        // this replica's speed and jitter.
        let capped = power.capWatts == nil ? nil
            : power.capped(computeBound: activity.computeBound, other: activity.seconds - activity.computeBound,
                           computeBusy: activity.computeBusy, memoryBusy: activity.memoryBusy)
        // A GPU faster than the fleet's mean cannot outrun a power cap: under one, only the slower
        // GPUs' slowdown applies (the cap already sets the clock of the others).
        let speed = capped == nil ? slowdown : max(1, slowdown)
        let seconds = (capped?.seconds ?? activity.seconds) * speed * (jitter?.next() ?? 1)
        let joules = capped?.dynamicJoules
            ?? power.dynamicJoules(seconds: seconds, computeBusy: activity.computeBusy, memoryBusy: activity.memoryBusy)
        state.dynamicJoulesPerGPU += joules
        if seconds > 0 { state.peakDynamicWattsPerGPU = max(state.peakDynamicWattsPerGPU, joules / seconds) }
        return seconds
    }

    public func enqueue(_ request: Int) {
        state.waiting.append(request)
    }

    /// A sequence whose prompt KV arrived from a prefill replica.
    public func receiveTransferred(_ request: Int) {
        state.transferred.append(request)
    }

    /// Forms the next batch at `now`; returns when it ends, or nil when there is nothing to run.
    ///
    /// With `decodeRun`, which the engine allows once no request can reach this replica any more,
    /// a batch of decodes alone runs on as one piece of work until its next sequence finishes or
    /// its KV would need a preemption: nothing else can change such a batch, so its steps are
    /// costed here one by one (the same step times, jitter draws and block allocations, added in
    /// the same order as separate steps would be) and the engine sees one event instead of one
    /// per token. O(steps) arithmetic, no events.
    public func startStep(at now: Double, requests: [Request], book: inout RequestBook, decodeRun: Bool = false) -> Double? {
        precondition(!isBusy, "replica \(index) started a step while one is in flight")
        var work = scheduler.formBatch(&state, requests: requests, book: &book)
        guard !work.isEmpty else { return nil }
        isBusy = true
        stepsInFlight = 1
        state.batchSequencesSum += state.decodeCount + state.planned.count
        state.peakUsedBlocks = max(state.peakUsedBlocks, state.usedBlocks)
        var end = now + costStep(work)
        guard decodeRun, state.planned.isEmpty, state.prefilling.isEmpty, state.waiting.isEmpty, state.transferred.isEmpty,
              state.decodeCount > 0 else { return end }
        // The run ends at the step a sequence finishes in (`finishing` holds the step count after
        // which each one is done).
        let lastStep = state.finishing.min?.step ?? Int.max
        while state.stepsDone + stepsInFlight < lastStep {
            let needed = state.phaseCounts[state.phase(cached: 0, step: state.stepsDone + stepsInFlight)]
            guard needed <= state.freeBlocks else { break }
            state.usedBlocks += needed
            state.batchSequencesSum += state.decodeCount
            state.peakUsedBlocks = max(state.peakUsedBlocks, state.usedBlocks)
            work.decodeContextTokens += Double(state.decodeCount)
            end = end + costStep(work)
            stepsInFlight += 1
        }
        return end
    }

    /// Applies the step that just ended at `now`.
    public func finishStep(at now: Double, requests: [Request], book: inout RequestBook) {
        precondition(isBusy, "replica \(index) finished a step it had not started")
        isBusy = false
        completed.removeAll(keepingCapacity: true)
        handoffs.removeAll(keepingCapacity: true)
        let steps = stepsInFlight
        state.stepsDone += steps
        let step = state.stepsDone

        // Every decoding sequence produced one token per step and cached the one it consumed.
        let tokens = state.decodeCount * steps
        state.usedTokens += tokens
        state.decodeContextTokens += tokens
        book.log.outputTokens += tokens
        state.outputTokens += tokens

        // Prompt chunks; a prompt whose last chunk ran produces a token now (its first, unless it
        // is a preempted sequence being recomputed).
        var finishedSlots: [Int] = []
        for chunk in state.planned {
            state.prefilling[chunk.slot].done += chunk.tokens
            state.usedTokens += chunk.tokens
            if state.prefilling[chunk.slot].done == state.prefilling[chunk.slot].target { finishedSlots.append(chunk.slot) }
        }
        for slot in finishedSlots {
            let entry = state.prefilling[slot]
            let id = entry.request
            book.progress.generated[id] += 1
            book.log.outputTokens += 1
            state.outputTokens += 1
            if book.log.firstToken[id].isNaN { book.log.firstToken[id] = now }
            if Int(book.progress.generated[id]) >= requests[id].outputTokens {
                state.release(id, cached: entry.target, requests: requests)
                complete(id, at: now, book: &book)
            } else if role == .prefill {
                state.release(id, cached: entry.target, requests: requests)
                book.progress.epoch[id] &+= 1
                handoffs.append(id)
            } else {
                state.startDecoding(id, cached: entry.target, requests: requests, book: &book)
            }
        }
        if !finishedSlots.isEmpty { removePrefills(at: finishedSlots) }

        // Sequences whose last token came out of this step (stale entries of preempted ones skipped).
        while let first = state.finishing.min, first.step <= step {
            _ = state.finishing.removeMin()
            guard first.epoch == book.progress.epoch[first.request] else { continue }
            let cached = state.stopDecoding(first.request, book: &book)
            state.release(first.request, cached: cached, requests: requests)
            complete(first.request, at: now, book: &book)
        }
        state.compactAdmissions(book: &book)
        state.checkInvariants()
    }

    private func complete(_ id: Int, at now: Double, book: inout RequestBook) {
        precondition(book.log.completion[id].isNaN, "request \(id) completed twice")
        book.log.completion[id] = now
        book.log.completed += 1
        completed.append(id)
    }

    /// Removes finished prompts (ascending slots) keeping the others in arrival order.
    private func removePrefills(at slots: [Int]) {
        var keep = 0
        var next = 0
        for slot in state.prefilling.indices {
            if next < slots.count, slots[next] == slot { next += 1; continue }
            state.prefilling[keep] = state.prefilling[slot]
            keep += 1
        }
        state.prefilling.removeLast(state.prefilling.count - keep)
    }
}

/// Run-to-run noise in step times: a multiplicative factor drawn per step from a normal of mean 1
/// (clipped to at least 0.5), from a GSL stream of the replica's own.
public final class StepJitter {
    private let random: RandomSource
    private let sd: Double

    public init(seed: UInt64, sd: Double) {
        self.random = RandomSource(seed: seed)
        self.sd = sd
    }

    func next() -> Double { max(0.5, random.normal(mean: 1, sd: sd)) }
}
