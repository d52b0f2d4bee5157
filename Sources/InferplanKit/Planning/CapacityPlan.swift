import Foundation
import Yams

/// Capacity planning: for each candidate (GPU type and deployment, as overrides of a base
/// scenario), the smallest cluster whose throughput - at the highest rate meeting the latency
/// limits, for a Server or Interactive base - meets a target.
///
/// ```yaml
/// base: ../llama2-70b-server-8xh200.yaml
/// max_nodes: 12
/// candidates:
///   - {name: H200 FP8, set: {hardware.gpu: h200-sxm, precision.weights: fp8}}
///   - {name: B200 NVFP4, set: {hardware.gpu: b200, precision.weights: nvfp4}}
/// ```
public struct CapacityPlan: Sendable {
    public enum Target: Sendable, Equatable {
        case tokensPerSecond(Double)
        case queriesPerSecond(Double)
        /// A video base scenario: videos per second (Offline, or SingleStream's one at a time).
        case videosPerSecond(Double)
    }

    /// What "best" means: fewest GPUs (then least power from TDP), least modelled power, or
    /// fewest dollars per hour (the base scenario's `cost:`).
    public enum Objective: String, Sendable, CaseIterable {
        case gpus, power, cost
    }

    public struct Candidate: Sendable {
        public var name: String
        public var overrides: [Override]
    }

