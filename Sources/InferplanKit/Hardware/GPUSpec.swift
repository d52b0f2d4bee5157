/// One accelerator as its datasheet describes it, plus the efficiency profile of its software stack.
public struct GPUSpec: Sendable, Equatable {
    public var id: String
    public var name: String
    public var vendor: String
    public var generation: String
    /// HBM the device reports to software, bytes (budget this, not the nominal size).
    public var usableMemoryBytes: Double
    /// HBM bandwidth, bytes/s.
    public var memoryBytesPerSecond: Double
    /// Dense (not 2:4 sparse) matrix peak per format, FLOP/s. A missing format has no units of its own.
    public var denseFLOPS: [ComputeFormat: Double]
    public var powerWatts: Double
    /// Idle power and the split of dynamic power (`PowerProfile`); nil: the stated defaults.
    public var idleWatts: Double?
    public var powerComputeShare: Double?
    /// A power limit set below TDP for this deployment (`hardware.power_cap_w`), watts.
    public var powerCapWatts: Double?
    /// Exponentials per second of the special-function units (`exp_tera_per_s`): softmax's
    /// exponentials run there, not on the matrix units, and bound attention over long sequences
    /// when the matrix units are fast (B200: 5 T/s against 2.25 PFLOP/s of BF16). nil: not stated,
    /// and not a bound.
    public var exponentialsPerSecond: Double?
    public var scaleUp: ScaleUpLink
    public var efficiency: EfficiencyProfile
    public var source: String
    public var confidence: String

    public init(id: String, name: String, vendor: String, generation: String, usableMemoryBytes: Double,
                memoryBytesPerSecond: Double, denseFLOPS: [ComputeFormat: Double], powerWatts: Double,
                scaleUp: ScaleUpLink, efficiency: EfficiencyProfile, source: String, confidence: String) {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.generation = generation
        self.usableMemoryBytes = usableMemoryBytes
        self.memoryBytesPerSecond = memoryBytesPerSecond
        self.denseFLOPS = denseFLOPS
        self.powerWatts = powerWatts
        self.scaleUp = scaleUp
        self.efficiency = efficiency
        self.source = source
        self.confidence = confidence
    }

    /// How its power follows its activity.
    public var power: PowerProfile {
        PowerProfile(tdpWatts: powerWatts, idleWatts: idleWatts, computeShare: powerComputeShare, capWatts: powerCapWatts)
    }

    /// The format a GEMM actually runs in: the wanted one if the GPU has units for it, else the
    /// narrowest wider format it has. FP4 weights on Hopper or MI300X are dequantised and multiplied
    /// at FP8 - a bandwidth win but no compute win (../shared/reference/accelerators.md).
    public func computeFormat(for wanted: ComputeFormat) -> ComputeFormat {
        let available = ComputeFormat.allCases.filter { denseFLOPS[$0] != nil && $0.width >= wanted.width }
        return available.min(by: { $0.width < $1.width }) ?? .bf16
    }

    /// Dense peak in FLOP/s of the format a GEMM wanting `wanted` actually runs in.
    public func peakFLOPS(for wanted: ComputeFormat) -> Double {
        denseFLOPS[computeFormat(for: wanted)] ?? denseFLOPS[.bf16] ?? 0
    }
}
