import Foundation

/// How routed MoE work spreads over experts and expert-parallel GPUs: cost arithmetic for
/// `StepTimeModel`, from uniform routing.
public enum ExpertLoad {
    /// E(1 - (1 - k/E)^t): expected distinct experts touched by `tokens` tokens each routed to
    /// `active` of `experts` uniformly. All of them at large batch, k at batch 1.
    public static func expectedTouched(experts: Int, active: Int, tokens: Double) -> Double {
        let e = Double(experts)
        guard tokens > 0 else { return 0 }
        return e * (1 - pow(1 - Double(active) / e, tokens))
    }

    /// Expected routed token-expert pairs on the busiest of `gpus` GPUs when `pairs` pairs are
    /// routed uniformly: binomial mean n/g plus sd x sqrt(2 ln g), the leading term of the expected
    /// maximum of g such loads.
    public static func busiest(pairs: Double, gpus: Int) -> Double {
        guard gpus > 1, pairs > 0 else { return pairs }
        let g = Double(gpus)
        let mean = pairs / g
        return mean + (mean * (1 - 1 / g)).squareRoot() * (2 * log(g)).squareRoot()
    }
}
