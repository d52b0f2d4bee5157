/// Which MLPerf scenario a run follows.
public enum ScenarioKind: String, CaseIterable, Sendable {
    /// All samples issued at t = 0 in one query.
    case offline
    /// Poisson arrivals at `qps`, one sample per query.
    case server
}

/// One query's sample: when it arrives and how many tokens go in and come out.
public struct Request: Sendable, Equatable {
    public var arrival: Double
    public var inputTokens: Int
    public var outputTokens: Int

    public init(arrival: Double, inputTokens: Int, outputTokens: Int) {
        self.arrival = arrival
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// The load a run applies: scenario, lengths, and how many requests arrive when.
public struct Workload: Sendable, Equatable {
    public var benchmark: String
    public var scenario: ScenarioKind
    public var input: LengthDistribution
    public var output: LengthDistribution
    /// Offline: the number of samples.
    public var samples: Int
    /// Server: the Poisson arrival rate, queries per second.
    public var qps: Double
    /// Server: how long queries keep arriving, seconds.
    public var duration: Double
    public var seed: UInt64
    /// The benchmark's latency limits for this scenario, if it has any.
    public var limits: LatencyLimits?

    public init(benchmark: String, scenario: ScenarioKind, input: LengthDistribution, output: LengthDistribution,
                samples: Int, qps: Double, duration: Double, seed: UInt64, limits: LatencyLimits?) {
        self.benchmark = benchmark
        self.scenario = scenario
        self.input = input
        self.output = output
        self.samples = samples
        self.qps = qps
        self.duration = duration
        self.seed = seed
        self.limits = limits
    }

    /// Draws the requests: lengths from the distributions, arrivals all at 0 (Offline) or as a
    /// Poisson process at `qps` over `duration` (Server). Deterministic for a given seed.
    public func generateRequests() -> [Request] {
        let random = RandomSource(seed: seed)
        var requests: [Request] = []
        switch scenario {
        case .offline:
            requests.reserveCapacity(samples)
            for _ in 0..<samples {
                requests.append(Request(arrival: 0, inputTokens: input.sample(random), outputTokens: output.sample(random)))
            }
        case .server:
            requests.reserveCapacity(Int(qps * duration * 1.1) + 16)
            var clock = random.exponential(mean: 1 / qps)
            while clock < duration {
                requests.append(Request(arrival: clock, inputTokens: input.sample(random), outputTokens: output.sample(random)))
                clock += random.exponential(mean: 1 / qps)
            }
        }
        return requests
    }
}
