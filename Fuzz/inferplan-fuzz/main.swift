import Foundation

// inferplan-fuzz: mutates the bundled scenarios, sweeps, traces, results folders and CSVs, runs
// `inferplan` on each case in its own folder, and classifies every outcome. A pass is exit 0 with
// a report whose invariants hold, exit 2 with a message that names where the problem is, or exit 1
// for a write that failed and says so. Anything else - a crash, a hang, a memory blow-up, a report
// that breaks an invariant, exit 3, a message naming no place - fails the run (exit 1).
//
//   swift build -c release && .build/release/inferplan-fuzz --cases 300          # CI (scripts/test.sh)
//   .build/release/inferplan-fuzz --cases 10000 --keep fuzz-failures              # before a release
//   .build/release/inferplan-fuzz --seed 1 --only 4711 --keep /tmp/case           # replay one case

struct Options {
    var binary = ".build/release/inferplan"
    var root = FileManager.default.currentDirectoryPath
    var cases = 300
    var seed: UInt64 = 1
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    var timeout = 20.0
    var memoryGB = 4.0
    var only: Int?
    var keep: String?
    /// Print every case's outcome and first line of stderr (for reviewing messages).
    var verbose = false

    static let usage = """
    usage: inferplan-fuzz [--binary PATH] [--root REPO] [--cases N] [--seed S] [--jobs J] [--timeout SECONDS]
                          [--memory-gb GB] [--only CASE] [--keep FOLDER] [--verbose]
    """

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ name: String) -> String {
            guard let next = rest.popFirst() else { fail("\(name) needs a value") }
            return next
        }
        func number<T: LosslessStringConvertible>(_ name: String, _ hint: String) -> T {
            guard let parsed = T(value(name)) else { fail("\(name) takes \(hint)") }
            return parsed
        }
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("error: \(message)\n\(usage)\n".utf8))
            exit(2)
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--binary": options.binary = value(argument)
            case "--root": options.root = value(argument)
            case "--cases": options.cases = number(argument, "a whole number, e.g. --cases 300")
            case "--seed": options.seed = number(argument, "a whole number, e.g. --seed 1")
            case "--jobs": options.jobs = max(1, number(argument, "a whole number, e.g. --jobs 2"))
            case "--timeout": options.timeout = number(argument, "seconds, e.g. --timeout 20")
            case "--memory-gb": options.memoryGB = number(argument, "gigabytes, e.g. --memory-gb 4")
            case "--only": options.only = number(argument, "a case number, e.g. --only 17")
            case "--keep": options.keep = value(argument)
            case "--verbose": options.verbose = true
            case "-h", "--help": print(usage); exit(0)
            default: fail("unknown argument '\(argument)'")
            }
        }
        options.binary = URL(fileURLWithPath: options.binary).standardizedFileURL.path
        options.root = URL(fileURLWithPath: options.root).standardizedFileURL.path
        return options
    }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
guard FileManager.default.isExecutableFile(atPath: options.binary) else {
    FileHandle.standardError.write(Data("error: no inferplan binary at \(options.binary); build it with `swift build -c release` or give --binary\n".utf8))
    exit(2)
}
let work = FileManager.default.temporaryDirectory.appendingPathComponent("inferplan-fuzz-\(getpid())").path
let memoryLimit = Int(options.memoryGB * 1e9)
// A private copy of the binary: a rebuild during a long run would otherwise fail launches with
// "Text file busy", or test two builds in one run.
let binary = work + "/inferplan"
do {
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: options.binary, toPath: binary)
} catch {
    FileHandle.standardError.write(Data("error: could not copy \(options.binary) to \(binary): \(error)\n".utf8))
    exit(1)
}
let runner = CaseRunner(binary: binary, timeout: options.timeout, memoryLimit: memoryLimit)
let started = Date()

let fixture: CaseGenerator.Fixture
do {
    fixture = try Fixture.make(in: work + "/fixture", root: options.root, binary: binary)
} catch {
    FileHandle.standardError.write(Data("error: could not build the fixture: \(error)\n".utf8))
    try? FileManager.default.removeItem(atPath: work)
    exit(1)
}
let generator: CaseGenerator
do {
    generator = try CaseGenerator(root: options.root, fixture: fixture, seed: options.seed)
} catch {
    FileHandle.standardError.write(Data("error: could not read the inputs under \(options.root): \(error)\n".utf8))
    try? FileManager.default.removeItem(atPath: work)
    exit(2)
}

let numbers = options.only.map { [$0] } ?? Array(0..<options.cases)
let tally = Tally()
DispatchQueue.concurrentPerform(iterations: options.jobs) { worker in
    var index = worker
    while index < numbers.count {
        let fuzzCase = generator.make(numbers[index])
        let folder = work + "/case-\(fuzzCase.number)"
        let verdict: Verdict
        var seconds = 0.0
        do {
            let run = try runner.run(fuzzCase, in: folder)
            seconds = run.seconds
            verdict = Verdict.judge(run, of: fuzzCase, folder: folder, memoryLimit: memoryLimit)
            tally.add(fuzzCase, verdict, seconds: seconds, stderr: run.stderr)
            if options.verbose {
                print("case \(fuzzCase.number) [\(fuzzCase.kind.rawValue)] \(verdict.column) \(String(format: "%.1f", seconds)) s: \(fuzzCase.what.prefix(120))\n    \(Verdict.firstLine(run.stderr))")
            }
        } catch {
            verdict = .crash("harness: \(error)")
            tally.add(fuzzCase, verdict, seconds: 0, stderr: "")
        }
        if let keep = options.keep, verdict.isFailure || options.only != nil {
            let target = keep + "/case-\(fuzzCase.number)"
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: target)
            try? FileManager.default.copyItem(atPath: folder, toPath: target)
        }
        try? FileManager.default.removeItem(atPath: folder)
        index += options.jobs
    }
}
print(tally.table(seed: options.seed, seconds: Date().timeIntervalSince(started), jobs: options.jobs))
// `exit` skips top-level `defer`s: remove the work folder first.
try? FileManager.default.removeItem(atPath: work)
exit(tally.failures.isEmpty ? 0 : 1)
