import CFP4
import Foundation

/// The attention side of the calibration: the bundled decode-attention kernel timed on the head
/// layout of the synthetic 1B model (32 query heads, 4 KV heads of 64, BF16 KV), in the two ways
/// the serving loop calls it: decode (a batch of sequences, one query each over a long cache) and
/// prefill (every prompt position a query over the positions before it). One rate is fitted, P_attn,
/// with the GEMMs' bandwidth, transition and per-call overhead: t = ((bytes/B)^p + (flops/P_attn)^p)^(1/p) + c.
extension HostCalibration {
    public struct AttentionMeasurement: Sendable {
        /// Queries in the call (decode: sequences; prefill: prompt positions).
        public var queries: Int
        /// Cache length of each query, as the call was made: decode, all `context`; prefill, 1 to `context` in turn.
        public var context: Int
        public var prefill: Bool
        public var seconds: Double

        static let queryHeads = 32, kvHeads = 4, headDim = 64

        /// Cached positions each query reads, summed over the queries.
        var attendedPositions: Double {
            prefill ? Double(queries / context) * Double(context * (context + 1) / 2) : Double(queries * context)
        }
        /// QK^T and PV: 4 FLOPs per query head, head dimension and attended position.
        public var flops: Double { 4 * Double(Self.queryHeads * Self.headDim) * attendedPositions }
        /// The KV cache read once per sequence (a prompt's positions share theirs), BF16 K and V.
        public var bytes: Double {
            let sequences = prefill ? Double(queries / context) : Double(queries)
            return sequences * Double(context * Self.kvHeads * Self.headDim * 2 * 2)
        }
    }

    /// The grid: decode batches of 16 and 64 over caches of 64 to 1024, and prefills of 2 and 8 prompts of 128.
    static func attentionGrid(quick: Bool) -> [AttentionMeasurement] {
        let decode = quick ? [(16, 128), (16, 512)] : [(16, 64), (16, 256), (16, 1024), (64, 256)]
        let prefill = quick ? [(256, 128)] : [(256, 128), (1024, 128)]
        return decode.map { AttentionMeasurement(queries: $0.0, context: $0.1, prefill: false, seconds: 0) }
            + prefill.map { AttentionMeasurement(queries: $0.0, context: $0.1, prefill: true, seconds: 0) }
    }

    /// Fits P_attn with the GEMM fit's bandwidth, transition and overhead held; returns it, its
    /// standard deviation and the residuals.
    static func fitAttention(_ data: [AttentionMeasurement], gemm: Fit, start: Double) throws -> (rate: Double, sd: Double, residuals: [Double]) {
        let result = try LeastSquares.fit(initial: [log(max(start, 1e9))], step: 1e-3, maxIterations: 100) { q in
            data.map { m in
                let predicted = Roofline.combine(compute: m.flops / exp(q[0]), memory: m.bytes / gemm.bandwidth,
                                                 exponent: gemm.overlapExponent) + gemm.overhead
                return log(predicted / m.seconds)
            }
        }
        let rate = exp(result.parameters[0])
        return (rate, rate * result.standardErrors[0], result.residuals)
    }
}

/// A BF16 KV cache of random values for timing attention: one slot of up to 1,024 positions per
/// sequence, 64 sequences (64 MB).
final class AttentionBench {
    private let slots = 64, capacity = 1024
    private let elements = HostCalibration.AttentionMeasurement.kvHeads * HostCalibration.AttentionMeasurement.headDim
    private let keys: UnsafeMutablePointer<UInt16>
    private let values: UnsafeMutablePointer<UInt16>
    private let queries: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let maxQueries = 1024
    private let queryWidth = HostCalibration.AttentionMeasurement.queryHeads * HostCalibration.AttentionMeasurement.headDim

    init() {
        let count = slots * capacity * elements
        keys = .allocate(capacity: count)
        values = .allocate(capacity: count)
        queries = .allocate(capacity: maxQueries * queryWidth)
        output = .allocate(capacity: maxQueries * queryWidth)
        let random = RandomSource(seed: 11)
        var chunk = [Float](repeating: 0, count: capacity * elements)
        for slot in 0..<slots {
            for i in chunk.indices { chunk[i] = Float(random.uniform() * 2 - 1) }
            ip_kv_encode(chunk, chunk.count, IP_KV_BF16, 1, keys + slot * capacity * elements)
            ip_kv_encode(chunk, chunk.count, IP_KV_BF16, 1, values + slot * capacity * elements)
        }
        for i in 0..<(maxQueries * queryWidth) { queries[i] = Float(random.uniform() * 2 - 1) }
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        queries.deallocate()
        output.deallocate()
    }

    /// Seconds for one attention call shaped like `m`.
    func time(_ m: HostCalibration.AttentionMeasurement, threads: Int) -> Double {
        let sequences = (0..<m.queries).map { i -> ip_attention_sequence in
            let slot = (m.prefill ? i / m.context : i) % slots
            let context = m.prefill ? i % m.context + 1 : m.context
            return ip_attention_sequence(q: queries + (i % maxQueries) * queryWidth, k: keys + slot * capacity * elements,
                                         v: values + slot * capacity * elements, context: context,
                                         out: output + (i % maxQueries) * queryWidth)
        }
        let a = HostCalibration.AttentionMeasurement.self
        let start = DispatchTime.now().uptimeNanoseconds
        _ = ip_decode_attention(sequences, sequences.count, a.queryHeads, a.kvHeads, a.headDim, IP_KV_BF16, 1, Int32(threads), IP_PATH_AUTO)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
