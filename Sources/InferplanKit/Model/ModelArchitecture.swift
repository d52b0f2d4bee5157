/// A transformer's shape, as its configuration file gives it (../shared/reference/models.md).
///
/// Dense and mixture-of-experts models, grouped-query attention, sliding-window layers (gpt-oss)
/// and multi-head latent attention (DeepSeek) are described here; the arithmetic that turns the
/// shape into parameters, FLOPs and bytes is in `ModelArchitecture+Counts.swift`.
public struct ModelArchitecture: Sendable, Equatable {
    public var id: String
    public var name: String
    public var layers: Int
    public var hidden: Int
    /// FFN width of a dense layer (SwiGLU: gate, up and down projections).
    public var ffn: Int
    public var attention: Attention
    public var moe: MixtureOfExperts?
    public var vocab: Int
    public var maxContext: Int
    /// Components that the checkpoint keeps in BF16 whatever the weight format (gpt-oss keeps
    /// attention in BF16 next to MXFP4 experts).
    public var bf16Components: Set<Component>
    /// Parameter count the model card states, in billions, to check the shape against.
    public var statedParameters: Double?
    public var source: String
    public var confidence: String

    public enum Component: String, CaseIterable, Sendable {
        case attention, mlp, experts
    }

    public struct Attention: Sendable, Equatable {
        public var queryHeads: Int
        public var kvHeads: Int
        public var headDim: Int
        /// Sliding-window layers: `window` tokens on every `every`-th layer (gpt-oss: 128, every 2nd).
        public var slidingWindow: Int?
        public var slidingEvery: Int
        /// Multi-head latent attention (DeepSeek): the cache holds one latent per token per layer.
        public var latent: LatentAttention?

        public init(queryHeads: Int, kvHeads: Int, headDim: Int, slidingWindow: Int? = nil,
                    slidingEvery: Int = 2, latent: LatentAttention? = nil) {
            self.queryHeads = queryHeads
            self.kvHeads = kvHeads
            self.headDim = headDim
            self.slidingWindow = slidingWindow
            self.slidingEvery = slidingEvery
            self.latent = latent
        }
    }

    public struct LatentAttention: Sendable, Equatable {
        public var queryRank: Int
        public var kvRank: Int
        public var ropeDim: Int
        public var noPEDim: Int
        public var valueDim: Int

        public init(queryRank: Int, kvRank: Int, ropeDim: Int, noPEDim: Int, valueDim: Int) {
            self.queryRank = queryRank
            self.kvRank = kvRank
            self.ropeDim = ropeDim
            self.noPEDim = noPEDim
            self.valueDim = valueDim
        }
    }

    public struct MixtureOfExperts: Sendable, Equatable {
        public var experts: Int
        public var active: Int
        public var shared: Int
        public var expertFFN: Int
        /// Leading layers that use a dense FFN instead of experts (DeepSeek: 3).
        public var denseLayers: Int

        public init(experts: Int, active: Int, shared: Int, expertFFN: Int, denseLayers: Int) {
            self.experts = experts
            self.active = active
            self.shared = shared
            self.expertFFN = expertFFN
            self.denseLayers = denseLayers
        }
    }

    public init(id: String, name: String, layers: Int, hidden: Int, ffn: Int, attention: Attention,
                moe: MixtureOfExperts?, vocab: Int, maxContext: Int, bf16Components: Set<Component> = [],
                statedParameters: Double? = nil, source: String = "", confidence: String = "") {
        self.id = id
        self.name = name
        self.layers = layers
        self.hidden = hidden
        self.ffn = ffn
        self.attention = attention
        self.moe = moe
        self.vocab = vocab
        self.maxContext = maxContext
        self.bf16Components = bf16Components
        self.statedParameters = statedParameters
        self.source = source
        self.confidence = confidence
    }
}
