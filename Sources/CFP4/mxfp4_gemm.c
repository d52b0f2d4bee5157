// Fast MXFP4 decode GEMM with runtime ISA dispatch (see include/fp4_gemm.h).
#include "fp4_gemm.h"

#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "simd_util.h"

// 2 x E2M1 value + 12, by code: the unsigned operand of the integer dot product.
static const int8_t BIASED_DOUBLE_E2M1[16] = {12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0};
#define IP_BIAS 12

/// Activations of one GEMM, quantised per 32-element block and reordered to match the nibble
/// layout: per block the 16 even-index values, then the 16 odd-index values.
typedef struct {
    int8_t *q;        // batch x k
    float *scale;     // batch x k/32: activation scale x 1/2 (undoing the doubled weights)
    int32_t *bias;    // batch x k/32: -12 x sum(q) of the block
    // Per pair of blocks, as 16 lanes for the AVX-512 path: the biases in lanes 0 and 8 (the rest 0),
    // and the two scales, each over 8 lanes.
    int32_t *pair_bias;  // batch x k/64 x 16
    float *pair_scale;   // batch x k/64 x 16
    // Per group of 4 blocks (128 values), for the AVX-512 path: the 4 blocks' even-index values
    // (64 bytes, 16 per block), then their odd-index values; biases in lanes 0, 4, 8, 12; each
    // block's scale over its 4 lanes.
    int8_t *quad_q;      // batch x k/128 x 128
    int32_t *quad_bias;  // batch x k/128 x 16
    float *quad_scale;   // batch x k/128 x 16
} quantized_x;

typedef struct {
    const float *x;
    size_t k;
    quantized_x *out;
} quantize_context;

/// The AVX-512 quantiser: the same codes as `quantize_rows`, written straight into every layout
/// (linear, per-quad, and the one pair a tail of 2-3 blocks needs). A decode step at batch 16
/// spends a tenth of its time quantising activations with the scalar loop.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static void quantize_rows_avx512(void *argument, size_t first, size_t last) {
    quantize_context *c = argument;
    size_t k = c->k, blocks = k / IP_MXFP4_BLOCK, pairs = blocks / 2, quads = blocks / 4;
    quantized_x *out = c->out;
    for (size_t b = first; b < last; b++) {
        for (size_t blk = 0; blk < blocks; blk++) {
            int8_t *q = out->q + b * k + blk * IP_MXFP4_BLOCK;
            int32_t sums[2];
            float s = ip_quantize32_avx512(c->x + b * k + blk * IP_MXFP4_BLOCK, q, q + 16, sums);
            int32_t bias = -IP_BIAS * (sums[0] + sums[1]);
            out->scale[b * blocks + blk] = s * 0.5f;
            out->bias[b * blocks + blk] = bias;
            size_t g = blk / 4, j = blk % 4;
            if (g < quads) {
                int8_t *quad = out->quad_q + (b * quads + g) * 128;
                memcpy(quad + 16 * j, q, 16);
                memcpy(quad + 64 + 16 * j, q + 16, 16);
                for (size_t lane = 4 * j; lane < 4 * j + 4; lane++) {
                    out->quad_bias[(b * quads + g) * 16 + lane] = lane == 4 * j ? bias : 0;
                    out->quad_scale[(b * quads + g) * 16 + lane] = s * 0.5f;
                }
            } else if (blk / 2 < pairs) {
                size_t p = blk / 2, half = blk % 2;
                for (size_t lane = 8 * half; lane < 8 * half + 8; lane++) {
                    out->pair_bias[(b * pairs + p) * 16 + lane] = lane == 8 * half ? bias : 0;
                    out->pair_scale[(b * pairs + p) * 16 + lane] = s * 0.5f;
                }
            }
        }
    }
}

