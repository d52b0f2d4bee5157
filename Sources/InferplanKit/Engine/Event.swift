/// Something that happens at an instant of simulated time.
public struct Event: Comparable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Request `index` of the workload is issued by the load generator.
        case arrival(Int)
        /// Request `index` reaches replica `replica` after the dispatch latency.
        case dispatched(request: Int, replica: Int)
        /// Idle replica `index` looks for work, after every arrival at the same instant has queued.
        case wake(Int)
        /// Replica `index` finishes the step it was running.
        case stepDone(Int)
        /// The prompt KV of request `index` has arrived at decode replica `replica`.
        case kvArrived(request: Int, replica: Int)
    }

    public var time: Double
    /// Insertion order: breaks ties between events at the same instant, so runs are deterministic.
    public var order: UInt64
    public var kind: Kind

    public static func < (a: Event, b: Event) -> Bool {
        a.time != b.time ? a.time < b.time : a.order < b.order
    }

    public static func == (a: Event, b: Event) -> Bool { a.time == b.time && a.order == b.order }
}
