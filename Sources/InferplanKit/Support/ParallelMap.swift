import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` on `jobs` threads, results in the input's order whatever the threads' timing, so the
    /// output is deterministic. Items are handed out one at a time (the next free thread takes the
    /// next item): work of uneven size balances itself. `progress(done, total)` is called after each
    /// item, from the thread that finished it. When `transform` throws, every item still runs and
    /// the error of the first item in input order is thrown, so which error surfaces does not
    /// depend on the threads either; a transform that cannot throw makes this call non-throwing.
    ///
    /// - Complexity: O(n) calls of `transform`, `jobs` at a time.
    public func parallelMap<Output: Sendable, Failure: Error>(
        jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil,
        _ transform: @Sendable (Element) throws(Failure) -> Output
    ) throws(Failure) -> [Output] {
        let state = ParallelMapState<Result<Output, Failure>>(count: count)
        let items = self
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(jobs, count))) { _ in
            while let index = state.claim() {
                let result = Result { () throws(Failure) -> Output in try transform(items[index]) }
                let done = state.store(result, at: index)
                progress?(done, items.count)
            }
        }
        var outputs: [Output] = []
        outputs.reserveCapacity(count)
        for result in state.results() { outputs.append(try result.get()) }
        return outputs
    }
}

/// The shared cursor and result slots of one `parallelMap`.
private final class ParallelMapState<Result>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [Result?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: Result, at index: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
        done += 1
        return done
    }

    func results() -> [Result] { slots.map { $0! } }
}

/// All cores of this machine: the default of every `--jobs`.
public var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }
