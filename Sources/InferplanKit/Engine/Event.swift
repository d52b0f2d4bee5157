/// Something that happens at an instant of simulated time.
public struct Event: Comparable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Request `index` of the workload arrives at the router.
        case arrival(Int)
        /// Replica `index` finishes the step it was running.
        case stepDone(Int)
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
