import Foundation
import Testing
@testable import InferplanKit

@Suite struct SweepTests {
    private let scratch = ScratchFolder()

    /// A folder with a base scenario and a sweep file over it.
    private func sweepFile(_ axes: String, mode: String = "grid") throws -> String {
        let folder = try scratch.folder()
        let base = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 200")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 2")
        try base.write(toFile: folder + "/base.yaml", atomically: true, encoding: .utf8)
        try "base: base.yaml\nmode: \(mode)\naxes:\n\(axes)\n".write(toFile: folder + "/sweep.yaml", atomically: true, encoding: .utf8)
        return folder + "/sweep.yaml"
    }

    private func outputFolder() -> String {
        scratch.file("out-\(UUID().uuidString)")
    }

    private let axes = "  hardware.gpu: [h200-sxm, b200]\n  precision.weights: [fp8, nvfp4, mxfp4]"

    @Test func gridExpandsLastAxisFastest() throws {
        let sweep = try SweepDefinition(path: sweepFile(axes))
        #expect(sweep.count == 6)
        #expect(sweep.values(ofPoint: 0) == ["h200-sxm", "fp8"])
        #expect(sweep.values(ofPoint: 1) == ["h200-sxm", "nvfp4"])
        #expect(sweep.values(ofPoint: 5) == ["b200", "mxfp4"])
    }

    @Test func zipPairsListsAndNeedsEqualLengths() throws {
        let sweep = try SweepDefinition(path: sweepFile("  hardware.gpu: [h200-sxm, b200]\n  precision.weights: [fp8, nvfp4]", mode: "zip"))
        #expect(sweep.count == 2 && sweep.values(ofPoint: 1) == ["b200", "nvfp4"])
        #expect(throws: InputError.self) { try SweepDefinition(path: sweepFile(axes, mode: "zip")) }
    }

    @Test func unknownKeyPathNamesTheSweepLine() throws {
        let path = try sweepFile("  hardware.gpu: [h200-sxm]\n  serving.max_batch: [1, 2]")
        do {
            _ = try SweepDefinition(path: path)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.location == "\(path):5" && error.keyPath == "axes.serving.max_batch")
            #expect(error.problem.contains("unknown key 'max_batch'") && error.valid.contains("max_batch_seqs"))
        }
    }

    /// Issue 20: an axis that is not a key path (`.`, `hardware.nodes=3`) is refused up front with
    /// its line, instead of a sweep of invalid points that exits 0.
    @Test(arguments: [".", "hardware.nodes=3", "hardware..gpu", "Hardware.GPU"])
    func anAxisThatIsNotAKeyPathIsRefused(key: String) throws {
        let path = try sweepFile("  hardware.gpu: [h200-sxm]\n  '\(key)': [1, 2]")
        let error = #expect(throws: InputError.self) { try SweepDefinition(path: path) }
        #expect(error?.location == "\(path):5")
        #expect(error?.problem == "'\(key)' is not a key path")
    }

    /// Issue 20: a quoted axis value keeps its quotes, so `"x # y"` is not cut at the `#`.
    @Test func quotedAxisValuesStayWhole() throws {
        let path = try sweepFile("  name: [\"x # y\", 'a \"b\" c', plain]")
        let sweep = try SweepDefinition(path: path)
        let names = try (0..<3).map { index in
            try Scenario.load(path: sweep.basePath, overrides: sweep.overrides(ofPoint: index)).name
        }
        #expect(names == ["x # y", "a \"b\" c", "plain"])
    }

    @Test func tooManyPointsAreRefusedBeforeRunning() throws {
        let big = (0..<1001).map(String.init).joined(separator: ", ")
        let path = try sweepFile("  workload.seed: [\(big)]\n  serving.max_batch_seqs: [\(big)]")
        #expect(throws: InputError.self) { try SweepDefinition(path: path) }
    }

    @Test func jobsDoNotChangeTheResults() throws {
        let sweep = try SweepDefinition(path: sweepFile(axes))
        func run(jobs: Int) throws -> String {
            let results = try SweepResults(directory: outputFolder(), sweep: sweep, shard: .whole)
            try SweepRunner(sweep: sweep, results: results, jobs: jobs).run()
            return try String(contentsOfFile: results.jsonlPath, encoding: .utf8) + String(contentsOfFile: results.csvPath, encoding: .utf8)
        }
        let one = try run(jobs: 1)
        #expect(one == (try run(jobs: 2)))
        #expect(one.contains("\"hardware.gpu\":\"b200\""))
    }

    @Test func resumeAfterAKillLeavesExactlyTheRightRows() throws {
        let sweep = try SweepDefinition(path: sweepFile(axes))
        let folder = outputFolder()
        // First run stops after 3 points; then a half-written line, as a kill mid-write leaves.
        do {
            let first = try SweepResults(directory: folder, sweep: sweep, shard: .whole)
            #expect(try !SweepRunner(sweep: sweep, results: first, jobs: 1).run(stopAfter: 3))
            let journal = try FileHandle(forWritingTo: URL(fileURLWithPath: first.jsonlPath))
            journal.seekToEndOfFile()
            journal.write(Data("{\"point\":4,\"hardw".utf8))
            try journal.close()
        }
        // Resumed: the partial line is dropped, the 3 done points are not rerun, the rest are.
        let resumed = try SweepResults(directory: folder, sweep: sweep, shard: .whole)
        #expect(resumed.rows.count == 3)
        var ran: [Int] = []
        let lock = NSLock()
        let runner = SweepRunner(sweep: sweep, results: resumed, jobs: 1) { _, _ in }
        let before = Set(resumed.rows.keys)
        #expect(try runner.run())
        lock.lock(); ran = Array(Set(resumed.rows.keys).subtracting(before)).sorted(); lock.unlock()
        #expect(ran == [3, 4, 5])
        let lines = try String(contentsOfFile: resumed.jsonlPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.compactMap { SweepRow.parse(jsonLine: $0, axes: resumed.axes)?.point } == [0, 1, 2, 3, 4, 5])
        let csvLines = try String(contentsOfFile: resumed.csvPath, encoding: .utf8).split(separator: "\n")
        #expect(csvLines.count == 7)
        // The same results as an uninterrupted run.
        let clean = try SweepResults(directory: outputFolder(), sweep: sweep, shard: .whole)
        try SweepRunner(sweep: sweep, results: clean, jobs: 2).run()
        #expect(try String(contentsOfFile: clean.jsonlPath, encoding: .utf8) == String(contentsOfFile: resumed.jsonlPath, encoding: .utf8))
    }

    /// Issue 20: two runs on one folder - the second is refused while the first holds it, and the
    /// folder is free again as soon as the first is gone.
    @Test func oneSweepWritesToAFolderAtATime() throws {
        let sweep = try SweepDefinition(path: sweepFile(axes))
        let folder = outputFolder()
        do {
            let first = try SweepResults(directory: folder, sweep: sweep, shard: .whole)
            let error = #expect(throws: InputError.self) { try SweepResults(directory: folder, sweep: sweep, shard: .whole) }
            #expect(error?.problem.contains("another sweep is writing to this folder") == true)
            // Another shard of the same sweep has its own files and lock.
            _ = try SweepResults(directory: folder, sweep: sweep, shard: Shard(index: 1, count: 2))
            withExtendedLifetime(first) {}
        }
        _ = try SweepResults(directory: folder, sweep: sweep, shard: .whole)
    }

    /// Issue 20: a journal that cannot be written (a full device) stops the sweep at its first
    /// failed point with the path and the reason, instead of running every point and failing last.
    @Test func aJournalThatCannotBeWrittenStopsTheSweepAtOnce() throws {
        let sweep = try SweepDefinition(path: sweepFile(axes))
        let results = try SweepResults(directory: outputFolder(), sweep: sweep, shard: .whole)
        results.jsonl = FileHandle(forWritingAtPath: "/dev/full")
        let error = #expect(throws: InputError.self) { try SweepRunner(sweep: sweep, results: results, jobs: 1).run() }
        #expect(error?.location == results.jsonlPath && error?.problem.contains("cannot append point 0") == true)
        #expect(results.rows.isEmpty)
    }

    @Test func anotherSweepsFolderIsNeverOverwritten() throws {
        let folder = outputFolder()
        let a = try SweepDefinition(path: sweepFile(axes))
        _ = try SweepResults(directory: folder, sweep: a, shard: .whole)
        let b = try SweepDefinition(path: sweepFile("  hardware.gpu: [b200]"))
        #expect(throws: InputError.self) { try SweepResults(directory: folder, sweep: b, shard: .whole) }
    }

    @Test func shardsMergeToTheUnshardedRun() throws {
        let sweep = try SweepDefinition(path: sweepFile(axes))
        let whole = try SweepResults(directory: outputFolder(), sweep: sweep, shard: .whole)
        try SweepRunner(sweep: sweep, results: whole, jobs: 2).run()
        var folders: [String] = []
        for index in 1...4 {
            let folder = outputFolder()
            let shard = Shard(index: index, count: 4)
            let results = try SweepResults(directory: folder, sweep: sweep, shard: shard)
            try SweepRunner(sweep: sweep, results: results, shard: shard, jobs: 1).run()
            #expect(Set(results.rows.keys) == Set((0..<6).filter { $0 % 4 == index - 1 }))
            folders.append(folder)
        }
        // Shards 1 and 2 of 4 leave points 2, 3 missing (of 0-5): refused, and nothing is written.
        let partial = outputFolder()
        if let error = #expect(throws: InputError.self, performing: {
            _ = try SweepMerge.merge(directories: Array(folders.prefix(2)), into: partial)
        }) {
            #expect(error.problem.contains("cover 4 of the sweep's 6 points; missing: 2, 3"))
        }
        #expect(!FileManager.default.fileExists(atPath: partial + "/results.csv"))
        #expect(try SweepMerge.merge(directories: Array(folders.prefix(2)), into: partial, allowIncomplete: true) == 4)

        let merged = outputFolder()
        #expect(try SweepMerge.merge(directories: folders, into: merged) == 6)
        for file in ["results.jsonl", "results.csv"] {
            #expect(try String(contentsOfFile: merged + "/" + file, encoding: .utf8)
                    == String(contentsOfFile: whole.directory + "/" + file, encoding: .utf8))
        }
        // A results.csv the user left there (no manifest) is not overwritten without --force.
        let userFolder = outputFolder()
        try FileManager.default.createDirectory(atPath: userFolder, withIntermediateDirectories: true)
        try "mine\n".write(toFile: userFolder + "/results.csv", atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try SweepMerge.merge(directories: folders, into: userFolder) }
        #expect(try String(contentsOfFile: userFolder + "/results.csv", encoding: .utf8) == "mine\n")
        #expect(try SweepMerge.merge(directories: folders, into: userFolder, force: true) == 6)

        // A journal line claiming point -1 is named, not counted as a seventh point.
        let journal = try SweepResults(directory: folders[0], sweep: sweep, shard: Shard(index: 1, count: 4)).jsonlPath
        let first = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")[0]
        try (String(first.replacingOccurrences(of: "\"point\":0,", with: "\"point\":-1,")) + "\n")
            .write(toFile: journal, atomically: true, encoding: .utf8)
        if let error = #expect(throws: InputError.self, performing: {
            _ = try SweepMerge.merge(directories: folders, into: outputFolder())
        }) {
            #expect(error.location == journal + ":1" && error.problem.contains("point -1 is not one of the sweep's 6 points"))
        }
        #expect(throws: InputError.self) { try Shard(parsing: "5/4") }
    }

    @Test func checkFailsOnAPerturbedBaselineAndNamesThePoints() throws {
        let header = "point,hardware.gpu,output_tokens_per_s,error\n"
        let results = try CSVTable(text: header + "0,h200-sxm,1000,\n1,b200,2000,\n2,mi300x,900,\n", file: "r.csv")
        let same = try CSVTable(text: header + "0,h200-sxm,1010,\n1,b200,2000,\n2,mi300x,900,\n", file: "b.csv")
        #expect(try SweepCheck(results: results, baseline: same, axes: ["hardware.gpu"], tolerance: 0.02).passed)
        let perturbed = try CSVTable(text: header + "0,h200-sxm,1100,\n1,b200,2000,bad\n3,h100-sxm,5,\n", file: "b.csv")
        let check = try SweepCheck(results: results, baseline: perturbed, axes: ["hardware.gpu"], tolerance: 0.02)
        #expect(!check.passed)
        #expect(check.findings.map(\.kind) == [.moved, .changedValidity, .added, .missing])
        #expect(check.findings[0].point == "hardware.gpu=h200-sxm")
    }
}
