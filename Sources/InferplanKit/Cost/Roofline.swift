import Foundation

/// The roofline: an operator takes as long as the slower of its arithmetic and its memory traffic.
public struct Roofline: Sendable, Equatable {
    /// Achievable FLOP/s per format (datasheet dense peak x that format's compute efficiency), by
    /// `ComputeFormat.index`: read once per operator per step, so an array index, not a hash lookup.
    private let flopsByIndex: [Double]
    /// The same, by format.
    public var flops: [ComputeFormat: Double] {
        Dictionary(uniqueKeysWithValues: ComputeFormat.allCases.map { ($0, flopsByIndex[$0.index]) })
    }
    /// Achievable bytes/s (datasheet bandwidth x bandwidth efficiency).
    public var bandwidth: Double
    /// The stack's overlap exponent p (`EfficiencyProfile.overlapExponent`).
    public var overlapExponent: Double
    /// GEMM efficiency ramp (`EfficiencyProfile.gemmHalfEfficiencyTokens`).
    public var halfEfficiencyTokens: Double
    /// GEMM shape ramp (`EfficiencyProfile.gemmHalfEfficiencyWidth`).
    public var halfEfficiencyWidth: Double

    public init(gpu: GPUSpec) {
        flopsByIndex = ComputeFormat.allCases.map { format in
            gpu.peakFLOPS(for: format) * gpu.efficiency.computeEfficiency(gpu.computeFormat(for: format))
        }
        self.bandwidth = gpu.memoryBytesPerSecond * gpu.efficiency.bandwidth
        self.overlapExponent = gpu.efficiency.overlapExponent
        self.halfEfficiencyTokens = gpu.efficiency.gemmHalfEfficiencyTokens
        self.halfEfficiencyWidth = gpu.efficiency.gemmHalfEfficiencyWidth
    }

    /// The share of large-batch efficiency a GEMM over `tokens` rows reaches: M / (M + M_half).
    /// Every GPU of a tensor-parallel group multiplies all M rows (the split is over N or K).
    @inline(__always)
    public func gemmRamp(tokens: Double) -> Double {
        halfEfficiencyTokens > 0 ? tokens / (tokens + halfEfficiencyTokens) : 1
    }

    /// The share of efficiency a GEMM keeps on weights of `n` x `k` elements per GPU (N the output
    /// columns, K the reduction depth): n / (n + w) x k / (k + w), w the profile's half-efficiency
    /// width. Output tiles are 128-256 wide in Hopper, Blackwell and CDNA GEMM kernels: a matrix
    /// only a few tiles wide leaves part of the last wave idle, and a short K amortises each tile's
    /// prologue and epilogue over fewer iterations. Tensor parallelism cuts one of the two (N for
    /// column-parallel layers, K for row-parallel ones); a small model or an expert has both small.
    @inline(__always)
    public func shapeRamp(n: Double, k: Double) -> Double {
        guard halfEfficiencyTokens > 0, halfEfficiencyWidth > 0 else { return 1 }
        return n / (n + halfEfficiencyWidth) * k / (k + halfEfficiencyWidth)
    }

    /// Seconds for `flops` of arithmetic in `format` and `bytes` of HBM traffic, and whether the
    /// memory side is the slower one: (t_c^p + t_m^p)^(1/p), the ideal max(t_c, t_m) when p is
    /// infinite. Computed as the larger times (1 + (smaller/larger)^p)^(1/p) to stay finite.
    @inline(__always)
    public func time(flops: Double, bytes: Double, format: ComputeFormat) -> (seconds: Double, memoryBound: Bool) {
        let compute = flops / flopsByIndex[format.index]
        let memory = bytes / bandwidth
        return (Self.combine(compute: compute, memory: memory, exponent: overlapExponent), memory > compute)
    }

    /// (t_c^p + t_m^p)^(1/p), the larger of the two when p is infinite; shared with the host
    /// calibration's fit so the simulator uses the transition exactly as it was fitted.
    @inline(__always)
    public static func combine(compute: Double, memory: Double, exponent p: Double) -> Double {
        let larger = max(compute, memory)
        guard p.isFinite, larger > 0 else { return larger }
        let ratio = min(compute, memory) / larger
        // p = 2, the catalog's value, without two calls of pow per operator per step.
        if p == 2 { return larger * (1 + ratio * ratio).squareRoot() }
        return larger * pow(1 + pow(ratio, p), 1 / p)
    }
}
