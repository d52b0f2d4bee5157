import Foundation

/// One simulation in progress: the state a run mutates, the event loop, and (in
/// `SimulationRun+Events.swift`) one handler per kind of event.
///
/// The handlers are the only code that changes this state while the loop runs; each states in its
/// doc comment what it may change. Cost per event: O(1) bookkeeping, O(log E) to schedule, plus the
/// router's O(log R) for a replica whose load changed.
struct SimulationRun {
    let workload: Workload
    let requests: [Request]
    let replicas: [Replica]
    /// Routes new requests over the replicas that take them (all but decode replicas).
    var router: any Router
    /// Routes prefilled requests over the decode replicas (disaggregated serving only).
    var decodeRouter: (any Router)?
    let dispatchLatencySeconds: Double
    /// The load generator's dispatch limit, if the deployment names one.
    let generator: ServingConfig.LoadGenerator?
    /// The KV hand-off between every pair of node groups (one pair in a homogeneous cluster).
    let transfers: [[KVTransfer]]

    var book: RequestBook
    var queue = EventQueue()
    var now = 0.0
    var events = 0
    var issuedCount = 0
    /// Requests sent and not yet at their replica.
    var dispatchesInFlight = 0
    /// When the load generator is free to send its next request.
    var generatorFree = 0.0
    /// A wake event is queued for the replica (at most one at a time).
    var wakePending: [Bool]
    /// Time integral of requests in the system (issued, not completed), for Little's law.
    var inSystemSeconds = 0.0
    var eventLimitReached = false
    /// Whether decode-only batches may run as one piece of work once nothing more arrives.
    var decodeRuns = true
    /// Offline with `serving.offline_split: dynamic`: the samples the harness still holds, in
    /// order (`pullHead` is the next), pulled by replicas as they have room.
    var held: [Int] = []
    var pullHead = 0
    /// The queue a replica keeps topped up from the held samples: a batch's worth, but at most a
    /// quarter of an equal share (at least one), so that every replica starts with work and the
    /// faster ones take more at the end.
    var pullChunk = 1

    init(deployment: Deployment, workload: Workload) {
        self.workload = workload
        requests = workload.generateRequests()
        replicas = deployment.makeReplicas(seed: workload.seed)
        let entryPool = replicas.filter { $0.role != .decode }
        let decodePool = replicas.filter { $0.role == .decode }
        router = deployment.serving.router.makeRouter(pool: entryPool, seed: workload.seed &+ 0x2007)
        decodeRouter = decodePool.isEmpty ? nil : deployment.serving.router.makeRouter(pool: decodePool, seed: workload.seed &+ 0x2008)
        dispatchLatencySeconds = deployment.serving.dispatchLatencySeconds
        generator = deployment.serving.loadGenerator
        transfers = deployment.groups.indices.map { source in deployment.groups.indices.map { deployment.kvTransfer(from: source, to: $0) } }
        book = RequestBook(count: requests.count)
        if workload.scenario == .offline, deployment.serving.offlineSplit == .dynamic {
            held = Array(requests.indices)
            let pullers = max(1, replicas.filter { $0.role != .decode }.count)
            pullChunk = max(1, min(deployment.serving.maxBatchSequences, requests.count / (pullers * 4)))
        }
        wakePending = Array(repeating: false, count: replicas.count)
    }

    /// Issues the workload's first queries: Offline's one query with every sample at t = 0, or
    /// the first arrival of the others (each arrival schedules the next).
    mutating func start() {
        switch workload.scenario {
        case .offline where !held.isEmpty:
            // One query with every sample at t = 0, held by the harness: every replica wakes and
            // pulls what it has room for.
            for id in requests.indices { book.log.issued[id] = 0 }
            issuedCount = requests.count
            for replica in replicas where replica.role != .decode { requestWake(replica) }
        case .offline:
            for id in requests.indices { issue(id) }
        case .server, .interactive, .singleStream:
            if !requests.isEmpty { queue.schedule(.arrival(0), at: requests[0].arrivalSeconds) }
        }
    }

    /// Runs events until none is left (or the workload's event limit is reached).
    mutating func runToEnd() {
        while let event = queue.next() {
            if events == workload.maxEvents {
                eventLimitReached = true
                return
            }
            inSystemSeconds += Double(issuedCount - book.log.completed) * (event.time - now)
            now = event.time
            events += 1
            switch event.kind {
            case .arrival(let id): arrival(id)
            case let .dispatched(id, index):
                dispatchesInFlight -= 1
                dispatched(id, to: replicas[index])
            case .wake(let index): wake(replicas[index])
            case .stepDone(let index): stepDone(replicas[index])
            case let .kvArrived(id, index): kvArrived(id, at: replicas[index])
            }
        }
    }

    func result(wallSeconds: Double) -> SimulationResult {
        SimulationResult(requests: requests, log: book.log, endSeconds: now, events: events, wallSeconds: wallSeconds,
                         replicaStats: replicas.map(ReplicaStats.init(replica:)),
                         inSystemSeconds: inSystemSeconds, eventLimitReached: eventLimitReached)
    }
}
