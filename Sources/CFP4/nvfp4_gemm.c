// NVFP4 decode GEMM with runtime ISA dispatch (see include/fp4_gemm.h). Activations are int8 per
// 32 values (one scale each, covering two 16-value weight blocks); each weight block's E4M3 scale
// (divided by the per-tensor scale) is applied once per block.
#include "fp4_gemm.h"

#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "simd_util.h"

static const int8_t NV_BIASED_DOUBLE_E2M1[16] = {12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0};

/// Activations per group of 128 values (8 weight blocks): the 8 blocks' even-index values (8 each),
/// then their odd-index values; biases (-12 x sum(q) of each weight block) in lanes 0, 2, ..., 14;
/// each lane's activation scale / 2.
typedef struct {
    int8_t *q;        // batch x k, per 32 values [even of block 2j | even of 2j+1 | odd of 2j | odd of 2j+1]
    int8_t *group_q;  // batch x k/128 x 128
    int32_t *bias;    // batch x k/16: -12 x sum(q) per weight block
    float *scale;     // batch x k/32: activation scale / 2
    int32_t *group_bias;  // batch x k/128 x 16
    float *group_scale;   // batch x k/128 x 16
} nv_activations;

typedef struct {
    const float *x;
    size_t k;
    nv_activations *a;
} nv_quantize_context;

/// Quantises activation rows first..<last (one thread's share).
static void nv_quantize_rows(void *argument, size_t first, size_t last) {
    nv_quantize_context *c = argument;
    const float *x = c->x;
    size_t k = c->k, blocks32 = k / 32, groups = k / 128;
    nv_activations *a = c->a;
    for (size_t b = first; b < last; b++) {
        for (size_t blk = 0; blk < blocks32; blk++) {
            const float *v = x + b * k + blk * 32;
            float amax = 0.0f;
            for (int i = 0; i < 32; i++) amax = fmaxf(amax, fabsf(v[i]));
            float s = amax > 0.0f ? amax / 127.0f : 1.0f;
            int8_t *q = a->q + b * k + blk * 32;
            int32_t sums[2] = {0, 0};
            for (int i = 0; i < 32; i++) {
                int value = (int)lrintf(v[i] / s);
                value = value > 127 ? 127 : (value < -127 ? -127 : value);
                int half = i / 16, within = i % 16;
                // [even of the first block (8) | even of the second | odd of the first | odd of the second]
                q[(within % 2) * 16 + half * 8 + within / 2] = (int8_t)value;
                sums[half] += value;
            }
            a->scale[b * blocks32 + blk] = s * 0.5f;
            a->bias[b * (k / 16) + 2 * blk] = -12 * sums[0];
            a->bias[b * (k / 16) + 2 * blk + 1] = -12 * sums[1];
        }
        for (size_t g = 0; g < groups; g++) {
            int8_t *group = a->group_q + (b * groups + g) * 128;
            for (int j = 0; j < 4; j++) {
                const int8_t *q = a->q + b * k + (4 * g + j) * 32;
                memcpy(group + 16 * j, q, 16);
                memcpy(group + 64 + 16 * j, q + 16, 16);
            }
            for (int lane = 0; lane < 16; lane++) {
                size_t wblock = 8 * g + lane / 2;
                a->group_bias[(b * groups + g) * 16 + lane] = lane % 2 == 0 ? a->bias[b * (k / 16) + wblock] : 0;
                a->group_scale[(b * groups + g) * 16 + lane] = a->scale[b * blocks32 + wblock / 2];
            }
        }
    }
}

/// The AVX-512 quantiser: the same codes as `nv_quantize_rows` (the 32-value layout is the MXFP4
/// one), written straight into the linear and per-group layouts.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static void nv_quantize_rows_avx512(void *argument, size_t first, size_t last) {
    nv_quantize_context *c = argument;
    size_t k = c->k, blocks32 = k / 32, groups = k / 128;
    nv_activations *a = c->a;
    for (size_t b = first; b < last; b++) {
        for (size_t blk = 0; blk < blocks32; blk++) {
            int8_t *q = a->q + b * k + blk * 32;
            int32_t sums[2];
            float s = ip_quantize32_avx512(c->x + b * k + blk * 32, q, q + 16, sums);
            a->scale[b * blocks32 + blk] = s * 0.5f;
            a->bias[b * (k / 16) + 2 * blk] = -12 * sums[0];
            a->bias[b * (k / 16) + 2 * blk + 1] = -12 * sums[1];
            size_t g = blk / 4, j = blk % 4;
            if (g >= groups) continue;
            int8_t *group = a->group_q + (b * groups + g) * 128;
            memcpy(group + 16 * j, q, 16);
            memcpy(group + 64 + 16 * j, q + 16, 16);
            for (size_t lane = 4 * j; lane < 4 * j + 4; lane++) {
                // Lanes 4j and 4j + 2 start the two 16-blocks' dot products with their biases.
                int32_t bias = lane == 4 * j ? -12 * sums[0] : (lane == 4 * j + 2 ? -12 * sums[1] : 0);
                a->group_bias[(b * groups + g) * 16 + lane] = bias;
                a->group_scale[(b * groups + g) * 16 + lane] = s * 0.5f;
            }
        }
    }
}

