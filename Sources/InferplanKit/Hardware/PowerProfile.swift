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

    public init(tdpWatts: Double, idleWatts: Double? = nil, computeShare: Double? = nil) {
        self.tdpWatts = tdpWatts
        self.idleWatts = idleWatts ?? tdpWatts * Self.defaultIdleFraction
        self.computeShare = computeShare ?? Self.defaultComputeShare
    }

    /// Dynamic joules of a step of `seconds` that keeps the matrix units busy `computeBusy` seconds
    /// and the HBM `memoryBusy` seconds; the idle power is counted over the whole run instead.
    public func dynamicJoules(seconds: Double, computeBusy: Double, memoryBusy: Double) -> Double {
        (tdpWatts - idleWatts) * min(seconds, computeShare * computeBusy + (1 - computeShare) * memoryBusy)
    }
}
