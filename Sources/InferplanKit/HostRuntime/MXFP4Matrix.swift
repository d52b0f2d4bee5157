import CFP4
import Foundation

/// A weight matrix in MXFP4 (`rows` output features of `columns` inputs each), multiplied by the
/// bundled decode GEMM: the weights of the host serving loop.
///
/// Random weights are random E2M1 codes, which is a uniformly random MXFP4 matrix, with one E8M0
/// scale for the whole matrix chosen so that a unit-RMS input gives a unit-RMS output: the 16 E2M1
/// values have RMS 2.93, so the scale is the power of two nearest 1 / (2.93 x sqrt(columns)). The
/// values never matter for speed (the kernels take no data-dependent branches); they keep the
/// activations finite and the greedy tokens varied.
final class MXFP4Matrix {
    let rows: Int
    let columns: Int
    let packed: UnsafeMutablePointer<UInt8>
    let scales: UnsafeMutablePointer<UInt8>

    /// Packed weight bytes with their scales: what one pass over the matrix reads.
    var bytes: Int { rows * columns / 2 + rows * columns / Int(IP_MXFP4_BLOCK) }

    init(rows: Int, columns: Int, random: RandomSource) {
        precondition(columns % Int(IP_MXFP4_BLOCK) == 0, "MXFP4 rows are whole blocks of 32")
        self.rows = rows
        self.columns = columns
        packed = .allocate(capacity: rows * columns / 2)
        scales = .allocate(capacity: rows * columns / Int(IP_MXFP4_BLOCK))
        random.fill(packed, count: rows * columns / 2)
        let exponent = Int32((-log2(2.93 * Double(columns).squareRoot())).rounded())
        scales.initialize(repeating: ip_e8m0_from_exponent(exponent), count: rows * columns / Int(IP_MXFP4_BLOCK))
    }

    deinit {
        packed.deallocate()
        scales.deallocate()
    }

    /// y[b][r] = sum_k x[b][k] w[r][k] for `batch` rows of x; both threads (or `threads`) split the rows.
    func multiply(_ x: UnsafePointer<Float>, batch: Int, into y: UnsafeMutablePointer<Float>, threads: Int,
                  path: ip_kernel_path = IP_PATH_AUTO) {
        guard batch > 0 else { return }
        let status = ip_mxfp4_gemm(x, batch, packed, scales, rows, columns, y, Int32(threads), path)
        precondition(status == IP_FP4_OK, "MXFP4 GEMM failed (status \(status.rawValue))")
    }

    /// Row `row` as floats (the input embedding shares the LM head's matrix).
    func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        ip_mxfp4_dequantize(packed + row * columns / 2, scales + row * columns / Int(IP_MXFP4_BLOCK), columns, out)
    }
}
