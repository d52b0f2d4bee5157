import CFP4
import Foundation
import Testing

/// Decode attention against a double-precision reference computed from the decoded cache.
@Suite struct DecodeAttentionTests {
    struct Shape: Sendable, CustomStringConvertible {
        var qHeads: Int, kvHeads: Int, headDim: Int, contexts: [Int]
        var description: String { "q\(qHeads) kv\(kvHeads) d\(headDim) ctx\(contexts)" }
    }

    static let shapes = [Shape(qHeads: 8, kvHeads: 2, headDim: 64, contexts: [1, 17, 300]),
                         Shape(qHeads: 4, kvHeads: 4, headDim: 128, contexts: [5, 64]),
                         Shape(qHeads: 64, kvHeads: 8, headDim: 64, contexts: [33])]

    static func decode(_ raw: UnsafeRawPointer, _ index: Int, _ format: ip_kv_format, _ scale: Float) -> Double {
        switch format {
        case IP_KV_F16: return Double(Float(Float16(bitPattern: raw.load(fromByteOffset: 2 * index, as: UInt16.self))))
        case IP_KV_BF16: return Double(Float(bitPattern: UInt32(raw.load(fromByteOffset: 2 * index, as: UInt16.self)) << 16))
        default: return Double(ip_e4m3_decode(raw.load(fromByteOffset: index, as: UInt8.self)) * scale)
        }
    }

    @Test(arguments: shapes)
    func everyFormatAndPathMatchesTheReference(shape: Shape) throws {
        for format in [IP_KV_F16, IP_KV_BF16, IP_KV_E4M3] {
            let scale: Float = format == IP_KV_E4M3 ? 0.02 : 1
            let d = shape.headDim, stride = shape.kvHeads * d, group = shape.qHeads / shape.kvHeads
            let elementBytes = ip_kv_element_bytes(format)
            let caches = shape.contexts.enumerated().map { n, context -> (k: [UInt8], v: [UInt8], q: [Float]) in
                let k = FP4KernelTests.values(context * stride, seed: UInt64(n * 3 + 1), range: 2)
                let v = FP4KernelTests.values(context * stride, seed: UInt64(n * 3 + 2), range: 2)
                var kb = [UInt8](repeating: 0, count: k.count * elementBytes), vb = kb
                ip_kv_encode(k, k.count, format, scale, &kb)
                ip_kv_encode(v, v.count, format, scale, &vb)
                return (kb, vb, FP4KernelTests.values(shape.qHeads * d, seed: UInt64(n * 3 + 3), range: 1))
            }
            for path in FP4KernelTests.paths {
                var outputs = shape.contexts.map { _ in [Float](repeating: .nan, count: shape.qHeads * d) }
                withAttentionSequences(caches: caches, contexts: shape.contexts, outputs: &outputs) { sequences in
                    #expect(ip_decode_attention(sequences, shape.contexts.count, shape.qHeads, shape.kvHeads, d, format, scale, 2, path) == IP_FP4_OK)
                }
                for (n, cache) in caches.enumerated() {
                    let context = shape.contexts[n]
                    cache.k.withUnsafeBytes { kRaw in
                        cache.v.withUnsafeBytes { vRaw in
                            for h in 0..<shape.qHeads {
                                let kvh = h / group
                                let scores = (0..<context).map { t in
                                    (0..<d).reduce(0.0) { $0 + Double(cache.q[h * d + $1]) * Self.decode(kRaw.baseAddress!, t * stride + kvh * d + $1, format, scale) } / Double(d).squareRoot()
                                }
                                let top = scores.max()!
                                let weights = scores.map { exp($0 - top) }
                                let total = weights.reduce(0, +)
                                for i in 0..<d {
                                    let expected = (0..<context).reduce(0.0) { $0 + weights[$1] * Self.decode(vRaw.baseAddress!, $1 * stride + kvh * d + i, format, scale) } / total
                                    let got = Double(outputs[n][h * d + i])
                                    #expect(abs(got - expected) <= 1e-4 * max(1, abs(expected)), "\(format) path \(path.rawValue) \(shape) seq \(n) head \(h) dim \(i): \(got) vs \(expected)")
                                    if abs(got - expected) > 1e-4 * max(1, abs(expected)) { return }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func encodingRoundsAndChecksShapes() {
        var out = [UInt16](repeating: 0, count: 3)
        ip_kv_encode([1, 65504, 1.0009765625], 3, IP_KV_F16, 1, &out)
        #expect(out == [0x3C00, 0x7BFF, 0x3C01])
        ip_kv_encode([1, 1.00390625, 3.0], 3, IP_KV_BF16, 1, &out)
        #expect(out == [0x3F80, 0x3F80, 0x4040])   // 1 + 2^-8 is a tie, rounded to even
        #expect(ip_decode_attention(nil, 0, 2, 1, 24, IP_KV_F16, 1, 1, IP_PATH_AUTO) == IP_FP4_BAD_LENGTH)
        #expect(ip_decode_attention(nil, 0, 3, 2, 16, IP_KV_F16, 1, 1, IP_PATH_AUTO) == IP_FP4_BAD_LENGTH)
    }
}

/// Runs `body` with C sequence descriptors over copies of the caches, then copies the outputs back.
func withAttentionSequences(caches: [(k: [UInt8], v: [UInt8], q: [Float])], contexts: [Int], outputs: inout [[Float]],
                            _ body: (UnsafePointer<ip_attention_sequence>) throws -> Void) rethrows {
    var allocations: [UnsafeMutableRawPointer] = []
    defer { allocations.forEach { $0.deallocate() } }
    func copy<T>(_ array: [T]) -> UnsafeMutableRawPointer {
        let bytes = max(1, array.count * MemoryLayout<T>.stride)
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        array.withUnsafeBytes { if let base = $0.baseAddress { pointer.copyMemory(from: base, byteCount: $0.count) } }
        allocations.append(pointer)
        return pointer
    }
    var outs: [UnsafeMutablePointer<Float>] = []
    var descriptors: [ip_attention_sequence] = []
    for (n, cache) in caches.enumerated() {
        let out = copy(outputs[n]).assumingMemoryBound(to: Float.self)
        outs.append(out)
        descriptors.append(ip_attention_sequence(q: copy(cache.q).assumingMemoryBound(to: Float.self), k: copy(cache.k), v: copy(cache.v),
                                                 context: contexts[n], out: out))
    }
    try descriptors.withUnsafeBufferPointer { try body($0.baseAddress!) }
    for (n, out) in outs.enumerated() { outputs[n] = Array(UnsafeBufferPointer(start: out, count: outputs[n].count)) }
}
