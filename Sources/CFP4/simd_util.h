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

#endif