/// Quantises activation rows first..<last (one thread's share).
static void quantize_rows(void *argument, size_t first, size_t last) {
    quantize_context *c = argument;
    const float *x = c->x;
    size_t k = c->k, blocks = k / IP_MXFP4_BLOCK, pairs = blocks / 2, quads = blocks / 4;
    quantized_x *out = c->out;
    for (size_t b = first; b < last; b++) {
        for (size_t blk = 0; blk < blocks; blk++) {
            const float *v = x + b * k + blk * IP_MXFP4_BLOCK;
            float amax = 0.0f;
            for (int i = 0; i < IP_MXFP4_BLOCK; i++) amax = fmaxf(amax, fabsf(v[i]));
            float s = amax > 0.0f ? amax / 127.0f : 1.0f;
            int8_t *q = out->q + b * k + blk * IP_MXFP4_BLOCK;
            int32_t sum = 0;
            for (int i = 0; i < IP_MXFP4_BLOCK; i++) {
                int value = (int)lrintf(v[i] / s);
                value = value > 127 ? 127 : (value < -127 ? -127 : value);
                // Even elements first, odd after: element 2j -> slot j, element 2j+1 -> slot 16 + j.
                q[(i % 2) * 16 + i / 2] = (int8_t)value;
                sum += value;
            }
            out->scale[b * blocks + blk] = s * 0.5f;
            out->bias[b * blocks + blk] = -IP_BIAS * sum;
        }
        for (size_t g = 0; g < quads; g++) {
            int8_t *quad = out->quad_q + (b * quads + g) * 128;
            for (int j = 0; j < 4; j++) {
                const int8_t *q = out->q + b * k + (4 * g + j) * IP_MXFP4_BLOCK;   // [even 16 | odd 16]
                memcpy(quad + 16 * j, q, 16);
                memcpy(quad + 64 + 16 * j, q + 16, 16);
            }
            for (int lane = 0; lane < 16; lane++) {
                size_t blk = 4 * g + lane / 4;
                out->quad_bias[(b * quads + g) * 16 + lane] = lane % 4 == 0 ? out->bias[b * blocks + blk] : 0;
                out->quad_scale[(b * quads + g) * 16 + lane] = out->scale[b * blocks + blk];
            }
        }
        for (size_t p = 0; p < pairs; p++) {
            int32_t *bias = out->pair_bias + (b * pairs + p) * 16;
            float *scale = out->pair_scale + (b * pairs + p) * 16;
            for (int lane = 0; lane < 16; lane++) {
                size_t blk = 2 * p + lane / 8;
                bias[lane] = lane % 8 == 0 ? out->bias[b * blocks + blk] : 0;
                scale[lane] = out->scale[b * blocks + blk];
            }
        }
    }
}

static int quantize_activations(const float *x, size_t batch, size_t k, int threads, ip_kernel_path path, quantized_x *out) {
    size_t blocks = k / IP_MXFP4_BLOCK, pairs = blocks / 2, quads = blocks / 4;
    size_t sizes[8] = {batch * k, sizeof(float) * batch * blocks, sizeof(int32_t) * batch * blocks,
                       sizeof(int32_t) * 16 * (batch * pairs + 1), sizeof(float) * 16 * (batch * pairs + 1),
                       128 * (batch * quads + 1), sizeof(int32_t) * 16 * (batch * quads + 1), sizeof(float) * 16 * (batch * quads + 1)};
    void *arrays[8];
    if (!ip_workspace(8, sizes, arrays)) return 0;
    out->q = arrays[0]; out->scale = arrays[1]; out->bias = arrays[2]; out->pair_bias = arrays[3];
    out->pair_scale = arrays[4]; out->quad_q = arrays[5]; out->quad_bias = arrays[6]; out->quad_scale = arrays[7];
    // Rows in parallel once there are enough: at large batch this is a fifth of a narrow GEMM's time.
    quantize_context context = {x, k, out};
    ip_parallel_for(batch, threads, 16384 / k + 1, path == IP_PATH_AVX512_VNNI ? quantize_rows_avx512 : quantize_rows, &context);
    return 1;
}

static inline float e8m0(uint8_t code) {
    // 2^(code - 127) from the exponent bits (code 0 is the subnormal 2^-127).
    union { uint32_t u; float f; } v;
    v.u = code == 0 ? 0x00400000u : ((uint32_t)code << 23);
    return v.f;
}

// ---- Scalar path ----------------------------------------------------------------------------------

static void rows_scalar(const quantized_x *qx, size_t b_begin, size_t batch, const uint8_t *packed, const uint8_t *scales,
                        size_t row0, size_t row1, size_t k, float *y, size_t rows) {
    size_t blocks = k / IP_MXFP4_BLOCK;
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *w = packed + r * (k / 2);
        for (size_t b = b_begin; b < batch; b++) {
            float sum = 0.0f;
            for (size_t blk = 0; blk < blocks; blk++) {
                const int8_t *q = qx->q + b * k + blk * IP_MXFP4_BLOCK;
                int32_t dot = qx->bias[b * blocks + blk];
                for (int j = 0; j < 16; j++) {
                    uint8_t byte = w[blk * 16 + j];
                    dot += BIASED_DOUBLE_E2M1[byte & 0xF] * q[j] + BIASED_DOUBLE_E2M1[byte >> 4] * q[16 + j];
                }
                sum += (float)dot * qx->scale[b * blocks + blk] * e8m0(scales[r * blocks + blk]);
            }
            y[b * rows + r] = sum;
        }
    }
}

// ---- AVX2 path: pmaddubsw (u8 x s8 -> s16 pairs), pmaddwd to s32 ------------------------------------

