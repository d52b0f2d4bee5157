import Foundation
import Testing
@testable import InferplanKit

/// The `inferplan` binary as a user meets it: exit status 2 and one clear message for bad input,
/// and never overwriting a file without being asked.
@Suite struct CommandLineTests {
    private let scratch = ScratchFolder()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("inferplan")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Bundle.main.bundleURL.appendingPathComponent("inferplan")
    }

    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = Fixtures.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFile(_ text: String) throws -> String {
        let path = scratch.file("\(UUID().uuidString).yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func badScenarioExitsTwoWithFileLineAndKey() throws {
        let path = try temporaryFile(Fixtures.defaultScenarioYAML.replacingOccurrences(of: "tensor: 1", with: "tensor: 5"))
        let outcome = try run(["run", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("error: \(path):4: parallelism.tensor: tensor parallelism 5 does not divide"))
        #expect(outcome.stderr.contains("valid: one of 1, 2, 4, 8"))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func missingFileExitsTwo() throws {
        let outcome = try run(["run", "no/such/scenario.yaml"])
        #expect(outcome.status == 2 && outcome.stderr.contains("no such file"))
    }

    @Test func badFlagExitsTwoWithUsage() throws {
        let outcome = try run(["run", "Scenarios/default.yaml", "--format", "xml"])
        #expect(outcome.status == 2 && outcome.stderr.contains("xml"))
    }

    @Test func jsonReportHasTheDocumentedFields() throws {
        let outcome = try run(["run", "Scenarios/default.yaml", "--set", "workload.samples=300", "--format", "json"])
        #expect(outcome.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        for key in ["output_tokens_per_s", "output_tokens_per_s_per_gpu", "completed_samples", "gpus", "nodes", "ttft_ms", "tpot_ms",
                    "mean_batch_seqs", "kv_peak_fraction", "simulated_s", "wall_s", "events"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let ttft = try #require(json["ttft_ms"] as? [String: Double])
        #expect(Set(ttft.keys) == ["p50", "p90", "p99", "mean"])
        #expect(json["completed_samples"] as? Int == 300)
    }

    @Test func outputIsNeverOverwrittenWithoutForce() throws {
        let path = try temporaryFile("precious")
        let refused = try run(["run", "Scenarios/default.yaml", "--set", "workload.samples=50", "--output", path])
        #expect(refused.status == 2 && refused.stderr.contains("--force"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
        let forced = try run(["run", "Scenarios/default.yaml", "--set", "workload.samples=50", "--output", path, "--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("throughput"))
    }

    @Test func catalogListsEveryReferenceGPUAndModel() throws {
        let outcome = try run(["catalog"])
        #expect(outcome.status == 0)
        for id in ["h100-sxm", "h200-sxm", "b200", "b300", "gb200", "gb300", "mi300x", "mi325x", "mi350x", "mi355x",
                   "llama2-70b", "llama3.1-8b", "llama3.1-70b", "llama3.1-405b", "mixtral-8x7b", "gpt-oss-120b", "gpt-oss-20b",
                   "deepseek-r1", "mlperf-llama2-70b", "mlperf-gpt-oss-120b"] {
            #expect(outcome.stdout.contains(id), "catalog lacks \(id)")
        }
    }

    @Test func hostcheckRejectsBadArgumentsWithWhatToTypeInstead() throws {
        let missing = try run(["hostcheck", "Calibration/nope.yaml"])
        #expect(missing.status == 2 && missing.stderr.contains("no calibration profile at Calibration/nope.yaml")
                && missing.stderr.contains("inferplan calibrate --output Calibration/nope.yaml"))
        let split = try run(["hostcheck", "Calibration/host-xeon-avx512-2threads.yaml", "--max-batch-tokens", "64"])
        #expect(split.status == 2 && split.stderr.contains("--max-batch-tokens must be at least --input-tokens (128)"))
        let zero = try run(["hostcheck", "Calibration/host-xeon-avx512-2threads.yaml", "--requests", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--requests must be between 1 and 100000; got 0"))
        let moe = try run(["hostcheck", "Calibration/host-xeon-avx512-2threads.yaml", "--model", "mixtral-8x7b"])
        #expect(moe.status == 2 && moe.stderr.contains("mixture of experts"))
        #expect(moe.stdout.isEmpty)
    }

    /// A report that cannot be written is exit status 1 with the reason in words, never a trap.
    @Test func aFullDeviceIsAnErrorNotACrash() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["run", "Scenarios/default.yaml", "--set", "workload.samples=50"]
        process.currentDirectoryURL = Fixtures.packageRoot
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"), "needs /dev/full")
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr == "error: cannot write the report: No space left on device\n")
    }

    /// Model options that would give a non-finite step or a silently different prediction are
    /// refused up front with exit status 2 (they used to trap, or print another number with exit 0).
    @Test(arguments: [["validate", "--overlap-exponent", "0"], ["validate", "--overlap-exponent", "nan"],
                      ["validate", "--gemm-half-efficiency-tokens", "nan"], ["validate", "--gemm-half-efficiency-tokens", "1e308"],
                      ["fit", "--gemm-half-efficiency-tokens=-1"]])
    func badModelOptionsAreRefused(arguments: [String]) throws {
        let outcome = try run(arguments)
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.contains("must be"), "\(arguments): \(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    /// An empty node list is an error, not an empty table with exit 0 (issue 20).
    @Test func scaleWithoutNodeCountsIsRefused() throws {
        let outcome = try run(["scale", "Scenarios/default.yaml", "--nodes", ""])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--nodes names no node count"))
        #expect(outcome.stdout.isEmpty)
    }

    /// An output that cannot be written is refused while the arguments are parsed, before any work
    /// (issue 20: `plan --output EXISTING` used to compute for 85 s first).
    @Test func outputIsCheckedBeforeTheWork() throws {
        let existing = try temporaryFile("precious")
        let refused = try run(["plan", "Scenarios/plans/llama2-70b-server.yaml", "--target-tokens-per-s", "200000", "--output", existing])
        #expect(refused.status == 2 && refused.stderr.contains("would be overwritten"))
        let missingFolder = try run(["run", "Scenarios/default.yaml", "--output", "/nonexistent-\(UUID().uuidString)/r.json"])
        #expect(missingFolder.status == 2 && missingFolder.stderr.contains("does not exist"))
    }

    /// `--force` writes through a symbolic link to its target (the link stays a link) and refuses a
    /// FIFO or device instead of replacing it with a regular file (issue 20).
    @Test func forceWritesThroughLinksAndRefusesSpecialFiles() throws {
        let folder = try scratch.folder()
        try "old".write(toFile: folder + "/real.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/real.txt")
        let linked = try run(["run", "Scenarios/default.yaml", "--set", "workload.samples=50", "--output", folder + "/link", "--force"])
        #expect(linked.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link") == folder + "/real.txt")
        #expect(try String(contentsOfFile: folder + "/real.txt", encoding: .utf8).contains("throughput"))
        #expect(mkfifo(folder + "/fifo", 0o644) == 0)
        let fifo = try run(["run", "Scenarios/default.yaml", "--set", "workload.samples=50", "--output", folder + "/fifo", "--force"])
        #expect(fifo.status == 2 && fifo.stderr.contains("a FIFO or other special file, not a regular file"))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/fifo")
        #expect(attributes[.type] as? FileAttributeType != .typeRegular)
    }

    /// Issue 20: two sweeps on one folder. The second is refused (exit 2) while the first runs; a
    /// SIGKILL of the first frees the folder, and the next run resumes it.
    @Test func aSecondSweepOnTheFolderIsRefusedUntilTheFirstIsGone() throws {
        let folder = try scratch.folder()
        let seeds = (1...200).map(String.init).joined(separator: ", ")
        try "base: \(Fixtures.packageRoot.path)/Scenarios/default.yaml\naxes:\n  workload.seed: [\(seeds)]\n"
            .write(toFile: folder + "/sweep.yaml", atomically: true, encoding: .utf8)
        let first = Process()
        first.executableURL = Self.binary
        first.arguments = ["sweep", folder + "/sweep.yaml", "--output", folder + "/out", "--jobs", "1"]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // The manifest is written once the lock is held.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: folder + "/out/results.manifest.json"), Date() < deadline { usleep(20_000) }
        let second = try run(["sweep", folder + "/sweep.yaml", "--output", folder + "/out", "--jobs", "1"])
        #expect(first.isRunning, "the first sweep ended before the second started: make it longer")
        #expect(second.status == 2 && second.stderr.contains("another sweep is writing to this folder"), "\(second.stderr)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // The kernel dropped the dead process's lock: the folder opens again, with its finished points.
        let resumed = try SweepResults(directory: folder + "/out", sweep: SweepDefinition(path: folder + "/sweep.yaml"), shard: .whole)
        #expect(resumed.rows.count < 200)
    }

    /// Issue 20: a folder that cannot be written is named with the system's reason in words, for
    /// every command that writes - never a raw `NSCocoaErrorDomain` dump or "The file doesn't exist".
    /// `/sys` stands in for a read-only folder: nobody, not even root, may create entries there.
    /// A path under a regular file stands for a folder that cannot exist.
    @Test func unwritableFoldersAreNamedWithTheReason() throws {
        let results = try scratch.folder()
        let sweep = try run(["sweep", "Scenarios/sweeps/ci.yaml", "--output", results + "/out", "--jobs", "2"])
        try #require(sweep.status == 0, "\(sweep.stderr)")
        let file = try temporaryFile("not a folder")
        let cases: [(arguments: [String], says: String)] = [
            (["sweep", "Scenarios/sweeps/ci.yaml", "--output", "/sys/inferplan-test/out"], "cannot create the folder /sys/inferplan-test: "),
            (["merge", results + "/out", "--output", "/sys/inferplan-test"], "cannot create the folder /sys/inferplan-test: "),
            (["merge", results + "/out", "--output", file + "/merged"], "cannot create the folder \(file)/merged: Not a directory"),
            (["report", results + "/out", "--html", "/sys/report.html"], "/sys"),
            (["run", "Scenarios/default.yaml", "--output", file + "/report.txt"], "it is not a folder"),
        ]
        for (arguments, says) in cases {
            let outcome = try run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(says), "\(arguments): \(outcome.stderr)")
            #expect(!outcome.stderr.contains("NSCocoaErrorDomain") && !outcome.stderr.contains("doesn’t exist"), "\(arguments): \(outcome.stderr)")
        }
    }

    /// Help reads at 80 columns: argument-parser wraps the prose (no line of ours is hard-wrapped
    /// mid-sentence or longer than the terminal), examples fit, and no option says its default twice.
    @Test(arguments: ["", "run", "scale", "calibrate", "sweep", "sweep-status", "merge", "plan", "report", "catalog", "validate", "fit", "hostcheck"])
    func helpFitsEightyColumns(command: String) throws {
        let outcome = try run((command.isEmpty ? [] : [command]) + ["--help"])
        #expect(outcome.status == 0)
        for line in outcome.stdout.split(separator: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "inferplan \(command) --help: \(line)")
            #expect(line.components(separatedBy: "(default").count <= 2, "inferplan \(command) --help: \(line)")
        }
    }

    /// `--format html` is a page for every command that lists it, and refused up front, naming the
    /// command, where there is none.
    @Test func htmlIsAPageOrARefusalNamingTheCommand() throws {
        let catalog = try run(["catalog", "--format", "html"])
        #expect(catalog.status == 0 && catalog.stdout.hasPrefix("<!DOCTYPE html>") && catalog.stdout.contains("<h1>inferplan catalog</h1>"))
        let fit = try run(["fit", "--format", "html"])
        #expect(fit.status == 2 && fit.stderr.contains("--format html is not available for `inferplan fit`"))
        // A --set is named in the header, so that the file's name never reads as the whole story.
        let changed = try run(["run", "Scenarios/default.yaml", "--set", "workload.samples=500", "--set", "hardware.gpu=b200"])
        #expect(changed.status == 0)
        #expect(changed.stdout.split(separator: "\n").dropFirst().first == "  changed     --set workload.samples=500, --set hardware.gpu=b200")
    }

    /// `sweep --slurm`: the scripts are written first; without Slurm on PATH the submission fails
    /// with what to do instead; a folder that holds a submission is not written over; misuse is
    /// refused before anything is written.
    @Test func slurmSubmissionsSayWhatIsMissing() throws {
        let dir = scratch.file("slurm-\(UUID().uuidString)")
        let sweep = dir + ".yaml"
        try "base: \(Fixtures.packageRoot.path)/Scenarios/default.yaml\naxes:\n  hardware.nodes: [1, 2, 3]\n"
            .write(toFile: sweep, atomically: true, encoding: .utf8)
        let noSlurm = try run(["sweep", sweep, "--slurm", "--array", "2", "--output", dir], environment: ["PATH": "/nonexistent"])
        #expect(noSlurm.status == 2 && noSlurm.stderr.contains("sbatch") && noSlurm.stderr.contains("--dry-run"), "\(noSlurm.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/slurm/sweep.sbatch") && FileManager.default.fileExists(atPath: dir + "/slurm/merge.sbatch"))
        let again = try run(["sweep", sweep, "--slurm", "--dry-run", "--output", dir])
        #expect(again.status != 0 && again.stderr.contains("already holds a Slurm submission") && again.stderr.contains("--resubmit"))
        let k8s = try run(["sweep", sweep, "--k8s", "--array", "3", "--output", dir + "-k8s"])
        #expect(k8s.status == 0 && FileManager.default.fileExists(atPath: dir + "-k8s/k8s/sweep-jobs.yaml"))
        let misuse = try run(["sweep", sweep, "--slurm", "--shard", "1/2"])
        #expect(misuse.status != 0 && misuse.stderr.contains("--shard and --check are for one machine's run"))
        let nothing = try run(["sweep", "--slurm", "--resubmit", dir + "-none"])
        #expect(nothing.status == 2 && nothing.stderr.contains("no Slurm submission recorded here"))
        let status = try run(["sweep-status", dir])
        #expect(status.status == 1 && status.stdout.contains("sweep slurm-") && status.stdout.contains("not merged yet"))
    }
}
