import ArgumentParser
import InferplanKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate one scenario and print its report.",
        discussion: """
        Examples:
          inferplan run Scenarios/default.yaml
          inferplan run Scenarios/default.yaml --set hardware.gpu=b200 --set precision.weights=nvfp4 --format json
        """
    )

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of the scenario, e.g. --set hardware.nodes=2 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Leave the wall time out of the report, so that identical runs give identical bytes.")
    var reproducible = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let overrides = try self.overrides.map(Override.init(parsing:))
        let scenario = try Scenario.load(path: self.scenario, overrides: overrides)
        let (deployment, metrics) = try Simulation.run(scenario)
        let report = RunReport(scenario: scenario, deployment: deployment, metrics: metrics, includeWallTime: !reproducible)
        try output.write(output.format == .json ? try report.json() : report.text())
    }
}
