import Foundation

/// Copies of one weight matrix filling more memory than the last-level cache (this machine's L3 is
/// 260 MB), handed out in turn so that every timed call reads its weights from DRAM, as a model's
/// successive layers do; timing one matrix over and over would measure the cache instead. One pool
/// serves every shape (allocating and faulting in 768 MB per shape would dominate `--quick`).
/// Used by the calibration and by the kernel benchmark.
public final class ColdWeights {
    static let poolBytes = 768 << 20
    private let pool: UnsafeMutablePointer<UInt8>
    private var packedBytes = 0
    private var stride = 1
    private var copies = 1
    private var turn = 0

    public init() {
        pool = .allocate(capacity: Self.poolBytes)
        // Pseudo-random nibbles: 1 MiB from an LCG, repeated (the kernels take no data-dependent branches).
        var state: UInt64 = 7
        let seed = 1 << 20
        for i in 0..<seed { state = state &* 6364136223846793005 &+ 1; pool[i] = UInt8(truncatingIfNeeded: state >> 33) }
        for offset in Swift.stride(from: seed, to: Self.poolBytes, by: seed) {
            (pool + offset).update(from: pool, count: min(seed, Self.poolBytes - offset))
        }
    }

    deinit { pool.deallocate() }

    /// Lays the pool out as copies of a `k` x `n` matrix of `kernel`'s format: packed weights, then
    /// scales set to moderate codes (random codes would include NaN and denormal scales, which slow
    /// the FMAs down and measure nothing useful).
    public func use(kernel: String, k: Int, n: Int) {
        packedBytes = n * k / 2
        let scaleBytes = n * k / (kernel == "mxfp4" ? 32 : 16)
        stride = packedBytes + scaleBytes
        copies = max(1, Self.poolBytes / stride)
        let firstScale: UInt8 = kernel == "mxfp4" ? 120 : 0x30
        for copy in 0..<copies {
            let scales = pool + copy * stride + packedBytes
            for i in 0..<scaleBytes { scales[i] = firstScale + UInt8(i % 8) }
        }
        turn = 0
    }

    /// The next copy's packed weights and scales.
    public func next() -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>) {
        defer { turn = (turn + 1) % copies }
        let base = pool + turn * stride
        return (UnsafePointer(base), UnsafePointer(base + packedBytes))
    }
}
