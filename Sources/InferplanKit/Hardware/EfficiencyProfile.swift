/// How close one hardware generation with one software stack gets to the datasheet limits.
///
/// These are the only fitted numbers in a prediction. They are per generation and stack (for
/// example "Hopper with TensorRT-LLM"), never per result, and each profile states its provenance.
public struct EfficiencyProfile: Sendable, Equatable {
    public var id: String
    /// Achieved fraction of dense matrix peak on large GEMMs and attention (0-1], for every compute
    /// format that `computeByFormat` does not name.
    public var compute: Double
    /// Achieved fraction of each format's dense peak, where it differs from `compute`: FP4 GEMM
    /// kernels reach a smaller share of their doubled peak than FP8 ones.
    public var computeByFormat: [ComputeFormat: Double] = [:]
    /// Achieved fraction of the dense peak in attention, where it differs from `compute` (a
    /// calibrated attention kernel); nil: the same as `compute`.
    public var attention: Double?
    /// Achieved fraction of HBM bandwidth on streaming reads (0-1].
    public var bandwidth: Double
    /// Fixed host-side time per engine step (scheduling, kernel launch), seconds.
    public var stepOverheadSeconds: Double
    /// Host CPU time per sequence scheduled in a step (scheduling, input preparation, sampling,
    /// detokenising, streaming), seconds: milliseconds per step at 1,000+ sequences.
    public var hostSecondsPerSequence: Double = 0
    /// Whether the stack runs the host work of step n+1 while the GPU runs step n (TensorRT-LLM's
    /// overlap scheduler, vLLM's async scheduling): the step then takes the longer of the two, else
    /// their sum.
    public var hostOverlapped: Bool = false
    /// Fixed time per kernel call, seconds, on top of its roofline time: for stacks that launch
    /// each GEMM and attention call separately (the host serving loop: thread start-up and
    /// activation set-up per call). 0 where launches hide behind CUDA graphs and `stepOverheadSeconds`.
    public var kernelOverheadSeconds: Double
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
    /// Width, in elements, at which a GEMM whose weight dimensions (N and K, each as one GPU holds
    /// it) are cut down to it keeps half its efficiency: efficiency x n / (n + this) x k / (k + this).
    /// Tile and wave quantisation and the prologue and epilogue of each tile cost relatively more on
    /// a small matrix (a GPU's share under tensor parallelism, or a small model's or expert's
    /// weights) than on a large one. Only with the token ramp on (`gemmHalfEfficiencyTokens` > 0).
    public var gemmHalfEfficiencyWidth: Double = 128
    /// Compute efficiency of the stack's earlier releases relative to its newest, by the MLPerf
    /// round it was submitted in (`"v4.1": 0.87`): kernels get faster release by release on the same
    /// silicon. `compute` and `computeByFormat` describe the newest release, whose factor is 1.
    /// Empty: one release.
    public var releaseFactors: [String: Double] = [:] {
        didSet { releaseFactor = Self.factor(of: release, in: releaseFactors) }
    }
    /// The release the efficiencies are for (`serving.stack_release`); nil: the newest.
    public var release: String? {
        didSet { releaseFactor = Self.factor(of: release, in: releaseFactors) }
    }
    /// `releaseFactors` of `release`, multiplied into every compute efficiency.
    public private(set) var releaseFactor: Double = 1
    /// The software stack these numbers describe (e.g. "TensorRT-LLM") and the MLPerf rounds
    /// they were fitted on.
    public var stack: String = ""
    public var fittedOn: String = ""
    public var provenance: String
    /// How close the stack's video diffusion kernels get to the peaks (`video:`); nil: the stack
    /// states none, and video scenarios on it are refused with that reason.
    public var video: VideoEfficiency?

    /// The achieved fraction of the dense peak of `format`.
    @inline(__always)
    public func computeEfficiency(_ format: ComputeFormat) -> Double {
        min(1, (computeByFormat[format] ?? compute) * releaseFactor)
    }

