/// A video scenario built into replicas: groups of GPUs that each generate one video at a time,
/// with what a video costs on each (`VideoGenerationCost`), checked against memory and the
/// parallelism the model allows.
public struct VideoDeployment: Sendable {
    public struct Replica: Sendable {
        /// Index of the node group it belongs to.
        public var group: Int
        public var gpus: Int
        public var cost: VideoGenerationCost
        /// Seconds per video, after any power cap's clock reduction.
        public var secondsPerVideo: Double
        /// Dynamic joules per video of all its GPUs (idle power is counted over the whole run).
        public var dynamicJoulesPerVideo: Double
    }

    public var replicas: [Replica]
    public var gpus: Int
    public var nodes: Int
    /// Idle watts of every GPU of the cluster together.
    public var idleWatts: Double
    /// Bytes one GPU holds: weights of every expert, the text encoder, the VAE and the working set.
    public var memoryBytesPerGPU: Double

    /// Bytes per GPU of the working set of one forward pass: the local tokens' activations (input,
    /// residual, Q, K, V, output and the FFN's hidden, BF16) and, under Ulysses, full-sequence Q, K
    /// and V for the GPU's heads.
    public static func activationBytes(model: VideoDiffusionModel, tokens: Double, sequence: Int) -> Double {
        let local = tokens / Double(sequence)
        let d = Double(model.hidden)
        return local * (8 * d + Double(model.ffn)) * 2 + 3 * tokens * d / Double(sequence) * 2
    }
}
