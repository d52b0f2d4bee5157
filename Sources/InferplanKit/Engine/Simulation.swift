import Foundation

/// Runs a workload on a deployment, one event per engine step, per arrival and per hand-off -
/// never per token.
///
/// Cost grows with steps and requests only: a step's duration is O(1) to compute
/// (`StepTimeModel`), and its bookkeeping O(1) plus O(log n) per sequence that starts or ends
/// (`Replica`, `ReplicaState`).
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
        let replicas = deployment.makeReplicas(seed: workload.seed)
        let entryPool = replicas.filter { $0.role != .decode }
        let decodePool = replicas.filter { $0.role == .decode }
        var router = deployment.serving.router.makeRouter(pool: entryPool, seed: workload.seed &+ 0x2007)
        var decodeRouter = decodePool.isEmpty ? nil : deployment.serving.router.makeRouter(pool: decodePool, seed: workload.seed &+ 0x2008)
        // Every change of a replica's load reaches the router of its pool (O(log R) or nothing).
        func loadChanged(_ replica: Replica) {
            if replica.role == .decode { decodeRouter!.loadChanged(replica) } else { router.loadChanged(replica) }
        }
        let dispatchLatency = deployment.serving.dispatchLatency
        // The hand-off cost between every pair of node groups (one pair in a homogeneous cluster).
        let transfers = deployment.groups.indices.map { source in deployment.groups.indices.map { deployment.kvTransfer(from: source, to: $0) } }
        var log = RequestLog(count: requests.count)
        var queue = EventQueue()
        var events = 0

        func kick(_ replica: Replica, at now: Double) {
            guard !replica.isBusy, let duration = replica.startStep(requests: requests, log: &log) else { return }
            loadChanged(replica)
            queue.schedule(.stepDone(replica.index), at: now + duration)
        }

        // New work wakes an idle replica through an event at the same instant, so that everything
        // arriving at that instant (all of an Offline query) is queued before it forms a batch.
        var wakePending = Array(repeating: false, count: replicas.count)
        func wake(_ replica: Replica, at now: Double) {
            guard !replica.isBusy, !wakePending[replica.index] else { return }
            wakePending[replica.index] = true
            queue.schedule(.wake(replica.index), at: now)
        }

        var issuedCount = 0
        // The load generator sends one request at a time: it is free again 1/rate after each.
        let generator = deployment.serving.loadGenerator
        var generatorFree = 0.0
        func issue(_ id: Int, at now: Double) {
            log.issued[id] = now
            issuedCount += 1
            let replica = router.choose()
            var arrives = now + dispatchLatency
            if let generator {
                let sent = max(now, generatorFree)
                generatorFree = sent + 1 / generator.dispatchRate
                arrives = sent + generator.latency + dispatchLatency
            }
            if arrives > now {
                queue.schedule(.dispatched(request: id, replica: replica.index), at: arrives)
            } else {
                replica.enqueue(id)
                loadChanged(replica)
                wake(replica, at: now)
            }
        }

        switch workload.scenario {
        case .offline:
            // One query with every sample at t = 0.
            for id in requests.indices { issue(id, at: 0) }
        case .server, .interactive, .singleStream:
            if !requests.isEmpty { queue.schedule(.arrival(0), at: requests[0].arrival) }
        }

        var now = 0.0
        // Time integral of requests in the system (issued, not completed), for Little's law.
        var inSystemSeconds = 0.0
        var eventLimitReached = false
        while let event = queue.next() {
            if events == workload.maxEvents {
                eventLimitReached = true
                break
            }
            inSystemSeconds += Double(issuedCount - log.completed) * (event.time - now)
            now = event.time
            events += 1
            switch event.kind {
            case .arrival(let id):
                issue(id, at: now)
                if workload.scenario != .singleStream, id + 1 < requests.count {
                    queue.schedule(.arrival(id + 1), at: requests[id + 1].arrival)
                }
            case let .dispatched(id, index):
                replicas[index].enqueue(id)
                loadChanged(replicas[index])
                wake(replicas[index], at: now)
            case .wake(let index):
                wakePending[index] = false
                kick(replicas[index], at: now)
            case .stepDone(let index):
                let replica = replicas[index]
                replica.finishStep(at: now, requests: requests, log: &log)
                loadChanged(replica)
                for id in replica.handoffs {
                    let target = decodeRouter!.choose()
                    let seconds = transfers[replica.group][target.group].seconds(tokens: requests[id].inputTokens, sameNode: target.node == replica.node)
                    queue.schedule(.kvArrived(request: id, replica: target.index), at: now + seconds)
                }
                if workload.scenario == .singleStream, !replica.completed.isEmpty, log.completed < requests.count {
                    // Single-stream: the next query is issued when the previous one completes.
                    queue.schedule(.arrival(log.completed), at: now)
                }
                kick(replica, at: now)
            case let .kvArrived(id, index):
                replicas[index].receiveTransferred(id)
                loadChanged(replicas[index])
                wake(replicas[index], at: now)
            }
        }

        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return SimulationResult(
            requests: requests, log: log, endTime: now, events: events, wallSeconds: wall,
            replicaStats: replicas.map { ReplicaStats(state: $0.state, group: $0.group) }, inSystemSeconds: inSystemSeconds,
            eventLimitReached: eventLimitReached)
    }
}

/// Per-replica totals at the end of a run.
public struct ReplicaStats: Sendable {
    public var steps: Int
    public var batchSequencesSum: Int
    public var peakKVBlocks: Int
    public var capacityBlocks: Int
    public var preemptions: Int
    /// Requests left unfinished (zero after any run that drains).
    public var unfinished: Int
    public var outputTokens: Int
    public var group: Int

    init(state: ReplicaState, group: Int = 0) {
        outputTokens = state.outputTokens
        self.group = group
        steps = state.stepsDone
        batchSequencesSum = state.batchSequencesSum
        peakKVBlocks = state.peakUsedBlocks
        capacityBlocks = state.capacityBlocks
        preemptions = state.preemptions
        unfinished = state.outstanding
    }

    public var peakKVFraction: Double { capacityBlocks > 0 ? Double(peakKVBlocks) / Double(capacityBlocks) : 0 }
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
    /// Integral over time of the number of requests issued and not yet completed (request-seconds).
    public var inSystemSeconds: Double
    /// The run stopped at `workload.maxEvents` before it drained: its figures are not a result.
    public var eventLimitReached = false

    /// The result, or `EventLimitReached` when the run stopped at its event limit (which is then
    /// the number of events it took).
    public func checked() throws(EventLimitReached) -> SimulationResult {
        if eventLimitReached { throw EventLimitReached(limit: events, simulatedSeconds: endTime, estimated: nil) }
        return self
    }
}

/// A simulation that stopped (or would stop) at `workload.max_events` before its work was done.
public struct EventLimitReached: Error, Sendable {
    public var limit: Int
    /// Simulated seconds reached when it stopped (nil: refused before it ran).
    public var simulatedSeconds: Double?
    /// Events the run was estimated to need, when it was refused up front.
    public var estimated: Double?
}
