import CFP4
import Foundation
import InferplanKit

/// Wall time of the MXFP4 and NVFP4 decode GEMMs on the shapes of issue 3, best path, both cores:
/// bytes of packed weights (with scales) read per second at batch 1, GFLOP/s at batch 32. (The
/// attention kernel's rate is in every calibration profile, `attention_gflop_s`.)
///
/// Weights are read cold (`ColdWeights`, as the calibration reads them): each timed call takes the
/// next of enough copies to fill 768 MB, three times this machine's 260 MB L3; one matrix timed over
/// and over would sit in the L3 (even 8192 x 28672 in MXFP4 is 125 MB) and report its bandwidth.
func benchmarkKernels() {
    let path = ip_best_path()
    let bandwidth = ip_read_bandwidth(512 << 20, 2, 5)
    print(String(format: "  Read-only memory bandwidth, 2 threads, 512 MiB buffer: %.1f GB/s", bandwidth / 1e9))
    let weights = ColdWeights()
    for format in ["MXFP4", "NVFP4"] {
        print("  \(format) decode GEMM, path \(String(cString: ip_path_name(path))), 2 threads, cold weights (median of 5)")
        for (k, n) in [(4096, 14336), (8192, 28672)] {
            weights.use(kernel: format.lowercased(), k: k, n: n)
            let bytes = Double(n * k / 2 + n * k / (format == "MXFP4" ? 32 : 16))
            for batch in [1, 32] {
                let x = (0..<(batch * k)).map { Float(($0 % 13) - 6) / 7 }
                var y = [Float](repeating: 0, count: batch * n)
                var times: [Double] = []
                for _ in 0..<5 {
                    let (packed, scales) = weights.next()
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
