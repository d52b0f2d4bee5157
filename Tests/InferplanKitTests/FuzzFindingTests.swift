import Foundation
import Testing
@testable import InferplanKit

/// What the 10,000-case fuzz run (`inferplan-fuzz --cases 10000 --seed 2026`) found, each as a
/// regression test.
@Suite struct FuzzFindingTests {
    /// Cases 1464 and 5396: a validation row with an empty accelerator divided by zero in
    /// `Validator.nodeGroups` (a trap). It is now refused at its line.
    @Test(arguments: ["", "+", "h200-sxm+"])
    func aRowWithoutAnAcceleratorIsRefusedAtItsLine(accelerator: String) throws {
        let table = try CSVTable(text: "round,benchmark,scenario,accelerator,gpus,nodes,tokens_per_s,weights,kv_cache\n"
                                 + "v4.1,llama2-70b,offline,\(accelerator),8,1,24140,fp8,fp8\n", file: "rows.csv")
        if let error = #expect(throws: InputError.self, performing: { _ = try PublishedResult(row: table.rows[0], file: "rows.csv") }) {
            #expect(error.location == "rows.csv:2" && error.keyPath == "accelerator")
            #expect(error.problem.contains("names no accelerator"))
        }
    }

    /// Case 6401: `workload.trace: /dev/zero` was refused without naming the scenario's line. A
    /// device, a folder or a missing file is now an error at the key that names it.
    @Test(arguments: [("/dev/zero", "a device or other special file"), ("/tmp", "a folder"), ("no-such-trace.csv", "no trace file at")])
    func aTraceThatIsNotAFileIsNamedAtItsKey(path: String, says: String) throws {
        let yaml = """
        model: llama3.1-8b
        hardware: {gpu: h100-sxm, gpus_per_node: 1, nodes: 1}
        precision: {weights: fp8, kv_cache: fp8}
        workload:
          scenario: server
          trace: \(path)
        """
        if let error = #expect(throws: InputError.self, performing: { _ = try Fixtures.scenario(yaml) }) {
            #expect(error.location == "test.yaml:6" && error.keyPath == "workload.trace")
            #expect(error.problem.contains(says))
        }
    }

    /// Issue 13: an empty trace (a header, no rows) named no line.
    @Test func anEmptyTraceNamesItsHeaderLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferplan-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "arrival_s,input_tokens,output_tokens\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        if let error = #expect(throws: InputError.self, performing: {
            _ = try TraceFile.load(path: folder + "/t.csv", displayName: "t.csv", timeScale: 1)
        }) {
            #expect(error.location == "t.csv:1")
            #expect(error.problem == "the trace has a header and no rows")
        }
    }

    /// Cases 1498, 5900, 6133, 6253 and 7539: a run whose TPOTs are all (nearly) equal got p50 one
    /// ulp above p90 from GSL's interpolation, and the new report invariant called it a bug (exit 3).
    /// Ordering now allows rounding of one part in 10^9, and no more.
    @Test func interpolatedPercentilesMayDifferByRoundingOnly() {
        #expect(RunMetrics.ordered(3.6747162391953365, 3.674716239195338))
        #expect(RunMetrics.ordered(0, 0))
        #expect(!RunMetrics.ordered(3.6748, 3.6747))
        let equal = LatencySummary(seconds: Array(repeating: 0.0036747162391953365, count: 64))
        #expect(RunMetrics.ordered(equal.p50, equal.p90) && RunMetrics.ordered(equal.p90, equal.p99))
    }
}
