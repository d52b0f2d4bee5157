import HeapModule

/// The discrete-event run of a video workload: queries go to replicas, each generating one video
/// at a time. SingleStream issues the next query when the previous completes; Offline issues them
/// all at t = 0 and each replica takes the next as it frees up (the harness's queue), so a faster
/// replica takes more. One event per video: O(videos x log replicas).
public enum VideoSimulation {
    public struct Result: Sendable {
        /// Seconds from issue to completion, per video in issue order.
        public var latencies: [Double]
        /// When the last video completed.
        public var durationSeconds: Double
        /// Videos each replica generated.
        public var videosPerReplica: [Int]
        /// Dynamic joules of every GPU together over the run.
        public var dynamicJoules: Double
    }

    private struct Free: Comparable {
        var time: Double
        var replica: Int
        static func < (a: Free, b: Free) -> Bool { (a.time, a.replica) < (b.time, b.replica) }
    }

    public static func run(_ deployment: VideoDeployment, scenario: VideoWorkload.Kind, videos: Int) -> Result {
        let replicas = deployment.replicas
        var latencies: [Double] = []
        latencies.reserveCapacity(videos)
        var counts = Array(repeating: 0, count: replicas.count)
        var joules = 0.0
        var clock = 0.0
        switch scenario {
        case .singleStream:
            // One query in flight: the fastest replica takes every one.
            let fastest = replicas.indices.min { replicas[$0].secondsPerVideo < replicas[$1].secondsPerVideo } ?? 0
            for _ in 0..<videos {
                let seconds = replicas[fastest].secondsPerVideo
                latencies.append(seconds)
                clock += seconds
                counts[fastest] += 1
                joules += replicas[fastest].dynamicJoulesPerVideo
            }
        case .offline:
            var free = Heap(replicas.indices.map { Free(time: 0, replica: $0) })
            for _ in 0..<videos {
                let next = free.removeMin()
                let done = next.time + replicas[next.replica].secondsPerVideo
                latencies.append(done)
                clock = max(clock, done)
                counts[next.replica] += 1
                joules += replicas[next.replica].dynamicJoulesPerVideo
                free.insert(Free(time: done, replica: next.replica))
            }
        }
        return Result(latencies: latencies, durationSeconds: clock, videosPerReplica: counts, dynamicJoules: joules)
    }
}
