/// How close one hardware generation with one software stack gets to the datasheet limits.
///
/// These are the only fitted numbers in a prediction. They are per generation and stack (for
/// example "Hopper with TensorRT-LLM"), never per result, and each profile states its provenance.
public struct EfficiencyProfile: Sendable, Equatable {
    public var id: String
    /// Achieved fraction of dense matrix peak on large GEMMs and attention (0-1].
    public var compute: Double
    /// Achieved fraction of HBM bandwidth on streaming reads (0-1].
    public var bandwidth: Double
    /// Fixed host-side time per engine step (scheduling, kernel launch), seconds.
    public var stepOverhead: Double
    /// HBM held back from the KV cache for activations, workspace and runtime, bytes per GPU.
    public var activationReserveBytes: Double
    /// Fraction of the memory left after weights and reserve that the runtime gives the KV cache.
    public var kvMemoryFraction: Double
    public var provenance: String

    public init(id: String, compute: Double, bandwidth: Double, stepOverhead: Double,
                activationReserveBytes: Double, kvMemoryFraction: Double, provenance: String) {
        self.id = id
        self.compute = compute
        self.bandwidth = bandwidth
        self.stepOverhead = stepOverhead
        self.activationReserveBytes = activationReserveBytes
        self.kvMemoryFraction = kvMemoryFraction
        self.provenance = provenance
    }
}
