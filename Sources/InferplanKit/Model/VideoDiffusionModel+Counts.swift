/// The arithmetic of a video diffusion pipeline: tokens per video, parameters, and FLOPs of each
/// part for one forward pass, on the whole (unsharded) sequence. `VideoGenerationCost` splits them
/// over the GPUs of a replica and costs them.
extension VideoDiffusionModel {
    /// Latent frames of a causal VAE: the first frame alone, then one per `temporalCompression`
    /// (81 frames -> 1 + 80 / 4 = 21).
    public func latentFrames(_ video: VideoShape) -> Int {
        1 + (video.frames - 1) / vae.temporalCompression
    }

    /// The DiT's sequence length: latent frames x height x width over the patch
    /// (720 x 1280, 81 frames, Wan: 21 x (90 / 2) x (160 / 2) = 75,600).
    public func tokens(_ video: VideoShape) -> Int {
        let height = video.height / vae.spatialCompression / patch.height
        let width = video.width / vae.spatialCompression / patch.width
        return latentFrames(video) / patch.frames * height * width
    }

    var d: Double { Double(hidden) }

    /// Weights of one DiT block: self-attention Q, K, V, O; cross-attention Q, K, V, O; the FFN's
    /// two projections. (Norms, modulation and biases are under 0.1% and left out.)
    public var parametersPerLayer: Double {
        (crossAttention ? 8 : 4) * d * d + 2 * d * Double(ffn)
    }

    /// One expert's parameters (Wan 2.2 A14B: 40 x 351 M = 14.05 B, the card's "14B").
    public var parametersPerExpert: Double { Double(layers) * parametersPerLayer }

    /// All experts', resident together (a stack that swaps experts in and out pays PCIe time instead).
    public var totalParameters: Double { Double(experts) * parametersPerExpert }

    /// Matrix-multiply FLOPs of one forward pass's projections over `tokens` video tokens, per
    /// block: self-attention Q, K, V, O and cross-attention Q, O on the video tokens, cross-attention
    /// K, V on the text tokens.
    public func projectionFLOPsPerLayer(tokens: Double) -> Double {
        let video = 2 * tokens * (crossAttention ? 6 : 4) * d * d
        let text = crossAttention ? 2 * Double(textEncoder.tokens) * 2 * d * d : 0
        return video + text
    }

    /// The FFN's FLOPs per block: two projections of d x ffn.
    public func ffnFLOPsPerLayer(tokens: Double) -> Double {
        2 * tokens * 2 * d * Double(ffn)
    }

    /// Self-attention's matrix FLOPs per block, all heads: Q K^T and the weighted sum of V, 2 x L^2 x d each.
    public func selfAttentionFLOPsPerLayer(tokens: Double) -> Double {
        4 * tokens * tokens * d
    }

    /// Softmax exponentials of self-attention per block: one per score, heads x L^2.
    public func selfAttentionExponentialsPerLayer(tokens: Double) -> Double {
        Double(heads) * tokens * tokens
    }

    /// Cross-attention's matrix FLOPs per block (video queries against text keys).
    public func crossAttentionFLOPsPerLayer(tokens: Double) -> Double {
        crossAttention ? 4 * tokens * Double(textEncoder.tokens) * d : 0
    }

    public func crossAttentionExponentialsPerLayer(tokens: Double) -> Double {
        crossAttention ? Double(heads) * tokens * Double(textEncoder.tokens) : 0
    }

    /// Elements read or written by the element-wise work of one block per token, counted as
    /// memory traffic: three norm-and-modulate passes (a read and a write each: 6 d), three gated
    /// residual adds (two reads and a write: 9 d), the RMS norm and rotary embedding of Q and K in
    /// one pass (read and write both: 4 d), and the GELU on the FFN's hidden (2 ffn). Stacks that
    /// fuse some of it into the GEMMs' prologues and epilogues move less.
    public var elementwiseElementsPerTokenPerLayer: Double {
        19 * d + 2 * Double(ffn)
    }

    /// The text encoder's FLOPs for one prompt: its projections on the padded tokens, and its
    /// attention (4 x T^2 x hidden per layer).
    public var textEncoderFLOPs: Double {
        let t = Double(textEncoder.tokens), h = Double(textEncoder.hidden)
        let perLayer = 4 * h * h + Double(textEncoder.gatedFFN ? 3 : 2) * h * Double(textEncoder.ffn)
        return Double(textEncoder.layers) * (2 * t * perLayer + 4 * t * t * h)
    }

    public var textEncoderParameters: Double {
        let h = Double(textEncoder.hidden)
        return Double(textEncoder.layers) * (4 * h * h + Double(textEncoder.gatedFFN ? 3 : 2) * h * Double(textEncoder.ffn))
    }

    /// The voxels a decoder group runs over for `video`: its frames (causal: 1 + (F - 1) / divisor)
    /// times its height and width.
    public func voxels(of group: ConvolutionGroup, _ video: VideoShape) -> Double {
        let frames = 1 + (video.frames - 1) / group.temporalDivisor
        return Double(frames) * Double(video.height / group.spatialDivisor) * Double(video.width / group.spatialDivisor)
    }

    /// The VAE decoder's FLOPs for one video: per group, count x 2 x kernel volume x C_in x C_out
    /// per voxel.
    public func vaeDecoderFLOPs(_ video: VideoShape) -> Double {
        vae.decoder.reduce(0) { total, group in
            let kernel = Double(group.kernel.reduce(1, *))
            return total + Double(group.count) * 2 * kernel * Double(group.inputChannels * group.outputChannels) * voxels(of: group, video)
        }
    }

    /// The VAE decoder's activation traffic: each convolution reads its input and writes its output
    /// once, in BF16.
    public func vaeDecoderBytes(_ video: VideoShape) -> Double {
        vae.decoder.reduce(0) { total, group in
            total + Double(group.count) * Double(group.inputChannels + group.outputChannels) * 2 * voxels(of: group, video)
        }
    }
}
