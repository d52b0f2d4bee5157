import ArgumentParser
import InferplanKit

/// The model options `validate` and `fit` share, for what-ifs and scans: each replaces a profile's
/// value for every profile. Out-of-range values are refused before any work, since they would
/// give a step of non-finite length or a silently different prediction.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Use this overlap exponent for every profile instead of each profile's (to scan it; e.g. 2, or inf).")
    var overlapExponent: Double?

    @Option(name: .long, help: "Use this GEMM half-efficiency token count for every profile instead of each profile's (to scan it; 0 turns the ramp off).")
    var gemmHalfEfficiencyTokens: Double?

    @Option(name: .long, help: "Use this GEMM half-efficiency width (elements of a weight matrix's N and K per GPU) for every profile instead of each profile's (to scan it).")
    var gemmHalfEfficiencyWidth: Double?

    func validate() throws {
        // The overlap exponent p of (t_c^p + t_m^p)^(1/p): at least 1 (1 adds the two times), inf
        // for the ideal roofline; never NaN.
        if let value = overlapExponent, !(value >= 1) {
            throw ValidationError("--overlap-exponent must be at least 1 (1 adds compute and memory time), or inf for the ideal roofline; got \(value)")
        }
        if let value = gemmHalfEfficiencyTokens, !(value.isFinite && (0...1_000_000).contains(value)) {
            throw ValidationError("--gemm-half-efficiency-tokens must be a number from 0 (no ramp) to 1000000, e.g. 128; got \(value)")
        }
        if let value = gemmHalfEfficiencyWidth, !(value.isFinite && (0...1_000_000).contains(value)) {
            throw ValidationError("--gemm-half-efficiency-width must be a number from 0 (no shape ramp) to 1000000, e.g. 512; got \(value)")
        }
    }

    /// Applies the options to `validator`.
    func apply(to validator: inout Validator) {
        validator.overlapExponentOverride = overlapExponent
        validator.gemmHalfEfficiencyTokensOverride = gemmHalfEfficiencyTokens
        validator.gemmHalfEfficiencyWidthOverride = gemmHalfEfficiencyWidth
    }
}
