/// How close one hardware generation with one software stack gets to the datasheet limits.
///
/// These are the only fitted numbers in a prediction. They are per generation and stack (for
/// example "Hopper with TensorRT-LLM"), never per result, and each profile states its provenance.
public struct EfficiencyProfile: Sendable, Equatable {
    public var id: String
    /// Achieved fraction of dense matrix peak on large GEMMs and attention (0-1].
    public var compute: Double
    /// Achieved fraction of the dense peak in attention, where it differs from `compute` (a
    /// calibrated attention kernel); nil: the same as `compute`.
    public var attention: Double?
    /// Achieved fraction of HBM bandwidth on streaming reads (0-1].
    public var bandwidth: Double
    /// Fixed host-side time per engine step (scheduling, kernel launch), seconds.
    public var stepOverhead: Double
    /// Fixed time per kernel call, seconds, on top of its roofline time: for stacks that launch
    /// each GEMM and attention call separately (the host serving loop: thread start-up and
    /// activation set-up per call). 0 where launches hide behind CUDA graphs and `stepOverhead`.
    public var kernelOverhead: Double
    /// HBM held back from the KV cache for activations, workspace and runtime, bytes per GPU.
    public var activationReserveBytes: Double
    /// Fraction of the memory left after weights and reserve that the runtime gives the KV cache.
    public var kvMemoryFraction: Double
    /// How well an operator overlaps its memory traffic with its arithmetic: its time is
    /// (t_compute^p + t_memory^p)^(1/p). Infinity is the ideal roofline, max(t_compute, t_memory);
    /// 2 makes an operator at the ridge point take sqrt(2) times the larger of the two.
    public var overlapExponent: Double
    /// Tokens at which a GEMM reaches half its large-batch efficiency: matrix units lose efficiency
    /// on short token dimensions (tile and wave quantisation), as efficiency x M / (M + this).
    /// 0 turns the ramp off.
    public var gemmHalfEfficiencyTokens: Double
    public var provenance: String

    public init(id: String, compute: Double, bandwidth: Double, stepOverhead: Double,
                activationReserveBytes: Double, kvMemoryFraction: Double, overlapExponent: Double = .infinity,
                gemmHalfEfficiencyTokens: Double = 0, kernelOverhead: Double = 0, provenance: String) {
        self.id = id
        self.compute = compute
        self.bandwidth = bandwidth
        self.stepOverhead = stepOverhead
        self.kernelOverhead = kernelOverhead
        self.activationReserveBytes = activationReserveBytes
        self.kvMemoryFraction = kvMemoryFraction
        self.overlapExponent = overlapExponent
        self.gemmHalfEfficiencyTokens = gemmHalfEfficiencyTokens
        self.provenance = provenance
    }
}
