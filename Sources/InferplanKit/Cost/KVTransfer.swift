/// Time to move one sequence's KV cache from a prefill replica to a decode replica.
///
/// Each GPU of the tensor-parallel group sends its own shard in parallel: within a node over its
/// scale-up link, across nodes over its NIC, plus one message latency.
public struct KVTransfer: Sendable {
    public var kvBytesPerTokenPerGPU: Double
    public var scaleUp: ScaleUpLink
    public var scaleOut: ScaleOutNetwork

    public init(memory: MemoryBudget, scaleUp: ScaleUpLink, scaleOut: ScaleOutNetwork) {
        self.kvBytesPerTokenPerGPU = memory.kvBytesPerTokenPerGPU
        self.scaleUp = scaleUp
        self.scaleOut = scaleOut
    }

    public func seconds(tokens: Int, sameNode: Bool) -> Double {
        let bytes = Double(tokens) * kvBytesPerTokenPerGPU
        if sameNode {
            return bytes / scaleUp.linkBytesPerSecondPerDirection + scaleUp.latencySeconds
        }
        return bytes / scaleOut.bytesPerSecondPerGPU + scaleOut.latencySeconds
    }
}