__attribute__((target("avx2,fma")))
static void rows_avx2(const quantized_x *qx, size_t b_begin, size_t batch, const uint8_t *packed, const uint8_t *scales,
                      size_t row0, size_t row1, size_t k, float *y, size_t rows) {
    size_t blocks = k / IP_MXFP4_BLOCK;
    const __m256i lut = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)BIASED_DOUBLE_E2M1));
    const __m256i low = _mm256_set1_epi8(0x0F);
    const __m256i ones = _mm256_set1_epi16(1);
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *w = packed + r * (k / 2);
        for (size_t b0 = b_begin; b0 < batch; b0 += 4) {
            size_t tile = batch - b0 < 4 ? batch - b0 : 4;
            __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
            float bias_sum[4] = {0, 0, 0, 0};
            for (size_t blk = 0; blk < blocks; blk++) {
                __m128i bytes = _mm_loadu_si128((const __m128i *)(w + blk * 16));
                __m256i nibbles = _mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes);
                __m256i u = _mm256_shuffle_epi8(lut, _mm256_and_si256(nibbles, low));
                float ws = e8m0(scales[r * blocks + blk]);
                for (size_t t = 0; t < tile; t++) {
                    size_t b = b0 + t;
                    __m256i q = _mm256_loadu_si256((const __m256i *)(qx->q + b * k + blk * IP_MXFP4_BLOCK));
                    __m256i pairs = _mm256_maddubs_epi16(u, q);             // u8 x s8, |sum| <= 2 x 24 x 127
                    __m256i quads = _mm256_madd_epi16(pairs, ones);
                    float s = qx->scale[b * blocks + blk] * ws;
                    acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(quads), _mm256_set1_ps(s), acc[t]);
                    bias_sum[t] += (float)qx->bias[b * blocks + blk] * s;
                }
            }
            for (size_t t = 0; t < tile; t++) y[(b0 + t) * rows + r] = ip_hsum256(acc[t]) + bias_sum[t];
        }
    }
}

// ---- AVX-512 VNNI path: vpdpbusd, two blocks per 512-bit vector -------------------------------------

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq,fma")))
static void rows_avx512(const quantized_x *qx, size_t b_begin, size_t batch, const uint8_t *packed, const uint8_t *scales,
                        size_t row0, size_t row1, size_t k, float *y, size_t rows) {
    size_t blocks = k / IP_MXFP4_BLOCK;
    const __m512i lut = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)BIASED_DOUBLE_E2M1));
    const __m512i low = _mm512_set1_epi8(0x0F);
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *w = packed + r * (k / 2);
        const uint8_t *rs = scales + r * blocks;
        for (size_t b0 = b_begin; b0 < batch; b0 += 4) {
            size_t tile = batch - b0 < 4 ? batch - b0 : 4;
            __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            float tail[4] = {0, 0, 0, 0};
            size_t blk = 0;
            // Four blocks per 64-byte load: low nibbles are the blocks' even values, high nibbles
            // their odd values, each block in its own 4 lanes; two vpdpbusd cover 128 weights.
            const __m512i expand = _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
            const size_t quads = blocks / 4;
            for (; blk + 4 <= blocks; blk += 4) {
                // Prefetch 2 KB ahead: more misses in flight than the hardware prefetcher keeps.
                _mm_prefetch((const char *)(w + blk * 16 + 2048), _MM_HINT_T0);
                __m512i bytes = _mm512_loadu_si512((const void *)(w + blk * 16));
                __m512i u_lo = _mm512_shuffle_epi8(lut, _mm512_and_si512(bytes, low));
                __m512i u_hi = _mm512_shuffle_epi8(lut, _mm512_and_si512(_mm512_srli_epi16(bytes, 4), low));
                uint32_t codes;
                memcpy(&codes, rs + blk, 4);
                __m512i exps = _mm512_permutexvar_epi32(expand, _mm512_cvtepu8_epi32(_mm_cvtsi32_si128((int)codes)));
                __m512 ws = _mm512_castsi512_ps(_mm512_slli_epi32(exps, 23));
                const size_t group = blk / 4;
                for (size_t t = 0; t < tile; t++) {
                    size_t b = b0 + t;
                    const int8_t *quad = qx->quad_q + (b * quads + group) * 128;
                    __m512i init = _mm512_load_si512((const void *)(qx->quad_bias + (b * quads + group) * 16));
                    __m512i dot = _mm512_dpbusd_epi32(init, u_lo, _mm512_load_si512((const void *)quad));
                    dot = _mm512_dpbusd_epi32(dot, u_hi, _mm512_load_si512((const void *)(quad + 64)));
                    __m512 s = _mm512_mul_ps(_mm512_load_ps(qx->quad_scale + (b * quads + group) * 16), ws);
                    acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), s, acc[t]);
                }
            }
            for (; blk + 2 <= blocks; blk += 2) {
                // 32 packed bytes = two blocks: [lo A | hi A | lo B | hi B] lines up with q's layout.
                __m256i bytes = _mm256_loadu_si256((const __m256i *)(w + blk * 16));
                __m128i a = _mm256_castsi256_si128(bytes), bb = _mm256_extracti128_si256(bytes, 1);
                __m512i nibbles = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set_m128i(_mm_srli_epi16(a, 4), a)),
                                                     _mm256_set_m128i(_mm_srli_epi16(bb, 4), bb), 1);
                __m512i u = _mm512_shuffle_epi8(lut, _mm512_and_si512(nibbles, low));
                __m512 ws = _mm512_insertf32x8(_mm512_set1_ps(e8m0(rs[blk])), _mm256_set1_ps(e8m0(rs[blk + 1])), 1);
                const size_t pair = blk / 2, pairs = blocks / 2;
                for (size_t t = 0; t < tile; t++) {
                    size_t b = b0 + t;
                    __m512i q = _mm512_loadu_si512((const void *)(qx->q + b * k + blk * IP_MXFP4_BLOCK));
                    // The -12 x sum(q) bias of each block enters through lane 0 of its half.
                    __m512i init = _mm512_load_si512((const void *)(qx->pair_bias + (b * pairs + pair) * 16));
                    __m512i dot = _mm512_dpbusd_epi32(init, u, q);
                    __m512 s = _mm512_mul_ps(_mm512_load_ps(qx->pair_scale + (b * pairs + pair) * 16), ws);
                    acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), s, acc[t]);
                }
            }
            for (; blk < blocks; blk++) {
                // An odd last block: the AVX2-width step on the lower half.
                __m128i bytes = _mm_loadu_si128((const __m128i *)(w + blk * 16));
                __m256i nibbles = _mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes);
                __m256i u = _mm256_shuffle_epi8(_mm512_castsi512_si256(lut), _mm256_and_si256(nibbles, _mm512_castsi512_si256(low)));
                float ws = e8m0(rs[blk]);
                for (size_t t = 0; t < tile; t++) {
                    size_t b = b0 + t;
                    __m256i q = _mm256_loadu_si256((const __m256i *)(qx->q + b * k + blk * IP_MXFP4_BLOCK));
                    __m256i init = _mm256_mask_set1_epi32(_mm256_setzero_si256(), 0x01, qx->bias[b * blocks + blk]);
                    __m256i dot = _mm256_dpbusd_epi32(init, u, q);
                    tail[t] += ip_hsum256(_mm256_mul_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(qx->scale[b * blocks + blk] * ws)));
                }
            }
            for (size_t t = 0; t < tile; t++) y[(b0 + t) * rows + r] = _mm512_reduce_add_ps(acc[t]) + tail[t];
        }
    }
}


