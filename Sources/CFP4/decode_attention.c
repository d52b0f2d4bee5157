// Decode attention (see include/decode_attention.h).
#include "decode_attention.h"

#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "parallel.h"
#include "simd_util.h"

size_t ip_kv_element_bytes(ip_kv_format format) { return format == IP_KV_E4M3 ? 1 : 2; }

// FP16 <-> float by bits (IEEE binary16), round to nearest even; no hardware needed.
static uint16_t float_to_f16(float f) {
    uint32_t x; memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000, mantissa = x & 0x7FFFFF;
    int exponent = (int)((x >> 23) & 0xFF) - 127 + 15;
    if (((x >> 23) & 0xFF) == 0xFF) return (uint16_t)(sign | 0x7C00 | (mantissa ? 0x200 : 0));
    if (exponent >= 31) return (uint16_t)(sign | 0x7C00);
    if (exponent <= 0) {
        if (exponent < -10) return (uint16_t)sign;
        mantissa |= 0x800000;
        int shift = 14 - exponent;
        uint32_t half = mantissa >> shift, rest = mantissa & ((1u << shift) - 1), midpoint = 1u << (shift - 1);
        if (rest > midpoint || (rest == midpoint && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = ((uint32_t)exponent << 10) | (mantissa >> 13), rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) half++;
    return (uint16_t)(sign | half);
}

static float f16_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0) {
        float value = ldexpf((float)mantissa, -24);
        return sign ? -value : value;
    }
    if (exponent == 31) bits = sign | 0x7F800000 | (mantissa << 13);
    else bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    float f; memcpy(&f, &bits, 4);
    return f;
}

static uint16_t float_to_bf16(float f) {
    uint32_t x; memcpy(&x, &f, 4);
    if ((x & 0x7FFFFFFF) > 0x7F800000) return (uint16_t)((x >> 16) | 0x40);
    x += 0x7FFF + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}

static float bf16_to_float(uint16_t b) {
    uint32_t x = (uint32_t)b << 16;
    float f; memcpy(&f, &x, 4);
    return f;
}

void ip_kv_encode(const float *x, size_t n, ip_kv_format format, float scale, void *out) {
    for (size_t i = 0; i < n; i++) {
        if (format == IP_KV_F16) ((uint16_t *)out)[i] = float_to_f16(x[i]);
        else if (format == IP_KV_BF16) ((uint16_t *)out)[i] = float_to_bf16(x[i]);
        else ((uint8_t *)out)[i] = ip_e4m3_encode(x[i] / scale);
    }
}

typedef struct {
    const ip_attention_sequence *sequences;
    size_t q_heads, kv_heads, head_dim;
    ip_kv_format format;
    float kv_scale;
    const float *e4m3;
    size_t first, last;    // work items: sequence x kv head
    ip_kernel_path path;
} attention_job;

// Loads 16 cached elements as floats into `out` (the scalar path and the vector paths share it).
static inline void load16(const void *base, size_t index, ip_kv_format format, const float *e4m3, float scale, float *out) {
    for (int i = 0; i < 16; i++) {
        if (format == IP_KV_F16) out[i] = f16_to_float(((const uint16_t *)base)[index + i]);
        else if (format == IP_KV_BF16) out[i] = bf16_to_float(((const uint16_t *)base)[index + i]);
        else out[i] = e4m3[((const uint8_t *)base)[index + i]] * scale;
    }
}

/// One step of the online softmax: takes in a new score, returns how much to scale what has been
/// summed so far (`*correction`, when a new maximum appears) and the new value's weight.
static inline void softmax_step(float score, float *maximum, float *total, float *correction, float *weight) {
    float next = score > *maximum ? score : *maximum;
    *correction = expf(*maximum - next);
    *weight = expf(score - next);
    *total = *total * *correction + *weight;
    *maximum = next;
}