static int nv_quantize(const float *x, size_t batch, size_t k, int threads, ip_kernel_path path, nv_activations *a) {
    size_t blocks32 = k / 32, groups = k / 128;
    size_t sizes[6] = {batch * k, 128 * (batch * groups + 1), sizeof(int32_t) * batch * (k / 16), sizeof(float) * batch * blocks32,
                       sizeof(int32_t) * 16 * (batch * groups + 1), sizeof(float) * 16 * (batch * groups + 1)};
    void *arrays[6];
    if (!ip_workspace(6, sizes, arrays)) return 0;
    a->q = arrays[0]; a->group_q = arrays[1]; a->bias = arrays[2]; a->scale = arrays[3];
    a->group_bias = arrays[4]; a->group_scale = arrays[5];
    nv_quantize_context context = {x, k, a};
    ip_parallel_for(batch, threads, 16384 / k + 1, path == IP_PATH_AVX512_VNNI ? nv_quantize_rows_avx512 : nv_quantize_rows, &context);
    return 1;
}

/// The integer dot of weight block `wb` (8 packed bytes) with its 16 activations (bias included):
/// `q` is the 32-value activation block in [even | even | odd | odd] order, `half` which block of it.
static inline int32_t nv_block_dot(const uint8_t *w, size_t wb, const int8_t *q, int half, int32_t bias) {
    int32_t dot = bias;
    for (int m = 0; m < 8; m++) {
        uint8_t byte = w[wb * 8 + m];
        dot += NV_BIASED_DOUBLE_E2M1[byte & 0xF] * q[half * 8 + m] + NV_BIASED_DOUBLE_E2M1[byte >> 4] * q[16 + half * 8 + m];
    }
    return dot;
}

typedef struct {
    const nv_activations *a;
    size_t b_begin, batch, row0, row1, k, rows;   // batch rows b_begin..<batch of this pass
    const uint8_t *packed, *scales;
    float inverse_global;
    float *y;
    int path;
    const float *e4m3;   // the 256 E4M3 codes decoded, built once per call
} nv_job;

static void nv_rows_scalar(nv_job *j) {
    size_t k = j->k, wblocks = k / 16;
    for (size_t r = j->row0; r < j->row1; r++) {
        const uint8_t *w = j->packed + r * (k / 2);
        for (size_t b = j->b_begin; b < j->batch; b++) {
            float sum = 0.0f;
            for (size_t blk = 0; blk < k / 32; blk++) {
                const int8_t *q = j->a->q + b * k + blk * 32;
                for (int half = 0; half < 2; half++) {
                    size_t wb = 2 * blk + half;
                    int32_t dot = nv_block_dot(w, wb, q, half, j->a->bias[b * wblocks + wb]);
                    sum += (float)dot * j->a->scale[b * (k / 32) + blk] * j->e4m3[j->scales[r * wblocks + wb]] * j->inverse_global;
                }
            }
            j->y[b * j->rows + r] = sum;
        }
    }
}

