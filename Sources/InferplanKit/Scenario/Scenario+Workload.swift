import Foundation

/// `workload:`: the MLPerf scenario, request lengths, arrival rate or trace, limits and run length.
extension Scenario {
    /// Offline's minimum sample count when no benchmark gives one (LoadGen's min_query_count).
    static let defaultMinOfflineSamples = 1000
    /// Single-stream queries when `samples` is not given: enough for a stable p90, capped by the
    /// benchmark's minimum.
    static let defaultSingleStreamSamples = 1024

    static let workloadKeys = ["benchmark", "scenario", "samples", "seed", "qps", "duration_s", "input_tokens", "output_tokens",
                               "limits", "trace", "trace_time_scale", "search_tolerance", "max_events"]

    static func workload(_ map: YAMLMapping, benchmark: BenchmarkPreset?, baseDirectory: String, maxContext: Int,
                         note: (YAMLValue) -> YAMLValue) throws -> Workload {
        let kind = try map.optional("scenario").map { try note($0).choice(ScenarioKind.self) } ?? .offline
        func lengths(_ key: String, _ preset: LengthDistribution?) throws -> LengthDistribution {
            if let value = map.optional(key) { return try Catalog.lengthDistribution(note(value)) }
            if let preset { return preset }
            if map.optional("trace") != nil { return LengthDistribution(.fixed(1)) }
            throw InputError(location: map.owner.location, keyPath: "workload.\(key)", problem: "missing required key '\(key)'",
                             valid: "name a workload.benchmark, or give \(Catalog.lengthHint)")
        }
        func onlyFor(_ key: String, _ allowed: Bool, _ scenarios: String) throws {
            if !allowed, let value = map.optional(key) {
                throw value.error("'\(key)' applies to the \(scenarios) scenario\(scenarios.contains(" or ") ? "s" : "") only",
                                  valid: "remove it, or set workload.scenario to \(scenarios)")
            }
        }
        try onlyFor("qps", kind.isRateDriven, "server or interactive")
        try onlyFor("trace", kind.isRateDriven, "server or interactive")
        try onlyFor("trace_time_scale", kind.isRateDriven, "server or interactive")
        try onlyFor("limits", kind.isRateDriven, "server or interactive")

        let input = try lengths("input_tokens", benchmark?.input)
        let output = try lengths("output_tokens", benchmark?.output)
        // Offline without `samples`: sized as LoadGen does, for `duration_s` at the system's rate
        // (`OfflineSizing`), never fewer than the benchmark's minimum.
        let minSamples = benchmark?.minOfflineSamples ?? Self.defaultMinOfflineSamples
        let samples = try map.optional("samples").map { try note($0).int(in: 1...Self.maxRequests) }
            ?? (kind == .singleStream ? min(Self.defaultSingleStreamSamples, minSamples) : nil)
        let seed = try map.optional("seed").map { try note($0).int(in: 0...Int(Int32.max)) } ?? 1
        let duration = try map.optional("duration_s").map { try note($0).double(in: 0.001...1e8, unit: "s") }
            ?? benchmark?.minDurationSeconds ?? Workload.defaultMinDuration

        var limits: LatencyLimits? = kind == .server ? benchmark?.serverLimits : kind == .interactive ? benchmark?.interactiveLimits : nil
        if let value = map.optional("limits") {
            let m = try note(value).mapping(allowed: ["ttft_p99_ms", "tpot_p99_ms"])
            let ttft = try m.optional("ttft_p99_ms").map { try note($0).double(in: 0.001...1e9, unit: "ms") / 1000 } ?? limits?.ttftP99Seconds
            let tpot = try m.optional("tpot_p99_ms").map { try note($0).double(in: 0.001...1e9, unit: "ms") / 1000 } ?? limits?.tpotP99Seconds
            guard let ttft, let tpot else {
                throw value.error("both p99 limits are needed and the benchmark gives none for \(kind.rawValue)",
                                  valid: "{ttft_p99_ms: 2000, tpot_p99_ms: 200}")
            }
            limits = LatencyLimits(ttftP99Seconds: ttft, tpotP99Seconds: tpot)
        }

        var qps = 0.0
        var searchMaxRate = false
        var trace: [Request]?
        if kind.isRateDriven {
            if let value = map.optional("trace") {
                let scale = try map.optional("trace_time_scale").map { try note($0).double(in: 1e-6...1e6) } ?? 1
                let name = try note(value).string()
                let path = name.hasPrefix("/") ? name : (baseDirectory as NSString).appendingPathComponent(name)
                // A missing file, a device or a folder is named at the line that names it.
                let found = InputPath(path)
                if found != .file {
                    throw value.error(found.words.map { "'\(path)' is \($0), not a CSV file" } ?? "no trace file at '\(path)'",
                                      valid: "a CSV file (arrival_s,input_tokens,output_tokens), relative to the scenario's folder")
                }
                trace = try TraceFile.load(path: path, displayName: name, timeScale: scale, maxContext: maxContext)
                qps = Double(trace!.count) / max(trace!.last!.arrivalSeconds, 1e-9)
            } else {
                let value = note(try map.required("qps", hint: "the Poisson arrival rate in queries per second, e.g. 20, or max"))
                if case .scalar(let scalar) = value.node, scalar.string == "max" {
                    searchMaxRate = true
                    guard limits != nil else {
                        throw value.error("searching for the highest rate needs p99 latency limits, and none are set",
                                          valid: "workload.limits: {ttft_p99_ms: ..., tpot_p99_ms: ...}, or a benchmark that has \(kind.rawValue) limits")
                    }
                } else {
                    qps = try value.double(in: 1e-6...1e7, unit: "queries/s")
                    if qps * duration < 1 {
                        throw value.error("qps x duration_s = \(qps * duration) expects no query in the whole run, so there would be nothing to measure",
                                          valid: "qps x duration_s >= 1, e.g. qps: \(Format.grouped(max(1, 100 / duration), decimals: 2)) for a \(Format.grouped(duration, decimals: 0)) s run")
                    }
                    if qps * duration > Double(Self.maxRequests) {
                        throw value.error("qps x duration_s = \(Int(qps * duration)) queries is more than one run simulates",
                                          valid: "qps x duration_s <= \(Self.maxRequests)")
                    }
                }
            }
        }
        let tolerance = try map.optional("search_tolerance").map { try note($0).double(in: 0.001...0.5) } ?? 0.01
        var workload = Workload(benchmark: benchmark?.id ?? "custom", scenario: kind, input: input, output: output,
                                samples: samples, minSamples: minSamples, qps: qps, duration: duration, seed: UInt64(seed), limits: limits)
        workload.trace = trace
        workload.searchMaxRate = searchMaxRate
        workload.searchTolerance = tolerance
        workload.maxEvents = try map.optional("max_events").map { try note($0).int(in: 1_000...1_000_000_000_000) } ?? Workload.defaultMaxEvents
        return workload
    }
}
