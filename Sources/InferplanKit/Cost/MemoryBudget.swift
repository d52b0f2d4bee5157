/// Where one GPU's HBM goes: weights, a reserve for activations and runtime, and the KV cache.
public struct MemoryBudget: Sendable, Equatable {
    /// Weight bytes held by each GPU of a replica.
    public var weightBytesPerGPU: Double
    /// Reserve for activations, workspace and runtime per GPU (from the efficiency profile).
    public var reserveBytesPerGPU: Double
    /// KV-cache bytes per GPU.
    public var kvBytesPerGPU: Double
    /// KV-cache bytes one token occupies on each GPU, over all full-attention layers.
    public var kvBytesPerTokenPerGPU: Double
    /// Tokens of KV cache one replica holds (each pipeline stage holds its own layers' share).
    public var kvCapacityTokens: Int
    public var usableBytesPerGPU: Double

    public init(model: ModelArchitecture, gpu: GPUSpec, precision: Precision, tensorParallel: Int, pipelineParallel: Int = 1,
                attentionDataParallel: Bool = false) {
        usableBytesPerGPU = gpu.usableMemoryBytes
        weightBytesPerGPU = WeightLayout(model: model, precision: precision)
            .bytesPerGPU(model: model, tensorParallel: tensorParallel, pipelineParallel: pipelineParallel, attentionDataParallel: attentionDataParallel)
        reserveBytesPerGPU = gpu.efficiency.activationReserveBytes
        let free = gpu.usableMemoryBytes - weightBytesPerGPU - reserveBytesPerGPU
        kvBytesPerGPU = max(0, free * gpu.efficiency.kvMemoryFraction)
        let kvShards = Double(WeightLayout.kvShards(model: model, tensorParallel: tensorParallel, attentionDataParallel: attentionDataParallel))
        kvBytesPerTokenPerGPU = Double(model.fullAttentionLayers) / Double(pipelineParallel) * model.kvElementsPerTokenPerLayer
            * precision.kvCache.bytesPerElement / kvShards
        kvCapacityTokens = kvBytesPerTokenPerGPU > 0 ? Int(kvBytesPerGPU / kvBytesPerTokenPerGPU) : 0
    }

    /// True when the weights and reserve leave room for any KV cache at all.
    public var weightsFit: Bool { weightBytesPerGPU + reserveBytesPerGPU < usableBytesPerGPU }
}
