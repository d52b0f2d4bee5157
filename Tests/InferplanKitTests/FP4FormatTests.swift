import CFP4
import Foundation
import Testing

/// The FP4 formats against their specifications (OCP Microscaling v1.0, OCP FP8, NVIDIA NVFP4).
@Suite struct FP4FormatTests {
    @Test func everyE2M1CodeDecodesAndRoundTrips() {
        let magnitudes: [Float] = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
        for code in UInt8(0)..<16 {
            let expected = (code & 8 != 0 ? -1 : 1) * magnitudes[Int(code & 7)]
            #expect(ip_e2m1_decode(code) == expected, "code \(code)")
            #expect(ip_e2m1_encode(expected) == code || (code == 8 && ip_e2m1_encode(expected) == 8))
        }
    }

    @Test func e2m1RoundsToNearestEvenAndSaturates() {
        // Midpoints go to the code with mantissa bit 0: 0.25 -> 0, 0.75 -> 1, 1.25 -> 1, 1.75 -> 2,
        // 2.5 -> 2, 3.5 -> 4, 5 -> 4.
        let cases: [(Float, Float)] = [(0.25, 0), (0.75, 1), (1.25, 1), (1.75, 2), (2.5, 2), (3.5, 4), (5, 4),
                                       (0.26, 0.5), (5.01, 6), (6, 6), (7, 6), (1e9, 6), (-7, -6), (-0.75, -1)]
        for (input, output) in cases {
            #expect(ip_e2m1_decode(ip_e2m1_encode(input)) == output, "\(input)")
        }
    }

    @Test func e8m0ScalesAndNaN() {
        #expect(ip_e8m0_decode(127) == 1 && ip_e8m0_decode(130) == 8 && ip_e8m0_decode(0) == Float(pow(2.0, -127.0)))
        #expect(ip_e8m0_decode(0xFF).isNaN)
        #expect(ip_e8m0_from_exponent(-200) == 0 && ip_e8m0_from_exponent(500) == 254 && ip_e8m0_from_exponent(3) == 130)
    }

    @Test func e4m3DecodesEncodesAndSaturates() {
        #expect(ip_e4m3_decode(0x7E) == 448 && ip_e4m3_decode(0x38) == 1 && ip_e4m3_decode(0x01) == Float(pow(2.0, -9.0)))
        #expect(ip_e4m3_decode(0x7F).isNaN && ip_e4m3_decode(0xFF).isNaN)
        #expect(ip_e4m3_decode(0xB8) == -1)
        // Every finite code round-trips; 1000 saturates to 448; 1.0625 is halfway 1 and 1.125 -> even (1).
        for code in UInt8(0)...0x7E { #expect(ip_e4m3_encode(ip_e4m3_decode(code)) == code, "code \(code)") }
        #expect(ip_e4m3_encode(1000) == 0x7E && ip_e4m3_encode(1.0625) == 0x38)
    }

    @Test func mxfp4BlockByHand() {
        // amax 5 -> floor(log2 5) - 2 = 0 -> scale 1; 5 rounds (tie) to 4, 0.3 to 0.5, -6 stays.
        var x = [Float](repeating: 0, count: 32)
        x[0] = 5; x[1] = 0.3; x[2] = -2.6; x[31] = -1.2
        var packed = [UInt8](repeating: 0, count: 16), scales = [UInt8](repeating: 0, count: 1)
        #expect(ip_mxfp4_quantize(x, 32, &packed, &scales) == IP_FP4_OK)
        #expect(scales[0] == 127)
        var out = [Float](repeating: 0, count: 32)
        ip_mxfp4_dequantize(packed, scales, 32, &out)
        #expect(out[0] == 4 && out[1] == 0.5 && out[2] == -3 && out[31] == -1 && out[5] == 0)
        // A block of amax 100: exponent floor(log2 100) - 2 = 4, scale 16; 100 / 16 = 6.25 saturates to 6 -> 96.
        var y = [Float](repeating: 1, count: 32)
        y[7] = 100
        #expect(ip_mxfp4_quantize(y, 32, &packed, &scales) == IP_FP4_OK)
        ip_mxfp4_dequantize(packed, scales, 32, &out)
        #expect(scales[0] == 131 && out[7] == 96 && out[0] == 0)
    }

    @Test func lengthsThatAreNotBlocksAreRejected() {
        var packed = [UInt8](repeating: 0, count: 32), scales = [UInt8](repeating: 0, count: 4)
        #expect(ip_mxfp4_quantize([Float](repeating: 1, count: 40), 40, &packed, &scales) == IP_FP4_BAD_LENGTH)
        #expect(ip_nvfp4_quantize([Float](repeating: 1, count: 20), 20, 1, &packed, &scales) == IP_FP4_BAD_LENGTH)
        #expect(ip_mxfp4_quantize([Float](repeating: .nan, count: 32), 32, &packed, &scales) == IP_FP4_NOT_FINITE)
    }

    @Test func nvfp4ErrorIsBoundedByTheFormat() {
        // Random data: every dequantised value is within half an E2M1 step (at most 1 at magnitude 4-6)
        // of the block scale's grid, i.e. |error| <= scale, and the global scale maps amax to 448 x 6.
        var generator = SystemRandomNumberGenerator()
        let x = (0..<1024).map { _ in Float.random(in: -3...3, using: &generator) }
        let global = ip_nvfp4_global_scale(x, 1024)
        let amax = x.map(abs).max()!
        #expect(abs(global - 448 * 6 / amax) < 1e-3)
        var packed = [UInt8](repeating: 0, count: 512), scales = [UInt8](repeating: 0, count: 64)
        #expect(ip_nvfp4_quantize(x, 1024, global, &packed, &scales) == IP_FP4_OK)
        var out = [Float](repeating: 0, count: 1024)
        ip_nvfp4_dequantize(packed, scales, 1024, global, &out)
        for block in 0..<64 {
            let scale = ip_e4m3_decode(scales[block]) / global
            for i in block * 16..<(block + 1) * 16 { #expect(abs(out[i] - x[i]) <= scale * 1.0001, "index \(i)") }
        }
    }

    @Test func referenceGEMMMatchesDequantisedMath() {
        let k = 64, rows = 3, batch = 2
        let w = (0..<(rows * k)).map { Float(($0 * 37) % 23) / 4 - 2.5 }
        let x = (0..<(batch * k)).map { Float(($0 * 11) % 7) / 3 - 1 }
        var packed = [UInt8](repeating: 0, count: rows * k / 2), scales = [UInt8](repeating: 0, count: rows * k / 32)
        #expect(ip_mxfp4_quantize(w, rows * k, &packed, &scales) == IP_FP4_OK)
        var dequantised = [Float](repeating: 0, count: rows * k)
        ip_mxfp4_dequantize(packed, scales, rows * k, &dequantised)
        var y = [Float](repeating: 0, count: batch * rows)
        #expect(ip_mxfp4_gemm_reference(x, batch, packed, scales, rows, k, &y) == IP_FP4_OK)
        for b in 0..<batch {
            for r in 0..<rows {
                let expected = (0..<k).reduce(0.0) { $0 + Double(x[b * k + $1]) * Double(dequantised[r * k + $1]) }
                #expect(abs(Double(y[b * rows + r]) - expected) < 1e-4)
            }
        }
    }
}
