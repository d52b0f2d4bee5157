extension VideoRunReport {
    /// The video report as a self-contained HTML page: headline figures, the facts, and where a
    /// video's time goes as a table and a bar chart.
    public func html() -> String {
        var headline: [(value: String, caption: String)] = [
            (Format.grouped(videoLatencyS.p90, decimals: 2) + " s", "p90 seconds per video"),
            (Format.grouped(videosPerS, decimals: 4), "videos/s"),
            (Format.grouped(videosPerSPerGPU, decimals: 5), "videos/s per GPU"),
            (Format.grouped(gpuSecondsPerVideo, decimals: 1), "GPU-seconds per video"),
            (Format.grouped(joulesPerVideo / 1000, decimals: 1) + " kJ", "per video (GPUs)"),
        ]
        if let usdPerVideo { headline.append(("$" + Format.grouped(usdPerVideo, decimals: 3), "per video")) }
        let facts = [
            ["model", "\(modelName) [\(model)], weights \(weights), attention \(attention)"],
            ["hardware", "\(gpu) on \(nodes) node(s); sequence parallel \(sequenceParallel) (\(sequenceParallelMode))\(cfgParallel ? " x 2 CFG-parallel" : "") -> \(replicas) replica(s)"],
            ["workload", "\(benchmark) \(workloadScenario), \(Format.grouped(issuedSamples)) videos of \(video)"],
            ["video", "\(Format.grouped(tokensPerVideo)) tokens, \(forwardPassesPerVideo) forward passes of \(Format.grouped(secondsPerForwardPass, decimals: 3)) s"],
            ["latency", "p50 \(Format.grouped(videoLatencyS.p50, decimals: 2)) s, p90 \(Format.grouped(videoLatencyS.p90, decimals: 2)) s, p99 \(Format.grouped(videoLatencyS.p99, decimals: 2)) s"],
            ["power", "\(Format.grouped(meanPowerWPerGPU, decimals: 0)) W mean per GPU; \(Format.grouped(energyJ / 1e6, decimals: 2)) MJ"],
            ["memory", "\(Format.fixed(memoryGBPerGPU, 1)) GB per GPU"],
        ]
        let chart = SVGBarChart(title: "Seconds per video by operator", valueLabel: "s",
                                bars: explain.map { .init(label: $0.name, value: $0.seconds) }).svg()
        let body = (overrides.isEmpty ? "" : "<p class=\"warning\">Changed from the file: \(SVGChart.escape(overrides.joined(separator: ", ")))</p>")
            + warnings.map { "<p class=\"warning\">warning: \(SVGChart.escape($0))</p>" }.joined()
            + HTMLPage.headline(headline)
            + HTMLPage.table(header: ["", ""], rows: facts, textColumns: [0, 1])
            + HTMLPage.section("Where a video's time goes (one replica)")
            + HTMLPage.table(header: ["operator", "s", "share", "TFLOP", "GB", "bound", "format"], rows: explainRows, textColumns: [0, 5, 6])
            + HTMLPage.charts([chart])
        return HTMLPage.page(title: "inferplan run - \(scenario)", subtitle: file, body: body)
    }
}
