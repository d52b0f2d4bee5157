import Foundation
import Testing
@testable import InferplanKit

/// Power from activity, energy over a run, and dollars: hand-computed figures and invariants.
@Suite struct PowerAndCostTests {
    @Test func dynamicEnergyFollowsActivityUpToTheLimit() {
        let h200 = PowerProfile(tdpWatts: 700)
        // Defaults: idle 15% of TDP (105 W), compute share 0.7.
        #expect(abs(h200.idleWatts - 105) < 1e-12 && h200.computeShare == 0.7)
        // 10 ms step, matrix units busy 2 ms, HBM 6 ms: (700 - 105) x (0.7 x 2 + 0.3 x 6) ms = 1.904 J.
        #expect(abs(h200.dynamicJoules(seconds: 0.010, computeBusy: 0.002, memoryBusy: 0.006) - 1.904) < 1e-12)
        // Busier than the step is long: held at TDP, 595 W x 10 ms.
        #expect(abs(h200.dynamicJoules(seconds: 0.010, computeBusy: 0.020, memoryBusy: 0.001) - 5.95) < 1e-12)
        let stated = PowerProfile(tdpWatts: 1000, idleWatts: 200, computeShare: 0.5)
        #expect(abs(stated.dynamicJoules(seconds: 1, computeBusy: 0.4, memoryBusy: 0.8) - 480) < 1e-9)
    }

    /// The step's busy times are its operators' FLOPs at the formats' dense peaks and bytes at the
    /// peak bandwidth, and its seconds exactly `time(for:)`.
    @Test func aStepsActivityIsItsOperatorsAtPeak() throws {
        let deployment = Fixtures.deployment()
        let model = deployment.stepModel
        var prefill = StepWork()
        prefill.addPrefillChunk(2000, afterPrefix: 0, completesPrompt: true)
        let decode = StepWork(decodeSequences: 256, decodeContextTokens: 256 * 1000, sampledTokens: 256)
        for work in [prefill, decode] {
            let activity = model.activity(for: work)
            #expect(activity.seconds == model.time(for: work))
            let costs = model.operatorCosts(for: work)
            let compute = costs.reduce(0.0) { $0 + $1.flops / (model.gpu.denseFLOPS[$1.format] ?? .infinity) }
            let memory = costs.reduce(0.0) { $0 + $1.bytes / model.gpu.memoryBytesPerSecond }
            #expect(abs(activity.computeBusy - compute) <= 1e-9 * compute && abs(activity.memoryBusy - memory) <= 1e-9 * memory)
        }
        // A 2,000-token prompt keeps the matrix units busy for most of its step; 256 decodes the HBM.
        let p = model.activity(for: prefill), d = model.activity(for: decode)
        #expect(p.computeBusy / p.seconds > p.memoryBusy / p.seconds)
        #expect(d.memoryBusy / d.seconds > d.computeBusy / d.seconds)
    }

    /// Over a run the GPUs draw at least idle and at most TDP; prompts (compute-bound) draw more
    /// than decodes (memory-bound); tokens per joule and joules per query follow from the energy.
    @Test func energyOverARunIsBetweenIdleAndTDP() throws {
        func metrics(input: Int, output: Int) throws -> (RunMetrics, GPUSpec, Int) {
            let yaml = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "benchmark: mlperf-llama2-70b, ", with: "")
                .replacingOccurrences(of: "samples: 2000", with: "samples: 400, input_tokens: \(input), output_tokens: \(output)")
            let scenario = try Fixtures.scenario(yaml)
            let deployment = try scenario.deployment()
            let result = Simulation(deployment: deployment, workload: scenario.workload).run()
            return (RunMetrics(result: result), scenario.gpu, deployment.gpus)
        }
        let (prompts, gpu, gpus) = try metrics(input: 4000, output: 2)
        let (decodes, _, _) = try metrics(input: 100, output: 400)
        for m in [prompts, decodes] {
            #expect(m.meanPowerWattsPerGPU >= gpu.power.idleWatts && m.meanPowerWattsPerGPU <= gpu.powerWatts)
            #expect(m.peakPowerWattsPerGPU >= m.meanPowerWattsPerGPU && m.peakPowerWattsPerGPU <= gpu.powerWatts)
            #expect(abs(m.energyJoules - m.meanPowerWattsPerGPU * m.simulatedSeconds * Double(gpus)) <= 1e-9 * m.energyJoules)
            #expect(abs(m.outputTokensPerJoule * m.energyJoules - Double(m.outputTokens)) <= 1e-6 * Double(m.outputTokens))
            #expect(abs(m.joulesPerQuery * Double(m.completedSamples) - m.energyJoules) <= 1e-9 * m.energyJoules)
        }
        #expect(prompts.meanPowerWattsPerGPU > decodes.meanPowerWattsPerGPU)
    }

    @Test func dollarsPerHourAndPerMillionTokens() throws {
        // 16 GPUs at $3 an hour, drawing 8 kW at $0.12 per kWh with a PUE of 1.25: 48 + 1.2 = $49.2.
        let prices = Prices(gpuHourUSD: 3, powerUSDPerKWh: 0.12, pue: 1.25)
        #expect(abs(prices.usdPerHour(gpus: 16, watts: 8000) - 49.2) < 1e-12)
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML + "\ncost: {gpu_hour_usd: 3, power_usd_per_kwh: 0.12, pue: 1.25}\n")
        let outcome = try ScenarioRun.outcome(scenario)
        let report = RunReport(scenario: scenario, outcome: outcome)
        let perHour = 8 * 3 + report.meanPowerWPerGPU * 8 / 1000 * 1.25 * 0.12
        #expect(abs(try #require(report.clusterUSDPerHour) - perHour) < 1e-9)
        #expect(abs(try #require(report.usdPerMillionOutputTokens) - perHour / (report.outputTokensPerS * 3600) * 1e6) < 1e-12)
        let json = try report.json()
        for key in ["mean_power_w_per_gpu", "peak_power_w_per_gpu", "mean_power_w_per_node", "energy_j", "output_tokens_per_joule",
                    "joules_per_query", "cluster_usd_per_hour", "usd_per_million_output_tokens"] {
            #expect(json.contains("\"\(key)\" :"), "\(key)")
        }
        #expect(report.text().contains("per million output tokens"))
    }

    @Test func pricesAreCheckedLikeEveryKey() throws {
        #expect(throws: InputError.self) { try Fixtures.scenario(Fixtures.defaultScenarioYAML + "\ncost: {power_usd_per_kwh: 0.1}\n") }
        do {
            _ = try Fixtures.scenario(Fixtures.defaultScenarioYAML + "\ncost: {gpu_hour_usd: 2, pue: 0.8}\n")
            Issue.record("a PUE below 1 was taken")
        } catch let error as InputError {
            #expect(error.keyPath == "cost.pue")
        }
    }

    @Test func plansRankByTheirObjective() {
        let cheapButBig = CapacityPlan.Answer(candidate: "A", gpu: "a", nodes: 2, gpus: 16, powerKW: 11.2, meanPowerKW: 6, usdPerHour: 40)
        let smallButDear = CapacityPlan.Answer(candidate: "B", gpu: "b", nodes: 1, gpus: 8, powerKW: 8, meanPowerKW: 3.5, usdPerHour: 45)
        let none = CapacityPlan.Answer(candidate: "C", gpu: "-", note: "does not fit")
        #expect(CapacityPlan.ranked([cheapButBig, none, smallButDear], by: .gpus).map(\.candidate) == ["B", "A", "C"])
        #expect(CapacityPlan.ranked([smallButDear, cheapButBig, none], by: .cost).map(\.candidate) == ["A", "B", "C"])
        #expect(CapacityPlan.ranked([cheapButBig, smallButDear], by: .power).map(\.candidate) == ["B", "A"])
        #expect(CapacityPlan.ranked([smallButDear, cheapButBig], by: .cost)[0].best)
    }
}

