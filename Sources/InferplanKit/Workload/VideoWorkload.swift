/// An MLPerf text-to-video benchmark as a workload: its model, the video every prompt asks for,
/// the prompt count and the run rules. Shipped as catalog YAML (`family: video`).
public struct VideoBenchmarkPreset: Sendable, Equatable {
    public var id: String
    public var model: String
    public var dataset: String
    public var video: VideoShape
    /// Prompts in the dataset: an Offline run issues at least these.
    public var samples: Int
    /// SingleStream's minimum query count.
    public var minSingleStreamQueries: Int
    public var minDurationSeconds: Double
    public var source: String
    public var confidence: String

    public init(id: String, model: String, dataset: String, video: VideoShape, samples: Int, minSingleStreamQueries: Int,
                minDurationSeconds: Double, source: String, confidence: String) {
        self.id = id
        self.model = model
        self.dataset = dataset
        self.video = video
        self.samples = samples
        self.minSingleStreamQueries = minSingleStreamQueries
        self.minDurationSeconds = minDurationSeconds
        self.source = source
        self.confidence = confidence
    }
}

/// The load of a video run: which MLPerf scenario, what video, how many queries.
public struct VideoWorkload: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        /// One query at a time, the next issued when the previous completes; reports the p90 latency.
        case singleStream = "single-stream"
        /// Every sample issued at t = 0; reports videos per second.
        case offline
    }

    public var benchmark: String
    public var scenario: Kind
    public var video: VideoShape
    /// Videos to generate; nil: as LoadGen sizes the run (`samples(forSecondsPerVideo:replicas:)`).
    public var samples: Int?
    /// The fewest queries a run issues (SingleStream: the benchmark's minimum; Offline: the prompts).
    public var minSamples: Int
    /// LoadGen's minimum run duration, seconds.
    public var durationSeconds: Double
    public var seed: UInt64

    public init(benchmark: String, scenario: Kind, video: VideoShape, samples: Int?, minSamples: Int,
                durationSeconds: Double, seed: UInt64) {
        self.benchmark = benchmark
        self.scenario = scenario
        self.video = video
        self.samples = samples
        self.minSamples = minSamples
        self.durationSeconds = durationSeconds
        self.seed = seed
    }

    /// The queries a run issues when `samples` is not given, as LoadGen sizes it: enough to last the
    /// minimum duration at the expected rate (SingleStream: one video at a time; Offline:
    /// `replicas` at a time, with LoadGen's 1.1 slack), never fewer than the minimum.
    public func sampleCount(secondsPerVideo: Double, replicas: Int) -> Int {
        if let samples { return samples }
        guard secondsPerVideo > 0 else { return minSamples }
        let expected: Double
        switch scenario {
        case .singleStream: expected = durationSeconds / secondsPerVideo
        case .offline: expected = 1.1 * durationSeconds * Double(replicas) / secondsPerVideo
        }
        return max(minSamples, Int(min(expected.rounded(.up), 1e7)))
    }
}
