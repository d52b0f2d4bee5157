extension CatalogListing {
    /// `inferplan catalog --format html`: the catalog's GPUs, models, benchmark presets, nodes and
    /// efficiency profiles as tables, with each entry's source and confidence.
    public func html() -> String {
        let formats = ["bf16", "fp8", "fp6", "fp4"]
        let gpuRows = gpus.map { g in
            [g.id, g.name, Format.fixed(g.memoryGB, 0), Format.fixed(g.bandwidthTBs, 2)]
                + formats.map { g.denseTFLOPS[$0].map { Format.grouped($0, decimals: 0) } ?? "-" }
                + [g.scaleUp, g.efficiency, g.confidence, g.source]
        }
        let modelRows = models.map { m in
            [m.id, m.name, Format.fixed(m.parametersB, 2), Format.fixed(m.activeParametersB, 2),
             Format.grouped(m.kvBytesPerTokenBF16 / 1024, decimals: 0), m.confidence, m.source]
        }
        let benchmarkRows = benchmarks.map { [$0.id, $0.model, $0.input, $0.output, Format.grouped($0.minOfflineSamples), $0.confidence] }
        let profileRows = efficiency.map { p in
            [p.id] + ["bf16", "fp8", "fp4"].map { Format.fixed(p.computeByFormat[$0] ?? p.compute, 3) }
                + [Format.fixed(p.bandwidth, 3), Format.fixed(p.stepOverheadMs, 2), Format.fixed(p.hostPerSequenceUs, 0), p.stack, p.fittedOn]
        }
        let body = HTMLPage.section("GPUs (dense TFLOP/s; usable HBM)")
            + HTMLPage.table(header: ["id", "name", "GB", "TB/s"] + formats + ["scale-up", "efficiency", "confidence", "source"],
                             rows: gpuRows, textColumns: [0, 1, 8, 9, 10, 11])
            + HTMLPage.section("Models")
            + HTMLPage.table(header: ["id", "name", "parameters B", "active B", "KV KiB/token (BF16)", "confidence", "source"],
                             rows: modelRows, textColumns: [0, 1, 5, 6])
            + HTMLPage.section("Benchmark presets")
            + HTMLPage.table(header: ["id", "model", "input", "output", "min Offline samples", "confidence"], rows: benchmarkRows, textColumns: [0, 1, 2, 3, 5])
            + HTMLPage.section("Nodes (hardware.node)")
            + HTMLPage.table(header: ["node"], rows: nodes.map { [$0] }, textColumns: [0])
            + HTMLPage.section("Efficiency profiles")
            + HTMLPage.table(header: ["id", "bf16", "fp8", "fp4", "bandwidth", "step overhead ms", "host us/seq", "stack", "fitted on"],
                             rows: profileRows, textColumns: [0, 7, 8])
            + HTMLPage.note("A scenario names these by id, or points at a YAML file of the same shape to add its own.")
        return HTMLPage.page(title: "inferplan catalog", subtitle: "what a scenario can name", body: body)
    }
}