/// The reference: scores, softmax and the weighted sum for one (sequence, KV head), in float.
static void attend_scalar(const attention_job *j, const ip_attention_sequence *s, size_t kvh) {
    size_t group = j->q_heads / j->kv_heads, d = j->head_dim, stride = j->kv_heads * d;
    float inverse = 1.0f / sqrtf((float)d);
    float key[256], value[256];
    for (size_t g = 0; g < group; g++) {
        size_t h = kvh * group + g;
        const float *q = s->q + h * d;
        float *out = s->out + h * d;
        float maximum = -INFINITY, total = 0.0f;
        for (size_t i = 0; i < d; i++) out[i] = 0.0f;
        for (size_t t = 0; t < s->context; t++) {
            for (size_t c = 0; c < d; c += 16) load16(s->k, t * stride + kvh * d + c, j->format, j->e4m3, j->kv_scale, key + c);
            float score = 0.0f;
            for (size_t i = 0; i < d; i++) score += q[i] * key[i];
            score *= inverse;
            float correction, weight;
            softmax_step(score, &maximum, &total, &correction, &weight);
            for (size_t c = 0; c < d; c += 16) load16(s->v, t * stride + kvh * d + c, j->format, j->e4m3, j->kv_scale, value + c);
            for (size_t i = 0; i < d; i++) out[i] = out[i] * correction + weight * value[i];
        }
        for (size_t i = 0; i < d; i++) out[i] = total > 0 ? out[i] / total : 0.0f;
    }
}

/// The vector path (AVX-512): each key and value row is converted once and used by every query head
/// of the group; dot products and the weighted sums run 16 lanes wide.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma,f16c")))
static void attend_avx512(const attention_job *j, const ip_attention_sequence *s, size_t kvh) {
    size_t group = j->q_heads / j->kv_heads, d = j->head_dim, stride = j->kv_heads * d, chunks = d / 16;
    float inverse = 1.0f / sqrtf((float)d);
    float maximum[64], total[64];
    __m512 acc[64][16];   // up to 64 query heads per group x head_dim up to 256
    if (group > 64 || chunks > 16) { attend_scalar(j, s, kvh); return; }
    for (size_t g = 0; g < group; g++) {
        maximum[g] = -INFINITY;
        total[g] = 0.0f;
        for (size_t c = 0; c < chunks; c++) acc[g][c] = _mm512_setzero_ps();
    }
    __m512 key[16], value[16];
    const __m512 scale = _mm512_set1_ps(j->kv_scale);
    for (size_t t = 0; t < s->context; t++) {
        size_t base = t * stride + kvh * d;
        for (size_t c = 0; c < chunks; c++) {
            size_t index = base + c * 16;
            if (j->format == IP_KV_F16) {
                key[c] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)s->k + index)));
                value[c] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)s->v + index)));
            } else if (j->format == IP_KV_BF16) {
                key[c] = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)((const uint16_t *)s->k + index))), 16));
                value[c] = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)((const uint16_t *)s->v + index))), 16));
            } else {
                __m512i kc = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)((const uint8_t *)s->k + index)));
                __m512i vc = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)((const uint8_t *)s->v + index)));
                key[c] = _mm512_mul_ps(_mm512_i32gather_ps(kc, j->e4m3, 4), scale);
                value[c] = _mm512_mul_ps(_mm512_i32gather_ps(vc, j->e4m3, 4), scale);
            }
        }
        for (size_t g = 0; g < group; g++) {
            const float *q = s->q + (kvh * group + g) * d;
            __m512 dot = _mm512_setzero_ps();
            for (size_t c = 0; c < chunks; c++) dot = _mm512_fmadd_ps(_mm512_loadu_ps(q + c * 16), key[c], dot);
            float score = _mm512_reduce_add_ps(dot) * inverse;
            float correction, weight;
            softmax_step(score, &maximum[g], &total[g], &correction, &weight);
            __m512 cv = _mm512_set1_ps(correction), wv = _mm512_set1_ps(weight);
            for (size_t c = 0; c < chunks; c++) acc[g][c] = _mm512_fmadd_ps(acc[g][c], cv, _mm512_mul_ps(wv, value[c]));
        }
    }
    for (size_t g = 0; g < group; g++) {
        float *out = s->out + (kvh * group + g) * d;
        __m512 norm = _mm512_set1_ps(total[g] > 0 ? 1.0f / total[g] : 0.0f);
        for (size_t c = 0; c < chunks; c++) _mm512_storeu_ps(out + c * 16, _mm512_mul_ps(acc[g][c], norm));
    }
}

