/// Identical nodes of one GPU type. A cluster is one group, or several (mixed GPU generations, or
/// nodes with different GPU counts).
public struct NodeGroup: Sendable, Equatable {
    public var gpu: GPUSpec
    public var gpusPerNode: Int
    public var nodes: Int
    /// The network between these nodes (nil: the default, 8 x 400 Gb/s RDMA).
    public var scaleOut: ScaleOutNetwork?

    public init(gpu: GPUSpec, gpusPerNode: Int, nodes: Int, scaleOut: ScaleOutNetwork? = nil) {
        self.gpu = gpu
        self.gpusPerNode = gpusPerNode
        self.nodes = nodes
        self.scaleOut = scaleOut
    }

    public var gpus: Int { gpusPerNode * nodes }
}
