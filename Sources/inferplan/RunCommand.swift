import ArgumentParser
import InferplanKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate one scenario and print its report.",
        discussion: """
        Examples:
          inferplan run Scenarios/default.yaml
          inferplan run Scenarios/default.yaml --set hardware.gpu=b200 \\
            --set precision.weights=nvfp4 --format json
          inferplan run Scenarios/llama2-70b-server-8xh200.yaml --find-max-qps \\
            --repeat 5 --format html --output server.html
          inferplan run Scenarios/default.yaml --explain
        """
    )

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of the scenario, e.g. --set hardware.nodes=2 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Search for the highest Poisson rate meeting the p99 limits (same as workload.qps: max).")
    var findMaxQps = false

    @Option(name: .long, help: "Run with N seeds (seed, seed+1, ...) and report the mean and 95% interval of the headline figures.")
    var `repeat`: Int = 1

    @Flag(name: .long, help: "Leave the wall time out of the report, so that identical runs give identical bytes.")
    var reproducible = false

    @Flag(name: .long, help: "Show where the time of a representative decode and prefill step goes: each operator's share, FLOPs, bytes, bound, MFU and MBU.")
    var explain = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...1000).contains(`repeat`) else {
            throw ValidationError("--repeat takes a whole number from 1 to 1000, e.g. --repeat 5")
        }
    }

    func run() throws {
        var overrides = try self.overrides.map(Override.init(parsing:))
        if case .video(let video) = try ScenarioFile.load(path: self.scenario, overrides: overrides) { return try runVideo(video) }
        if findMaxQps { overrides.append(try Override(parsing: "workload.qps=max")) }
        let scenario = try Scenario.load(path: self.scenario, overrides: overrides)
        // The text report shows the warnings; a JSON or HTML report for a tool gets them on stderr too.
        if output.format != .text { for warning in scenario.warnings { Console.err("warning: \(warning)\n") } }
        let first = try ScenarioRun.outcome(scenario)
        var summary: RepeatSummary?
        if `repeat` > 1 {
            let progress = ProgressDisplay(label: "repeat", unit: "seeds")
            summary = try ScenarioRun.repeated(scenario, runs: `repeat`, first: first, jobs: availableCores,
                                               progress: { progress.update(done: $0, total: $1) }).summary
        }
        let report = RunReport(scenario: scenario, outcome: first, repeatSummary: summary, includeWallTime: !reproducible,
                               explain: explain)
        switch output.format {
        case .text: try output.write(report.text())
        case .json: try output.write(try report.json())
        case .html: try output.write(report.html())
        }
    }

    /// A text-to-video scenario: deterministic, one run (a video's time does not depend on a seed).
    private func runVideo(_ scenario: VideoScenario) throws {
        if findMaxQps {
            throw ValidationError("--find-max-qps searches a Poisson rate under TTFT/TPOT limits; a video benchmark has SingleStream and Offline only: drop it")
        }
        if output.format != .text { for warning in scenario.warnings { Console.err("warning: \(warning)\n") } }
        let report = VideoRunReport(scenario: scenario, outcome: try VideoScenarioRun.outcome(scenario))
        switch output.format {
        case .text: try output.write(report.text())
        case .json: try output.write(try report.json())
        case .html: try output.write(report.html())
        }
    }
}
