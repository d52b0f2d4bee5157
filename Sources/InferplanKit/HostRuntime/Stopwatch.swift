/// Wall-clock laps for attributing a step's time to its kinds of work.
struct Stopwatch {
    private var last = ContinuousClock.now

    /// Seconds since the previous lap (or since the stopwatch was made).
    mutating func lap() -> Double {
        let now = ContinuousClock.now
        defer { last = now }
        return (now - last).seconds
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
