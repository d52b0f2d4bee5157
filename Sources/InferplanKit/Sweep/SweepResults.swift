import Foundation

/// A sweep's output folder: a manifest, and the results as JSON Lines (the journal that resuming
/// reads) and CSV, appended one whole line at a time as points finish and rewritten in point order
/// when the sweep completes.
///
/// Resuming never loses or repeats a point: finished points are read back from the journal; a
/// half-written last line (a kill mid-write) is cut off; the CSV is rebuilt from the journal. A
/// folder holding another sweep's results is refused, never overwritten. One sweep (shard) writes to
/// a folder at a time: it holds an exclusive `flock` on `<stem>.lock` while it lives, which the
/// kernel releases however the process ends (SIGKILL included), so a second run is refused at once
/// and never interleaves its lines with the first's.
public final class SweepResults: @unchecked Sendable {
    public let directory: String
    public let axes: [String]
    public let stem: String
    private let lock = NSLock()
    /// The journal, open for appending (internal: tests point it at /dev/full).
    var jsonl: FileHandle?
    private var csv: FileHandle?
    /// The descriptor holding the folder's lock (-1: none).
    private var lockDescriptor: Int32 = -1
    public private(set) var rows: [Int: SweepRow] = [:]

    public var jsonlPath: String { (directory as NSString).appendingPathComponent(stem + ".jsonl") }
    public var csvPath: String { (directory as NSString).appendingPathComponent(stem + ".csv") }
    var manifestPath: String { (directory as NSString).appendingPathComponent(stem + ".manifest.json") }

    /// Opens (or creates) the folder for `sweep`'s shard, reading back what an earlier run finished.
    public init(directory: String, sweep: SweepDefinition, shard: Shard) throws {
        self.directory = directory
        self.axes = sweep.axes.map(\.keyPath)
        self.stem = shard.count == 1 ? "results" : "results.shard-\(shard.index)-of-\(shard.count)"
        let manager = FileManager.default
        try FileOutput.createFolder(directory, location: "--output \(directory)")
        try takeLock()
        let manifest = Self.manifest(name: sweep.name, fingerprint: sweep.fingerprint, points: sweep.count, axes: axes, shard: shard)
        if let existing = manager.contents(atPath: manifestPath) {
            guard String(decoding: existing, as: UTF8.self) == manifest else {
                throw InputError(location: "--output \(directory)", keyPath: "",
                                 problem: "the folder holds results of a different sweep, or of the same sweep before its file or base scenario changed",
                                 valid: "another --output folder (results already there are kept, never overwritten)")
            }
            try readJournal()
        } else {
            for path in [jsonlPath, csvPath] where manager.fileExists(atPath: path) {
                throw InputError(location: "--output \(directory)", keyPath: "", problem: "\(path) exists but has no manifest beside it",
                                 valid: "another --output folder")
            }
            try write(manifest, to: manifestPath)
        }
        try write(csvText(rows: rows.values.sorted { $0.point < $1.point }), to: csvPath)
        if !manager.fileExists(atPath: jsonlPath), !manager.createFile(atPath: jsonlPath, contents: nil) {
            throw InputError(location: "--output \(directory)", keyPath: "", problem: "cannot create \(jsonlPath)",
                             valid: "a folder this user can write to")
        }
        jsonl = FileHandle(forWritingAtPath: jsonlPath)
        csv = FileHandle(forWritingAtPath: csvPath)
        jsonl?.seekToEndOfFile()
        csv?.seekToEndOfFile()
    }

    static func manifest(name: String, fingerprint: String, points: Int, axes: [String], shard: Shard) -> String {
        let axisList = axes.map(SweepRow.jsonString).joined(separator: ",")
        return "{\"sweep\":\(SweepRow.jsonString(name)),\"fingerprint\":\"\(fingerprint)\",\"points\":\(points),\"axes\":[\(axisList)],\"shard\":\"\(shard.index)/\(shard.count)\"}\n"
    }

    deinit {
        try? jsonl?.close()
        try? csv?.close()
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    var lockPath: String { (directory as NSString).appendingPathComponent(stem + ".lock") }

    /// Takes the folder's exclusive lock, or says that another run holds it.
    private func takeLock() throws {
        let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InputError(location: "--output \(directory)", keyPath: "",
                             problem: "cannot create \(lockPath): \(String(cString: strerror(errno)))", valid: "a folder this user can write to")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw InputError(location: "--output \(directory)", keyPath: "",
                             problem: "another sweep is writing to this folder (it holds \(lockPath))",
                             valid: "wait for it to finish, or use another --output folder")
        }
        lockDescriptor = descriptor
    }

    /// Reads the journal; cuts off a half-written last line.
    private func readJournal() throws {
        guard let data = FileManager.default.contents(atPath: jsonlPath) else { return }
        var text = String(decoding: data, as: UTF8.self)
        if !text.isEmpty, !text.hasSuffix("\n") {
            let keep = text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            text = String(text[..<keep])
            try write(text, to: jsonlPath)
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let row = SweepRow.parse(jsonLine: line, axes: axes) else {
                throw InputError(location: "\(jsonlPath):\(number + 1)", keyPath: "", problem: "not a result line this sweep wrote",
                                 valid: "a results folder written by `inferplan sweep`; use another --output")
            }
            rows[row.point] = row
        }
    }

    public func isDone(_ point: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return rows[point] != nil
    }

    /// Appends a finished point to both files, each as one complete line. Throws (and keeps the
    /// point out of `rows`) when the journal cannot be written - a full disk, say - so the sweep
    /// stops at once instead of running every remaining point and failing at the end.
    public func record(_ row: SweepRow) throws {
        lock.lock(); defer { lock.unlock() }
        do {
            try jsonl?.write(contentsOf: Data((row.jsonLine(axes: axes) + "\n").utf8))
            try csv?.write(contentsOf: Data((row.csvLine + "\n").utf8))
        } catch {
            throw InputError(location: jsonlPath, keyPath: "", problem: "cannot append point \(row.point): \(FileOutput.reason(error))",
                             valid: "room on the device and write permission; the points already recorded are kept, and the same command resumes")
        }
        rows[row.point] = row
    }

    /// Rewrites both files in point order (atomically), so the same sweep gives the same bytes
    /// whatever the number of jobs or interruptions.
    public func finish() throws {
        lock.lock(); defer { lock.unlock() }
        let sorted = rows.values.sorted { $0.point < $1.point }
        try write(sorted.map { $0.jsonLine(axes: axes) + "\n" }.joined(), to: jsonlPath)
        try write(csvText(rows: sorted), to: csvPath)
    }

    func csvText(rows: [SweepRow]) -> String {
        ([SweepRow.csvHeader(axes: axes)] + rows.map(\.csvLine)).joined(separator: "\n") + "\n"
    }

    private func write(_ text: String, to path: String) throws {
        try FileOutput.writeAtomically(text, to: path)
    }
}

/// The i-th of n slices of a sweep's points (1-based): points whose index modulo n is i - 1.
public struct Shard: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `i/n`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, (1...n).contains(i) else {
            throw InputError(location: "--shard \(text)", keyPath: "", problem: "not a slice i/n with 1 <= i <= n", valid: "e.g. --shard 2/8")
        }
        self.init(index: i, count: n)
    }

    public func contains(_ point: Int) -> Bool { point % count == index - 1 }
}