/// The AVX2 path: as the AVX-512 one, 8 lanes wide (F16C converts FP16; E4M3 through the table).
__attribute__((target("avx2,fma,f16c")))
static void attend_avx2(const attention_job *j, const ip_attention_sequence *s, size_t kvh) {
    size_t group = j->q_heads / j->kv_heads, d = j->head_dim, stride = j->kv_heads * d, chunks = d / 8;
    float inverse = 1.0f / sqrtf((float)d);
    float maximum[64], total[64];
    __m256 acc[64][32];   // up to 64 query heads per group x head_dim up to 256
    if (group > 64 || chunks > 32) { attend_scalar(j, s, kvh); return; }
    for (size_t g = 0; g < group; g++) {
        maximum[g] = -INFINITY;
        total[g] = 0.0f;
        for (size_t c = 0; c < chunks; c++) acc[g][c] = _mm256_setzero_ps();
    }
    __m256 key[32], value[32];
    const __m256 scale = _mm256_set1_ps(j->kv_scale);
    for (size_t t = 0; t < s->context; t++) {
        size_t base = t * stride + kvh * d;
        for (size_t c = 0; c < chunks; c++) {
            size_t index = base + c * 8;
            if (j->format == IP_KV_F16) {
                key[c] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)s->k + index)));
                value[c] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)s->v + index)));
            } else if (j->format == IP_KV_BF16) {
                key[c] = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)((const uint16_t *)s->k + index))), 16));
                value[c] = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)((const uint16_t *)s->v + index))), 16));
            } else {
                __m256i kc = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)((const uint8_t *)s->k + index)));
                __m256i vc = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)((const uint8_t *)s->v + index)));
                key[c] = _mm256_mul_ps(_mm256_i32gather_ps(j->e4m3, kc, 4), scale);
                value[c] = _mm256_mul_ps(_mm256_i32gather_ps(j->e4m3, vc, 4), scale);
            }
        }
        for (size_t g = 0; g < group; g++) {
            const float *q = s->q + (kvh * group + g) * d;
            __m256 dot = _mm256_setzero_ps();
            for (size_t c = 0; c < chunks; c++) dot = _mm256_fmadd_ps(_mm256_loadu_ps(q + c * 8), key[c], dot);
            float score = ip_hsum256(dot) * inverse;
            float correction, weight;
            softmax_step(score, &maximum[g], &total[g], &correction, &weight);
            __m256 cv = _mm256_set1_ps(correction), wv = _mm256_set1_ps(weight);
            for (size_t c = 0; c < chunks; c++) acc[g][c] = _mm256_fmadd_ps(acc[g][c], cv, _mm256_mul_ps(wv, value[c]));
        }
    }
    for (size_t g = 0; g < group; g++) {
        float *out = s->out + (kvh * group + g) * d;
        __m256 norm = _mm256_set1_ps(total[g] > 0 ? 1.0f / total[g] : 0.0f);
        for (size_t c = 0; c < chunks; c++) _mm256_storeu_ps(out + c * 8, _mm256_mul_ps(acc[g][c], norm));
    }
}

static void *attention_worker(void *argument) {
    attention_job *j = argument;
    for (size_t item = j->first; item < j->last; item++) {
        const ip_attention_sequence *s = j->sequences + item / j->kv_heads;
        size_t kvh = item % j->kv_heads;
        if (j->path == IP_PATH_AVX512_VNNI) attend_avx512(j, s, kvh);
        else if (j->path == IP_PATH_AVX2) attend_avx2(j, s, kvh);
        else attend_scalar(j, s, kvh);
    }
    return NULL;
}

ip_fp4_status ip_decode_attention(const ip_attention_sequence *sequences, size_t count, size_t q_heads, size_t kv_heads,
                                  size_t head_dim, ip_kv_format format, float kv_scale, int threads, ip_kernel_path path) {
    if (head_dim == 0 || head_dim % 16 != 0 || head_dim > 256 || kv_heads == 0 || q_heads % kv_heads != 0) return IP_FP4_BAD_LENGTH;
    if (!(kv_scale > 0.0f) || !isfinite(kv_scale)) return IP_FP4_NOT_FINITE;
    ip_kernel_path best = ip_best_path();
    if (path == IP_PATH_AUTO) path = best;
    if (path > best) return IP_FP4_NOT_FINITE;
    // The AVX2 attention path also converts FP16 with F16C: without it, the scalar code runs.
    if (path == IP_PATH_AVX2 && !__builtin_cpu_supports("f16c")) path = IP_PATH_SCALAR;
    float e4m3[256];
    for (int code = 0; code < 256; code++) e4m3[code] = ip_e4m3_decode((uint8_t)code);
    size_t items = count * kv_heads;
    if (threads < 1) threads = 1;
    if ((size_t)threads > items) threads = items > 0 ? (int)items : 1;
    if (threads > 64) threads = 64;
    attention_job jobs[64];
    for (int t = 0; t < threads; t++) {
        jobs[t] = (attention_job){sequences, q_heads, kv_heads, head_dim, format, kv_scale, e4m3,
                                  items * t / threads, items * (t + 1) / threads, path};
    }
    ip_run_parallel(jobs, sizeof jobs[0], threads, attention_worker);
    return IP_FP4_OK;
}
