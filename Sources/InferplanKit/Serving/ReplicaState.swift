import DequeModule
import HeapModule

/// The bookkeeping of one replica's queues and KV cache, kept O(1) per step in the batch size.
///
/// Decoding sequences are never visited one by one: each step adds one token to every one of them,
/// which is a running sum (`decodeContextTokens += decodeCount`); the step at which each will finish
/// is known when it starts decoding, so completions come off a min-heap keyed by that step.
public struct ReplicaState {
    /// A prompt admitted to the batch whose prefill has not finished.
    struct Prefill {
        var request: Int
        var done: Int
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
        static func < (a: Finish, b: Finish) -> Bool { (a.step, a.request) < (b.step, b.request) }
    }

    public let kvCapacityTokens: Int
    var waiting = Deque<Int>()
    var prefilling: [Prefill] = []
    var planned: [PlannedChunk] = []
    var finishing = Heap<Finish>()

    /// Sequences decoding one token per step.
    public internal(set) var decodeCount = 0
    /// Sum of their cached context lengths.
    public internal(set) var decodeContextTokens = 0
    /// KV tokens promised to admitted requests (prompt + all output): admission keeps this within
    /// capacity, which guarantees no request is ever evicted.
    public internal(set) var reservedTokens = 0
    /// KV tokens actually cached now; never above `reservedTokens`.
    public internal(set) var usedTokens = 0
    public internal(set) var peakUsedTokens = 0
    public internal(set) var stepsDone = 0
    /// Sum over steps of the sequences in each, for the mean batch size.
    public internal(set) var batchSequencesSum = 0

    public init(kvCapacityTokens: Int) {
        self.kvCapacityTokens = kvCapacityTokens
    }

    /// Requests queued, prefilling or decoding.
    public var outstanding: Int { waiting.count + prefilling.count + decodeCount }

    public var isIdle: Bool { outstanding == 0 }
}
