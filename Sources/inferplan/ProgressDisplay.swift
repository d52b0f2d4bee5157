import Foundation

/// Progress on stderr: a bar with an ETA redrawn in place when stderr is a terminal, otherwise a
/// plain line every tenth of the work (or every 10 s).
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastLine = Date.distantPast
    private var lastReported = -1
    private var startDone: Int?
    private let unit: String

    init(label: String, unit: String = "points") {
        self.label = label
        self.unit = unit
    }

    func update(done: Int, total: Int) {
        lock.lock(); defer { lock.unlock() }
        if startDone == nil { startDone = done }
        let elapsed = Date().timeIntervalSince(started)
        let ranHere = done - (startDone ?? 0)
        let eta = ranHere > 0 ? elapsed / Double(ranHere) * Double(total - done) : .nan
        let etaText = eta.isFinite ? String(format: "ETA %.0f s", eta) : "ETA -"
        if isTerminal {
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            Console.err("\r\(label) [\(bar)] \(done)/\(total) \(etaText)   ")
            if done == total { Console.err("\n") }
        } else {
            let step = max(1, total / 10)
            guard done == total || done / step != lastReported / step || Date().timeIntervalSince(lastLine) > 10 else { return }
            lastReported = done
            lastLine = Date()
            Console.err("\(label): \(done)/\(total) \(unit), \(etaText)\n")
        }
    }
}