__attribute__((target("avx2,fma")))
static void nv_rows_avx2(nv_job *j) {
    size_t k = j->k, wblocks = k / 16;
    const __m256i lut = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)NV_BIASED_DOUBLE_E2M1));
    const __m256i low = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
    for (size_t r = j->row0; r < j->row1; r++) {
        const uint8_t *w = j->packed + r * (k / 2);
        for (size_t b = j->b_begin; b < j->batch; b++) {
            __m256 acc = _mm256_setzero_ps();
            float bias = 0.0f;
            for (size_t blk = 0; blk < k / 32; blk++) {
                // 16 bytes = two weight blocks; lanes 0-1 / 4-5 the first block, 2-3 / 6-7 the second.
                __m128i bytes = _mm_loadu_si128((const __m128i *)(w + blk * 16));
                __m256i u = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes), low));
                __m256i q = _mm256_loadu_si256((const __m256i *)(j->a->q + b * k + blk * 32));
                __m256i dot = _mm256_madd_epi16(_mm256_maddubs_epi16(u, q), ones);
                float xs = j->a->scale[b * (k / 32) + blk] * j->inverse_global;
                float s0 = j->e4m3[j->scales[r * wblocks + 2 * blk]] * xs;
                float s1 = j->e4m3[j->scales[r * wblocks + 2 * blk + 1]] * xs;
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_setr_ps(s0, s0, s1, s1, s0, s0, s1, s1), acc);
                bias += (float)j->a->bias[b * wblocks + 2 * blk] * s0 + (float)j->a->bias[b * wblocks + 2 * blk + 1] * s1;
            }
            j->y[b * j->rows + r] = ip_hsum256(acc) + bias;
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq,fma")))
static void nv_rows_avx512(nv_job *j) {
    size_t k = j->k, wblocks = k / 16, groups = k / 128;
    const __m512i lut = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)NV_BIASED_DOUBLE_E2M1));
    const __m512i low = _mm512_set1_epi8(0x0F);
    const __m512i pairs = _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
    for (size_t r = j->row0; r < j->row1; r++) {
        const uint8_t *w = j->packed + r * (k / 2);
        const uint8_t *rs = j->scales + r * wblocks;
        for (size_t b0 = j->b_begin; b0 < j->batch; b0 += 4) {
            size_t tile = j->batch - b0 < 4 ? j->batch - b0 : 4;
            __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            float tail[4] = {0, 0, 0, 0};
            for (size_t g = 0; g < groups; g++) {
                // 64 bytes = 8 blocks of 16; each block in 2 dword lanes of the low and high nibbles.
                _mm_prefetch((const char *)(w + g * 64 + 2048), _MM_HINT_T0);
                __m512i bytes = _mm512_loadu_si512((const void *)(w + g * 64));
                __m512i u_lo = _mm512_shuffle_epi8(lut, _mm512_and_si512(bytes, low));
                __m512i u_hi = _mm512_shuffle_epi8(lut, _mm512_and_si512(_mm512_srli_epi16(bytes, 4), low));
                const uint8_t *codes = rs + 8 * g;
                __m256 eight = _mm256_setr_ps(j->e4m3[codes[0]], j->e4m3[codes[1]], j->e4m3[codes[2]], j->e4m3[codes[3]],
                                              j->e4m3[codes[4]], j->e4m3[codes[5]], j->e4m3[codes[6]], j->e4m3[codes[7]]);
                __m512 wsv = _mm512_permutexvar_ps(pairs, _mm512_castps256_ps512(eight));
                for (size_t t = 0; t < tile; t++) {
                    size_t b = b0 + t;
                    const int8_t *group = j->a->group_q + (b * groups + g) * 128;
                    __m512i dot = _mm512_load_si512((const void *)(j->a->group_bias + (b * groups + g) * 16));
                    dot = _mm512_dpbusd_epi32(dot, u_lo, _mm512_load_si512((const void *)group));
                    dot = _mm512_dpbusd_epi32(dot, u_hi, _mm512_load_si512((const void *)(group + 64)));
                    __m512 s = _mm512_mul_ps(_mm512_load_ps(j->a->group_scale + (b * groups + g) * 16), wsv);
                    acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), s, acc[t]);
                }
            }
            // The remaining blocks (k not a multiple of 128) on the scalar formula.
            for (size_t t = 0; t < tile; t++) {
                size_t b = b0 + t;
                for (size_t blk = groups * 4; blk < k / 32; blk++) {
                    const int8_t *q = j->a->q + b * k + blk * 32;
                    for (int half = 0; half < 2; half++) {
                        size_t wb = 2 * blk + half;
                        int32_t d = nv_block_dot(w, wb, q, half, j->a->bias[b * wblocks + wb]);
                        tail[t] += (float)d * j->a->scale[b * (k / 32) + blk] * j->e4m3[rs[wb]];
                    }
                }
                j->y[b * j->rows + r] = (_mm512_reduce_add_ps(acc[t]) + tail[t]) * j->inverse_global;
            }
        }
    }
}

static void *nv_run(void *argument) {
    nv_job *j = argument;
    // The batch in chunks whose activations stay in L2 while this thread streams its weight rows.
    size_t total = j->batch, chunk = ip_batch_chunk(j->k);
    for (size_t b = 0; b < total; b += chunk) {
        j->b_begin = b;
        j->batch = total - b < chunk ? total : b + chunk;
        if (j->path == IP_PATH_AVX512_VNNI) nv_rows_avx512(j);
        else if (j->path == IP_PATH_AVX2) nv_rows_avx2(j);
        else nv_rows_scalar(j);
    }
    j->batch = total;
    return NULL;
}

ip_fp4_status ip_nvfp4_gemm(const float *x, size_t batch, const uint8_t *packed, const uint8_t *scales, float global_scale,
                            size_t rows, size_t k, float *y, int threads, ip_kernel_path path) {
    if (k == 0 || k % 32 != 0) return IP_FP4_BAD_LENGTH;
    if (!(global_scale > 0.0f) || !isfinite(global_scale)) return IP_FP4_NOT_FINITE;
    ip_kernel_path best = ip_best_path();
    if (path == IP_PATH_AUTO) path = best;
    if (path > best) return IP_FP4_NOT_FINITE;
    nv_activations a;
    memset(&a, 0, sizeof a);
    if (!nv_quantize(x, batch, k, threads < 1 ? 1 : threads, path, &a)) return IP_FP4_NOT_FINITE;
    if (threads < 1) threads = 1;
    if ((size_t)threads > rows) threads = rows > 0 ? (int)rows : 1;
    if (threads > 64) threads = 64;
    float e4m3[256];
    for (int code = 0; code < 256; code++) e4m3[code] = ip_e4m3_decode((uint8_t)code);
    nv_job jobs[64];
    for (int t = 0; t < threads; t++) {
        jobs[t] = (nv_job){&a, 0, batch, rows * t / threads, rows * (t + 1) / threads, k, rows, packed, scales, 1.0f / global_scale, y, path, e4m3};
    }
    ip_run_parallel(jobs, sizeof jobs[0], threads, nv_run);
    return IP_FP4_OK;
}
