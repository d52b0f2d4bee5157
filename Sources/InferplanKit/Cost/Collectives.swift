import Foundation

/// Latency-bandwidth costs of the collectives tensor parallelism needs.
public enum Collectives {
    /// Seconds for an all-to-all in which each of `gpus` GPUs sends `bytesPerGPU` in all, spread
    /// evenly over the others: over the NICs when the group spans nodes; over a switched fabric at
    /// the per-GPU rate; over a mesh on all its peer links at once.
    public static func allToAllTime(bytesPerGPU: Double, gpus: Int, gpusPerNode: Int, scaleUp: ScaleUpLink, scaleOut: ScaleOutNetwork) -> Double {
        guard gpus > 1, bytesPerGPU > 0 else { return 0 }
        if gpus > gpusPerNode {
            // The share bound for other nodes leaves over the NICs; the rest over the scale-up link.
            let remote = Double(gpus - gpusPerNode) / Double(gpus - 1)
            return max(bytesPerGPU * remote / scaleOut.bytesPerSecondPerGPU + scaleOut.latencySeconds,
                       bytesPerGPU * (1 - remote) / scaleUp.bytesPerSecondPerDirection + scaleUp.latencySeconds)
        }
        switch scaleUp.topology {
        case .switched: return bytesPerGPU / scaleUp.bytesPerSecondPerDirection + scaleUp.latencySeconds
        case .mesh: return bytesPerGPU / Double(gpus - 1) / scaleUp.linkBytesPerSecondPerDirection + scaleUp.latencySeconds
        }
    }

    /// Seconds for an all-reduce of `bytes` per GPU among `gpus` GPUs that span
    /// `gpus / gpusPerNode` nodes: two-level (hierarchical) when they cross nodes - reduce-scatter
    /// inside each node over the scale-up link, a ring all-reduce of each GPU's 1/g share across
    /// the nodes over the NICs, all-gather inside each node - and flat over the scale-up link when
    /// they do not. (An NVL72 rack is one node of 72 GPUs for this: its NVLink domain is the rack.)
    public static func allReduceTime(bytes: Double, gpus: Int, gpusPerNode: Int, scaleUp: ScaleUpLink, scaleOut: ScaleOutNetwork) -> Double {
        guard gpus > gpusPerNode else {
            return allReduceTime(bytes: bytes, gpus: gpus, link: scaleUp)
        }
        let g = Double(gpusPerNode), k = Double(gpus / gpusPerNode)
        // Reduce-scatter and all-gather inside a node: (g-1)/g of the bytes each way, g-1 hops each.
        let inside = gpusPerNode > 1
            ? 2 * ((g - 1) / g * bytes / scaleUp.bytesPerSecondPerDirection + (g - 1) * scaleUp.latencySeconds) : 0
        let share = bytes / g
        let across = 2 * (k - 1) / k * share / scaleOut.bytesPerSecondPerGPU + 2 * (k - 1) * scaleOut.latencySeconds
        return inside + across
    }

    /// Seconds for an all-reduce of `bytes` per GPU among `gpus` GPUs of one scale-up domain.
    ///
    /// Switched fabric (NVLink): the faster of a ring all-reduce (2(n-1)/n x bytes over the per-GPU
    /// rate, plus 2(n-1) hops of latency) and a tree (2 x bytes, 2 log2(n) hops). Point-to-point mesh (Infinity Fabric): direct reduce-scatter and
    /// all-gather, each GPU sending bytes/n to every peer at once over its n-1 links, so 2 x bytes/n
    /// over one link's rate, plus 2 hops of latency.
    public static func allReduceTime(bytes: Double, gpus: Int, link: ScaleUpLink) -> Double {
        guard gpus > 1, bytes > 0 else { return 0 }
        let n = Double(gpus)
        switch link.topology {
        case .switched:
            // The faster of ring and tree, as NCCL's tuner picks: the ring moves the least data;
            // the (pipelined double binary) tree pays 2 log2(n) latencies instead of 2(n-1).
            let ring = 2 * (n - 1) / n * bytes / link.bytesPerSecondPerDirection + 2 * (n - 1) * link.latencySeconds
            let tree = 2 * bytes / link.bytesPerSecondPerDirection + 2 * log2(n) * link.latencySeconds
            return min(ring, tree)
        case .mesh:
            return 2 * (bytes / n) / link.linkBytesPerSecondPerDirection + 2 * link.latencySeconds
        }
    }
}
