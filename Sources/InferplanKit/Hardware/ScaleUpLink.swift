/// The fast link between the GPUs of one scale-up domain (NVLink, AMD Infinity Fabric).
public struct ScaleUpLink: Sendable, Equatable {
    public enum Topology: String, CaseIterable, Sendable {
        /// Through switches (NVLink + NVSwitch): any GPU pair gets the full per-GPU rate.
        case switched
        /// Point-to-point full mesh (AMD xGMI): one link per GPU pair, so a pair gets one link's rate.
        case mesh
    }

    public var name: String
    public var topology: Topology
    /// Per-GPU bandwidth in bytes/s, one direction. Datasheets quote NVLink bidirectional
    /// (900 GB/s on H100 = 450 GB/s each way); the catalog stores what the datasheet says and states which.
    public var bytesPerSecondPerDirection: Double
    /// For a mesh: the rate of one point-to-point link, one direction, in bytes/s.
    public var linkBytesPerSecondPerDirection: Double
    /// GPUs in one domain (8 for an HGX board, 72 for an NVL72 rack).
    public var domainGPUs: Int
    /// Per-hop latency of a small message, seconds.
    public var latencySeconds: Double

    public init(name: String, topology: Topology, bytesPerSecondPerDirection: Double,
                linkBytesPerSecondPerDirection: Double, domainGPUs: Int, latency: Double) {
        self.name = name
        self.topology = topology
        self.bytesPerSecondPerDirection = bytesPerSecondPerDirection
        self.linkBytesPerSecondPerDirection = linkBytesPerSecondPerDirection
        self.domainGPUs = domainGPUs
        self.latencySeconds = latency
    }
}