typedef void (*rows_fn)(const quantized_x *, size_t, size_t, const uint8_t *, const uint8_t *, size_t, size_t, size_t, float *, size_t);

typedef struct {
    rows_fn fn;
    const quantized_x *qx;
    size_t batch, row0, row1, k, rows;
    const uint8_t *packed, *scales;
    float *y;
} job;

static void *run_job(void *argument) {
    job *j = argument;
    // The batch in chunks whose activations stay in L2 while this thread streams its weight rows.
    size_t chunk = ip_batch_chunk(j->k);
    for (size_t b = 0; b < j->batch; b += chunk) {
        size_t end = j->batch - b < chunk ? j->batch : b + chunk;
        j->fn(j->qx, b, end, j->packed, j->scales, j->row0, j->row1, j->k, j->y, j->rows);
    }
    return NULL;
}

ip_fp4_status ip_mxfp4_gemm(const float *x, size_t batch, const uint8_t *packed, const uint8_t *scales,
                            size_t rows, size_t k, float *y, int threads, ip_kernel_path path) {
    if (k == 0 || k % IP_MXFP4_BLOCK != 0) return IP_FP4_BAD_LENGTH;
    ip_kernel_path best = ip_best_path();
    if (path == IP_PATH_AUTO) path = best;
    if (path > best) return IP_FP4_NOT_FINITE;
    rows_fn fn = path == IP_PATH_AVX512_VNNI ? rows_avx512 : path == IP_PATH_AVX2 ? rows_avx2 : rows_scalar;
    quantized_x qx;
    if (!quantize_activations(x, batch, k, threads < 1 ? 1 : threads, path, &qx)) return IP_FP4_NOT_FINITE;
    if (threads < 1) threads = 1;
    if ((size_t)threads > rows) threads = rows > 0 ? (int)rows : 1;
    job jobs[64];
    if (threads > 64) threads = 64;
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){fn, &qx, batch, rows * t / threads, rows * (t + 1) / threads, k, rows, packed, scales, y};
    }
    ip_run_parallel(jobs, sizeof jobs[0], threads, run_job);
    return IP_FP4_OK;
}
