import ArgumentParser
import Foundation
import InferplanKit

struct HostcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostcheck",
        abstract: "Predict a workload on this machine from a calibration profile, then serve it for real and compare.",
        discussion: """
        The real run serves a synthetic Llama-shaped model with random MXFP4 weights on the CPU with the bundled kernels (prefill and decode with a BF16 KV cache, continuous batching); the prediction is the simulator's with the profile as the device. The default workload takes about 3 minutes on 2 cores.

        Examples:
          inferplan hostcheck Calibration/host-xeon-avx512-2threads.yaml --format json
          inferplan hostcheck Calibration/host-xeon-avx512-2threads.yaml \\
            --requests 8 --input-tokens 32 --output-tokens 16 --max-batch 4
          inferplan hostcheck Calibration/host-xeon-avx512-2threads.yaml --scenario server --qps 0.2 --repeat 3
        """
    )

    @Argument(help: "A calibration profile written by `inferplan calibrate`.")
    var profile: String

    @Option(name: .long, help: "Model id or YAML path (dense, grouped-query).")
    var model = "synthetic-1b"

    @Option(name: .long, help: "Requests to serve.")
    var requests = 64

    @Option(name: .long, help: "Prompt tokens per request.")
    var inputTokens = 128

    @Option(name: .long, help: "Output tokens per request.")
    var outputTokens = 64

    @Option(name: .long, help: "Most sequences in one step.")
    var maxBatch = 16

    @Option(name: .long, help: "Most tokens in one step (prompts are never split, so at least --input-tokens).")
    var maxBatchTokens = 2048

    @Option(name: .long, help: "Seed for the weights and the prompts.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Kernel threads (default: all cores, as `inferplan calibrate` uses).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "offline (every request at t = 0) or server (Poisson arrivals at --qps).")
    var scenario: String = "offline"

    @Option(name: .long, help: "Server: the Poisson arrival rate in requests/s (about 70% of the Offline throughput in requests/s probes queueing).")
    var qps: Double?

    @Option(name: .long, help: "Run the check N times back to back and give each error's mean and 95% interval.")
    var `repeat`: Int = 1

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.refuseHTML(command: "hostcheck")
        for (name, value, limit) in [("--requests", requests, 100_000), ("--input-tokens", inputTokens, 32_768),
                                     ("--output-tokens", outputTokens, 32_768), ("--max-batch", maxBatch, 1024),
                                     ("--threads", threads, 64)] where value < 1 || value > limit {
            throw ValidationError("\(name) must be between 1 and \(limit); got \(value)")
        }
        if maxBatchTokens < inputTokens || maxBatchTokens > 65_536 {
            throw ValidationError("--max-batch-tokens must be at least --input-tokens (\(inputTokens)), since prompts are never split, and at most 65536; got \(maxBatchTokens)")
        }
        guard ["offline", "server"].contains(scenario) else {
            throw ValidationError("--scenario takes offline or server; got '\(scenario)'")
        }
        if scenario == "server" {
            guard let qps, qps > 0, qps.isFinite else {
                throw ValidationError("--scenario server needs a Poisson rate: --qps 0.2 (requests/s; about 70% of the Offline rate probes queueing)")
            }
        } else if qps != nil {
            throw ValidationError("--qps applies to --scenario server only")
        }
        guard (1...100).contains(`repeat`) else { throw ValidationError("--repeat takes a whole number from 1 to 100, e.g. --repeat 3") }
        if !FileManager.default.fileExists(atPath: profile) {
            throw ValidationError("no calibration profile at \(profile); write one with `inferplan calibrate --output \(profile)`")
        }
    }

    func run() throws {
        var options = HostCheck.Options()
        options.model = model
        options.requests = requests
        options.inputTokens = inputTokens
        options.outputTokens = outputTokens
        options.maxBatchSequences = maxBatch
        options.maxBatchTokens = maxBatchTokens
        options.seed = seed
        options.threads = threads
        if scenario == "server", let qps {
            options.scenario = .server
            options.qps = qps
        }
        var checks: [HostCheck] = []
        for run in 1...`repeat` {
            if `repeat` > 1 { Console.err("run \(run) of \(`repeat`)\n") }
            checks.append(try HostCheck.run(profile: profile, options: options) { message in Console.err("\(message)\n") })
        }
        guard `repeat` > 1 else {
            try output.write(output.format == .json ? checks[0].json() : checks[0].text())
            return
        }
        let series = HostCheckSeries(checks)
        try output.write(output.format == .json ? ReportJSON.encode(series) : checks.last!.text() + "\n" + series.text())
    }
}
