/// The storage formats of a deployment's weights and KV cache.
public struct Precision: Sendable, Equatable {
    public var weights: WeightFormat
    public var kvCache: KVFormat
    /// The LM head's format. BF16 by default, as the FP8/FP4 recipes of TensorRT-LLM (ModelOpt) and
    /// vLLM leave it; llama.cpp-style stacks (and the host serving loop) quantise it too.
    public var lmHead: WeightFormat

    public init(weights: WeightFormat, kvCache: KVFormat, lmHead: WeightFormat = .bf16) {
        self.weights = weights
        self.kvCache = kvCache
        self.lmHead = lmHead
    }
}
