import Foundation

extension ScalingStudy {
    /// Where a node count's throughput goes against ideal scaling, as fractions of that ideal: the
    /// first count's per-GPU throughput with every mechanism off, times the count's GPUs. Each
    /// mechanism is measured by switching it off, cumulatively and in this order, in paired runs
    /// with the same seed: so the steps add up to the total loss exactly (the first count's tail
    /// is 0), and a mechanism the scenario does not have costs no run and shows 0.
    public struct Losses: Sendable, Encodable, Equatable {
        /// The load generator's dispatch limit and the dispatch latency (`serving.load_generator`,
        /// `serving.dispatch_latency_ms`).
        public var harness: Double
        /// GPUs of unequal speed and step jitter (`serving.variability`).
        public var stragglers: Double
        /// Collectives and hand-offs over the scale-out network (tensor or pipeline parallelism
        /// across nodes, disaggregated KV hand-offs between nodes).
        public var collectives: Double
        /// What remains with all of them off: the drain of the last requests, load imbalance, and
        /// anything else of the run against the first count's rate.
        public var tail: Double

        public var total: Double { harness + stragglers + collectives + tail }
    }

    /// The mechanisms in waterfall order, each with the overrides that switch it off and whether
    /// `scenario` has it at all.
    static func mechanisms(of scenario: Scenario) throws -> [(name: String, present: Bool, off: [Override])] {
        let serving = scenario.serving
        let crossNode = scenario.parallelism.gpusPerReplica > scenario.gpusPerNode
            || (serving.scheduler == .disaggregated && scenario.nodes > 1)
        return [
            ("harness", serving.loadGenerator != nil || serving.dispatchLatencySeconds > 0,
             [Override(removing: ["serving", "load_generator"], origin: "scale: harness off"),
              try Override(parsing: "serving.dispatch_latency_ms=0", origin: "scale: harness off")]),
            ("stragglers", serving.variability.gpuSpeedSpread > 0 || serving.variability.stepJitter > 0,
             [try Override(parsing: "serving.variability={gpu_speed_spread: 0, step_jitter: 0}", origin: "scale: stragglers off")]),
            // The fastest network a scenario may name, with no latency: collectives cost next to nothing.
            ("collectives", crossNode,
             [try Override(parsing: "hardware.scale_out={name: ideal, gbps_per_node: 10000000, latency_us: 0}", origin: "scale: collectives off")]),
        ]
    }

    /// The throughput of a point at each stage of the waterfall: as run (`tokensPerS`), then with
    /// the harness, the stragglers and the collectives off in turn (a stage the scenario lacks
    /// repeats the one before). `run(overrides)` runs the point with extra overrides.
    static func stages(scenario: Scenario, tokensPerS: Double, run: ([Override]) throws -> Double) throws -> [Double] {
        var off: [Override] = []
        var stages = [tokensPerS]
        for mechanism in try mechanisms(of: scenario) {
            guard mechanism.present else { stages.append(stages.last!); continue }
            off += mechanism.off
            stages.append(try run(off))
        }
        return stages
    }

    /// The losses of a point from its stages, against `ideal` output tokens/s.
    static func losses(stages: [Double], ideal: Double) -> Losses {
        Losses(harness: (stages[1] - stages[0]) / ideal, stragglers: (stages[2] - stages[1]) / ideal,
               collectives: (stages[3] - stages[2]) / ideal, tail: (ideal - stages[3]) / ideal)
    }
}
