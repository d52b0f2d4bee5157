import ArgumentParser
import InferplanKit

struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Run a scenario at several node counts: tokens/s, per-GPU tokens/s and scaling efficiency.",
        discussion: """
        --nodes takes a range (1...12), a list (1,2,4,8) or both (1...4,8,12).

        Examples:
          inferplan scale Scenarios/default.yaml --nodes 1...12
          inferplan scale Scenarios/llama2-70b-server-8xh200.yaml \\
            --nodes 1,2,4,8,12 --format html --output scale.html
        """
    )

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Option(name: .long, help: "Node counts: a range 1...12, a list 1,2,4, or both.")
    var nodes: String = "1...12"

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of the scenario (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "Node counts run at once (default: all cores).")
    var jobs: Int?

    @Option(name: .long, help: "Run the study with this many seeds and give each count's efficiency with its 95% interval.")
    var `repeat`: Int = 1

    @OptionGroup var output: OutputOptions

    func run() throws {
        let counts = try Self.nodeCounts(nodes)
        try JobsOption.check(jobs)
        let progress = ProgressDisplay(label: "scale", unit: "node counts")
        guard (1...100).contains(`repeat`) else { throw ValidationError("--repeat takes a whole number from 1 to 100, e.g. --repeat 5") }
        let parsed = try overrides.map(Override.init(parsing:))
        if case .video = try ScenarioFile.load(path: scenario, overrides: parsed) {
            guard `repeat` == 1 else { throw ValidationError("--repeat varies the seed, and a video run does not depend on one: drop it") }
            let study = try VideoScalingStudy(path: scenario, overrides: parsed, nodeCounts: counts,
                                              jobs: JobsOption.count(jobs)) { progress.update(done: $0, total: $1) }
            try output.write(text: { study.text }, json: { try ReportJSON.encode(study) }, html: study.html)
            return
        }
        let study = `repeat` > 1
            ? try ScalingStudy.repeated(path: scenario, overrides: parsed, nodeCounts: counts, runs: `repeat`,
                                        jobs: JobsOption.count(jobs)) { progress.update(done: $0, total: $1) }
            : try ScalingStudy(path: scenario, overrides: parsed, nodeCounts: counts,
                               jobs: JobsOption.count(jobs)) { progress.update(done: $0, total: $1) }
        try output.write(text: study.text, json: { try ReportJSON.encode(study) }, html: study.html)
    }

    static func nodeCounts(_ text: String) throws -> [Int] {
        var counts: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.components(separatedBy: "...")
            if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), 1 <= low, low <= high, high <= 10_000 {
                counts += Array(low...high)
            } else if bounds.count == 1, let value = Int(bounds[0]), (1...10_000).contains(value) {
                counts.append(value)
            } else {
                throw ValidationError("--nodes takes counts like 1...12, 1,2,4,8 or 1...4,8,12 (each from 1 to 10000); '\(part)' is not one")
            }
        }
        guard !counts.isEmpty else {
            throw ValidationError("--nodes names no node count; give counts like 1...12, 1,2,4,8 or 1...4,8,12")
        }
        return counts
    }
}
