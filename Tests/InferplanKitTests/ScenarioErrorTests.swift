import Yams
import Testing
@testable import InferplanKit

/// Every malformed or impossible scenario fails with a message naming file, line, key, the problem
/// and what would be valid.
@Suite struct ScenarioErrorTests {
    private func error(_ yaml: String, overrides: [String] = []) throws -> InputError {
        do {
            let scenario = try Fixtures.scenario(yaml, name: "bad.yaml", overrides: overrides.map(Override.init(parsing:)))
            _ = try scenario.deployment()
        } catch let error as InputError {
            return error
        }
        Issue.record("expected an InputError")
        return InputError(location: "", keyPath: "", problem: "")
    }

    private func replacing(_ old: String, with new: String) -> String {
        Fixtures.defaultScenarioYAML.replacingOccurrences(of: old, with: new)
    }

    /// Issue 20: an error never echoes the content of a file that is not YAML (a model path naming
    /// a CSV, say), and quotes a found value only as a short excerpt with control characters escaped.
    @Test func errorsQuoteOnlyShortExcerptsAndNeverAForeignFile() throws {
        let scratch = ScratchFolder()
        try "api-key-0123456789,secret\nsecond line\n".write(toFile: scratch.file("model.csv"), atomically: true, encoding: .utf8)
        let foreign = try error(Fixtures.defaultScenarioYAML, overrides: ["model=\(scratch.file("model.csv"))"])
        #expect(!foreign.description.contains("api-key") && !foreign.description.contains("secret"))
        #expect(foreign.problem.contains("text that is not a YAML mapping"))
        let long = String(repeating: "x", count: 100)
        let cut = try error(Fixtures.defaultScenarioYAML, overrides: ["parallelism.tensor=\(long)"])
        #expect(cut.problem.hasSuffix("found '\(String(repeating: "x", count: 40))...'"))
        let control = try error(Fixtures.defaultScenarioYAML, overrides: ["precision.weights=\"a\\u0007b\""])
        #expect(control.problem.contains("'a\\u{07}b'"), "\(control.problem)")
    }

    @Test func unknownKeySuggestsTheRightOneAndListsAllowed() throws {
        let e = try error(replacing("parallelism: {tensor: 1}", with: "parallelism: {tensr: 1}"))
        #expect(e.location == "bad.yaml:4")
        #expect(e.keyPath == "parallelism.tensr")
        #expect(e.problem.contains("unknown key 'tensr'") && e.problem.contains("did you mean 'tensor'"))
        #expect(e.valid.contains("tensor"))
    }

    @Test func unknownTopLevelKey() throws {
        let e = try error(Fixtures.defaultScenarioYAML + "\nhardwre: {}\n")
        #expect(e.location == "bad.yaml:7" && e.keyPath == "hardwre")
        #expect(e.valid.contains("hardware"))
    }

    @Test func wrongType() throws {
        let e = try error(replacing("gpus_per_node: 8", with: "gpus_per_node: eight"))
        #expect(e.location == "bad.yaml:2" && e.keyPath == "hardware.gpus_per_node")
        #expect(e.problem.contains("expected a whole number") && e.problem.contains("'eight'"))
    }

    @Test func missingKey() throws {
        let e = try error(replacing("precision: {weights: fp8, kv_cache: fp8}", with: "precision: {weights: fp8}"))
        #expect(e.keyPath == "precision.kv_cache" && e.problem.contains("missing required key"))
        #expect(e.location == "bad.yaml:3")
    }

    @Test func unknownEnumValueListsChoices() throws {
        let e = try error(replacing("weights: fp8", with: "weights: int3"))
        #expect(e.keyPath == "precision.weights" && e.valid == "bf16 | fp8 | mxfp4 | nvfp4")
    }

    @Test func unknownGPUListsTheCatalog() throws {
        let e = try error(replacing("gpu: h200-sxm", with: "gpu: h300"))
        #expect(e.location == "bad.yaml:2" && e.keyPath == "hardware.gpu")
        #expect(e.problem.contains("unknown gpu 'h300'") && e.valid.contains("h200-sxm") && e.valid.contains("mi355x"))
    }

    @Test func tensorParallelMustDivideTheNode() throws {
        let e = try error(replacing("tensor: 1", with: "tensor: 16"))
        #expect(e.location == "bad.yaml:4" && e.keyPath == "parallelism.tensor")
        #expect(e.valid.contains("1, 2, 4, 8"))
        let three = try error(replacing("tensor: 1", with: "tensor: 3"))
        #expect(three.problem.contains("does not divide"))
    }

    @Test func negativeQPS() throws {
        let e = try error(replacing("scenario: offline, samples: 2000", with: "scenario: server, qps: -5"))
        #expect(e.keyPath == "workload.qps" && e.problem.contains("out of range") && e.location == "bad.yaml:6")
    }

