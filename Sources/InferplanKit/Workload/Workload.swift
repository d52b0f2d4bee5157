/// Which MLPerf scenario a run follows.
public enum ScenarioKind: String, CaseIterable, Sendable {
    /// All samples issued at t = 0 in one query.
    case offline
    /// Poisson arrivals at `qps`, one sample per query, with the benchmark's Server latency limits.
    case server
    /// As Server, with the tighter Interactive limits.
    case interactive
    /// One query at a time: the next is issued when the previous completes.
    case singleStream = "single-stream"

    /// Poisson (or traced) arrivals at a rate, judged against p99 latency limits.
    public var isRateDriven: Bool { self == .server || self == .interactive }
}

/// One query's sample: when it arrives and how many tokens go in and come out.
public struct Request: Sendable, Equatable {
    public var arrivalSeconds: Double
    public var inputTokens: Int
    public var outputTokens: Int

    public init(arrival: Double, inputTokens: Int, outputTokens: Int) {
        self.arrivalSeconds = arrival
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
    /// Offline and Single-stream: the number of samples. nil (Offline only): size the run as
    /// MLPerf LoadGen does (`OfflineSizing`): enough samples for `duration` at the deployment's rate.
    public var samples: Int?
    /// Offline: LoadGen's `min_query_count`, the fewest samples an Offline run issues (the
    /// benchmark's minimum sample count).
    public var minSamples: Int
    /// Server: the Poisson arrival rate, queries per second.
    public var qps: Double
    /// Server: how long queries keep arriving; Offline: the minimum run duration LoadGen sizes the
    /// sample count for. Seconds.
    public var durationSeconds: Double
    public var seed: UInt64
    /// The benchmark's latency limits for this scenario, if it has any.
    public var limits: LatencyLimits?
    /// Requests replayed from a trace instead of drawn (arrivals already scaled), if any.
    public var trace: [Request]?
    /// `qps: max`: search for the highest rate meeting the limits instead of running one rate.
    public var searchMaxRate = false
    /// Relative width of the final bracket of that search.
    public var searchTolerance = 0.01
    /// The most engine events one simulation may take (`workload.max_events`): a guard against a
    /// run the user did not mean to be hours long. Not part of the load: runs within it are
    /// unaffected by it.
    public var maxEvents = Workload.defaultMaxEvents
    /// 50 M events: about a minute of one core in a release build (0.7-1.3 us per event,
    /// `inferplan-bench`); a 12-node 600 s MLPerf Server run takes 1.7 M.
    public static let defaultMaxEvents = 50_000_000
    /// The most requests one run may hold in memory: 20 M requests of about 100 bytes each (the
    /// request, its log entries and its place in the queues) is 2 GB.
    public static let maxRequests = 20_000_000
    /// A run's minimum duration when neither the scenario nor its benchmark gives one: MLPerf
    /// LoadGen's `min_duration`, 600 s in every LLM benchmark (../shared/reference/mlperf-rules.md).
    public static let defaultMinDuration = 600.0

    public init(benchmark: String, scenario: ScenarioKind, input: LengthDistribution, output: LengthDistribution,
                samples: Int?, minSamples: Int = 1, qps: Double, duration: Double, seed: UInt64, limits: LatencyLimits?) {
        self.benchmark = benchmark
        self.scenario = scenario
        self.input = input
        self.output = output
        self.samples = samples
        self.minSamples = minSamples
        self.qps = qps
        self.durationSeconds = duration
        self.seed = seed
        self.limits = limits
    }

    /// The requests: a trace as given, or lengths drawn from the distributions with arrivals all at
    /// 0 (Offline, Single-stream) or a Poisson process at `qps` over `duration` (Server,
    /// Interactive). Deterministic for a given seed; at any rate the k-th request has the same
    /// lengths and its arrival scales as 1/qps (common random numbers for the max-rate search).
    /// An Offline workload without `samples` must be sized first (`OfflineSizing.sized`).
    public func generateRequests() -> [Request] {
        if let trace { return trace }
        let random = RandomSource(seed: seed)
        let input = self.input.sampler(random), output = self.output.sampler(random)
        var requests: [Request] = []
        switch scenario {
        case .offline, .singleStream:
            let count = samples ?? minSamples
            requests.reserveCapacity(count)
            for _ in 0..<count {
                requests.append(Request(arrival: 0, inputTokens: input.next(), outputTokens: output.next()))
            }
        case .server, .interactive:
            // Reserve for the expected count, never more than a run may hold (a huge duration must
            // fail at its check, not in one enormous allocation).
            requests.reserveCapacity(Int(min(qps * durationSeconds * 1.1, Double(Self.maxRequests))) + 16)
            var clock = random.exponential(mean: 1 / qps)
            while clock < durationSeconds {
                requests.append(Request(arrival: clock, inputTokens: input.next(), outputTokens: output.next()))
                clock += random.exponential(mean: 1 / qps)
            }
        }
        return requests
    }
}
