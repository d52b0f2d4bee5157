import Foundation

/// Predicts the published text-to-video results (`Catalog/published/mlperf-video.csv`) from the
/// hardware, the benchmark and the physics, and fits the stack's one video efficiency on them
/// (`validate --video --fit`).
///
/// Each row is predicted with the deployment its submitter would choose: SingleStream with the
/// sequence-parallel size of lowest latency, Offline with the replica size of highest videos/s,
/// over the sizes that divide the node (and, for Ulysses, the heads).
public struct VideoValidation: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public var line: Int
        public var round: String
        public var submitterSystem: String
        public var accelerator: String
        public var gpus: Int
        public var scenario: String
        public var metric: String
        public var published: Double
        public var predicted: Double
        public var errorPct: Double
        /// The deployment chosen: GPUs per replica (sequence parallel).
        public var sequenceParallel: Int
    }

    public var file: String
    public var rows: [Row]
    public var medianAbsErrorPct: Double
    /// With `--fit`: the fitted compute efficiency of each stack, and its standard error.
    public var fitted: [String: Double]
    public var fittedStandardError: [String: Double]

    public static var publishedPath: String {
        Bundle.module.resourceURL!.appendingPathComponent("Catalog/published/mlperf-video.csv").path
    }

    /// Predicts every row of `path`; with `fit`, first fits each stack's video compute efficiency
    /// (GSL least squares on log(predicted / published)) and predicts with it.
    public init(path: String = VideoValidation.publishedPath, fit: Bool = false, catalog: Catalog = .bundled) throws {
        let table = try CSVTable(path: path)
        file = table.file
        let parsed = try table.rows.map { try Self.parse($0, file: table.file) }
        var overrides: [String: Double] = [:]
        fitted = [:]
        fittedStandardError = [:]
        if fit {
            let stacks = Set(try parsed.map { try Self.gpu($0.accelerator, catalog: catalog, at: $0.location).efficiency.id })
            for stack in stacks.sorted() {
                let mine = try parsed.filter { try Self.gpu($0.accelerator, catalog: catalog, at: $0.location).efficiency.id == stack }
                let result = try LeastSquares.fit(initial: [0.5], step: 1e-4) { parameters in
                    let value = min(1, max(0.01, parameters[0]))
                    return mine.map { row in
                        (try? Self.predict(row, catalog: catalog, overrides: [stack: value])).map { log($0.value / row.published) } ?? 10
                    }
                }
                overrides[stack] = result.parameters[0]
                fitted[stack] = result.parameters[0]
                fittedStandardError[stack] = result.standardErrors[0]
            }
        }
        rows = try parsed.map { row in
            let prediction = try Self.predict(row, catalog: catalog, overrides: overrides)
            return Row(line: row.line, round: row.round, submitterSystem: row.system, accelerator: row.accelerator, gpus: row.gpus,
                       scenario: row.scenario.rawValue, metric: row.metric, published: row.published, predicted: prediction.value,
                       errorPct: (prediction.value / row.published - 1) * 100, sequenceParallel: prediction.sequenceParallel)
        }
        let errors = rows.map { abs($0.errorPct) }.sorted()
        medianAbsErrorPct = errors.isEmpty ? 0 : (errors[(errors.count - 1) / 2] + errors[errors.count / 2]) / 2
    }

    struct Published {
        var line: Int
        var location: String
        var round: String
        var system: String
        var accelerator: String
        var gpus: Int
        var nodes: Int
        var scenario: VideoWorkload.Kind
        var metric: String
        var published: Double
    }

    static func parse(_ row: CSVTable.Row, file: String) throws -> Published {
        let location = "\(file):\(row.line)"
        func field(_ name: String) throws -> String {
            guard let value = row.fields[name], !value.isEmpty else {
                throw InputError(location: location, keyPath: name, problem: "missing \(name)", valid: "the columns of mlperf-video.csv")
            }
            return value
        }
        guard let scenario = VideoWorkload.Kind(rawValue: try field("scenario")) else {
            throw InputError(location: location, keyPath: "scenario", problem: "unknown scenario '\(row.fields["scenario"] ?? "")'", valid: "single-stream or offline")
        }
        guard let gpus = Int(try field("gpus")), gpus > 0, let nodes = Int(try field("nodes")), nodes > 0,
              let value = Double(try field("value")), value > 0 else {
            throw InputError(location: location, keyPath: "gpus", problem: "gpus, nodes and value must be positive numbers", valid: "e.g. 8,1,...,25.46")
        }
        return Published(line: row.line, location: location, round: try field("round"), system: try field("submitter_system"),
                         accelerator: try field("accelerator"), gpus: gpus, nodes: nodes, scenario: scenario,
                         metric: try field("metric"), published: value)
    }

    static func gpu(_ id: String, catalog: Catalog, at location: String) throws -> GPUSpec {
        do {
            return try catalog.gpu(catalog.document(.gpus, id: id), baseDirectory: ".")
        } catch let error as InputError {
            throw InputError(location: location, keyPath: "accelerator", problem: error.problem, valid: error.valid)
        }
    }

    /// The row's figure (p90 seconds per video, or videos/s) at the best deployment for its scenario.
    static func predict(_ row: Published, catalog: Catalog, overrides: [String: Double]) throws -> (value: Double, sequenceParallel: Int) {
        let perNode = row.gpus / row.nodes
        var best: (value: Double, sequenceParallel: Int)?
        for size in (1...perNode).filter({ perNode % $0 == 0 }) {
            let yaml = """
            name: "\(row.system.replacingOccurrences(of: "\"", with: "'"))"
            workload: {benchmark: mlperf-wan-2.2-t2v, scenario: \(row.scenario.rawValue)}
            hardware: {gpu: \(row.accelerator), gpus_per_node: \(perNode), nodes: \(row.nodes)}
            serving: {sequence_parallel: \(size)}
            """
            var scenario = try VideoScenario(document: YAMLDocument.parse(yaml, name: row.location), baseDirectory: ".", catalog: catalog)
            guard scenario.model.heads % size == 0 else { continue }
            for index in scenario.groups.indices {
                if let value = overrides[scenario.groups[index].gpu.efficiency.id] {
                    scenario.groups[index].gpu.efficiency.video?.compute = value
                }
            }
            guard let outcome = try? VideoScenarioRun.outcome(scenario) else { continue }
            let value = row.scenario == .singleStream ? outcome.metrics.latencySeconds.p90 : outcome.metrics.videosPerSecond
            let better = best.map { row.scenario == .singleStream ? value < $0.value : value > $0.value } ?? true
            if better { best = (value, size) }
        }
        guard let best else {
            throw InputError(location: row.location, keyPath: "accelerator", problem: "no deployment of \(row.gpus) x \(row.accelerator) fits the video model",
                             valid: "a GPU with more memory")
        }
        return best
    }

    public var text: String {
        var lines = ["inferplan validate --video - \(file)", ""]
        lines.append("  " + Format.pad("system", 30, right: false) + Format.pad("scenario", 15, right: false) + Format.pad("published", 12)
                     + Format.pad("predicted", 12) + Format.pad("error", 9) + Format.pad("SP", 5))
        for row in rows {
            let unit = row.scenario == "single-stream" ? "s" : "/s"
            lines.append("  " + Format.pad(row.submitterSystem, 30, right: false) + Format.pad(row.scenario, 15, right: false)
                         + Format.pad(Format.grouped(row.published, decimals: 4) + unit, 12) + Format.pad(Format.grouped(row.predicted, decimals: 4) + unit, 12)
                         + Format.pad(String(format: "%+.1f%%", row.errorPct), 9) + Format.pad("\(row.sequenceParallel)", 5))
        }
        lines.append("")
        lines.append("  median |error| \(String(format: "%.1f%%", medianAbsErrorPct)) over \(rows.count) figures (seconds per video at p90 for single-stream, videos/s for offline)")
        for (stack, value) in fitted.sorted(by: { $0.key < $1.key }) {
            lines.append("  fitted \(stack) video compute_efficiency \(String(format: "%.3f", value)) +/- \(String(format: "%.3f", fittedStandardError[stack] ?? 0))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
