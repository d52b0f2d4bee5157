/// The values a fuzz case plants where a scenario, `--set`, sweep axis or trace expects one: the
/// extremes that broke earlier versions (0, -1, 1e308, NaN, infinity, 2^63), wrong types, huge
/// and odd strings, and plausible numbers near the original.
enum Values {
    /// Extreme and wrong-typed YAML scalars and collections, as YAML text.
    static let extremes = [
        "0", "-1", "1", "2", "0.5", "1e308", "-1e308", "1e-320", ".nan", ".NaN", ".inf", "-.inf",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "4294967296", "100000", "1e6", "1e8", "0.000001", "null", "~", "true", "false", "''", "\"\"",
        "[]", "{}", "[1, 2]", "{a: 1}", "max", "fp8", "nvfp4", "h200-sxm", "b200", "x # y",
        "\"a\\u0000b\"", "\"\\e[31mred\"", "ä€😀", "../../../etc/passwd", "/dev/zero", "-",
    ]

    /// A value for a key that had `original` (YAML text): mostly an extreme, sometimes a number
    /// near the original, sometimes a huge string.
    static func replacement(for original: String, using random: inout FuzzRandom) -> String {
        if random.chance(0.04) { return String(repeating: "x", count: random.pick([1_000, 100_000, 1_000_000])) }
        if let number = Double(original), random.chance(0.5) {
            let factor = random.pick([0.0, -1.0, 0.1, 0.5, 2.0, 10.0, 1000.0, 1e6])
            let value = number * factor + (random.chance(0.3) ? 1 : 0)
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        return random.pick(extremes)
    }

    /// Key paths a user may write, for `--set` and sweep axes (plus misspellings the harness makes).
    static let keyPaths = [
        "name", "model", "hardware.gpu", "hardware.gpus_per_node", "hardware.nodes", "hardware.node",
        "hardware.node_groups", "hardware.scale_out", "precision.weights", "precision.kv_cache",
        "precision.lm_head", "parallelism.tensor", "parallelism.pipeline", "parallelism.expert",
        "parallelism.attention", "serving.scheduler", "serving.max_batch_seqs", "serving.max_batch_tokens",
        "serving.chunk_tokens", "serving.kv_policy", "serving.kv_block_tokens", "serving.router",
        "serving.dispatch_latency_ms", "serving.step_overhead_ms", "serving.prefill_replicas_per_node",
        "serving.variability.step_jitter", "serving.variability.gpu_speed_spread", "serving.stack_release",
        "serving.speculative.draft_tokens", "serving.speculative.acceptance_rate", "serving.load_generator.dispatch_qps",
        "parallelism.expert_imbalance", "hardware.scale_out.gbps_per_node", "workload.benchmark", "workload.scenario", "workload.samples", "workload.seed",
        "workload.qps", "workload.duration_s", "workload.input_tokens", "workload.output_tokens",
        "workload.limits.ttft_p99_ms", "workload.limits.tpot_p99_ms", "workload.trace", "workload.trace_time_scale",
        "workload.search_tolerance", "workload.max_events", "serving.variabilty.step_jitter", "Hardware.GPU", "workload",
        "hardware.power_cap_w", "hardware.node_power_cap_w", "cost", "cost.gpu_hour_usd", "cost.power_usd_per_kwh", "cost.pue",
        "serving.offline_split",
    ]

    /// Scenarios that also cost little to run at their own values (the harness's seeds).
    static let validOverrides = [
        "hardware.gpu=b200", "hardware.gpu=mi300x", "hardware.nodes=2", "precision.weights=nvfp4",
        "serving.scheduler=chunked-prefill", "workload.scenario=server", "workload.qps=20", "workload.scenario=interactive",
        "parallelism.tensor=2", "serving.router=least-outstanding", "workload.duration_s=60",
        "hardware.power_cap_w=400", "cost={gpu_hour_usd: 2.5, power_usd_per_kwh: 0.1, pue: 1.2}", "serving.offline_split=dynamic",
    ]
}
