/// The outcome of a video scenario: its deployment, the queries issued, and the run's figures.
public struct VideoRunOutcome: Sendable {
    public var deployment: VideoDeployment
    public var metrics: VideoRunMetrics
}

/// The run layer for video: scenario -> deployment (checked) -> engine -> metrics, with the run
/// sized as LoadGen sizes it when `samples` is not given.
public enum VideoScenarioRun {
    public static func outcome(_ scenario: VideoScenario) throws -> VideoRunOutcome {
        let deployment = try scenario.deployment()
        let fastest = deployment.replicas.map(\.secondsPerVideo).min() ?? 0
        let videos = scenario.workload.sampleCount(secondsPerVideo: fastest, replicas: deployment.replicas.count)
        let result = VideoSimulation.run(deployment, scenario: scenario.workload.scenario, videos: videos)
        let metrics = VideoRunMetrics(result: result, replicaGPUSeconds: deployment.replicas.map { Double($0.gpus) * $0.secondsPerVideo },
                                      gpus: deployment.gpus, idleWatts: deployment.idleWatts)
        assert(result.videosPerReplica.reduce(0, +) == videos, "videos in = videos out")
        return VideoRunOutcome(deployment: deployment, metrics: metrics)
    }
}