    @Test func qpsOnlyForServer() throws {
        let e = try error(replacing("samples: 2000", with: "samples: 2000, qps: 5"))
        #expect(e.keyPath == "workload.qps" && e.problem.contains("applies to the server or interactive scenarios only"))
    }

    @Test func modelThatDoesNotFitSaysHowManyGB() throws {
        let e = try error(replacing("gpu: h200-sxm", with: "gpu: h100-sxm").replacingOccurrences(of: "weights: fp8", with: "weights: bf16"))
        #expect(e.keyPath == "precision.weights" && e.location == "bad.yaml:3")
        #expect(e.problem.contains("138.0 GB per GPU") && e.problem.contains("80.0 GB usable"))
        #expect(e.valid.contains("parallelism.tensor: 2") && e.valid.contains("precision.weights: fp8"))
    }

    @Test func batchTokensBelowBatchSequences() throws {
        let e = try error(replacing("max_batch_tokens: 8192", with: "max_batch_tokens: 100"))
        #expect(e.keyPath == "serving.max_batch_tokens" && e.valid.contains(">= serving.max_batch_seqs"))
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let e = try error("model: llama2-70b\nhardware: {gpu: h200-sxm\nprecision: x\n")
        #expect(e.location.hasPrefix("bad.yaml:") && e.problem.contains("YAML syntax error"))
    }

    @Test func errorsFromSetNameTheSet() throws {
        let e = try error(Fixtures.defaultScenarioYAML, overrides: ["hardware.nodes=0"])
        #expect(e.location == "--set hardware.nodes=0" && e.keyPath == "hardware.nodes")
        let unknown = try error(Fixtures.defaultScenarioYAML, overrides: ["serving.max_batch=4"])
        #expect(unknown.location == "--set serving.max_batch=4" && unknown.problem.contains("unknown key 'max_batch'"))
    }

    @Test func setOverridesTheFile() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "hardware.gpu=b200"), Override(parsing: "precision.weights=nvfp4"), Override(parsing: "hardware.nodes=2"),
        ])
        #expect(scenario.gpu.id == "b200" && scenario.precision.weights == .nvfp4 && scenario.nodes == 2)
        #expect(throws: InputError.self) { try Override(parsing: "nonsense") }
    }

    /// Issue 13: the error names every line (or `--set`) that made the request too long - the
    /// lengths, the benchmark that supplied them, the model.
    @Test func contextLongerThanTheModelIsRefused() throws {
        let e = try error(Fixtures.defaultScenarioYAML, overrides: ["workload.input_tokens=4000"])
        #expect(e.problem.contains("exceed llama2-70b's context of 4096"))
        #expect(e.location == "--set workload.input_tokens=4000 (workload.input_tokens), bad.yaml:6 (workload.benchmark), bad.yaml:1 (model)")
        let benchmark = try error(Fixtures.defaultScenarioYAML, overrides: ["workload.benchmark=mlperf-llama3.1-405b"])
        #expect(benchmark.location == "--set workload.benchmark=mlperf-llama3.1-405b (workload.benchmark), bad.yaml:1 (model)")
        #expect(benchmark.problem.hasPrefix("requests of up to 20000 input + 2000 output tokens exceed"))
    }
}

@Suite struct LengthDistributionYAMLTests {
    @Test func histogramFromYAML() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "workload.input_tokens={distribution: histogram, bins: [[1, 100, 1], [101, 1000, 3]]}"),
        ])
        guard case .histogram(let bins) = scenario.workload.input.shape else {
            Issue.record("expected a histogram")
            return
        }
        #expect(bins == [.init(low: 1, high: 100, weight: 1), .init(low: 101, high: 1000, weight: 3)])
    }

    @Test func badBinsAreRefused() throws {
        for bad in ["[[1, 100]]", "[[100, 1, 1]]", "[[1, 100, 0]]", "[]"] {
            #expect(throws: InputError.self, "\(bad)") {
                try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
                    Override(parsing: "workload.input_tokens={distribution: histogram, bins: \(bad)}"),
                ])
            }
        }
    }

    /// A `--set` that creates a misspelt nested key is named in the error, not the file (issue 20:
    /// 208 of 996 fuzzed `--set` cases blamed the scenario file).
    @Test func aSetThatCreatesAKeyIsBlamedForIt() throws {
        if let error = #expect(throws: InputError.self, performing: {
            _ = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "serving.variabilty.step_jitter=0.1")])
        }) {
            #expect(error.location == "--set serving.variabilty.step_jitter=0.1")
            #expect(error.keyPath == "serving.variabilty" && error.problem.contains("did you mean 'variability'"))
        }
        // A key the file already has stays the file's: an error about `serving` itself is not the --set's.
        let root = try Yams.compose(yaml: "serving: {router: round-robin}")!
        #expect(YAMLValue.exists(["serving"], in: root) && !YAMLValue.exists(["serving", "variabilty"], in: root))
    }
}