    public struct Answer: Sendable, Encodable {
        public var candidate: String
        public var gpu: String
        /// Nil when no cluster up to `max_nodes` meets the target (or the candidate is invalid).
        public var nodes: Int?
        public var gpus: Int?
        public var outputTokensPerS: Double?
        public var outputTokensPerSPerGPU: Double?
        public var maxQPS: Double?
        public var powerKW: Double?
        /// The cluster's modelled mean power (`PowerProfile`, GPUs only) and, with `cost:`, its
        /// dollars per hour and per million output tokens.
        public var meanPowerKW: Double?
        public var usdPerHour: Double?
        public var usdPerMillionOutputTokens: Double?
        /// A video plan's throughput and p90 seconds per video.
        public var videosPerS: Double?
        public var videoLatencyP90S: Double?
        public var best = false
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case candidate, gpu, nodes, gpus, best, note
            case outputTokensPerS, outputTokensPerSPerGPU
            case maxQPS, powerKW, meanPowerKW, usdPerHour, usdPerMillionOutputTokens
            case videosPerS, videoLatencyP90S
        }
    }

    public var file: String
    public var basePath: String
    public var maxNodes: Int
    public var candidates: [Candidate]

    public init(path: String) throws {
        let document = try YAMLDocument.load(path: path)
        let map = try document.mapping(allowed: ["base", "max_nodes", "candidates"])
        file = path
        let directory = (path as NSString).deletingLastPathComponent
        let baseValue = try map.required("base", hint: "the scenario YAML to plan for, relative to this file")
        let base = try baseValue.string()
        basePath = base.hasPrefix("/") ? base : ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(base)
        guard FileManager.default.fileExists(atPath: basePath) else {
            throw baseValue.error("no scenario file at '\(basePath)'", valid: "a path to a scenario YAML, relative to the plan file")
        }
        maxNodes = try map.optional("max_nodes")?.int(in: 1...10_000) ?? 12
        var candidates: [Candidate] = []
        for item in try map.required("candidates", hint: "[{name: H200 FP8, set: {hardware.gpu: h200-sxm}}, ...]").sequence() {
            let entry = try item.mapping(allowed: ["name", "set"])
            let name = try entry.required("name").string()
            let origin = "\(item.location) candidate '\(name)'"
            var overrides: [Override] = []
            if let set = entry.optional("set") {
                guard case .mapping(let pairs) = set.node else { throw set.error("expected a mapping of key paths to values") }
                for (key, value) in pairs {
                    let text: String
                    if case .scalar(let scalar) = value { text = scalar.string } else { text = try Yams.serialize(node: value) }
                    overrides.append(try Override(parsing: "\(key.string ?? "")=\(text)", origin: origin))
                }
            }
            candidates.append(Candidate(name: name, overrides: Self.replacingHardwareChoice(overrides, origin: origin)))
        }
        guard !candidates.isEmpty else { throw document.error("no candidates", valid: "a list of {name:, set: {...}}") }
        self.candidates = candidates
    }

    /// A candidate that names its hardware (`hardware.gpu`, `hardware.node` or
    /// `hardware.node_groups`) replaces the base's hardware choice as a whole: the base's keys that
    /// would conflict with it are removed first (a node entry names its GPU and count, so with
    /// `node` the base's `gpu`, `gpus_per_node` and `node_groups` go; with `gpu`, the base's `node`
    /// and `node_groups`; with `node_groups`, every single-group key). `nodes` and `scale_out`
    /// stay. Without this, `{hardware.node: hgx-b200}` on a base that names `gpu` is refused as
    /// "gpu and node cannot both be given", an error about a line the user never wrote.
    static func replacingHardwareChoice(_ overrides: [Override], origin: String) -> [Override] {
        let named = Set(overrides.compactMap { $0.keyPath.count == 2 && $0.keyPath[0] == "hardware" ? $0.keyPath[1] : nil })
        var removed: [String] = []
        if named.contains("node_groups") { removed = ["gpu", "gpus_per_node", "node"] }
        else if named.contains("node") { removed = ["gpu", "gpus_per_node", "node_groups"] }
        else if named.contains("gpu") { removed = ["node", "node_groups"] }
        let removals = removed.filter { !named.contains($0) }.map { Override(removing: ["hardware", $0], origin: origin) }
        return removals + overrides
    }

    /// One candidate at `nodes` nodes: throughput and max rate (at the limits, for a rate scenario).
    func evaluate(_ candidate: Candidate, nodes: Int) throws -> (scenario: Scenario, outcome: RunOutcome) {
        var overrides = candidate.overrides + [try Override(parsing: "hardware.nodes=\(nodes)")]
        let probe = try Scenario.load(path: basePath, overrides: overrides)
        if probe.workload.scenario.isRateDriven, probe.workload.trace == nil { overrides.append(try Override(parsing: "workload.qps=max")) }
        if probe.workload.scenario == .offline, let samples = probe.workload.samples {
            // Offline with a fixed count: the same work per node at every size, so that throughput
            // is measured in the steady state rather than in the drain of a fixed sample set spread
            // thinner. (Without `samples`, LoadGen's sizing already scales with the cluster.)
            let perNode = min(Scenario.maxRequests / nodes, samples)
            overrides.append(try Override(parsing: "workload.samples=\(perNode * nodes)"))
        }
        let scenario = try Scenario.load(path: basePath, overrides: overrides)
        return (scenario, try ScenarioRun.outcome(scenario))
    }

    static func meets(_ outcome: RunOutcome, _ target: Target, meanOutput: Double) -> Bool {
        switch target {
        case .tokensPerSecond(let goal): return outcome.metrics.outputTokensPerSecond >= goal
        case .queriesPerSecond(let goal): return (outcome.qps ?? outcome.metrics.outputTokensPerSecond / meanOutput) >= goal
        case .videosPerSecond: return false
        }
    }

    /// A video candidate: the fewest nodes whose videos/s meets `goal` (replicas are independent,
    /// so the estimate from one node is checked and stepped as for LLMs).
    func videoAnswer(_ candidate: Candidate, goal: Double) throws -> Answer {
        func run(_ nodes: Int) throws -> (VideoScenario, VideoRunOutcome) {
            let overrides = candidate.overrides + [try Override(parsing: "hardware.nodes=\(nodes)")]
            guard case .video(let scenario) = try ScenarioFile.load(path: basePath, overrides: overrides) else {
                throw InputError(location: basePath, keyPath: "model", problem: "--target-videos-per-s needs a video base scenario",
                                 valid: "--target-tokens-per-s or --target-qps for an LLM scenario")
            }
            return (scenario, try VideoScenarioRun.outcome(scenario))
        }
        let (scenario, one) = try run(1)
        var nodes = min(maxNodes, max(1, Int((goal / max(one.metrics.videosPerSecond, 1e-12)).rounded(.up))))
        var chosen = try run(nodes).1
        while chosen.metrics.videosPerSecond < goal {
            guard nodes < maxNodes else {
                return Answer(candidate: candidate.name, gpu: scenario.gpu.id,
                              note: "not reachable with \(maxNodes) nodes (\(Format.grouped(chosen.metrics.videosPerSecond, decimals: 4)) videos/s at most)")
            }
            nodes += 1
            chosen = try run(nodes).1
        }
        while nodes > 1, let smaller = try? run(nodes - 1).1, smaller.metrics.videosPerSecond >= goal {
            nodes -= 1
            chosen = smaller
        }
        let gpus = chosen.deployment.gpus
        let watts = chosen.metrics.meanPowerWattsPerGPU * Double(gpus)
        var answer = Answer(candidate: candidate.name, gpu: scenario.gpu.id, nodes: nodes, gpus: gpus,
                            powerKW: Double(gpus) * scenario.gpu.powerWatts / 1000, meanPowerKW: watts / 1000,
                            usdPerHour: scenario.prices?.usdPerHour(gpus: gpus, watts: watts))
        answer.videosPerS = chosen.metrics.videosPerSecond
        answer.videoLatencyP90S = chosen.metrics.latencySeconds.p90
        return answer
    }

    /// The smallest cluster per candidate, sorted by GPUs then power; the best one marked.
    /// Candidates run `jobs` at a time, `progress(done, total)` after each; the answer does not
    /// depend on the threads. A candidate's bad input is its note; an internal error (a report
    /// that broke an invariant) stops the plan.
    public func answer(target: Target, objective: Objective = .gpus, jobs: Int = 1,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [Answer] {
        let answers = try candidates.parallelMap(jobs: jobs, progress: progress) { candidate throws(InternalError) -> Answer in
            do {
                if case .videosPerSecond(let goal) = target { return try videoAnswer(candidate, goal: goal) }
                // Replicas are independent, so throughput grows about linearly with nodes: start
                // from the estimate one node gives, then step to the smallest count that meets it.
                let (scenario, one) = try evaluate(candidate, nodes: 1)
                let meanOutput = Double(one.metrics.outputTokens) / Double(max(1, one.metrics.completedSamples))
                var results: [Int: RunOutcome] = [1: one]
                func outcome(_ nodes: Int) throws -> RunOutcome {
                    if let known = results[nodes] { return known }
                    let value = try evaluate(candidate, nodes: nodes).outcome
                    results[nodes] = value
                    return value
                }
                let perNode: Double
                switch target {
                case .tokensPerSecond(let goal): perNode = goal / max(one.metrics.outputTokensPerSecond, 1e-9)
                case .queriesPerSecond(let goal): perNode = goal / max(one.qps ?? one.metrics.outputTokensPerSecond / meanOutput, 1e-9)
                case .videosPerSecond: perNode = 1   // answered by `videoAnswer` above
                }
                var nodes = min(maxNodes, max(1, Int(perNode.rounded(.up))))
                while !Self.meets(try outcome(nodes), target, meanOutput: meanOutput) {
                    guard nodes < maxNodes else {
                        let best = try outcome(maxNodes)
                        return Answer(candidate: candidate.name, gpu: scenario.gpu.id,
                                      note: "not reachable with \(maxNodes) nodes (\(Int(best.metrics.outputTokensPerSecond)) output tokens/s at most)")
                    }
                    nodes += 1
                }
                while nodes > 1, Self.meets(try outcome(nodes - 1), target, meanOutput: meanOutput) { nodes -= 1 }
                let chosen = try outcome(nodes)
                let gpus = chosen.deployment.gpus
                let watts = chosen.metrics.meanPowerWattsPerGPU * Double(gpus)
                let perHour = scenario.prices?.usdPerHour(gpus: gpus, watts: watts)
                return Answer(candidate: candidate.name, gpu: scenario.gpu.id, nodes: nodes, gpus: gpus,
                              outputTokensPerS: chosen.metrics.outputTokensPerSecond,
                              outputTokensPerSPerGPU: chosen.metrics.outputTokensPerSecond / Double(gpus),
                              maxQPS: chosen.qps, powerKW: Double(gpus) * scenario.gpu.powerWatts / 1000,
                              meanPowerKW: watts / 1000, usdPerHour: perHour,
                              usdPerMillionOutputTokens: perHour.map { $0 / max(chosen.metrics.outputTokensPerSecond * 3600, 1e-9) * 1e6 })
            } catch let error as InputError {
                return Answer(candidate: candidate.name, gpu: "-", note: error.description.replacingOccurrences(of: "\n", with: "; "))
            } catch let error as InternalError {
                throw error
            } catch {
                return Answer(candidate: candidate.name, gpu: "-", note: "\(error)")
            }
        }
        return Self.ranked(answers, by: objective)
    }

    /// `answers` best first by `objective` (candidates without an answer last, in their order), the
    /// best one marked.
    static func ranked(_ answers: [Answer], by objective: Objective) -> [Answer] {
        var answers = answers
        answers.sort { a, b in
            guard a.gpus != nil, b.gpus != nil else { return a.gpus != nil && b.gpus == nil }
            switch objective {
            case .gpus: return a.gpus! != b.gpus! ? a.gpus! < b.gpus! : (a.powerKW ?? 0) < (b.powerKW ?? 0)
            case .power: return (a.meanPowerKW ?? .infinity) < (b.meanPowerKW ?? .infinity)
            case .cost: return (a.usdPerHour ?? .infinity) < (b.usdPerHour ?? .infinity)
            }
        }
        if !answers.isEmpty, answers[0].gpus != nil { answers[0].best = true }
        return answers
    }

    public static func text(_ answers: [Answer], target: Target, objective: Objective = .gpus) -> String {
        func llm(_ goal: String) -> String {
            table(answers, objective: objective,
                  title: "smallest cluster per candidate for \(goal) (at the highest rate meeting the latency limits for Server/Interactive)",
                  header: "tokens/s   per GPU    max qps   power kW" + (objective == .gpus ? "" : "    mean kW     $/hour    $/M tok")) { a in
                Format.pad(Format.grouped(a.outputTokensPerS ?? 0, decimals: 0), 11)
                    + Format.pad(Format.grouped(a.outputTokensPerSPerGPU ?? 0, decimals: 0), 10)
                    + Format.pad(a.maxQPS.map { Format.grouped($0, decimals: 1) } ?? "-", 11)
                    + Format.pad(Format.fixed(a.powerKW ?? 0, 1), 11)
                    + (objective == .gpus ? "" : Format.pad(a.meanPowerKW.map { Format.fixed($0, 1) } ?? "-", 11)
                        + Format.pad(a.usdPerHour.map { Format.grouped($0, decimals: 2) } ?? "-", 11)
                        + Format.pad(a.usdPerMillionOutputTokens.map { Format.fixed($0, 3) } ?? "-", 11))
            }
        }
        switch target {
        case .tokensPerSecond(let x): return llm("\(Format.grouped(x, decimals: 0)) output tokens/s")
        case .queriesPerSecond(let x): return llm("\(Format.grouped(x, decimals: 2)) queries/s")
        case .videosPerSecond(let goal):
            return table(answers, objective: objective, title: "smallest cluster per candidate for \(Format.grouped(goal, decimals: 4)) videos/s",
                         header: "videos/s    p90 s   power kW    mean kW     $/hour") { a in
                Format.pad(Format.grouped(a.videosPerS ?? 0, decimals: 4), 11) + Format.pad(Format.grouped(a.videoLatencyP90S ?? 0, decimals: 1), 9)
                    + Format.pad(Format.fixed(a.powerKW ?? 0, 1), 11) + Format.pad(a.meanPowerKW.map { Format.fixed($0, 1) } ?? "-", 11)
                    + Format.pad(a.usdPerHour.map { Format.grouped($0, decimals: 2) } ?? "-", 11)
            }
        }
    }

    /// The plan's table: candidate, GPU, nodes and GPUs, then `cells` of each answer under `header`.
    /// A candidate without an answer gets a row of its own and a numbered note below the table: an
    /// error message is many times a column's width and would run the table together.
    static func table(_ answers: [Answer], objective: Objective, title: String, header: String, cells: (Answer) -> String) -> String {
        var lines = [title, "    candidate                 gpu         nodes  gpus   " + header]
        var notes: [String] = []
        for a in answers {
            let head = (a.best ? "  * " : "    ") + Format.pad(a.candidate, 26, right: false) + Format.pad(a.gpu, 10, right: false)
            guard let nodes = a.nodes, let gpus = a.gpus else {
                notes.append("[\(notes.count + 1)] \(a.candidate): " + (a.note ?? "no answer"))
                lines.append(head + Format.pad("-", 7) + Format.pad("-", 6) + "   no answer, see [\(notes.count)] below")
                continue
            }
            lines.append(head + Format.pad(String(nodes), 7) + Format.pad(String(gpus), 6) + cells(a))
        }
        lines += notes.isEmpty ? [] : [""] + notes + [""]
        switch objective {
        case .gpus: lines.append("* fewest GPUs (then least power, from TDP)")
        case .power: lines.append("* least modelled mean power (GPUs only; low confidence until fitted to MLPerf Power)")
        case .cost: lines.append("* fewest dollars per hour, from the base scenario's cost: prices")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
