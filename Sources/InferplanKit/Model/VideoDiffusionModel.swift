/// A text-to-video diffusion transformer (DiT) pipeline, as its configuration files give it: a
/// text encoder run once per prompt, one or more DiT experts that denoise the video latent over
/// the sampling steps, and a VAE decoder that turns the latent into frames.
///
/// Wan 2.2 T2V A14B is the shipped example (two 14B experts switched at a boundary step ratio).
/// The arithmetic that turns the shape into tokens, parameters and FLOPs is in
/// `VideoDiffusionModel+Counts.swift`; a user adds another DiT model as catalog YAML only.
public struct VideoDiffusionModel: Sendable, Equatable {
    public var id: String
    public var name: String
    /// DiT experts of the same shape, each resident for its share of the steps (Wan 2.2 A14B: 2).
    public var experts: Int
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    /// FFN width (two projections with a GELU between them, as in Wan's DiT blocks).
    public var ffn: Int
    /// Latent frames x height x width merged into one token (Wan: 1 x 2 x 2).
    public var patch: Patch
    /// Each block cross-attends to the text encoder's tokens (Wan: yes, to 512 umT5 tokens).
    public var crossAttention: Bool
    public var textEncoder: TextEncoder
    public var vae: VAE
    /// Parameter count the model card states per expert, in billions, to check the shape against.
    public var statedParametersPerExpert: Double?
    public var source: String
    public var confidence: String

    public struct Patch: Sendable, Equatable {
        public var frames: Int
        public var height: Int
        public var width: Int

        public init(frames: Int, height: Int, width: Int) {
            self.frames = frames
            self.height = height
            self.width = width
        }
    }

    /// An encoder-only transformer (umT5-XXL for Wan) run once per prompt, and once more for the
    /// negative prompt when classifier-free guidance is on.
    public struct TextEncoder: Sendable, Equatable {
        public var name: String
        public var layers: Int
        public var hidden: Int
        /// FFN width; `gatedFFN` adds the third (gate) projection.
        public var ffn: Int
        public var gatedFFN: Bool
        /// Tokens every prompt is padded to (Wan: text_len 512).
        public var tokens: Int

        public init(name: String, layers: Int, hidden: Int, ffn: Int, gatedFFN: Bool, tokens: Int) {
            self.name = name
            self.layers = layers
            self.hidden = hidden
            self.ffn = ffn
            self.gatedFFN = gatedFFN
            self.tokens = tokens
        }
    }

    /// The causal 3D VAE: its compression, and its decoder as groups of convolutions, each at the
    /// resolution its stage runs at (a divisor of the output's frames and pixels).
    public struct VAE: Sendable, Equatable {
        public var temporalCompression: Int
        public var spatialCompression: Int
        public var latentChannels: Int
        public var decoder: [ConvolutionGroup]
        /// Parameters in billions (weights in BF16), for the memory budget.
        public var parametersB: Double

        public init(temporalCompression: Int, spatialCompression: Int, latentChannels: Int,
                    decoder: [ConvolutionGroup], parametersB: Double) {
            self.temporalCompression = temporalCompression
            self.spatialCompression = spatialCompression
            self.latentChannels = latentChannels
            self.decoder = decoder
            self.parametersB = parametersB
        }
    }

    /// `count` convolutions of `inputChannels` -> `outputChannels` with a kernel of
    /// `kernel` (frames x height x width), run at 1/`temporalDivisor` of the output's frames
    /// (causal: 1 + (F - 1) / divisor) and 1/`spatialDivisor` of its height and width.
    public struct ConvolutionGroup: Sendable, Equatable {
        public var count: Int
        public var inputChannels: Int
        public var outputChannels: Int
        public var kernel: [Int]
        public var temporalDivisor: Int
        public var spatialDivisor: Int

        public init(count: Int, inputChannels: Int, outputChannels: Int, kernel: [Int], temporalDivisor: Int, spatialDivisor: Int) {
            self.count = count
            self.inputChannels = inputChannels
            self.outputChannels = outputChannels
            self.kernel = kernel
            self.temporalDivisor = temporalDivisor
            self.spatialDivisor = spatialDivisor
        }
    }

    public init(id: String, name: String, experts: Int, layers: Int, hidden: Int, heads: Int, ffn: Int, patch: Patch,
                crossAttention: Bool, textEncoder: TextEncoder, vae: VAE, statedParametersPerExpert: Double?,
                source: String, confidence: String) {
        self.id = id
        self.name = name
        self.experts = experts
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.ffn = ffn
        self.patch = patch
        self.crossAttention = crossAttention
        self.textEncoder = textEncoder
        self.vae = vae
        self.statedParametersPerExpert = statedParametersPerExpert
        self.source = source
        self.confidence = confidence
    }
}

/// What one video is: its size, and how the sampler makes it.
public struct VideoShape: Sendable, Equatable {
    public var height: Int
    public var width: Int
    public var frames: Int
    public var fps: Double
    /// Sampling (denoising) steps.
    public var steps: Int
    /// Classifier-free guidance: a conditional and an unconditional forward pass per step.
    public var guidance: Bool
    /// The share of the steps (from the noisiest) run by the high-noise expert (Wan 2.2: 0.875 of
    /// the timesteps; the rest by the low-noise expert).
    public var boundaryRatio: Double

    public init(height: Int, width: Int, frames: Int, fps: Double, steps: Int, guidance: Bool, boundaryRatio: Double) {
        self.height = height
        self.width = width
        self.frames = frames
        self.fps = fps
        self.steps = steps
        self.guidance = guidance
        self.boundaryRatio = boundaryRatio
    }

    /// DiT forward passes per video: steps, twice with guidance.
    public var forwardPasses: Int { steps * (guidance ? 2 : 1) }
    /// Seconds of video.
    public var seconds: Double { Double(frames) / fps }
}
