/// How one GPU's power follows what it does: idle power always, plus the dynamic power between
/// idle and TDP in proportion to how busy its matrix units and its HBM are.
///
/// Over a step of d seconds whose operators keep the matrix units busy c seconds (FLOPs at the
/// format's dense peak) and the HBM m seconds (bytes at the peak bandwidth), the GPU draws
/// idle x d + (TDP - idle) x min(d, share x c + (1 - share) x m) joules: TDP when both run flat out,
/// and never more (the firmware holds the board at its limit). Confidence: low. The form is the
/// usual activity-based one; the catalog's GPUs give no idle power or split of their own yet, so
/// the stated defaults below apply to all of them until MLPerf Power results are fitted.
public struct PowerProfile: Sendable, Equatable {
    public var tdpWatts: Double
    public var idleWatts: Double
    /// Share of the dynamic power that the matrix units draw at full utilisation; HBM traffic
    /// draws the rest.
    public var computeShare: Double

    /// Idle power as a share of TDP when a GPU entry gives no `idle_w`: HGX-class boards idle at
    /// roughly a tenth to a fifth of their limit in nvidia-smi and rocm-smi readings. Low confidence.
    public static let defaultIdleFraction = 0.15
    /// The matrix units' share of dynamic power when an entry gives no `power_compute_share`: a
    /// compute-bound GEMM is what reaches TDP, a memory-bound decode well below it. Low confidence.
    public static let defaultComputeShare = 0.7

    /// A power limit below TDP (`hardware.power_cap_w`), watts; nil: TDP is the limit.
    public var capWatts: Double?

    public init(tdpWatts: Double, idleWatts: Double? = nil, computeShare: Double? = nil, capWatts: Double? = nil) {
        self.tdpWatts = tdpWatts
        self.idleWatts = idleWatts ?? tdpWatts * Self.defaultIdleFraction
        self.computeShare = computeShare ?? Self.defaultComputeShare
        self.capWatts = capWatts.map { min($0, tdpWatts) }
    }

    /// A step under the power cap: the clock f (1 = nominal) at which it fits, its seconds and its
    /// dynamic joules. Lowering the clock by f stretches the compute-bound time `computeBound` to
    /// computeBound / f and leaves the rest (`other`: memory-bound operators, links, host,
    /// overheads) as it is; the matrix units' dynamic energy per FLOP falls as f^2 (voltage with
    /// frequency, so their power as f^3), HBM's does not. The step's mean power
    /// idle + (TDP - idle) x (share x c x f^2 + (1 - share) x m) / (computeBound / f + other) rises
    /// with f, so the largest f whose power is within the cap is found by bisection on these five
    /// numbers: O(1) per step, no operator costed again.
    public func capped(computeBound: Double, other: Double, computeBusy: Double, memoryBusy: Double)
        -> (clock: Double, seconds: Double, dynamicJoules: Double) {
        func dynamic(_ f: Double) -> Double {
            (tdpWatts - idleWatts) * (computeShare * computeBusy * f * f + (1 - computeShare) * memoryBusy)
        }
        func seconds(_ f: Double) -> Double { computeBound / f + other }
        let nominal = seconds(1)
        guard let cap = capWatts, nominal > 0,
              idleWatts + min(tdpWatts - idleWatts, dynamic(1) / nominal) > cap else {
            return (1, nominal, min(dynamic(1), (tdpWatts - idleWatts) * nominal))
        }
        // Memory traffic alone over the memory time may already exceed the cap: the clock then
        // bottoms out at the lowest the bisection reaches (a twentieth), not at zero.
        var low = 0.05, high = 1.0
        for _ in 0..<40 {
            let f = (low + high) / 2
            if idleWatts + dynamic(f) / seconds(f) > cap { high = f } else { low = f }
        }
        return (low, seconds(low), min(dynamic(low), (cap - idleWatts) * seconds(low)))
    }

    /// Dynamic joules of a step of `seconds` that keeps the matrix units busy `computeBusy` seconds
    /// and the HBM `memoryBusy` seconds; the idle power is counted over the whole run instead.
    public func dynamicJoules(seconds: Double, computeBusy: Double, memoryBusy: Double) -> Double {
        (tdpWatts - idleWatts) * min(seconds, computeShare * computeBusy + (1 - computeShare) * memoryBusy)
    }
}
