import Foundation
import Testing
@testable import InferplanKit

@Suite struct ValidationTests {
    @Test func csvHandlesQuotesAndKeepsLineNumbers() throws {
        let table = try CSVTable(text: "a,b,c\n1,\"x, \"\"y\"\"\",3\n\n4,5,6\n", file: "t.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields["b"] == "x, \"y\"")
        #expect(table.rows[1].line == 4)
        #expect(throws: InputError.self) { try CSVTable(text: "a,b\n1,2,3\n", file: "t.csv") }
    }

    @Test func badRowNamesLineAndColumn() throws {
        let table = try CSVTable(text: "benchmark,scenario,accelerator,gpus,nodes,tokens_per_s,weights,kv_cache,tensor_parallel\nllama2-70b,offline,h200-sxm,eight,1,1,fp8,fp8,\n", file: "t.csv")
        do {
            _ = try Validator().validate(table)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.location == "t.csv:2" && error.keyPath == "gpus")
        }
    }

    /// Issue 2's bar: every Offline row of the training file within 25%.
    @Test func offlineTrainingRowsWithin25Percent() throws {
        let path = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/validation/mlperf-train.csv").path
        try #require(FileManager.default.fileExists(atPath: path), "needs ../shared/validation/mlperf-train.csv beside the project")
        var table = try CSVTable(path: path)
        table.rows = table.rows.filter { $0.fields["scenario"] == "offline" }
        let report = try Validator().validate(table)
        let offline = report.rows
        #expect(offline.count == 11)
        for row in offline {
            let error = try #require(row.errorPercent, "line \(row.result.line) was skipped: \(row.skipped ?? "")")
            #expect(abs(error) < 25, "line \(row.result.line): \(error)%")
        }
    }
}
