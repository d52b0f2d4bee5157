/// Bytes of each weight group of a model at a given precision.
///
/// The transformer blocks' linear layers use the scenario's weight format unless the model keeps a
/// component in BF16; the input embedding stays BF16 and the LM head is in `precision.lmHead` (BF16
/// unless the scenario says otherwise), as the FP8 and FP4 quantisation recipes of TensorRT-LLM
/// (ModelOpt) and vLLM (Quark) leave them.
public struct WeightLayout: Sendable, Equatable {
    public var attentionBytesPerLayer: Double
    public var qkvBytesPerLayer: Double
    public var outputBytesPerLayer: Double
    public var denseFFNBytesPerLayer: Double
    public var expertBytes: Double
    public var routerBytesPerLayer: Double
    public var lmHeadBytes: Double
    public var embeddingBytes: Double
    public var totalBytes: Double
    public var attentionFormat: WeightFormat
    public var mlpFormat: WeightFormat
    public var expertFormat: WeightFormat
    public var lmHeadFormat: WeightFormat

    public init(model: ModelArchitecture, precision: Precision) {
        func format(_ component: ModelArchitecture.Component) -> WeightFormat {
            model.bf16Components.contains(component) ? .bf16 : precision.weights
        }
        attentionFormat = format(.attention)
        mlpFormat = format(.mlp)
        expertFormat = format(.experts)
        let outputParameters = Double(model.attentionWidth) * Double(model.hidden)
        outputBytesPerLayer = outputParameters * attentionFormat.bytesPerWeight
        qkvBytesPerLayer = (model.attentionParametersPerLayer - outputParameters) * attentionFormat.bytesPerWeight
        attentionBytesPerLayer = qkvBytesPerLayer + outputBytesPerLayer
        denseFFNBytesPerLayer = model.denseFFNParametersPerLayer * mlpFormat.bytesPerWeight
        expertBytes = model.expertParameters * expertFormat.bytesPerWeight
        routerBytesPerLayer = model.routerParametersPerLayer * WeightFormat.bf16.bytesPerWeight
        lmHeadFormat = precision.lmHead
        lmHeadBytes = Double(model.vocab) * Double(model.hidden) * precision.lmHead.bytesPerWeight
        embeddingBytes = Double(model.vocab) * Double(model.hidden) * WeightFormat.bf16.bytesPerWeight
        var total = Double(model.layers) * attentionBytesPerLayer + Double(model.denseFFNLayers) * denseFFNBytesPerLayer
        if let moe = model.moe {
            total += Double(model.moeLayers) * (Double(moe.experts + moe.shared) * expertBytes + routerBytesPerLayer)
        }
        totalBytes = total + lmHeadBytes + embeddingBytes
    }

    /// Weight bytes each GPU holds when a replica spans `tensorParallel` x `pipelineParallel` GPUs:
    /// an even share of everything, except that data-parallel attention keeps a full copy of its
    /// stage's attention weights on every GPU of the tensor group.
    public func bytesPerGPU(model: ModelArchitecture, tensorParallel: Int, pipelineParallel: Int = 1,
                            attentionDataParallel: Bool = false) -> Double {
        let gpus = Double(tensorParallel) * Double(pipelineParallel)
        guard attentionDataParallel else { return totalBytes / gpus }
        let attention = Double(model.layers) * attentionBytesPerLayer
        return (totalBytes - attention) / gpus + attention / Double(pipelineParallel)
    }

    /// How many ways the KV cache is split across a tensor-parallel group: by KV head, so at most
    /// the number of KV heads (beyond that heads are replicated); MLA's single latent is replicated.
    /// Under data-parallel attention each GPU keeps its own sequences' whole cache: `tensorParallel`
    /// shards of the replica's sequences.
    public static func kvShards(model: ModelArchitecture, tensorParallel: Int, attentionDataParallel: Bool = false) -> Int {
        if attentionDataParallel { return max(1, tensorParallel) }
        if model.attention.latent != nil { return 1 }
        return max(1, min(tensorParallel, model.attention.kvHeads))
    }
}
