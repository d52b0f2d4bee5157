import Foundation

/// How long one video takes on one replica, and where the time goes: the answer to "how long does
/// a denoising step take" for diffusion video.
///
/// A video is the text encoder (once per prompt, twice with guidance), `steps` x (2 with guidance)
/// DiT forward passes over the whole latent sequence, and the VAE decode. Per forward pass, per
/// operator (projections, FFN, self-attention, cross-attention, element-wise work, the sequence-
/// parallel exchange) it counts FLOPs and HBM bytes on one GPU of the sequence group and costs them
/// with the roofline in the format the matrix units run: time = (t_compute^p + t_memory^p)^(1/p),
/// p the stack's overlap exponent. Attention also waits on its softmax exponentials, which run on
/// the special-function units (`GPUSpec.exponentialsPerSecond`) and enter the same p-norm: on
/// Blackwell, B200's 5 T exponentials/s bound long-sequence attention as much as its tensor cores,
/// which is what Blackwell Ultra's doubled rate addresses.
///
/// Everything is computed once at init: a video's operators do not depend on the load.
public struct VideoGenerationCost: Sendable {
    public let model: VideoDiffusionModel
    public let video: VideoShape
    public let gpu: GPUSpec
    public let weights: WeightFormat
    public let attention: VideoAttentionFormat
    public let parallelism: VideoParallelism
    /// The whole video's operators on the critical path of one replica, seconds summed over the
    /// passes they occur in.
    public let operators: [OperatorCost]
    /// Seconds per video on one replica (the sum of `operators`).
    public let secondsPerVideo: Double
    /// Seconds of one DiT forward pass on one GPU of the sequence group.
    public let secondsPerForwardPass: Double
    /// How busy one GPU of the replica is over a video: arithmetic at dense peak and traffic at
    /// peak bandwidth, seconds (for `PowerProfile`), and the compute-bound part of the time.
    public let activity: StepActivity

    /// Bytes per activation element exchanged between GPUs and between operators (BF16).
    static let activationBytes = 2.0

    public init(model: VideoDiffusionModel, video: VideoShape, gpu: GPUSpec, weights: WeightFormat,
                attention: VideoAttentionFormat, parallelism: VideoParallelism,
                gpusPerNode: Int, scaleOut: ScaleOutNetwork) {
        self.model = model
        self.video = video
        self.gpu = gpu
        self.weights = weights
        self.attention = attention
        self.parallelism = parallelism
        let efficiency = gpu.efficiency.video ?? VideoEfficiency(compute: 1, vae: 1, provenance: "")
        let p = gpu.efficiency.overlapExponent
        let bandwidth = gpu.memoryBytesPerSecond * gpu.efficiency.bandwidth
        let n = Double(parallelism.sequence)
        let tokens = Double(model.tokens(video))
        let layers = Double(model.layers)
        let d = Double(model.hidden)
        let gemmFormat = gpu.computeFormat(for: weights.preferredCompute)
        let attentionFormat = gpu.computeFormat(for: attention.compute)
        func flopRate(_ format: ComputeFormat) -> Double { gpu.peakFLOPS(for: format) * efficiency.compute }
        var perPass: [OperatorCost] = []
        var busy = (compute: 0.0, memory: 0.0, computeBound: 0.0)
        func add(_ name: String, flops: Double, bytes: Double, exponentials: Double = 0, format: ComputeFormat) {
            let compute = flops / flopRate(format)
            let memory = bytes / bandwidth
            let special = gpu.exponentialsPerSecond.map { exponentials / $0 } ?? 0
            let seconds = Self.combine([compute, memory, special], exponent: p)
            let bound: OperatorCost.Bound = memory > max(compute, special) ? .memory : .compute
            perPass.append(OperatorCost(name: name, flops: flops, bytes: bytes, format: format, seconds: seconds, bound: bound))
            busy.compute += flops / gpu.peakFLOPS(for: format)
            busy.memory += bytes / gpu.memoryBytesPerSecond
            if bound == .compute { busy.computeBound += seconds }
        }
        // One forward pass on one GPU of the sequence group: 1/n of the tokens through every GEMM
        // (every GPU holds all the weights and reads them once per pass), 1/n of the heads through
        // attention over all the tokens.
        let local = tokens / n
        let weightBytes = model.parametersPerExpert * weights.bytesPerWeight
        let projections = layers * model.projectionFLOPsPerLayer(tokens: local)
        let ffn = layers * model.ffnFLOPsPerLayer(tokens: local)
        let projectionWeights = weightBytes * (1 - 2 * d * Double(model.ffn) / model.parametersPerLayer)
        add("projections", flops: projections, bytes: projectionWeights + layers * local * d * Self.activationBytes * 6 * 2, format: gemmFormat)
        add("ffn", flops: ffn, bytes: weightBytes - projectionWeights + layers * local * (2 * d + 2 * Double(model.ffn)) * Self.activationBytes,
            format: gemmFormat)
        let qkvo = layers * 4 * tokens * d / n * attention.bytesPerElement
        add("self_attention", flops: layers * model.selfAttentionFLOPsPerLayer(tokens: tokens) / n, bytes: qkvo,
            exponentials: layers * model.selfAttentionExponentialsPerLayer(tokens: tokens) / n, format: attentionFormat)
        if model.crossAttention {
            add("cross_attention", flops: layers * model.crossAttentionFLOPsPerLayer(tokens: tokens) / n,
                bytes: layers * (2 * local * d + 2 * Double(model.textEncoder.tokens) * d) * attention.bytesPerElement,
                exponentials: layers * model.crossAttentionExponentialsPerLayer(tokens: tokens) / n, format: attentionFormat)
        }
        add("elementwise", flops: 0, bytes: layers * local * model.elementwiseElementsPerTokenPerLayer * Self.activationBytes, format: .bf16)
        let exchange = Self.sequenceExchangeSeconds(tokens: tokens, hidden: d, layers: layers, parallelism: parallelism,
                                                    selfAttention: perPass.first { $0.name == "self_attention" }!.seconds,
                                                    gpusPerNode: gpusPerNode, gpu: gpu, scaleOut: scaleOut)
        if parallelism.sequence > 1 {
            perPass.append(OperatorCost(name: parallelism.mode == .ulysses ? "ulysses_all_to_all" : "ring_attention_exposed",
                                        flops: 0, bytes: 0, format: .bf16, seconds: exchange, bound: .link))
        }
        secondsPerForwardPass = perPass.reduce(0) { $0 + $1.seconds }

        // The video: passes on the critical path (halved by CFG parallelism, which adds an
        // exchange of the latent's noise prediction per step), the text encoder and the VAE.
        let passes = Double(video.forwardPasses) / (parallelism.cfg && video.guidance ? 2 : 1)
        var whole = perPass.map { OperatorCost(name: $0.name, flops: $0.flops * passes, bytes: $0.bytes * passes,
                                               format: $0.format, seconds: $0.seconds * passes, bound: $0.bound) }
        var compute = busy.compute * passes, memory = busy.memory * passes, computeBound = busy.computeBound * passes
        if parallelism.cfg && video.guidance {
            let latentBytes = tokens / n * Double(model.patch.frames * model.patch.height * model.patch.width * model.vae.latentChannels) * 4
            let step = Collectives.allToAllTime(bytesPerGPU: latentBytes, gpus: 2, gpusPerNode: gpusPerNode, scaleUp: gpu.scaleUp, scaleOut: scaleOut)
            whole.append(OperatorCost(name: "cfg_exchange", flops: 0, bytes: 0, format: .bf16, seconds: step * Double(video.steps), bound: .link))
        }
        let prompts = video.guidance ? 2.0 : 1.0
        let textFLOPs = model.textEncoderFLOPs * prompts
        let text = Self.combine([textFLOPs / (gpu.peakFLOPS(for: .bf16) * efficiency.compute), model.textEncoderParameters * 2 / bandwidth], exponent: p)
        whole.insert(OperatorCost(name: "text_encoder", flops: textFLOPs, bytes: model.textEncoderParameters * 2, format: .bf16, seconds: text, bound: .compute), at: 0)
        let vaeFLOPs = model.vaeDecoderFLOPs(video), vaeBytes = model.vaeDecoderBytes(video)
        let vae = Self.combine([vaeFLOPs / (gpu.peakFLOPS(for: .bf16) * efficiency.vae), vaeBytes / bandwidth], exponent: p)
        whole.append(OperatorCost(name: "vae_decode", flops: vaeFLOPs, bytes: vaeBytes, format: .bf16, seconds: vae,
                                  bound: vaeBytes / bandwidth > vaeFLOPs / (gpu.peakFLOPS(for: .bf16) * efficiency.vae) ? .memory : .compute))
        compute += (textFLOPs + vaeFLOPs) / gpu.peakFLOPS(for: .bf16)
        memory += (model.textEncoderParameters * 2 + vaeBytes) / gpu.memoryBytesPerSecond
        computeBound += text + vae
        operators = whole
        secondsPerVideo = whole.reduce(0) { $0 + $1.seconds }
        activity = StepActivity(seconds: secondsPerVideo, computeBusy: compute, memoryBusy: memory, computeBound: computeBound)
    }

