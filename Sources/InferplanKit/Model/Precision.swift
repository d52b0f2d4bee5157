/// The storage formats of a deployment's weights and KV cache.
public struct Precision: Sendable, Equatable {
    public var weights: WeightFormat
    public var kvCache: KVFormat

    public init(weights: WeightFormat, kvCache: KVFormat) {
        self.weights = weights
        self.kvCache = kvCache
    }
}
