/// The event handlers, one per `Event.Kind`, and the actions they share. A handler runs at `now`
/// and may change only what its doc comment names.
extension SimulationRun {
    /// A query arrives from the load generator (Server, Interactive, Single-stream). Issues it and
    /// schedules the next arrival (Single-stream: the next is issued when this one completes).
    /// Changes: the request log's issue time, the router, the queue.
    mutating func arrival(_ id: Int) {
        issue(id)
        if workload.scenario != .singleStream, id + 1 < requests.count {
            queue.schedule(.arrival(id + 1), at: requests[id + 1].arrivalSeconds)
        }
    }

    /// A request reaches its replica after the dispatch latency. Changes: the replica's queue and
    /// the router's view of its load; may schedule a wake.
    mutating func dispatched(_ id: Int, to replica: Replica) {
        replica.enqueue(id)
        loadChanged(replica)
        requestWake(replica)
    }

    /// An idle replica looks for work, after everything arriving at this instant has queued.
    /// Changes: the replica (a new step), the router; schedules the step's end.
    mutating func wake(_ replica: Replica) {
        wakePending[replica.index] = false
        startStep(replica)
    }

    /// A replica finishes its step: tokens come out, requests complete, prefilled requests hand
    /// their KV over to decode replicas, and the next step starts. Changes: the replica, the
    /// request books, both routers; schedules hand-offs, the next Single-stream query and the next
    /// step.
    mutating func stepDone(_ replica: Replica) {
        replica.finishStep(at: now, requests: requests, book: &book)
        loadChanged(replica)
        for id in replica.handoffs {
            let target = decodeRouter!.choose()
            let seconds = transfers[replica.group][target.group].seconds(tokens: requests[id].inputTokens, sameNode: target.node == replica.node)
            queue.schedule(.kvArrived(request: id, replica: target.index), at: now + seconds)
        }
        if workload.scenario == .singleStream, !replica.completed.isEmpty, book.log.completed < requests.count {
            // Single-stream: the next query is issued when the previous one completes.
            queue.schedule(.arrival(book.log.completed), at: now)
        }
        startStep(replica)
    }

    /// A request's prompt KV has arrived at its decode replica. Changes: the replica's transferred
    /// queue, the decode router; may schedule a wake.
    mutating func kvArrived(_ id: Int, at replica: Replica) {
        replica.receiveTransferred(id)
        loadChanged(replica)
        requestWake(replica)
    }
}

extension SimulationRun {
    /// Issues request `id` now: routes it, and sends it through the load generator (which is free
    /// again 1/rate after each request it sends) and the dispatch latency.
    mutating func issue(_ id: Int) {
        book.log.issued[id] = now
        issuedCount += 1
        let replica = router.choose()
        var arrives = now + dispatchLatencySeconds
        if let generator {
            let sent = max(now, generatorFree)
            generatorFree = sent + 1 / generator.dispatchQueriesPerSecond
            arrives = sent + generator.latencySeconds + dispatchLatencySeconds
        }
        if arrives > now {
            dispatchesInFlight += 1
            queue.schedule(.dispatched(request: id, replica: replica.index), at: arrives)
        } else {
            dispatched(id, to: replica)
        }
    }

    /// New work wakes an idle replica through an event at the same instant, so that everything
    /// arriving at that instant (all of an Offline query) is queued before it forms a batch.
    mutating func requestWake(_ replica: Replica) {
        guard !replica.isBusy, !wakePending[replica.index] else { return }
        wakePending[replica.index] = true
        queue.schedule(.wake(replica.index), at: now)
    }

    /// Starts the replica's next step if it is idle and has work, and schedules its end. Once no
    /// request can reach a replica any more, its decode-only steps run as one piece of work until
    /// a sequence finishes (`Replica.startStep(decodeRun:)`).
    mutating func startStep(_ replica: Replica) {
        if pullHead < held.count, !replica.isBusy { pull(into: replica) }
        guard !replica.isBusy,
              let end = replica.startStep(at: now, requests: requests, book: &book, decodeRun: nothingMoreArrives) else { return }
        loadChanged(replica)
        queue.schedule(.stepDone(replica.index), at: end)
    }

    /// Every request has been issued and has reached its replica, and none will be handed over
    /// (no disaggregated decode pool; Single-stream issues each query on a completion, so never).
    var nothingMoreArrives: Bool {
        decodeRuns && pullHead == held.count && issuedCount == requests.count && dispatchesInFlight == 0 && decodeRouter == nil && workload.scenario != .singleStream
    }

    /// Every change of a replica's load reaches the router of its pool (O(log R) or nothing).
    mutating func loadChanged(_ replica: Replica) {
        if replica.role == .decode { decodeRouter!.loadChanged(replica) } else { router.loadChanged(replica) }
    }

    /// Dynamic Offline split: a replica tops its queue up to `pullChunk` from the held samples, in
    /// order. O(samples taken).
    mutating func pull(into replica: Replica) {
        let room = pullChunk - replica.state.queued
        guard room > 0 else { return }
        let end = min(held.count, pullHead + room)
        for index in pullHead..<end { replica.enqueue(held[index]) }
        pullHead = end
        loadChanged(replica)
    }
}
