import Foundation

/// One sweep point's result: its index, its axis values, and the report's headline figures (or the
/// error that made the point invalid).
public struct SweepRow: Sendable, Equatable {
    public var point: Int
    public var axisValues: [String]
    /// Headline figures in `SweepRow.figureNames` order; empty for an invalid point.
    public var figures: [Double?]
    public var error: String?

    /// The headline figures every row carries, named as in the JSON report.
    public static let figureNames = ["output_tokens_per_s", "output_tokens_per_s_per_gpu", "gpus", "nodes", "replicas",
                                     "max_qps", "qps", "ttft_p50_ms", "ttft_p99_ms", "tpot_p50_ms", "tpot_p99_ms",
                                     "latency_limits_met", "completed_samples", "power_kw",
                                     "ttft_p99_limit_ms", "tpot_p99_limit_ms",
                                     "mean_power_w_per_gpu", "output_tokens_per_joule", "usd_per_million_output_tokens",
                                     "videos_per_s", "videos_per_s_per_gpu", "video_latency_p90_s", "joules_per_video", "usd_per_video"]

    public init(point: Int, axisValues: [String], figures: [Double?], error: String?) {
        self.point = point
        self.axisValues = axisValues
        self.figures = figures
        self.error = error
    }

    /// Runs one point: the base scenario with the point's overrides, through the normal pipeline.
    /// Runs one point. Bad input becomes the row's error; an `InternalError` (a report that broke an
    /// invariant) stops the sweep instead, since it is a bug and not a property of the point.
    public static func run(point: Int, of sweep: SweepDefinition) throws -> SweepRow {
        let values = sweep.values(ofPoint: point)
        do {
            let figures: [Double?]
            switch try ScenarioFile.load(path: sweep.basePath, overrides: sweep.overrides(ofPoint: point)) {
            case .llm(let scenario): figures = try llmFigures(scenario)
            case .video(let scenario): figures = try videoFigures(scenario)
            }
            return SweepRow(point: point, axisValues: values, figures: figures, error: nil)
        } catch let error as InputError {
            return SweepRow(point: point, axisValues: values, figures: [], error: error.description.replacingOccurrences(of: "\n", with: "; "))
        } catch let error as InternalError {
            throw error
        } catch {
            return SweepRow(point: point, axisValues: values, figures: [], error: "\(error)")
        }
    }

    /// An LLM point's figures, in `figureNames` order (the video ones empty).
    static func llmFigures(_ scenario: Scenario) throws -> [Double?] {
        let outcome = try ScenarioRun.outcome(scenario)
        let report = RunReport(scenario: scenario, outcome: outcome, includeWallTime: false)
        return [
            report.outputTokensPerS, report.outputTokensPerSPerGPU, Double(report.gpus), Double(report.nodes), Double(report.replicas),
            report.maxQPS, report.qps, report.ttftMs.p50, report.ttftMs.p99, report.tpotMs.p50, report.tpotMs.p99,
            report.latencyLimitsMet.map { $0 ? 1 : 0 }, Double(report.completedSamples),
            Double(report.gpus) * scenario.gpu.powerWatts / 1000,
            report.latencyLimits?.ttftP99Ms, report.latencyLimits?.tpotP99Ms,
            report.meanPowerWPerGPU, report.outputTokensPerJoule, report.usdPerMillionOutputTokens,
            nil, nil, nil, nil, nil,
        ]
    }

    /// A video point's figures: the cluster's, power and cost, and the video ones; the token ones empty.
    static func videoFigures(_ scenario: VideoScenario) throws -> [Double?] {
        let report = VideoRunReport(scenario: scenario, outcome: try VideoScenarioRun.outcome(scenario))
        let byName: [String: Double?] = [
            "gpus": Double(report.gpus), "nodes": Double(report.nodes), "replicas": Double(report.replicas),
            "completed_samples": Double(report.issuedSamples),
            "power_kw": Double(report.gpus) * scenario.gpu.powerWatts / 1000, "mean_power_w_per_gpu": report.meanPowerWPerGPU,
            "videos_per_s": report.videosPerS, "videos_per_s_per_gpu": report.videosPerSPerGPU,
            "video_latency_p90_s": report.videoLatencyS.p90, "joules_per_video": report.joulesPerVideo, "usd_per_video": report.usdPerVideo,
        ]
        return figureNames.map { byName[$0] ?? nil }
    }

    public func figure(_ name: String) -> Double? {
        guard let index = Self.figureNames.firstIndex(of: name), index < figures.count else { return nil }
        return figures[index]
    }
}

// MARK: - Encoding

extension SweepRow {
    /// Numbers as text with at most 6 decimals, the same on every machine.
    static func format(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// The CSV header for a sweep's axes.
    public static func csvHeader(axes: [String]) -> String {
        (["point"] + axes + figureNames + ["error"]).map(csvField).joined(separator: ",")
    }

    public var csvLine: String {
        let cells = [String(point)] + axisValues + figures.map(Self.format)
            + Array(repeating: "", count: Self.figureNames.count - figures.count) + [error ?? ""]
        return cells.map(Self.csvField).joined(separator: ",")
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One JSON object on one line, keys in a fixed order.
    public func jsonLine(axes: [String]) -> String {
        var parts = ["\"point\":\(point)"]
        for (key, value) in zip(axes, axisValues) { parts.append("\(Self.jsonString(key)):\(Self.jsonString(value))") }
        for (name, value) in zip(Self.figureNames, figures) { parts.append("\(Self.jsonString(name)):\(value.map { Self.format($0) } ?? "null")") }
        if let error { parts.append("\"error\":\(Self.jsonString(error))") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func jsonString(_ text: String) -> String {
        let data = try! JSONEncoder().encode(text)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    /// Parses a line written by `jsonLine`; nil for anything else (such as a half-written line).
    public static func parse(jsonLine line: Substring, axes: [String]) -> SweepRow? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let point = object["point"] as? Int else { return nil }
        var values: [String] = []
        for axis in axes {
            guard let value = object[axis] as? String else { return nil }
            values.append(value)
        }
        let error = object["error"] as? String
        let figures: [Double?] = error != nil ? [] : figureNames.map { (object[$0] as? NSNumber)?.doubleValue }
        return SweepRow(point: point, axisValues: values, figures: figures, error: error)
    }
}
