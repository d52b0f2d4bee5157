extension VideoRunReport {
    /// A compact table for people.
    public func text() -> String {
        var lines: [String] = []
        lines.append("inferplan - \(scenario) (\(file))")
        if !overrides.isEmpty { lines.append("  changed     " + overrides.joined(separator: ", ")) }
        lines.append("  model       \(modelName) [\(model)], weights \(weights), attention \(attention)")
        lines.append("  hardware    \(gpu) on \(nodes) node\(nodes == 1 ? "" : "s"); \(sequenceParallel == 1 ? "no sequence parallelism" : "sequence parallel \(sequenceParallel) (\(sequenceParallelMode))")\(cfgParallel ? " x 2 CFG-parallel" : "") -> \(replicas) replica\(replicas == 1 ? "" : "s") of \(gpusPerReplica) GPU\(gpusPerReplica == 1 ? "" : "s")")
        lines.append("  workload    \(benchmark) \(workloadScenario): \(Format.grouped(issuedSamples)) videos of \(video)")
        lines.append("  video       \(Format.grouped(tokensPerVideo)) tokens, \(forwardPassesPerVideo) forward passes of \(Format.grouped(secondsPerForwardPass, decimals: 3)) s")
        for warning in warnings { lines.append("  warning     \(warning)") }
        lines.append("")
        lines.append("  throughput  \(Format.grouped(videosPerS, decimals: 4)) videos/s   (\(Format.grouped(videosPerSPerGPU, decimals: 5)) per GPU); \(Format.grouped(gpuSecondsPerVideo, decimals: 1)) GPU-s per video")
        lines.append("  latency s   p50 \(Format.grouped(videoLatencyS.p50, decimals: 2))   p90 \(Format.grouped(videoLatencyS.p90, decimals: 2))   p99 \(Format.grouped(videoLatencyS.p99, decimals: 2))   mean \(Format.grouped(videoLatencyS.mean, decimals: 2))")
        lines.append("  completed   \(Format.grouped(issuedSamples)) videos in \(Format.grouped(simulatedS, decimals: 1)) s simulated")
        lines.append("  power       \(Format.grouped(meanPowerWPerGPU, decimals: 0)) W mean per GPU; \(Format.grouped(joulesPerVideo / 1000, decimals: 1)) kJ per video")
        if let clusterUSDPerHour, let usdPerVideo {
            lines.append("  cost        $\(Format.grouped(clusterUSDPerHour, decimals: 2)) per hour for the cluster; $\(Format.grouped(usdPerVideo, decimals: 3)) per video")
        }
        lines.append("  memory      \(Format.fixed(memoryGBPerGPU, 1)) GB per GPU (weights, text encoder, VAE, activations)")
        lines.append("")
        lines.append("  where a video's time goes (one replica)")
        let header = ["operator", "s", "share", "TFLOP", "GB", "bound", "format"]
        let widths = [22, 9, 8, 10, 9, 9, 7]
        lines.append("    " + zip(header, widths).map { Format.pad($0, $1, right: $0 != "operator") }.joined())
        for row in explainRows {
            lines.append("    " + zip(row, widths).enumerated().map { Format.pad($1.0, $1.1, right: $0 != 0) }.joined())
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
