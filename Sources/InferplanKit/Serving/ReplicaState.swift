import DequeModule
import HeapModule

/// The bookkeeping of one replica's queues and paged KV cache, kept O(1) per step in the batch size.
///
/// Decoding sequences are never visited one by one. Each step adds one token to every one of them (a
/// running sum), and the step at which each will finish is known when it starts decoding, so
/// completions come off a min-heap keyed by that step. KV blocks are exact: all decoding sequences
/// advance in lockstep, so a sequence that joined at step S0 with c0 cached tokens writes into a new
/// block at step S exactly when (c0 - S0 + S) is a multiple of the block size; counting decoding
/// sequences per phase (c0 - S0) mod B gives the blocks a step needs in O(1).
public struct ReplicaState {
    /// A prompt (or a preempted sequence being recomputed) admitted to the batch, prefill unfinished.
    struct Prefill {
        var request: Int
        var done: Int
        var target: Int
    }

    /// One prompt chunk planned for the step in flight.
    struct PlannedChunk {
        var slot: Int      // index into `prefilling`
        var tokens: Int
    }

    /// A decoding sequence, keyed by the step count after which it has produced its last token.
    struct Finish: Comparable {
        var step: Int
        var request: Int
        var epoch: UInt32
        static func < (a: Finish, b: Finish) -> Bool { (a.step, a.request) < (b.step, b.request) }
    }

    public let kvCapacityTokens: Int
    public let blockTokens: Int
    public let capacityBlocks: Int
    public let policy: KVCachePolicy
    /// Paged admission keeps this many blocks free for running sequences to grow into (vLLM: 1%).
    let watermarkBlocks: Int
    /// Blocks every running sequence holds besides its tokens' own: the KV of sliding-window layers
    /// (gpt-oss), bounded by the window, in full-layer token equivalents.
    public let windowBlocks: Int

    /// Requests routed here and not yet admitted (preempted ones go back to the front).
    var waiting = Deque<Int>()
    /// Sequences whose KV arrived from a prefill replica, waiting to start decoding (disaggregated).
    var transferred = Deque<Int>()
    var prefilling: [Prefill] = []
    var planned: [PlannedChunk] = []
    var finishing = Heap<Finish>()
    /// Admission order, most recent last, for LIFO preemption; entries go stale when their
    /// request's epoch moves on or it completes.
    var admissions: [(request: Int, epoch: UInt32)] = []
    /// Decoding sequences per phase (c0 - S0) mod blockTokens.
    var phaseCounts: [Int]

    /// Sequences decoding one token per step.
    public internal(set) var decodeCount = 0
    /// Sum of their cached context lengths.
    public internal(set) var decodeContextTokens = 0
    /// Blocks held by running sequences.
    public internal(set) var usedBlocks = 0
    /// Blocks promised to admitted requests under `.reserve` (prompt + all output).
    public internal(set) var reservedBlocks = 0
    /// Blocks the decodes of the step in flight allocated.
    /// Energy each GPU of the replica drew above idle over its steps, joules (`PowerProfile`), and
    /// the most it drew above idle in one step, watts.
    public internal(set) var dynamicJoulesPerGPU = 0.0
    public internal(set) var peakDynamicWattsPerGPU = 0.0
    var plannedDecodeBlocks = 0
    /// KV tokens actually cached now.
    public internal(set) var usedTokens = 0
    public internal(set) var peakUsedBlocks = 0
    public internal(set) var stepsDone = 0
    /// Sum over steps of the sequences in each, for the mean batch size.
    public internal(set) var batchSequencesSum = 0
    public internal(set) var preemptions = 0
    /// Output tokens this replica produced.
    public internal(set) var outputTokens = 0

    public init(kvCapacityTokens: Int, blockTokens: Int, policy: KVCachePolicy, windowTokens: Int = 0) {
        self.kvCapacityTokens = kvCapacityTokens
        self.windowBlocks = (windowTokens + blockTokens - 1) / blockTokens
        self.blockTokens = blockTokens
        self.capacityBlocks = kvCapacityTokens / blockTokens
        self.policy = policy
        self.watermarkBlocks = policy == .paged ? capacityBlocks / 100 : 0
        self.phaseCounts = Array(repeating: 0, count: blockTokens)
    }

    /// Requests queued, prefilling or decoding.
    public var outstanding: Int { waiting.count + transferred.count + prefilling.count + decodeCount }

    public var isIdle: Bool { outstanding == 0 }

    /// Sequences holding KV (prefilling or decoding).
    public var running: Int { prefilling.count + decodeCount }
    /// Requests routed here and not admitted yet.
    public var queued: Int { waiting.count }

    public var freeBlocks: Int { capacityBlocks - usedBlocks }

    /// Fraction of the KV cache in use, for routers.
    public var kvLoad: Double { capacityBlocks > 0 ? Double(usedBlocks) / Double(capacityBlocks) : 1 }

    @inline(__always)
    func blocks(_ tokens: Int) -> Int { (tokens + blockTokens - 1) / blockTokens }
}
