// Small vector helpers shared by the kernels.
#ifndef INFERPLAN_SIMD_UTIL_H
#define INFERPLAN_SIMD_UTIL_H

#include <immintrin.h>

/// The sum of a vector's 8 floats.
__attribute__((target("avx2")))
static inline float ip_hsum256(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps(h, h, 1)));
}

/// Quantises one block of 32 floats to int8 with the scale amax / 127 (1 for an all-zero block), as
/// the scalar code does (the same division and round-to-nearest-even, so both give the same codes):
/// stores the 16 even-index codes at `even` and the 16 odd-index ones at `odd`, the layout the
/// kernels' nibble decoding wants, and returns the scale; `sums` gets the code sums of values
/// 0-15 and 16-31 (the two NVFP4 blocks; MXFP4 adds them).
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline float ip_quantize32_avx512(const float *v, int8_t *even, int8_t *odd, int32_t sums[2]) {
    const __m512i even_index = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd_index = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    __m512 lo = _mm512_loadu_ps(v), hi = _mm512_loadu_ps(v + 16);
    float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(lo), _mm512_abs_ps(hi)));
    float s = amax > 0.0f ? amax / 127.0f : 1.0f;
    __m512 scale = _mm512_set1_ps(s);
    const __m512i top = _mm512_set1_epi32(127), bottom = _mm512_set1_epi32(-127);
    // Even values: lo's evens then hi's evens; odd likewise (indices 16-31 pick from hi).
    __m512i e = _mm512_cvtps_epi32(_mm512_div_ps(_mm512_permutex2var_ps(lo, even_index, hi), scale));
    __m512i o = _mm512_cvtps_epi32(_mm512_div_ps(_mm512_permutex2var_ps(lo, odd_index, hi), scale));
    e = _mm512_max_epi32(_mm512_min_epi32(e, top), bottom);
    o = _mm512_max_epi32(_mm512_min_epi32(o, top), bottom);
    _mm_storeu_si128((__m128i *)even, _mm512_cvtepi32_epi8(e));
    _mm_storeu_si128((__m128i *)odd, _mm512_cvtepi32_epi8(o));
    __m512i both = _mm512_add_epi32(e, o);   // lanes 0-7 come from values 0-15, lanes 8-15 from 16-31
    sums[0] = _mm512_mask_reduce_add_epi32(0x00FF, both);
    sums[1] = _mm512_mask_reduce_add_epi32(0xFF00, both);
    return s;
}

#endif
