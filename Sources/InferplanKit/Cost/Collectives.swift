/// Latency-bandwidth costs of the collectives tensor parallelism needs.
public enum Collectives {
    /// Seconds for an all-reduce of `bytes` per GPU among `gpus` GPUs of one scale-up domain.
    ///
    /// Switched fabric (NVLink): ring all-reduce, 2(n-1)/n x bytes over the per-GPU rate, plus
    /// 2(n-1) hops of latency. Point-to-point mesh (Infinity Fabric): direct reduce-scatter and
    /// all-gather, each GPU sending bytes/n to every peer at once over its n-1 links, so 2 x bytes/n
    /// over one link's rate, plus 2 hops of latency.
    public static func allReduceTime(bytes: Double, gpus: Int, link: ScaleUpLink) -> Double {
        guard gpus > 1, bytes > 0 else { return 0 }
        let n = Double(gpus)
        switch link.topology {
        case .switched:
            return 2 * (n - 1) / n * bytes / link.bytesPerSecondPerDirection + 2 * (n - 1) * link.latency
        case .mesh:
            return 2 * (bytes / n) / link.linkBytesPerSecondPerDirection + 2 * link.latency
        }
    }
}
