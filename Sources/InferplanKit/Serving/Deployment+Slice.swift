/// A few nodes of a large homogeneous cluster, standing in for all of it where the replicas cannot
/// interact: in an Offline probe every sample is queued at t = 0 and spread evenly, so R identical
/// replicas complete R / r times what r of them do. The probe that sizes an Offline run then costs
/// the same on 10,000 nodes as on a few, instead of growing with the cluster (issue 13).
extension Deployment {
    /// Replicas a slice keeps at least (whole nodes, so a node's layout - prefill and decode roles,
    /// replicas spanning nodes - is unchanged).
    public static let sliceReplicas = 16

    /// The slice and the factor from its throughput to the whole cluster's; nil when the cluster
    /// is no larger than a slice, or mixes node groups (whose shares of the work depend on each
    /// other's speed).
    public func offlineSlice() -> (deployment: Deployment, scale: Double)? {
        guard groups.count == 1, replicas > Self.sliceReplicas else { return nil }
        let group = groups[0]
        let nodesPerReplica = max(1, parallelism.gpusPerReplica / group.gpusPerNode)
        let nodes = group.replicasPerNode > 0
            ? (Self.sliceReplicas + group.replicasPerNode - 1) / group.replicasPerNode
            : Self.sliceReplicas * nodesPerReplica
        guard nodes < group.nodes else { return nil }
        var slice = self
        slice.groups[0].nodes = nodes
        slice.groups[0].replicas = group.replicas * nodes / group.nodes
        return (slice, Double(group.replicas) / Double(slice.groups[0].replicas))
    }
}
