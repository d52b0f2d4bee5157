extension CapacityPlan {
    /// `inferplan plan --format html`: GPUs needed and throughput per GPU for each candidate as
    /// bars (the best one marked), candidates without an answer with their reason, and the table.
    public static func html(_ answers: [Answer], target: Target, file: String) -> String {
        let goal: String
        switch target {
        case .tokensPerSecond(let x): goal = "\(Format.grouped(x, decimals: 0)) output tokens/s"
        case .queriesPerSecond(let x): goal = "\(Format.grouped(x, decimals: 2)) queries/s"
        case .videosPerSecond(let x): goal = "\(Format.grouped(x, decimals: 4)) videos/s"
        }
        let video: Bool
        if case .videosPerSecond = target { video = true } else { video = false }
        var headline: [(value: String, caption: String)] = [(goal, "target")]
        if let best = answers.first(where: \.best), let gpus = best.gpus, let nodes = best.nodes {
            headline.append(("\(gpus) x \(best.gpu)", "best: \(best.candidate), \(nodes) node\(nodes == 1 ? "" : "s")"))
        }
        let charts = [
            SVGBarChart(title: "GPUs to meet the target", valueLabel: "GPUs",
                        bars: answers.map { .init(label: $0.candidate, value: $0.gpus.map(Double.init), highlighted: $0.best) }).svg(),
            video
                ? SVGBarChart(title: "Videos/s per GPU at that size", valueLabel: "videos/s per GPU",
                              bars: answers.map { a in .init(label: a.candidate, value: a.videosPerS.flatMap { v in a.gpus.map { v / Double($0) } }, highlighted: a.best) }).svg()
                : SVGBarChart(title: "Output tokens/s per GPU at that size", valueLabel: "output tokens/s per GPU",
                              bars: answers.map { .init(label: $0.candidate, value: $0.outputTokensPerSPerGPU, highlighted: $0.best) }).svg(),
        ]
        let rows = answers.map { a -> [String] in
            [a.candidate + (a.best ? " *" : ""), a.gpu, a.nodes.map(String.init) ?? "-", a.gpus.map(String.init) ?? "-",
             video ? a.videosPerS.map { Format.grouped($0, decimals: 4) } ?? "-" : a.outputTokensPerS.map { Format.grouped($0, decimals: 0) } ?? "-",
             video ? a.videoLatencyP90S.map { Format.grouped($0, decimals: 1) } ?? "-" : a.outputTokensPerSPerGPU.map { Format.grouped($0, decimals: 0) } ?? "-",
             a.maxQPS.map { Format.grouped($0, decimals: 2) } ?? "-", a.powerKW.map { Format.fixed($0, 1) } ?? "-",
             a.meanPowerKW.map { Format.fixed($0, 1) } ?? "-", a.usdPerHour.map { Format.grouped($0, decimals: 2) } ?? "-",
             a.usdPerMillionOutputTokens.map { Format.fixed($0, 3) } ?? "-", a.note ?? ""]
        }
        let body = HTMLPage.headline(headline) + HTMLPage.charts(charts)
            + HTMLPage.section("Smallest cluster per candidate")
            + HTMLPage.table(header: ["candidate", "GPU", "nodes", "GPUs", video ? "videos/s" : "tokens/s", video ? "p90 s" : "per GPU", "max qps", "TDP kW", "mean kW", "$/hour", "$/M tokens", "note"],
                             rows: rows, textColumns: [0, 1, 11],
                             rowClasses: answers.map { $0.best ? "best" : ($0.gpus == nil ? "bad" : nil) })
            + HTMLPage.note("* fewest GPUs (then least power, from TDP). Server and Interactive candidates are measured at the highest rate meeting the p99 limits.")
        return HTMLPage.page(title: "inferplan plan - \(goal)", subtitle: file, body: body)
    }
}
