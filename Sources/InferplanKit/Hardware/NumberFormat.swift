/// How model weights are stored. FP4 formats carry block scales, which count in the bytes read.
public enum WeightFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp8, mxfp4, nvfp4

    /// Storage bits per weight including block scales:
    /// MXFP4 = 32 E2M1 values + one 8-bit E8M0 scale -> 4 + 8/32 = 4.25 bits;
    /// NVFP4 = 16 E2M1 values + one 8-bit E4M3 scale -> 4 + 8/16 = 4.5 bits (the per-tensor FP32
    /// scale is negligible). (OCP Microscaling v1.0; ../shared/reference/models.md)
    public var bitsPerWeight: Double {
        switch self {
        case .bf16: return 16
        case .fp8: return 8
        case .mxfp4: return 4.25
        case .nvfp4: return 4.5
        }
    }

    public var bytesPerWeight: Double { bitsPerWeight / 8 }

    /// The matrix-unit format a GEMM on these weights would like to run in.
    public var preferredCompute: ComputeFormat {
        switch self {
        case .bf16: return .bf16
        case .fp8: return .fp8
        case .mxfp4, .nvfp4: return .fp4
        }
    }
}

/// How the KV cache is stored.
public enum KVFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp8

    public var bytesPerElement: Double { self == .bf16 ? 2 : 1 }

    /// Attention over an FP8 cache runs on FP8 units (FP8 FMHA); a BF16 cache on BF16 units.
    public var compute: ComputeFormat { self == .bf16 ? .bf16 : .fp8 }
}

/// The formats of a GPU's matrix units, from widest to narrowest.
public enum ComputeFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp8, fp6, fp4

    /// Position in `allCases`, for per-format tables kept as arrays.
    @inline(__always)
    var index: Int {
        switch self {
        case .bf16: return 0
        case .fp8: return 1
        case .fp6: return 2
        case .fp4: return 3
        }
    }

    /// Bits per element: a GEMM can run in any format at least as wide as its operands.
    public var width: Int {
        switch self {
        case .bf16: return 16
        case .fp8: return 8
        case .fp6: return 6
        case .fp4: return 4
        }
    }
}
