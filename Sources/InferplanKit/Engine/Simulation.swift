import Foundation

/// Runs a workload on a deployment, one event per engine step and per arrival (never per token).
///
/// Cost grows with steps and requests only: a step's duration is O(1) to compute
/// (`StepTimeModel`), and its bookkeeping O(1) plus O(log n) per sequence that starts or ends
/// (`Replica`).
public struct Simulation {
    public let deployment: Deployment
    public let workload: Workload

    public init(deployment: Deployment, workload: Workload) {
        self.deployment = deployment
        self.workload = workload
    }

    public func run() -> SimulationResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let requests = workload.generateRequests()
        let replicas = deployment.makeReplicas()
        var router = deployment.serving.router.makeRouter()
        var log = RequestLog(count: requests.count)
        var queue = EventQueue()
        var events = 0

        func kick(_ replica: Replica, at now: Double) {
            guard !replica.isBusy, let duration = replica.startStep(requests: requests) else { return }
            queue.schedule(.stepDone(replica.index), at: now + duration)
        }

        switch workload.scenario {
        case .offline:
            // One query with every sample at t = 0.
            for id in requests.indices { replicas[router.choose(among: replicas)].enqueue(id) }
            for replica in replicas { kick(replica, at: 0) }
        case .server:
            if !requests.isEmpty { queue.schedule(.arrival(0), at: requests[0].arrival) }
        }

        var now = 0.0
        while let event = queue.next() {
            now = event.time
            events += 1
            switch event.kind {
            case .arrival(let id):
                let replica = replicas[router.choose(among: replicas)]
                replica.enqueue(id)
                kick(replica, at: now)
                if id + 1 < requests.count { queue.schedule(.arrival(id + 1), at: requests[id + 1].arrival) }
            case .stepDone(let index):
                let replica = replicas[index]
                replica.finishStep(at: now, requests: requests, log: &log)
                kick(replica, at: now)
            }
        }

        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return SimulationResult(
            requests: requests, log: log, endTime: now, events: events, wallSeconds: wall,
            replicaStats: replicas.map { ReplicaStats(state: $0.state) })
    }
}

/// Per-replica totals at the end of a run.
public struct ReplicaStats: Sendable {
    public var steps: Int
    public var batchSequencesSum: Int
    public var peakKVTokens: Int
    public var kvCapacityTokens: Int
    /// Requests left unfinished (zero after any run that drains).
    public var unfinished: Int

    init(state: ReplicaState) {
        steps = state.stepsDone
        batchSequencesSum = state.batchSequencesSum
        peakKVTokens = state.peakUsedTokens
        kvCapacityTokens = state.kvCapacityTokens
        unfinished = state.outstanding
    }
}

/// Everything a run produced, before it is summarised into metrics.
public struct SimulationResult: Sendable {
    public var requests: [Request]
    public var log: RequestLog
    /// Simulated time of the last event, seconds.
    public var endTime: Double
    public var events: Int
    public var wallSeconds: Double
    public var replicaStats: [ReplicaStats]
}