    /// Seconds per forward pass of the sequence-parallel exchange on one GPU.
    ///
    /// Ulysses: four all-to-alls per block (Q, K, V before attention, the output after), each GPU
    /// sending (n - 1)/n of its L/n x d activations. Ring: n - 1 hops per block, each passing a K and
    /// a V block of L/n x d to the next GPU, hidden behind the attention over the block held; only
    /// the excess over that attention is exposed.
    public static func sequenceExchangeSeconds(tokens: Double, hidden: Double, layers: Double, parallelism: VideoParallelism,
                                               selfAttention: Double, gpusPerNode: Int, gpu: GPUSpec, scaleOut: ScaleOutNetwork) -> Double {
        let n = parallelism.sequence
        guard n > 1 else { return 0 }
        let share = tokens / Double(n) * hidden * activationBytes
        switch parallelism.mode {
        case .ulysses:
            let bytes = share * Double(n - 1) / Double(n)
            return layers * 4 * Collectives.allToAllTime(bytesPerGPU: bytes, gpus: n, gpusPerNode: gpusPerNode,
                                                         scaleUp: gpu.scaleUp, scaleOut: scaleOut)
        case .ring:
            let crossesNodes = n > gpusPerNode
            let rate = crossesNodes ? scaleOut.bytesPerSecondPerGPU : gpu.scaleUp.bytesPerSecondPerDirection
            let latency = crossesNodes ? scaleOut.latencySeconds : gpu.scaleUp.latencySeconds
            let ring = layers * Double(n - 1) * (2 * share / rate + latency)
            return max(0, ring - selfAttention)
        }
    }

    /// (sum of t_i^p)^(1/p): the larger term alone when p is infinite.
    static func combine(_ terms: [Double], exponent p: Double) -> Double {
        let largest = terms.max() ?? 0
        guard p.isFinite, largest > 0 else { return largest }
        return largest * pow(terms.reduce(0) { $0 + pow($1 / largest, p) }, 1 / p)
    }

    /// Each operator's share of the video's time.
    public var shares: [(name: String, share: Double)] {
        operators.map { ($0.name, secondsPerVideo > 0 ? $0.seconds / secondsPerVideo : 0) }
    }
}
