/// One operator (or overhead) of a step with what it costs: the unit of `--explain`.
public struct OperatorCost: Sendable, Equatable {
    /// What limits an operator's time.
    public enum Bound: String, Sendable, Codable {
        /// Arithmetic at the format's achievable peak.
        case compute
        /// HBM traffic at the achievable bandwidth.
        case memory
        /// A collective or hand-off over the scale-up or scale-out network.
        case link
        /// Host CPU work not hidden behind the GPU.
        case host
        /// A fixed per-step cost (scheduling, launch).
        case overhead
    }

    public var name: String
    /// FLOPs and HBM bytes per GPU of the tensor-parallel group, over all layers it occurs in.
    public var flops: Double
    public var bytes: Double
    /// The matrix-unit format the arithmetic runs in.
    public var format: ComputeFormat
    /// Seconds, from `Roofline.time` (or the network and host models).
    public var seconds: Double
    public var bound: Bound

    /// True when memory traffic, not arithmetic, sets the time.
    public var isMemoryBound: Bool { bound == .memory }

    public init(name: String, flops: Double, bytes: Double, format: ComputeFormat, seconds: Double, bound: Bound) {
        self.name = name
        self.flops = flops
        self.bytes = bytes
        self.format = format
        self.seconds = seconds
        self.bound = bound
    }
}
