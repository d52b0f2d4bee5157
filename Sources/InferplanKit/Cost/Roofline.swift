/// The roofline: an operator takes as long as the slower of its arithmetic and its memory traffic.
public struct OperatorCost: Sendable, Equatable {
    public var name: String
    public var flops: Double
    public var bytes: Double
    /// The matrix-unit format the arithmetic runs in.
    public var format: ComputeFormat
    /// Seconds, from `Roofline.time`.
    public var seconds: Double

    /// True when memory traffic, not arithmetic, sets the time.
    public var isMemoryBound: Bool = false
}

public struct Roofline: Sendable, Equatable {
    /// Achievable FLOP/s per format (datasheet dense peak x compute efficiency).
    public var flops: [ComputeFormat: Double]
    /// Achievable bytes/s (datasheet bandwidth x bandwidth efficiency).
    public var bandwidth: Double

    public init(gpu: GPUSpec) {
        var flops: [ComputeFormat: Double] = [:]
        for format in ComputeFormat.allCases {
            flops[format] = gpu.peakFLOPS(for: format) * gpu.efficiency.compute
        }
        self.flops = flops
        self.bandwidth = gpu.memoryBandwidth * gpu.efficiency.bandwidth
    }

    /// Seconds for `flops` of arithmetic in `format` and `bytes` of HBM traffic, and whether the
    /// memory side is the slower one.
    @inline(__always)
    public func time(flops: Double, bytes: Double, format: ComputeFormat) -> (seconds: Double, memoryBound: Bool) {
        let compute = flops / self.flops[format, default: 1]
        let memory = bytes / bandwidth
        return (max(compute, memory), memory > compute)
    }
}
