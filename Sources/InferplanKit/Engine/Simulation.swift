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
    /// Decode runs (`Replica.startStep(decodeRun:)`): on, except in the test that checks they change
    /// nothing.
    var decodeRuns = true

    public init(deployment: Deployment, workload: Workload) {
        self.deployment = deployment
        self.workload = workload
    }

    /// Runs the workload to its end (or to its event limit): `SimulationRun` holds the state and
    /// handles the events.
    public func run() -> SimulationResult {
        let started = DispatchTime.now().uptimeNanoseconds
        var run = SimulationRun(deployment: deployment, workload: workload)
        run.decodeRuns = decodeRuns
        run.start()
        run.runToEnd()
        return run.result(wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
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

extension SimulationResult {
    /// The result, or `EventLimitReached` when the run stopped at its event limit (which is then
    /// the number of events it took).
    public func checked() throws(EventLimitReached) -> SimulationResult {
        if eventLimitReached { throw EventLimitReached(limit: events, simulatedSeconds: endSeconds, estimated: nil) }
        return self
    }
}

extension ReplicaStats {
    /// A replica's totals at the end of a run.
    init(replica: Replica) {
        let state = replica.state
        outputTokens = state.outputTokens
        group = replica.group
        gpus = replica.gpus
        idleWattsPerGPU = replica.power.idleWatts
        dynamicJoulesPerGPU = state.dynamicJoulesPerGPU
        peakDynamicWattsPerGPU = state.peakDynamicWattsPerGPU
        steps = state.stepsDone
        batchSequencesSum = state.batchSequencesSum
        peakKVBlocks = state.peakUsedBlocks
        capacityBlocks = state.capacityBlocks
        preemptions = state.preemptions
        unfinished = state.outstanding
    }
}
