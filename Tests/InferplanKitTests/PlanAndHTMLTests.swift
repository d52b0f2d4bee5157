import Foundation
import Testing
import Yams
@testable import InferplanKit

@Suite struct PlanAndHTMLTests {
    private let scratch = ScratchFolder()
    private func folder() throws -> String { try scratch.folder() }

    @Test func planFindsTheSmallestClusterPerCandidate() throws {
        let dir = try folder()
        let base = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 400")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 1")
        try base.write(toFile: dir + "/base.yaml", atomically: true, encoding: .utf8)
        try """
        base: base.yaml
        max_nodes: 6
        candidates:
          - {name: H200, set: {hardware.gpu: h200-sxm}}
          - {name: H100 BF16 fails, set: {hardware.gpu: h100-sxm, precision.weights: bf16}}
          - {name: B200 FP4, set: {hardware.gpu: b200, precision.weights: nvfp4}}
        """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let plan = try CapacityPlan(path: dir + "/plan.yaml")
        let one = try plan.evaluate(plan.candidates[0], nodes: 1).outcome.metrics.outputTokensPerSecond
        // A target of 2.5 nodes' worth of one H200 node's throughput needs 3 H200 nodes.
        let answers = try plan.answer(target: .tokensPerSecond(2.5 * one), jobs: 2)
        let h200 = try #require(answers.first { $0.candidate == "H200" })
        #expect(h200.nodes == 3)
        #expect(h200.outputTokensPerS! >= 2.5 * one)
        #expect(try plan.evaluate(plan.candidates[0], nodes: 2).outcome.metrics.outputTokensPerSecond < 2.5 * one)
        // The BF16 70B model (138 GB) does not fit one 80 GB H100 at TP1: reported, not fatal.
        #expect(answers.first { $0.candidate == "H100 BF16 fails" }?.nodes == nil)
        // Sorted by GPUs, the best first; B200 needs fewer GPUs than H200.
        #expect(answers[0].best && answers[0].candidate == "B200 FP4")
        #expect(abs(h200.powerKW! - 3 * 0.7) < 1e-9)
    }

    /// A candidate that names a node replaces the base's `gpu` (no "gpu and node cannot both be
    /// given" about a line of the base); a candidate's bad input names the plan file, its line and
    /// the candidate, and sits under the table instead of running through it.
    @Test func candidatesReplaceTheHardwareChoiceAndTheirErrorsNameThem() throws {
        let dir = try folder()
        try Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 400")
            .write(toFile: dir + "/base.yaml", atomically: true, encoding: .utf8)
        try """
        base: base.yaml
        max_nodes: 1
        candidates:
          - {name: B200 node, set: {hardware.node: hgx-b200}}
          - {name: typo, set: {hardware.gpu: b2000}}
        """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let plan = try CapacityPlan(path: dir + "/plan.yaml")
        let node = try plan.evaluate(plan.candidates[0], nodes: 1).scenario
        #expect(node.gpu.id == "b200" && node.gpus == 8)
        #expect(node.overrides.contains("hardware.gpu (removed) from \(dir)/plan.yaml:4 candidate 'B200 node'"))
        let answers = try plan.answer(target: .tokensPerSecond(1), jobs: 1)
        let typo = try #require(answers.first { $0.candidate == "typo" })
        #expect(typo.nodes == nil)
        #expect(typo.note?.hasPrefix("\(dir)/plan.yaml:5 candidate 'typo': hardware.gpu: unknown gpu 'b2000' (did you mean 'b200'?)") == true)
        let text = CapacityPlan.text(answers, target: .tokensPerSecond(1))
        let typoRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("    typo") })
        #expect(typoRow.contains("no answer, see [1] below") && !typoRow.contains("unknown gpu"))
        #expect(text.contains("\n[1] typo: \(dir)/plan.yaml:5 candidate 'typo'"))
    }

    @Test func anOverrideRemovesAKeyOnlyWhereItIs() throws {
        let document = try YAMLValue(node: try #require(try Yams.compose(yaml: "hardware: {gpu: h200-sxm, gpus_per_node: 8, nodes: 1}")),
                                     source: YAMLSource(name: "s.yaml"))
        let changed = try document.applying([Override(removing: ["hardware", "gpu"], origin: "plan.yaml:3 candidate 'x'"),
                                             Override(removing: ["hardware", "node"], origin: "plan.yaml:3 candidate 'x'")])
        let keys = try changed.mapping(allowed: ["hardware"]).required("hardware").mapping(allowed: ["gpus_per_node", "nodes"])
        #expect(keys.optional("gpus_per_node") != nil && keys.optional("gpu") == nil)
    }

    @Test func sweepReportIsSelfContainedSVG() throws {
        let dir = try folder()
        try Fixtures.runSweep(in: dir, base: Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 300"),
                              axes: "  hardware.nodes: [1, 2]\n  hardware.gpu: [h200-sxm, b200]\n")
        let html = try SweepHTMLReport(results: dir + "/out").html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Self-contained: no address other than the SVG namespace that every inline chart carries.
        let addresses = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!addresses.contains("http://") && !addresses.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("<link"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.contains("Scaling efficiency vs nodes") && html.contains("Throughput per GPU vs speed per user"))
        #expect(html.contains("<td class=\"text\">b200</td>"))

        // A journal with a line of garbage is refused naming the line, never a page of fewer points.
        let journal = dir + "/out/results.jsonl"
        try (String(contentsOfFile: journal, encoding: .utf8) + "garbage\n").write(toFile: journal, atomically: true, encoding: .utf8)
        if let error = #expect(throws: InputError.self, performing: {
            _ = try SweepHTMLReport(results: dir + "/out")
        }) {
            #expect(error.location == journal + ":5" && error.problem.contains("not a result line"))
        }
    }

    @Test func niceAxisRanges() {
        let (low, high, ticks) = SVGChart.niceRange([3, 97])
        #expect(low == 0 && high == 100 && ticks == [0, 20, 40, 60, 80, 100])
    }
}
