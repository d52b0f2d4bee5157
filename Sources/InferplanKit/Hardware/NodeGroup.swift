/// Identical nodes of one GPU type. A cluster is one group, or several (mixed GPU generations, or
/// nodes with different GPU counts).
public struct NodeGroup: Sendable, Equatable {
    public var gpu: GPUSpec
    public var gpusPerNode: Int
    public var nodes: Int

    public init(gpu: GPUSpec, gpusPerNode: Int, nodes: Int) {
        self.gpu = gpu
        self.gpusPerNode = gpusPerNode
        self.nodes = nodes
    }

    public var gpus: Int { gpusPerNode * nodes }
}
