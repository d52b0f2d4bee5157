// FP4 weight formats, bit-exact to their specifications: the scalar reference that every faster
// kernel is tested against.
//
// - E2M1 (OCP Microscaling v1.0): 1 sign, 2 exponent (bias 1), 1 mantissa bit; the 16 codes are
//   +-{0, 0.5, 1, 1.5, 2, 3, 4, 6}. No infinities or NaN.
// - E8M0 (OCP MX v1.0): an 8-bit power-of-two scale 2^(e - 127); 0xFF is NaN.
// - E4M3 (OCP FP8 "E4M3FN"): 1 sign, 4 exponent (bias 7), 3 mantissa bits; max 448; S.1111.111 is
//   NaN; no infinities.
// - MXFP4: blocks of 32 E2M1 values with one E8M0 scale. The scale is 2^(floor(log2(amax)) - 2)
//   (the element format's largest exponent is 2), as the OCP spec chooses it.
// - NVFP4: blocks of 16 E2M1 values with one E4M3 scale, and one FP32 scale per tensor:
//   x ~ e2m1 x e4m3 / global, with global = 448 x 6 / amax(tensor) and e4m3 = amax(block) / 6 x global.
//
// Quantisation rounds to nearest, ties to even, and saturates to the largest finite value.
// Two E2M1 codes pack into a byte, the first in the low nibble.
#ifndef INFERPLAN_FP4_FORMATS_H
#define INFERPLAN_FP4_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#define IP_MXFP4_BLOCK 32
#define IP_NVFP4_BLOCK 16

/// Status of a quantisation call.
typedef enum {
    IP_FP4_OK = 0,
    /// The row length is not a multiple of the block size: rejected, never padded silently.
    IP_FP4_BAD_LENGTH = 1,
    /// A NaN or infinity in the input.
    IP_FP4_NOT_FINITE = 2,
} ip_fp4_status;

float ip_e2m1_decode(uint8_t code);
uint8_t ip_e2m1_encode(float x);

float ip_e8m0_decode(uint8_t code);
/// The E8M0 code of 2^exponent, clamped to the representable -127...127.
uint8_t ip_e8m0_from_exponent(int exponent);

float ip_e4m3_decode(uint8_t code);
uint8_t ip_e4m3_encode(float x);

/// Quantises `n` floats (a multiple of 32) to `n / 2` packed bytes and `n / 32` E8M0 scales.
ip_fp4_status ip_mxfp4_quantize(const float *x, size_t n, uint8_t *packed, uint8_t *scales);
void ip_mxfp4_dequantize(const uint8_t *packed, const uint8_t *scales, size_t n, float *out);

/// The FP32 per-tensor scale NVFP4 uses: 448 x 6 / amax (1 when the tensor is all zeros).
float ip_nvfp4_global_scale(const float *x, size_t n);
/// Quantises `n` floats (a multiple of 16) with the given per-tensor scale.
ip_fp4_status ip_nvfp4_quantize(const float *x, size_t n, float global_scale, uint8_t *packed, uint8_t *scales);
void ip_nvfp4_dequantize(const uint8_t *packed, const uint8_t *scales, size_t n, float global_scale, float *out);

/// Reference decode GEMM: y[b][n] = sum_k x[b][k] * w[n][k], W in MXFP4 (rows of k values).
ip_fp4_status ip_mxfp4_gemm_reference(const float *x, size_t batch, const uint8_t *packed, const uint8_t *scales,
                                      size_t rows, size_t k, float *y);

#endif
