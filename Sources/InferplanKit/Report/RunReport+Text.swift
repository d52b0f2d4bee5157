extension RunReport {
    /// A compact table for people.
    public func text() -> String {
        var lines: [String] = []
        lines.append("inferplan - \(scenario) (\(file))")
        if !overrides.isEmpty { lines.append("  changed     " + overrides.joined(separator: ", ")) }
        lines.append("  model       \(modelName) [\(model)], weights \(weights)\(lmHead == "bf16" ? "" : " (LM head \(lmHead))"), KV cache \(kvCache)")
        let hardware = groups.map { $0.map { "\($0.gpus) x \($0.gpu)" }.joined(separator: " + ") } ?? "\(gpus) x \(gpuName)"
        lines.append("  hardware    \(hardware) on \(nodes) node\(nodes == 1 ? "" : "s"); tensor parallel \(tensorParallel)\(pipelineParallel > 1 ? " x pipeline \(pipelineParallel)" : "")\(expertParallel > 1 ? ", expert parallel \(expertParallel)" : "")\(attentionParallel == "data" ? ", attention data-parallel" : "") -> \(replicas) replica\(replicas == 1 ? "" : "s")")
        var load = "  workload    \(benchmark) \(workloadScenario): \(Format.grouped(issuedSamples)) samples"
        if let qps { load += " at \(Format.grouped(qps, decimals: 2)) queries/s" }
        lines.append(load + ", seed \(seed)")
        lines.append("  serving     \(scheduler) batching, \(kvPolicy) KV cache, \(router) router")
        for warning in warnings { lines.append("  warning     \(warning)") }
        if let maxQPS, let search {
            lines.append("")
            lines.append("  max rate    \(Format.grouped(maxQPS, decimals: 2)) queries/s meets the p99 limits (\(Format.grouped(search.failingQPS, decimals: 2)) does not; \(search.probes.count) probes, tolerance \(Format.percent(search.tolerance, decimals: 1)))")
        }
        lines.append("")
        lines.append("  throughput  \(Format.grouped(outputTokensPerS)) output tokens/s   (\(Format.grouped(outputTokensPerSPerGPU)) per GPU)")
        for group in groups ?? [] {
            lines.append("    \(Format.pad(group.gpu, 10, right: false)) \(Format.grouped(group.outputTokensPerS)) output tokens/s on \(group.gpus) GPUs (\(Format.grouped(group.outputTokensPerSPerGPU)) per GPU)")
        }
        lines.append("  completed   \(Format.grouped(completedSamples)) of \(Format.grouped(issuedSamples)) samples, \(Format.grouped(outputTokens)) output tokens in \(Format.grouped(simulatedS, decimals: 2)) s simulated")
        lines.append("")
        // Columns sized from the values (at least 10), so that long latencies never run together.
        let rows = [("TTFT", ttftMs), ("TPOT", tpotMs)].map { label, summary in
            (label, [summary.p50, summary.p90, summary.p99, summary.mean].map { Format.grouped($0, decimals: 1) })
        }
        let width = max(10, (rows.flatMap(\.1).map(\.count).max() ?? 0) + 2)
        lines.append("  latency ms  " + ["p50", "p90", "p99", "mean"].map { Format.pad($0, width) }.joined())
        for (label, cells) in rows {
            lines.append("  \(Format.pad(label, 10, right: false))  " + cells.map { Format.pad($0, width) }.joined())
        }
        if let latencyLimits, let latencyLimitsMet {
            lines.append("  limits      p99 TTFT <= \(Format.grouped(latencyLimits.ttftP99Ms, decimals: 0)) ms, p99 TPOT <= \(Format.grouped(latencyLimits.tpotP99Ms, decimals: 0)) ms: \(latencyLimitsMet ? "met" : "NOT met")")
        }
        lines.append("")
        lines.append("  power       \(Format.grouped(meanPowerWPerGPU, decimals: 0)) W mean, \(Format.grouped(peakPowerWPerGPU, decimals: 0)) W peak per GPU (\(Format.grouped(meanPowerWPerNode / 1000, decimals: 1)) kW per node, GPUs only); \(Format.grouped(outputTokensPerJoule, decimals: 2)) output tokens/J, \(Format.grouped(joulesPerQuery, decimals: 1)) J per query")
        if let clusterUSDPerHour, let usdPerMillionOutputTokens {
            lines.append("  cost        $\(Format.grouped(clusterUSDPerHour, decimals: 2)) per hour for the cluster; $\(Format.grouped(usdPerMillionOutputTokens, decimals: 3)) per million output tokens")
        }
        lines.append("  batch       \(Format.grouped(meanBatchSeqs)) sequences per step (mean); \(Format.grouped(preemptions)) preemptions")
        lines.append("  memory      weights \(Format.fixed(weightsGBPerGPU, 1)) GB per GPU; KV cache \(Format.grouped(kvCapacityTokensPerReplica)) tokens per replica, peak \(Format.percent(kvPeakFraction))")
        if let repeatSummary {
            lines.append("")
            lines.append("  over \(repeatSummary.runs) seeds (\(repeatSummary.seeds.map(String.init).joined(separator: ", "))): mean [95% interval]")
            for (name, estimate) in repeatSummary.figures {
                lines.append("    \(Format.pad(name, 28, right: false)) \(Format.grouped(estimate.mean, decimals: 1)) [\(Format.grouped(estimate.ci95Low, decimals: 1)), \(Format.grouped(estimate.ci95High, decimals: 1))]")
            }
        }
        var engine = "  engine      \(Format.grouped(events)) events"
        if let wallS { engine += " in \(Format.fixed(wallS, 3)) s wall" }
        lines.append(engine)
        if let explain {
            lines.append("")
            lines.append("  where the time goes (per GPU of a replica; MFU and MBU against the datasheet peaks)")
            for step in explain { lines.append(step.text()) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
