extension RunReport {
    /// The single-run report as a self-contained HTML page: the text report's facts as tables and a
    /// chart of the latency percentiles.
    public func html() -> String {
        func row(_ name: String, _ value: String) -> [String] { [name, value] }
        var facts = [
            row("model", "\(modelName) [\(model)], weights \(weights)\(lmHead == "bf16" ? "" : " (LM head \(lmHead))"), KV cache \(kvCache)"),
            row("hardware", "\(gpus) x \(gpuName) on \(nodes) node(s); tensor parallel \(tensorParallel) -> \(replicas) replica(s)"),
            row("workload", "\(benchmark) \(workloadScenario), \(Format.grouped(issuedSamples)) samples\(qps.map { " at \(Format.grouped($0, decimals: 2)) queries/s" } ?? ""), seed \(seed)"),
            row("serving", "\(scheduler) batching, \(kvPolicy) KV cache, \(router) router"),
            row("throughput", "\(Format.grouped(outputTokensPerS)) output tokens/s (\(Format.grouped(outputTokensPerSPerGPU)) per GPU)"),
            row("completed", "\(Format.grouped(completedSamples)) of \(Format.grouped(issuedSamples)) samples in \(Format.grouped(simulatedS, decimals: 2)) s simulated"),
            row("batch", "\(Format.grouped(meanBatchSeqs)) sequences per step (mean); \(Format.grouped(preemptions)) preemptions"),
            row("memory", "weights \(Format.fixed(weightsGBPerGPU, 1)) GB per GPU; KV \(Format.grouped(kvCapacityTokensPerReplica)) tokens per replica, peak \(Format.percent(kvPeakFraction))"),
        ]
        if let maxQPS { facts.insert(row("max rate", "\(Format.grouped(maxQPS, decimals: 2)) queries/s meets the p99 limits"), at: 4) }
        if let latencyLimits, let latencyLimitsMet {
            facts.append(row("limits", "p99 TTFT <= \(Format.grouped(latencyLimits.ttftP99Ms, decimals: 0)) ms, p99 TPOT <= \(Format.grouped(latencyLimits.tpotP99Ms, decimals: 0)) ms: \(latencyLimitsMet ? "met" : "NOT met")"))
        }
        let latency = [("TTFT", ttftMs), ("TPOT", tpotMs)].map { name, s in
            [name] + [s.p50, s.p90, s.p99, s.mean].map { Format.grouped($0, decimals: 1) }
        }
        let chart = SVGChart(title: "Latency percentiles", xLabel: "percentile", yLabel: "ms", series: [
            .init(name: "TTFT", points: [(50, ttftMs.p50), (90, ttftMs.p90), (99, ttftMs.p99)]),
            .init(name: "TPOT", points: [(50, tpotMs.p50), (90, tpotMs.p90), (99, tpotMs.p99)], dashed: true),
        ]).svg()
        let body = "<h1>inferplan - \(SVGChart.escape(scenario))</h1><p class=\"note\">\(SVGChart.escape(file))</p>"
            + HTMLPage.table(header: ["", ""], rows: facts, textColumns: [0, 1])
            + "<h2>Latency (ms)</h2>" + HTMLPage.table(header: ["", "p50", "p90", "p99", "mean"], rows: latency, textColumns: [0])
            + "<div class=\"charts\"><figure>\(chart)</figure></div>"
            + (explain ?? []).map { step in
                "<h2>Where the time goes: \(step.kind) step</h2><p class=\"note\">\(step.sequences) sequences, \(step.tokens) tokens, "
                    + "\(step.contextTokens) tokens of context each: \(Format.fixed(step.stepMs, 2)) ms per step</p>"
                    + HTMLPage.table(header: ["operator", "ms", "share", "GFLOP", "GB", "bound", "format", "MFU", "MBU"],
                                     rows: step.tableRows, textColumns: [0, 5, 6])
            }.joined()
        return HTMLPage.page(title: "inferplan - \(scenario)", body: body)
    }
}
