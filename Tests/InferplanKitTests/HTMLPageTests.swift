import Foundation
import Testing
@testable import InferplanKit

/// Every command's HTML page: self-contained, one quantity per chart, the limits drawn, integer
/// node ticks, labelled Pareto points, and the validate scatter on log axes with its band.
@Suite struct HTMLPageTests {
    private let scratch = ScratchFolder()

    private func svgCount(_ html: String) -> Int { html.components(separatedBy: "<svg").count - 1 }

    /// The text of every tick label of a chart's x axis (written 16 px under the plot).
    private func xTickLabels(_ svg: String) -> [String] {
        svg.matches(of: /<text x="[0-9.]+" y="([0-9.]+)" font-size="11" text-anchor="middle">([^<]*)<\/text>/)
            .map { String($0.output.2) }
    }

    private func assertSelfContained(_ html: String) {
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let addresses = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!addresses.contains("http://") && !addresses.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("<link"))
    }

    @Test func nodeAxesTickAtWholeNumbers() {
        let axis = SVGChart.Axis(label: "nodes", integerTicks: true)
        let (low, high, ticks) = axis.range(of: [1, 2, 3])
        #expect(ticks == [1, 2, 3] && low == 1 && high == 3)
        // Without the rule the same range ticks at 1.5 and 2.5 nodes.
        #expect(SVGChart.niceRange([1, 2, 3]).2 == [1, 1.5, 2, 2.5, 3])
        #expect(axis.range(of: [1, 2]).ticks == [1, 2])
    }

    @Test func logAxesTickAtDecades() {
        let (low, high, ticks) = SVGChart.logRange([150, 42_000])
        #expect(low == 100 && high == 100_000)
        #expect(ticks == [100, 1_000, 10_000, 100_000])
        // A narrow range gets 2 and 5 between decades.
        #expect(SVGChart.logRange([3, 40]).2 == [1, 2, 5, 10, 20, 50, 100])
        let axis = SVGChart.Axis(label: "", scale: .log)
        #expect(abs(axis.fraction(1_000, low: 100, high: 100_000) - 1.0 / 3) < 1e-12)
    }

    @Test func runPageSplitsLatenciesAndPlotsTheSearchProbes() throws {
        let dir = try scratch.folder()
        try Fixtures.defaultScenarioYAML.replacingOccurrences(of: "scenario: offline, samples: 2000", with: "scenario: server, qps: max, duration_s: 60")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 1")
            .write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let scenario = try Scenario.load(path: dir + "/s.yaml", overrides: [try Override(parsing: "workload.seed=3")])
        let report = RunReport(scenario: scenario, outcome: try ScenarioRun.outcome(scenario))
        let html = report.html()
        assertSelfContained(html)
        // TTFT and TPOT percentiles in a panel each, and the probes against each p99 limit.
        #expect(svgCount(html) == 4)
        #expect(html.contains("TTFT percentiles") && html.contains("TPOT percentiles"))
        #expect(html.contains("Search probes: p99 TTFT vs rate") && html.contains("Search probes: p99 TPOT vs rate"))
        #expect(html.contains("p99 limit 2,000 ms") && html.contains("p99 limit 200 ms"))
        // Every probe is a row; the missed ones are marked.
        let probes = try #require(report.search?.probes)
        #expect(html.components(separatedBy: "<tr class=\"bad\">").count - 1 == probes.filter { !$0.meetsLimits }.count)
        // The header says what --set changed.
        #expect(html.contains("Changed from the file: --set workload.seed=3"))
    }

    @Test func scalePageHasIntegerNodeTicksAndTheHundredPercentMark() throws {
        let dir = try scratch.folder()
        try Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 300")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 1")
            .write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let study = try ScalingStudy(path: dir + "/s.yaml", overrides: [], nodeCounts: [1, 2, 3], jobs: 2)
        let html = study.html()
        assertSelfContained(html)
        // Offline: throughput, efficiency and the loss waterfall; no latency panels.
        #expect(svgCount(html) == 3)
        let charts = html.components(separatedBy: "<svg").dropFirst().filter { !$0.contains("against ideal scaling") }
        #expect(charts.count == 2)
        for chart in charts {
            #expect(xTickLabels(chart).allSatisfy { Int($0) != nil }, "node ticks: \(xTickLabels(chart))")
        }
        #expect(html.contains(">100%</text>"))
        #expect(html.contains("<td>3</td><td>3</td>"))
    }

    @Test func planPageBarsEveryCandidateAndNamesThoseWithoutAnAnswer() throws {
        let answers = [
            CapacityPlan.Answer(candidate: "B200", gpu: "b200", nodes: 1, gpus: 8, outputTokensPerS: 70_000, outputTokensPerSPerGPU: 8_750, best: true),
            CapacityPlan.Answer(candidate: "H200", gpu: "h200-sxm", nodes: 2, gpus: 16, outputTokensPerS: 66_000, outputTokensPerSPerGPU: 4_125),
            CapacityPlan.Answer(candidate: "typo", gpu: "-", note: "plan.yaml:7 candidate 'typo': hardware.gpu: unknown gpu 'b2000'"),
        ]
        let html = CapacityPlan.html(answers, target: .tokensPerSecond(60_000), file: "plan.yaml")
        assertSelfContained(html)
        #expect(svgCount(html) == 2)
        #expect(html.contains(">8 (best)</text>") && html.contains(">16</text>"))
        #expect(html.components(separatedBy: ">no answer</text>").count - 1 == 2)
        #expect(html.contains("<tr class=\"best\">") && html.contains("<tr class=\"bad\">"))
        #expect(html.contains("unknown gpu &apos;b2000&apos;") || html.contains("unknown gpu 'b2000'"))
    }

    @Test func validatePageScattersPredictedAgainstPublishedOnLogAxes() throws {
        let table = try CSVTable(text: "benchmark,scenario,accelerator,gpus,nodes,tokens_per_s,weights,kv_cache,tensor_parallel\n"
                                 + "llama2-70b,offline,h200-sxm,8,1,30000,fp8,fp8,1\nllama2-70b,server,h200-sxm,8,1,28000,fp8,fp8,1\n", file: "t.csv")
        let rows = try table.rows.enumerated().map { index, raw in
            var row = ValidationRow(result: try PublishedResult(row: raw, file: "t.csv"))
            row.predicted = [33_000, 18_000][index]
            return row
        }
        let html = ValidationReport(header: table.header, rows: rows).html(file: "t.csv")
        assertSelfContained(html)
        #expect(svgCount(html) == 1)
        // The ±10% band and the diagonal, and one colour per scenario.
        #expect(html.contains("<polygon") && html.contains("fill=\"#2ca02c\" fill-opacity=\"0.12\""))
        #expect(html.contains("fill=\"#1f77b4\"><title>line 2: h200-sxm llama2-70b") && html.contains("fill=\"#ff7f0e\"><title>line 3"))
        // Log axes: decade ticks 10,000 and 100,000.
        #expect(html.contains(">10,000</text>") && html.contains(">100,000</text>"))
        // +10% is inside the band, -35.7% is marked.
        #expect(html.contains("+10.0%") && html.contains("<tr class=\"bad\"><td>3</td>"))
        #expect(html.contains("1 of 2") )
    }

    @Test func catalogPageListsEveryEntry() throws {
        let listing = try CatalogListing(catalog: .bundled)
        let html = listing.html()
        assertSelfContained(html)
        for gpu in listing.gpus { #expect(html.contains("<td class=\"text\">\(gpu.id)</td>")) }
        for model in listing.models { #expect(html.contains("<td class=\"text\">\(model.id)</td>")) }
        #expect(svgCount(html) == 0)
    }

    @Test func sweepPageDrawsLimitsAndLabelsParetoPointsPerGPU() throws {
        let dir = try scratch.folder()
        try Fixtures.runSweep(in: dir, base: Fixtures.defaultScenarioYAML
            .replacingOccurrences(of: "scenario: offline, samples: 2000", with: "scenario: server, qps: 2, duration_s: 30")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 1"),
                              axes: "  hardware.gpu: [h200-sxm, b200]\n  workload.qps: [2, 6]\n")
        let html = try SweepHTMLReport(results: dir + "/out").html()
        assertSelfContained(html)
        // TTFT and TPOT in separate panels, each with its p99 limit, and the Pareto view.
        #expect(svgCount(html) == 3)
        #expect(html.contains("p99 TTFT vs request rate") && html.contains("p99 TPOT vs request rate"))
        #expect(html.contains("p99 limit 2,000 ms") && html.contains("p99 limit 200 ms"))
        // One series (colour) per GPU in the Pareto chart, points labelled with their other axes.
        let pareto = try #require(html.components(separatedBy: "<svg").last)
        #expect(pareto.contains(">h200-sxm</text>") && pareto.contains(">b200</text>"))
        #expect(pareto.contains("font-size=\"9\" fill=\"#333\">2</text>") && pareto.contains("font-size=\"9\" fill=\"#333\">6</text>"))
    }

    /// With prices in the base scenario, a sweep's page adds per-GPU throughput against dollars per
    /// million tokens, and the table its tokens per joule and dollars.
    @Test func sweepPageWithPricesChartsDollars() throws {
        let dir = try scratch.folder()
        let results = try Fixtures.runSweep(in: dir, base: Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 300")
            .replacingOccurrences(of: "gpus_per_node: 8", with: "gpus_per_node: 1") + "\ncost: {gpu_hour_usd: 3}\n",
                                            axes: "  hardware.gpu: [h200-sxm, b200]\n")
        let html = try SweepHTMLReport(results: dir + "/out").html()
        #expect(html.contains("Throughput per GPU vs dollars per million tokens"))
        #expect(html.contains("<th>$/M tokens</th>") && html.contains("<th>tokens/J</th>"))
        let row = try #require(results.rows[0])
        #expect((row.figure("usd_per_million_output_tokens") ?? nil) != nil && (row.figure("output_tokens_per_joule") ?? 0) > 0)
    }

    /// Byte-for-byte reproducible pages: the clip ids come from the titles, not from hashes.
    @Test func chartsAreDeterministic() {
        let chart = SVGChart(title: "A / B", x: .init(label: "x"), y: .init(label: "y"), series: [.init(name: "s", points: [(1, 2), (2, 3)])])
        #expect(chart.svg() == chart.svg())
        #expect(chart.svg().contains("clipPath id=\"plot-AB\""))
    }
}
