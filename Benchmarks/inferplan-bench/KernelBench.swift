import CFP4
import Foundation

/// Wall time of the MXFP4 decode GEMM on the shapes of issue 3, best path, both cores: bytes of
/// packed weights (with scales) read per second at batch 1, GFLOP/s at batch 32.
func benchmarkKernels() {
    let path = ip_best_path()
    let bandwidth = ip_read_bandwidth(512 << 20, 2, 5)
    print(String(format: "  Read-only memory bandwidth, 2 threads, 512 MiB buffer: %.1f GB/s", bandwidth / 1e9))
    for format in ["MXFP4", "NVFP4"] {
    print("  \(format) decode GEMM, path \(String(cString: ip_path_name(path))), 2 threads (median of 5)")
    for (k, n) in [(4096, 14336), (8192, 28672)] {
        var packed = [UInt8](repeating: 0, count: n * k / 2)
        let blockSize = format == "MXFP4" ? 32 : 16
        var scales = [UInt8](repeating: 127, count: n * k / blockSize)
        // Random codes: the kernel's speed does not depend on the values.
        var state: UInt64 = 1
        for i in packed.indices { state = state &* 6364136223846793005 &+ 1; packed[i] = UInt8(truncatingIfNeeded: state >> 33) }
        for i in scales.indices { scales[i] = format == "MXFP4" ? 120 + UInt8(i % 8) : 0x30 + UInt8(i % 8) }
        let bytes = Double(packed.count + scales.count)
        for batch in [1, 32] {
            let x = (0..<(batch * k)).map { Float(($0 % 13) - 6) / 7 }
            var y = [Float](repeating: 0, count: batch * n)
            var times: [Double] = []
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                if format == "MXFP4" {
                    _ = ip_mxfp4_gemm(x, batch, packed, scales, n, k, &y, 2, IP_PATH_AUTO)
                } else {
                    _ = ip_nvfp4_gemm(x, batch, packed, scales, 100, n, k, &y, 2, IP_PATH_AUTO)
                }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let t = times.sorted()[2]
            print(String(format: "      K %5d x N %5d, batch %2d: %7.2f ms, %5.1f GB/s of packed weights (%3.0f%% of read bandwidth), %6.1f GFLOP/s",
                         k, n, batch, t * 1000, bytes / t / 1e9, 100 * bytes / t / bandwidth, 2 * Double(batch * n * k) / t / 1e9))
        }
    }
    }
}
