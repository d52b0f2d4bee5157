import Foundation

/// Runs one case in its own folder with a time limit, watching its memory.
struct CaseRunner {
    let binary: String
    let timeout: Double
    /// Peak resident memory above which a case fails (bytes).
    let memoryLimit: Int

    struct Run {
        var status: Int32
        /// Killed by a signal (a trap is SIGILL or SIGTRAP, an abort SIGABRT).
        var signal: Int32?
        var timedOut: Bool
        var seconds: Double
        var peakBytes: Int
        var stdout: String
        var stderr: String
    }

    func run(_ fuzzCase: FuzzCase, in folder: String) throws -> Run {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (destination, source) in fuzzCase.copies.sorted(by: { $0.key < $1.key }) {
            try manager.copyItem(atPath: source, toPath: folder + "/" + destination)
        }
        for (path, text) in fuzzCase.files.sorted(by: { $0.key < $1.key }) {
            let full = folder + "/" + path
            try manager.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if manager.fileExists(atPath: full) { try manager.removeItem(atPath: full) }
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
        let arguments = fuzzCase.arguments.map { $0.replacingOccurrences(of: "{dir}", with: folder) }
        let process = Process()
        if fuzzCase.output == .closed {
            // Standard output closed, as `inferplan ... >&-` leaves it.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" >&-", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        _ = manager.createFile(atPath: folder + "/.stdout", contents: nil)
        _ = manager.createFile(atPath: folder + "/.stderr", contents: nil)
        let out = FileHandle(forWritingAtPath: fuzzCase.output == .devFull ? "/dev/full" : folder + "/.stdout")!
        let err = FileHandle(forWritingAtPath: folder + "/.stderr")!
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        var peak = 0
        var timedOut = false
        while process.isRunning {
            peak = max(peak, Self.residentBytes(of: process.processIdentifier))
            if Date().timeIntervalSince(started) > timeout * Double(fuzzCase.runs) {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                break
            }
            usleep(peak > memoryLimit ? 0 : 20_000)
        }
        process.waitUntilExit()
        func read(_ name: String) -> String {
            String(decoding: manager.contents(atPath: folder + "/" + name) ?? Data(), as: UTF8.self)
        }
        let signalled = process.terminationReason == .uncaughtSignal
        return Run(status: process.terminationStatus, signal: signalled ? process.terminationStatus : nil, timedOut: timedOut,
                   seconds: Date().timeIntervalSince(started), peakBytes: peak, stdout: read(".stdout"), stderr: read(".stderr"))
    }

    /// The process's peak resident set so far (VmHWM), 0 when it has gone.
    static func residentBytes(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
}
