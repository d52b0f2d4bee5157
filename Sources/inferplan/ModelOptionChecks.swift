import ArgumentParser

/// Range checks of the model options `validate` and `fit` take for what-ifs and scans: a value
/// outside them would give a step of non-finite length or a silently different prediction.
enum ModelOptionChecks {
    /// The overlap exponent p of (t_c^p + t_m^p)^(1/p): at least 1 (1 adds the two times), `inf`
    /// for the ideal roofline; never NaN.
    static func overlapExponent(_ value: Double?) throws {
        guard let value else { return }
        guard value >= 1 else {
            throw ValidationError("--overlap-exponent must be at least 1 (1 adds compute and memory time), or inf for the ideal roofline; got \(value)")
        }
    }

    /// GEMM half-efficiency tokens: 0 (the ramp off) to 1,000,000; never NaN or infinite.
    static func gemmHalfEfficiencyTokens(_ value: Double?) throws {
        guard let value else { return }
        guard value.isFinite, (0...1_000_000).contains(value) else {
            throw ValidationError("--gemm-half-efficiency-tokens must be a number from 0 (no ramp) to 1000000, e.g. 128; got \(value)")
        }
    }

    /// GEMM half-efficiency width: 0 (the shape ramp off) to 1,000,000; never NaN or infinite.
    static func gemmHalfEfficiencyWidth(_ value: Double?) throws {
        guard let value else { return }
        guard value.isFinite, (0...1_000_000).contains(value) else {
            throw ValidationError("--gemm-half-efficiency-width must be a number from 0 (no shape ramp) to 1000000, e.g. 512; got \(value)")
        }
    }
}