extension PowerAndCostTests {
    /// A cap at 70% of TDP (490 W of 700) slows a compute-bound prefill step and leaves a
    /// memory-bound decode step alone. By hand (times in ms, idle 105 W, share 0.7):
    /// - prefill: 10 compute-bound + 1 other; busy 10.5 compute, 2 memory: at full clock
    ///   105 + 595 x (0.7 x 10.5 + 0.3 x 2) / 11 = 535 W > 490. At clock f the power is
    ///   105 + 595 x (7.35 f^2 + 0.6) / (10 / f + 1) = 490, i.e. 7.35 f^3 - 0.0471 f - 6.4706 = 0:
    ///   f = 0.9607, the step 10 / f + 1 = 11.409 ms, 3.7% longer.
    /// - decode: 10 ms of memory-bound operators, busy 1 compute, 8 memory: 105 + 595 x 3.1 / 10 =
    ///   289 W, under the cap: unchanged.
    @Test func aPowerCapSlowsComputeBoundStepsNotMemoryBoundOnes() {
        let capped = PowerProfile(tdpWatts: 700, capWatts: 490)
        let prefill = capped.capped(computeBound: 0.010, other: 0.001, computeBusy: 0.0105, memoryBusy: 0.002)
        #expect(abs(prefill.clock - 0.9607) < 2e-4)
        #expect(abs(prefill.seconds - 0.011409) < 2e-6)
        // At that clock the step draws the cap, to the bisection's precision.
        #expect(abs(105 + prefill.dynamicJoules / prefill.seconds - 490) < 1e-6)
        let decode = capped.capped(computeBound: 0, other: 0.010, computeBusy: 0.001, memoryBusy: 0.008)
        #expect(decode.clock == 1 && decode.seconds == 0.010)
        #expect(abs(decode.dynamicJoules - 595 * (0.7 * 0.001 + 0.3 * 0.008)) < 1e-12)
        // Without a cap nothing changes.
        let free = PowerProfile(tdpWatts: 700).capped(computeBound: 0.010, other: 0.001, computeBusy: 0.0105, memoryBusy: 0.002)
        #expect(free.clock == 1 && free.seconds == 0.011)
    }

    /// In a run: a cap lowers throughput and peak power, raises tokens per joule, and never lets a
    /// step draw more than the cap; a cap below idle is refused, naming the key.
    @Test func aCappedClusterRunsSlowerAndWithinItsCap() throws {
        let yaml = Fixtures.defaultScenarioYAML.replacingOccurrences(of: "samples: 2000", with: "samples: 800")
        let free = try ScenarioRun.run(Fixtures.scenario(yaml)).metrics
        let cappedScenario = try Fixtures.scenario(yaml, overrides: [Override(parsing: "hardware.power_cap_w=300")])
        let capped = try ScenarioRun.run(cappedScenario).metrics
        #expect(capped.outputTokensPerSecond < free.outputTokensPerSecond)
        #expect(capped.peakPowerWattsPerGPU <= 300 + 1e-6 && free.peakPowerWattsPerGPU > 300)
        #expect(capped.outputTokensPerJoule > free.outputTokensPerJoule)
        do {
            _ = try Fixtures.scenario(yaml, overrides: [Override(parsing: "hardware.power_cap_w=90")])
            Issue.record("a cap below idle was taken")
        } catch let error as InputError {
            #expect(error.keyPath == "hardware.power_cap_w" && error.problem.contains("idle power"))
        }
    }
}
