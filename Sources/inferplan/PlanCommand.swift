import ArgumentParser
import InferplanKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "For each candidate GPU and deployment, the smallest cluster that meets a throughput or rate target.",
        discussion: """
        Example:
          inferplan plan Scenarios/plans/llama2-70b-server.yaml \\
            --target-tokens-per-s 200000
          inferplan plan Scenarios/plans/wan2.2-t2v-offline.yaml --target-videos-per-s 0.5

        A candidate's `set:` overrides the base scenario's keys; one that names its hardware (hardware.gpu, hardware.node or hardware.node_groups) replaces the base's hardware choice as a whole.
        """
    )

    @Argument(help: "The plan YAML file (a base scenario and candidates).")
    var plan: String

    @Option(name: .long, help: "Output tokens/s the cluster must sustain.")
    var targetTokensPerS: Double?

    @Option(name: .long, help: "Queries/s the cluster must sustain within the latency limits.")
    var targetQps: Double?

    @Option(name: .long, help: "Videos/s the cluster must sustain (a text-to-video base scenario).")
    var targetVideosPerS: Double?

    @Option(name: .long, help: "Candidates run at once (default: all cores).")
    var jobs: Int?

    @Option(name: .long, help: "What best means: gpus (fewest, then least power from TDP), power (least modelled mean power), or cost (fewest dollars per hour; needs the base scenario's cost: section).")
    var objective: CapacityPlan.Objective = .gpus

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard [targetTokensPerS, targetQps, targetVideosPerS].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give one target: --target-tokens-per-s 200000, --target-qps 500, or --target-videos-per-s 0.5 for a video scenario")
        }
        try JobsOption.check(jobs)
        if let x = targetTokensPerS ?? targetQps ?? targetVideosPerS, !(x > 0 && x.isFinite) {
            throw ValidationError("the target must be a positive number, e.g. --target-tokens-per-s 200000")
        }
    }

    func run() throws {
        let definition = try CapacityPlan(path: plan)
        // The target must be of the base scenario's family: videos/s for a video scenario.
        let isVideo: Bool
        if case .video = try ScenarioFile.load(path: definition.basePath) { isVideo = true } else { isVideo = false }
        if isVideo != (targetVideosPerS != nil) {
            throw ValidationError(isVideo
                ? "\(definition.basePath) is a text-to-video scenario: give its target as --target-videos-per-s, e.g. --target-videos-per-s 0.5"
                : "--target-videos-per-s is for a text-to-video base scenario; \(definition.basePath) is an LLM one: give --target-tokens-per-s or --target-qps")
        }
        let target: CapacityPlan.Target = targetTokensPerS.map { .tokensPerSecond($0) }
            ?? targetVideosPerS.map { .videosPerSecond($0) } ?? .queriesPerSecond(targetQps!)
        let progress = ProgressDisplay(label: "plan", unit: "candidates")
        let answers = try definition.answer(target: target, objective: objective, jobs: JobsOption.count(jobs)) { progress.update(done: $0, total: $1) }
        if objective == .cost, answers.contains(where: { $0.gpus != nil && $0.usdPerHour == nil }) {
            throw ValidationError("--objective cost needs prices: add cost: {gpu_hour_usd: ..., power_usd_per_kwh: ..., pue: ...} to the base scenario \(definition.basePath) (or a candidate's set:)")
        }
        try output.write(text: { CapacityPlan.text(answers, target: target, objective: objective) }, json: { try ReportJSON.encode(answers) },
                         html: { CapacityPlan.html(answers, target: target, file: plan) })
    }
}

extension CapacityPlan.Objective: ExpressibleByArgument {}
