import Foundation
import Testing
@testable import InferplanKit

/// `validate --scaling`: rows of one submitter, round, benchmark, scenario, GPU and format form a
/// group; each larger row is compared with the group's smallest, published and predicted.
@Suite struct ScalingValidationTests {
    static let csv = """
    round,benchmark,scenario,submitter_system,accelerator,gpus,nodes,tokens_per_s,weights,kv_cache,tensor_parallel
    v4.1,llama2-70b,offline,Acme 8x TRT,h200-sxm,8,1,32000,fp8,fp8,1
    v4.1,llama2-70b,offline,Acme 1x TRT,h200-sxm,1,1,4000,fp8,fp8,1
    v4.1,llama2-70b,offline,Acme: HGX-H200x16,h200-sxm,16,2,60000,fp8,fp8,1
    v4.1,llama2-70b,server,Acme 8x TRT,h200-sxm,8,1,30000,fp8,fp8,1
    v4.1,llama2-70b,offline,Other 8x TRT,h200-sxm,8,1,31000,fp8,fp8,1
    v4.1,llama2-70b,offline,Acme 8x TRT,h200-sxm,8,1,30000,nvfp4,fp8,1

    """

    @Test func pairsAreFormedWithinAGroupAgainstItsSmallestRow() throws {
        let table = try CSVTable(text: Self.csv, file: "t.csv")
        let results = try table.rows.map { try PublishedResult(row: $0, file: "t.csv") }
        // "Acme 8x", "Acme 1x" and "Acme: HGX" are one submitter; Server, another submitter and
        // another format are groups of their own, of one row each.
        let pairs = ScalingValidation.pairs(of: results)
        #expect(pairs.map(\.reference) == [1, 1] && pairs.map(\.row) == [0, 2])
        #expect(ScalingValidation.submitter("JuniperNetworks: DGX-H100_H100-SXM-80GBx16_TRT") == "junipernetworks")
    }

    @Test func efficienciesAndDifferencesByHand() throws {
        let table = try CSVTable(text: Self.csv, file: "t.csv")
        var rows = try table.rows.map { ValidationRow(result: try PublishedResult(row: $0, file: "t.csv")) }
        rows[0].predicted = 30_400     // 3,800 per GPU
        rows[1].predicted = 4_000      // the reference: 4,000
        rows[2].predicted = 64_000     // 4,000 per GPU
        let comparison = ScalingValidation(rows: rows)
        #expect(comparison.pairs.count == 2)
        // Published: 32,000 / 8 / 4,000 = 100%; 60,000 / 16 / 4,000 = 93.75%.
        #expect(abs(comparison.pairs[0].publishedEfficiency - 1) < 1e-12 && abs(comparison.pairs[1].publishedEfficiency - 0.9375) < 1e-12)
        // Predicted: 95% and 100%: -5 and +6.25 points.
        #expect(abs(comparison.pairs[0].differencePoints! + 5) < 1e-9 && abs(comparison.pairs[1].differencePoints! - 6.25) < 1e-9)
        let text = comparison.text()
        #expect(text.contains("2 pairs predicted: median |difference| 5.6 points, 1 within 5 points"))
        #expect(text.contains("3->2") && text.contains("1->8"))
    }
}
