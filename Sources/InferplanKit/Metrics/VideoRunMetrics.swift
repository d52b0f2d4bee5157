/// The figures of a video run: latency per video, videos per second, and energy.
public struct VideoRunMetrics: Sendable {
    public var videos: Int
    public var durationSeconds: Double
    /// Seconds per video, issue to completion (Offline: from t = 0, as LoadGen measures it).
    public var latencySeconds: LatencySummary
    public var videosPerSecond: Double
    public var videosPerSecondPerGPU: Double
    /// GPU-seconds each video occupies: replica size x its seconds per video, averaged.
    public var gpuSecondsPerVideo: Double
    public var energyJoules: Double
    public var meanPowerWattsPerGPU: Double
    public var joulesPerVideo: Double

    /// `gpuSecondsPerVideo` and `gpus` per replica (in the result's order); `gpus` and `idleWatts`
    /// of the whole cluster.
    public init(result: VideoSimulation.Result, replicaGPUSeconds: [Double], gpus: Int, idleWatts: Double) {
        videos = result.latencies.count
        durationSeconds = result.durationSeconds
        let ms = LatencySummary(seconds: result.latencies)
        latencySeconds = LatencySummary(p50: ms.p50 / 1000, p90: ms.p90 / 1000, p99: ms.p99 / 1000, mean: ms.mean / 1000)
        videosPerSecond = durationSeconds > 0 ? Double(videos) / durationSeconds : 0
        videosPerSecondPerGPU = videosPerSecond / Double(max(1, gpus))
        var gpuSeconds = 0.0
        for (perVideo, count) in zip(replicaGPUSeconds, result.videosPerReplica) {
            gpuSeconds += Double(count) * perVideo
        }
        gpuSecondsPerVideo = videos > 0 ? gpuSeconds / Double(videos) : 0
        energyJoules = result.dynamicJoules + idleWatts * durationSeconds
        meanPowerWattsPerGPU = durationSeconds > 0 ? energyJoules / durationSeconds / Double(max(1, gpus)) : 0
        joulesPerVideo = videos > 0 ? energyJoules / Double(videos) : 0
    }
}