    public init(id: String, compute: Double, bandwidth: Double, stepOverheadSeconds: Double,
                activationReserveBytes: Double, kvMemoryFraction: Double, overlapExponent: Double = .infinity,
                gemmHalfEfficiencyTokens: Double = 0, kernelOverheadSeconds: Double = 0, provenance: String) {
        self.id = id
        self.compute = compute
        self.bandwidth = bandwidth
        self.stepOverheadSeconds = stepOverheadSeconds
        self.kernelOverheadSeconds = kernelOverheadSeconds
        self.activationReserveBytes = activationReserveBytes
        self.kvMemoryFraction = kvMemoryFraction
        self.overlapExponent = overlapExponent
        self.gemmHalfEfficiencyTokens = gemmHalfEfficiencyTokens
        self.provenance = provenance
    }
}

extension EfficiencyProfile {
    /// The parameter key of one format's compute efficiency: `profile:format`.
    public func parameterKey(_ format: ComputeFormat) -> String { "\(id):\(format.rawValue)" }

    /// The parameter key of the bandwidth efficiency: `profile:bandwidth`.
    public var bandwidthKey: String { "\(id):bandwidth" }

    /// Replaces efficiencies named in `overrides`: `profile` sets the compute efficiency of every
    /// format, `profile:format` one format (applied after the profile-wide value), and
    /// `profile:bandwidth` the bandwidth efficiency.
    public mutating func apply(overrides: [String: Double]) {
        if let all = overrides[id] {
            compute = all
            computeByFormat = [:]
        }
        for format in ComputeFormat.allCases {
            if let value = overrides[parameterKey(format)] { computeByFormat[format] = value }
        }
        if let value = overrides[bandwidthKey] { bandwidth = value }
        // Release factors replace the profile's whole table, so a refit without some round never
        // predicts it with the catalog's factor for it.
        let releases = overrides.filter { $0.key.hasPrefix(id + "@") }
        if !releases.isEmpty {
            releaseFactors = Dictionary(uniqueKeysWithValues: releases.map { (String($0.key.dropFirst(id.count + 1)), $0.value) })
        }
    }

    /// The parameter key of one release's factor: `profile@round`.
    public func releaseKey(_ release: String) -> String { "\(id)@\(release)" }

    /// The factor of `release`: its own, else that of the latest release before it (the stack as
    /// last seen), else of the earliest one; 1 without factors or without a release.
    static func factor(of release: String?, in factors: [String: Double]) -> Double {
        guard let known = effectiveRelease(release, among: factors.keys) else { return 1 }
        return factors[known]!
    }

    /// The release among `known` whose factor `release` takes: itself, else the latest one before
    /// it, else the earliest; nil if `release` is nil or `known` empty.
    public static func effectiveRelease(_ release: String?, among known: some Collection<String>) -> String? {
        guard let release, !known.isEmpty else { return nil }
        if known.contains(release) { return release }
        let sorted = known.sorted { Self.releaseOrder($0, $1) }
        return sorted.last { Self.releaseOrder($0, release) } ?? sorted[0]
    }

    /// Whether `name` names a release: an MLPerf round such as `v4.1` or `v5.1`.
    public static func isReleaseName(_ name: String) -> Bool {
        name.wholeMatch(of: /v[0-9]+(\.[0-9]+)*/) != nil
    }

    /// Orders release names as versions ("v4.1" < "v5.0" < "v10.0"), numbers compared as numbers.
    static func releaseOrder(_ a: String, _ b: String) -> Bool {
        func parts(_ name: String) -> [Int] {
            name.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        }
        let (x, y) = (parts(a), parts(b))
        return x == y ? a < b : x.lexicographicallyPrecedes(y)
    }

    /// The newest release the profile knows (nil without factors).
    public var newestRelease: String? { releaseFactors.keys.max { Self.releaseOrder($0, $1) } }
}

/// A stack's efficiencies for diffusion-transformer video generation (`video:` in an efficiency
/// profile): one value for the matrix units (GEMMs and attention alike, of the format's dense
/// peak) and one for the VAE decoder's 3D convolutions, with where each came from.
public struct VideoEfficiency: Sendable, Equatable {
    public var compute: Double
    public var vae: Double
    public var provenance: String

    public init(compute: Double, vae: Double, provenance: String) {
        self.compute = compute
        self.vae = vae
        self.provenance = provenance
    }
}
