extension RunReport {
    /// The single-run report as a self-contained HTML page: the headline figures, the text
    /// report's facts as tables, one latency chart per quantity with its p99 limit drawn, and -
    /// for a max-rate search - every rate it probed against the limits.
    public func html() -> String {
        func row(_ name: String, _ value: String) -> [String] { [name, value] }
        let hardware = groups.map { $0.map { "\($0.gpus) x \($0.gpu)" }.joined(separator: " + ") } ?? "\(gpus) x \(gpuName)"
        var facts = [
            row("model", "\(modelName) [\(model)], weights \(weights)\(lmHead == "bf16" ? "" : " (LM head \(lmHead))"), KV cache \(kvCache)"),
            row("hardware", "\(hardware) on \(nodes) node(s); tensor parallel \(tensorParallel)\(pipelineParallel > 1 ? " x pipeline \(pipelineParallel)" : "") -> \(replicas) replica(s)"),
            row("workload", "\(benchmark) \(workloadScenario), \(Format.grouped(issuedSamples)) samples\(qps.map { " at \(Format.grouped($0, decimals: 2)) queries/s" } ?? ""), seed \(seed)"),
            row("serving", "\(scheduler) batching, \(kvPolicy) KV cache, \(router) router"),
            row("completed", "\(Format.grouped(completedSamples)) of \(Format.grouped(issuedSamples)) samples in \(Format.grouped(simulatedS, decimals: 2)) s simulated"),
            row("batch", "\(Format.grouped(meanBatchSeqs)) sequences per step (mean); \(Format.grouped(preemptions)) preemptions"),
            row("power", "\(Format.grouped(meanPowerWPerGPU, decimals: 0)) W mean, \(Format.grouped(peakPowerWPerGPU, decimals: 0)) W peak per GPU; \(Format.grouped(energyJ / 1e6, decimals: 2)) MJ; \(Format.grouped(joulesPerQuery, decimals: 1)) J per query"),
            row("memory", "weights \(Format.fixed(weightsGBPerGPU, 1)) GB per GPU; KV \(Format.grouped(kvCapacityTokensPerReplica)) tokens per replica, peak \(Format.percent(kvPeakFraction))"),
        ]
        if let latencyLimits, let latencyLimitsMet {
            facts.append(row("limits", "p99 TTFT <= \(Format.grouped(latencyLimits.ttftP99Ms, decimals: 0)) ms, p99 TPOT <= \(Format.grouped(latencyLimits.tpotP99Ms, decimals: 0)) ms: \(latencyLimitsMet ? "met" : "NOT met")"))
        }
        var headline: [(value: String, caption: String)] = [
            (Format.grouped(outputTokensPerS, decimals: 0), "output tokens/s"),
            (Format.grouped(outputTokensPerSPerGPU, decimals: 0), "output tokens/s per GPU"),
        ]
        if let maxQPS { headline.append((Format.grouped(maxQPS, decimals: 2), "queries/s: the highest rate meeting the limits")) }
        headline.append((Format.grouped(ttftMs.p99, decimals: 1) + " ms", "p99 time to first token"))
        headline.append((Format.grouped(tpotMs.p99, decimals: 1) + " ms", "p99 time per output token"))
        if let latencyLimitsMet { headline.append((latencyLimitsMet ? "met" : "NOT met", "latency limits")) }
        headline.append((Format.grouped(outputTokensPerJoule, decimals: 2), "output tokens per joule (GPUs)"))
        if let usdPerMillionOutputTokens { headline.append(("$" + Format.grouped(usdPerMillionOutputTokens, decimals: 3), "per million output tokens")) }

        let latency = [("TTFT", ttftMs), ("TPOT", tpotMs)].map { name, s in
            [name] + [s.p50, s.p90, s.p99, s.mean].map { Format.grouped($0, decimals: 1) }
        }
        var charts = [("TTFT", ttftMs, latencyLimits?.ttftP99Ms), ("TPOT", tpotMs, latencyLimits?.tpotP99Ms)].map { name, s, limit in
            SVGChart(title: "\(name) percentiles", x: .init(label: "percentile"), y: .init(label: "\(name) ms", includesZero: true),
                     series: [.init(name: name, points: [(50, s.p50), (90, s.p90), (99, s.p99)])],
                     references: limit.map { [.init(label: "p99 limit \(Format.grouped($0, decimals: 0)) ms", y: $0)] } ?? [],
                     width: 480).svg()
        }
        if let search { charts += probeCharts(search) }

        var body = (overrides.isEmpty ? "" : "<p class=\"warning\">Changed from the file: \(SVGChart.escape(overrides.joined(separator: ", ")))</p>")
            + warnings.map { "<p class=\"warning\">warning: \(SVGChart.escape($0))</p>" }.joined()
            + HTMLPage.headline(headline)
            + HTMLPage.table(header: ["", ""], rows: facts, textColumns: [0, 1])
            + HTMLPage.section("Latency (ms)") + HTMLPage.table(header: ["", "p50", "p90", "p99", "mean"], rows: latency, textColumns: [0])
            + HTMLPage.charts(charts)
        if let search {
            body += HTMLPage.section("Max-rate search: \(search.probes.count) probes")
                + HTMLPage.table(header: ["queries/s", "p99 TTFT ms", "p99 TPOT ms", "tokens/s", "limits"],
                                 rows: search.probes.map { [Format.grouped($0.qps, decimals: 2), Format.grouped($0.ttftP99Ms, decimals: 1),
                                                            Format.grouped($0.tpotP99Ms, decimals: 1), Format.grouped($0.outputTokensPerS, decimals: 0),
                                                            $0.meetsLimits ? "met" : "missed"] },
                                 rowClasses: search.probes.map { $0.meetsLimits ? nil : "bad" })
        }
        body += (explain ?? []).map { step in
            HTMLPage.section("Where the time goes: \(step.kind) step")
                + HTMLPage.note("\(step.sequences) sequences, \(step.tokens) tokens, \(step.contextTokens) tokens of context each: \(Format.fixed(step.stepMs, 2)) ms per step")
                + HTMLPage.table(header: ["operator", "ms", "share", "GFLOP", "GB", "bound", "format", "MFU", "MBU"],
                                 rows: step.tableRows, textColumns: [0, 5, 6])
        }.joined()
        return HTMLPage.page(title: "inferplan run - \(scenario)", subtitle: file, body: body)
    }

