import HeapModule

/// The future events of a simulation, earliest first; same-time events in the order they were
/// scheduled. Backed by swift-collections' min-max `Heap`: O(log n) insert and pop.
public struct EventQueue: Sendable {
    private var heap = Heap<Event>()
    private var scheduled: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }

    public mutating func schedule(_ kind: Event.Kind, at time: Double) {
        precondition(time.isFinite, "event scheduled at a non-finite time")
        heap.insert(Event(time: time, order: scheduled, kind: kind))
        scheduled += 1
    }

    public mutating func next() -> Event? { heap.popMin() }
}
