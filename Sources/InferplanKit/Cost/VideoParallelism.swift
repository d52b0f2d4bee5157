/// How a video replica spreads one video over its GPUs.
public struct VideoParallelism: Sendable, Equatable {
    /// GPUs that share every forward pass by splitting the sequence (`sequence_parallel`).
    public var sequence: Int
    public var mode: Mode
    /// Classifier-free guidance's two passes per step run on two groups of `sequence` GPUs at once
    /// (`cfg_parallel`), exchanging the noise predictions each step.
    public var cfg: Bool

    /// How attention sees the whole sequence when each GPU holds 1/n of it.
    public enum Mode: String, CaseIterable, Sendable {
        /// DeepSpeed-Ulysses: an all-to-all before attention turns "1/n of the tokens, all heads"
        /// into "all tokens, 1/n of the heads" for Q, K and V, and one after it turns the output
        /// back: four all-to-alls per block. Needs the heads divisible by n.
        case ulysses
        /// Ring attention: each GPU keeps its queries and passes its K and V blocks around the
        /// ring, n - 1 hops per block, overlapped with the attention over the block it holds.
        case ring
    }

    public init(sequence: Int = 1, mode: Mode = .ulysses, cfg: Bool = false) {
        self.sequence = sequence
        self.mode = mode
        self.cfg = cfg
    }

    /// GPUs of one replica: the sequence group, twice with CFG parallelism.
    public var gpusPerReplica: Int { sequence * (cfg ? 2 : 1) }
}

/// The format attention's matrix products run in for video (`precision.attention`).
public enum VideoAttentionFormat: String, CaseIterable, Sendable {
    case bf16, fp8
    /// SageAttention-style: Q K^T in INT8 and P V in FP8, costed at the FP8 rate (the matrix units
    /// run INT8 and FP8 at the same dense rate on Hopper, Blackwell and CDNA 3).
    case sage

    public var compute: ComputeFormat { self == .bf16 ? .bf16 : .fp8 }
    /// Bytes per Q, K, V and output element moved.
    public var bytesPerElement: Double { self == .bf16 ? 2 : 1 }
}