    /// The search's probes: rate against p99 TTFT and against p99 TPOT, filled where the limits
    /// held and hollow where they did not, with the limits drawn.
    private func probeCharts(_ search: SearchSummary) -> [String] {
        let passed = search.probes.filter(\.meetsLimits), failed = search.probes.filter { !$0.meetsLimits }
        let quantities: [(String, KeyPath<MaxRateSearch.Probe, Double>, Double?)] = [
            ("TTFT", \.ttftP99Ms, latencyLimits?.ttftP99Ms), ("TPOT", \.tpotP99Ms, latencyLimits?.tpotP99Ms),
        ]
        return quantities.map { name, value, limit in
            SVGChart(title: "Search probes: p99 \(name) vs rate", x: .init(label: "queries/s"),
                     y: .init(label: "p99 \(name) ms", scale: .log),
                     series: [.init(name: "limits met", points: passed.map { ($0.qps, $0[keyPath: value]) }, style: .scatter, color: "#2ca02c"),
                              .init(name: "limits missed", points: failed.map { ($0.qps, $0[keyPath: value]) }, style: .hollowScatter, color: "#d62728")],
                     references: limit.map { [.init(label: "p99 limit \(Format.grouped($0, decimals: 0)) ms", y: $0)] } ?? [],
                     width: 480).svg()
        }
    }
}
