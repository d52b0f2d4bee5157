import Dispatch
import Foundation

/// Runs a sweep's points on `jobs` threads, recording each as it finishes; stops cleanly on SIGINT
/// or SIGTERM (the points in flight finish and are recorded), so the same command resumes.
public struct SweepRunner {
    public var sweep: SweepDefinition
    public var results: SweepResults
    public var shard: Shard
    public var jobs: Int
    /// Called after each point with (done, total) of this shard.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(sweep: SweepDefinition, results: SweepResults, shard: Shard = .whole, jobs: Int,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.sweep = sweep
        self.results = results
        self.shard = shard
        self.jobs = jobs
        self.progress = progress
    }

    /// The shard's points, in order.
    public var points: [Int] { (0..<sweep.count).filter(shard.contains) }

    /// Runs what is left; returns false if it was interrupted before the end.
    @discardableResult
    public func run(stopAfter limit: Int? = nil) throws -> Bool {
        let sweep = self.sweep, results = self.results, progress = self.progress
        let mine = points
        let todo = mine.filter { !results.isDone($0) }
        let state = RunState(todo: todo, total: mine.count, done: mine.count - todo.count, limit: limit)
        let stopper = InterruptWatcher { state.stop() }
        defer { stopper.cancel() }
        progress?(state.done, state.total)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, todo.count))) { _ in
            while let point = state.next() {
                do {
                    try results.record(try SweepRow.run(point: point, of: sweep))
                } catch {
                    // The first failed write (or internal error) stops every thread after its current point.
                    state.fail(error)
                    return
                }
                progress?(state.finishedOne(), state.total)
            }
        }
        if let failure = state.failure { throw failure }
        try results.finish()
        return !state.stopped
    }
}

/// The work queue shared by the sweep's threads.
final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var todo: [Int]
    private var position = 0
    private var started = 0
    private let limit: Int?
    let total: Int
    private(set) var done: Int
    private(set) var stopped = false

    init(todo: [Int], total: Int, done: Int, limit: Int?) {
        self.todo = todo
        self.total = total
        self.done = done
        self.limit = limit
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        if let limit, started >= limit { stopped = true }
        guard !stopped, position < todo.count else { return nil }
        defer { position += 1; started += 1 }
        return todo[position]
    }

    func finishedOne() -> Int {
        lock.lock(); defer { lock.unlock() }
        done += 1
        return done
    }

    /// The first error a thread met; it stops the others.
    private(set) var failure: Error?

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil { failure = error }
        stopped = true
    }

    func stop() {
        lock.lock(); defer { lock.unlock() }
        stopped = true
    }
}

/// Turns SIGINT and SIGTERM into a call of `onSignal` for as long as it lives.
final class InterruptWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(onSignal: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onSignal)
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
    }
}
