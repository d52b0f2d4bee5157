/// The network between nodes: RDMA NICs (InfiniBand or RoCE), or only the host network.
public struct ScaleOutNetwork: Sendable, Equatable {
    public var name: String
    /// Bytes/s per GPU, one direction.
    public var bytesPerSecondPerGPU: Double
    /// One-way latency of a small message, seconds.
    public var latencySeconds: Double

    public init(name: String, bytesPerSecondPerGPU: Double, latency: Double) {
        self.name = name
        self.bytesPerSecondPerGPU = bytesPerSecondPerGPU
        self.latencySeconds = latency
    }

    /// The typical MLPerf node: 8 x 400 Gb/s RDMA NICs, one per GPU (../shared/reference/accelerators.md).
    public static let rdma400 = ScaleOutNetwork(name: "8 x 400 Gb/s RDMA", bytesPerSecondPerGPU: 50e9, latency: 5e-6)

    /// A node's NICs: `gbpsPerNode` gigabits/s in all, shared by its `gpusPerNode` GPUs.
    public static func node(name: String, gbpsPerNode: Double, latency: Double, gpusPerNode: Int) -> ScaleOutNetwork {
        ScaleOutNetwork(name: name, bytesPerSecondPerGPU: gbpsPerNode * 1e9 / 8 / Double(gpusPerNode), latency: latency)
    }
}