/// Issue 14: a wrong GPU, model, node or benchmark id, or a wrong format, gets a "did you mean",
/// as keys already do: every id it is the start of, else the nearest within a few edits.
@Suite struct DidYouMeanTests {
    @Test(arguments: [
        ("hardware.gpu=h100", "unknown gpu 'h100' (did you mean 'h100-nvl', 'h100-pcie' or 'h100-sxm'?)"),
        ("hardware.gpu=b2000", "unknown gpu 'b2000' (did you mean 'b200'?)"),
        ("hardware.gpu=MI300", "unknown gpu 'MI300' (did you mean 'mi300x'?)"),
        ("model=llama3-8b", "unknown model 'llama3-8b' (did you mean 'llama3.1-8b'?)"),
        ("workload.benchmark=mlperf-llama2", "unknown benchmark 'mlperf-llama2' (did you mean 'mlperf-llama2-70b'?)"),
        ("precision.weights=fp88", "'fp88' is not a known value (did you mean 'fp8'?)"),
        ("hardware.gpu=zzz", "unknown gpu 'zzz'"),
    ])
    func wrongIdsGetTheNearestNames(override: String, problem: String) throws {
        if let error = #expect(throws: InputError.self, performing: {
            _ = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: override)])
        }) {
            #expect(error.problem == problem)
        }
    }

    @Test func hintsAreOnlyGivenForCloseNames() {
        #expect(didYouMean("h100", among: ["h100-sxm"]) == " (did you mean 'h100-sxm'?)")
        #expect(didYouMean("x", among: ["b200", "h200-sxm"]) == "")
        #expect(didYouMean("", among: ["b200"]) == "")
    }
}

/// Issue 14: text tables never run their columns together (a TTFT of 1,638,490.6 ms printed as
/// `1,638,490.63,009,730.2...`): a value wider than its column keeps one space before it.
@Suite struct TextTableTests {
    @Test func aValueWiderThanItsColumnStillStandsApart() {
        #expect(Format.pad("1,638,490.6", 10) == " 1,638,490.6")
        #expect(Format.pad("317,534.2", 10) == " 317,534.2")
        #expect(Format.pad("12.5", 10) == "      12.5")
        #expect(Format.pad("h100-pcie-x", 10, right: false) == "h100-pcie-x ")
        let row = ["1,638,490.6", "3,009,730.2", "3,316,085.3"].map { Format.pad($0, 10) }.joined()
        #expect(row == " 1,638,490.6 3,009,730.2 3,316,085.3")
    }
}

/// Issue 14: `--set model=...` on a scenario whose benchmark belongs to another model kept the old
/// benchmark's request lengths silently. It is now a warning naming the benchmark's line, shown
/// with the report; none when the lengths are the scenario's own.
@Suite struct BenchmarkModelWarningTests {
    @Test func aBenchmarkOfAnotherModelIsAWarning() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "model=llama3.1-8b")])
        #expect(scenario.warnings == ["test.yaml:6: workload.benchmark: mlperf-llama2-70b is the benchmark of llama2-70b, and its input_tokens and output_tokens (with its limits and minimum sample count) apply to llama3.1-8b as they are; mlperf-llama3.1-8b is llama3.1-8b's own"])
        let report = RunReport(scenario: scenario, outcome: try ScenarioRun.outcome(scenario), includeWallTime: false)
        #expect(report.text().contains("  warning     test.yaml:6: workload.benchmark: mlperf-llama2-70b is the benchmark of llama2-70b"))
        #expect(try report.json().contains("\"warnings\" : [\n    \"test.yaml:6: workload.benchmark"))
    }

    @Test func noWarningWhenTheLengthsAreTheScenariosOwn() throws {
        #expect(try Fixtures.scenario(Fixtures.defaultScenarioYAML).warnings.isEmpty)
        let own = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "model=llama3.1-8b"), Override(parsing: "workload.input_tokens=500"), Override(parsing: "workload.output_tokens=100"),
        ])
        #expect(own.warnings.isEmpty)
        // Only the output length from the preset: the warning names just that.
        let half = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "model=llama3.1-70b"), Override(parsing: "workload.input_tokens=500"),
        ])
        #expect(half.warnings.count == 1 && half.warnings[0].contains("its output_tokens (with") && half.warnings[0].hasSuffix("set workload.input_tokens and output_tokens for llama3.1-70b's requests"))
    }
}
