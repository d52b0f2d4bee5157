// Scalar reference implementation of the FP4 formats (see include/fp4_formats.h).
#include "fp4_formats.h"

#include <math.h>
#include <string.h>

static const float E2M1_VALUES[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};

float ip_e2m1_decode(uint8_t code) {
    float magnitude = E2M1_VALUES[code & 0x7];
    return (code & 0x8) ? -magnitude : magnitude;
}

// Round to the nearest of the 8 magnitudes, ties to the even code (mantissa bit 0), saturating at 6.
uint8_t ip_e2m1_encode(float x) {
    uint8_t sign = signbit(x) ? 0x8 : 0x0;
    float a = fabsf(x);
    if (!(a == a)) return sign; // NaN has no E2M1 code; callers reject non-finite input first.
    if (a >= 6.0f) return sign | 0x7;
    uint8_t best = 0;
    for (uint8_t code = 1; code < 8; code++) {
        float d_best = fabsf(a - E2M1_VALUES[best]);
        float d = fabsf(a - E2M1_VALUES[code]);
        if (d < d_best || (d == d_best && (code & 1) == 0)) best = code;
    }
    return sign | best;
}

float ip_e8m0_decode(uint8_t code) {
    if (code == 0xFF) return NAN;
    return ldexpf(1.0f, (int)code - 127);
}

uint8_t ip_e8m0_from_exponent(int exponent) {
    if (exponent < -127) exponent = -127;
    if (exponent > 127) exponent = 127;
    return (uint8_t)(exponent + 127);
}

float ip_e4m3_decode(uint8_t code) {
    int sign = code & 0x80;
    int exponent = (code >> 3) & 0xF;
    int mantissa = code & 0x7;
    float value;
    if (exponent == 0xF && mantissa == 0x7) return NAN;
    if (exponent == 0) value = ldexpf((float)mantissa / 8.0f, -6);
    else value = ldexpf(1.0f + (float)mantissa / 8.0f, exponent - 7);
    return sign ? -value : value;
}

// Round to nearest even over all 127 finite magnitudes, saturating at 448 (code 0x7E).
uint8_t ip_e4m3_encode(float x) {
    uint8_t sign = signbit(x) ? 0x80 : 0x00;
    float a = fabsf(x);
    if (!(a == a)) return 0x7F | sign;
    if (a >= 448.0f) return sign | 0x7E;
    uint8_t best = 0;
    float best_distance = a;
    for (uint8_t code = 1; code <= 0x7E; code++) {
        float d = fabsf(a - ip_e4m3_decode(code));
        if (d < best_distance || (d == best_distance && (code & 1) == 0 && (best & 1) == 1)) {
            best = code;
            best_distance = d;
        }
    }
    return sign | best;
}

static int all_finite(const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) if (!isfinite(x[i])) return 0;
    return 1;
}

static void pack(uint8_t *packed, size_t index, uint8_t code) {
    if (index % 2 == 0) packed[index / 2] = (uint8_t)((packed[index / 2] & 0xF0) | code);
    else packed[index / 2] = (uint8_t)((packed[index / 2] & 0x0F) | (code << 4));
}

static uint8_t unpack(const uint8_t *packed, size_t index) {
    return (index % 2 == 0) ? (packed[index / 2] & 0x0F) : (packed[index / 2] >> 4);
}

ip_fp4_status ip_mxfp4_quantize(const float *x, size_t n, uint8_t *packed, uint8_t *scales) {
    if (n % IP_MXFP4_BLOCK != 0) return IP_FP4_BAD_LENGTH;
    if (!all_finite(x, n)) return IP_FP4_NOT_FINITE;
    memset(packed, 0, n / 2);
    for (size_t block = 0; block < n / IP_MXFP4_BLOCK; block++) {
        const float *v = x + block * IP_MXFP4_BLOCK;
        float amax = 0.0f;
        for (int i = 0; i < IP_MXFP4_BLOCK; i++) amax = fmaxf(amax, fabsf(v[i]));
        // shared exponent = floor(log2(amax)) - emax(E2M1) = floor(log2(amax)) - 2.
        int exponent = amax > 0.0f ? ilogbf(amax) - 2 : -127;
        uint8_t code = ip_e8m0_from_exponent(exponent);
        scales[block] = code;
        float scale = ip_e8m0_decode(code);
        for (int i = 0; i < IP_MXFP4_BLOCK; i++) pack(packed, block * IP_MXFP4_BLOCK + i, ip_e2m1_encode(v[i] / scale));
    }
    return IP_FP4_OK;
}

void ip_mxfp4_dequantize(const uint8_t *packed, const uint8_t *scales, size_t n, float *out) {
    for (size_t i = 0; i < n; i++) out[i] = ip_e2m1_decode(unpack(packed, i)) * ip_e8m0_decode(scales[i / IP_MXFP4_BLOCK]);
}

float ip_nvfp4_global_scale(const float *x, size_t n) {
    float amax = 0.0f;
    for (size_t i = 0; i < n; i++) amax = fmaxf(amax, fabsf(x[i]));
    return amax > 0.0f ? 448.0f * 6.0f / amax : 1.0f;
}

ip_fp4_status ip_nvfp4_quantize(const float *x, size_t n, float global_scale, uint8_t *packed, uint8_t *scales) {
    if (n % IP_NVFP4_BLOCK != 0) return IP_FP4_BAD_LENGTH;
    if (!all_finite(x, n) || !isfinite(global_scale) || global_scale <= 0.0f) return IP_FP4_NOT_FINITE;
    memset(packed, 0, n / 2);
    for (size_t block = 0; block < n / IP_NVFP4_BLOCK; block++) {
        const float *v = x + block * IP_NVFP4_BLOCK;
        float amax = 0.0f;
        for (int i = 0; i < IP_NVFP4_BLOCK; i++) amax = fmaxf(amax, fabsf(v[i]));
        uint8_t code = ip_e4m3_encode(amax / 6.0f * global_scale);
        scales[block] = code;
        float scale = ip_e4m3_decode(code) / global_scale;
        for (int i = 0; i < IP_NVFP4_BLOCK; i++) {
            uint8_t element = scale > 0.0f ? ip_e2m1_encode(v[i] / scale) : 0;
            pack(packed, block * IP_NVFP4_BLOCK + i, element);
        }
    }
    return IP_FP4_OK;
}

void ip_nvfp4_dequantize(const uint8_t *packed, const uint8_t *scales, size_t n, float global_scale, float *out) {
    for (size_t i = 0; i < n; i++) {
        out[i] = ip_e2m1_decode(unpack(packed, i)) * ip_e4m3_decode(scales[i / IP_NVFP4_BLOCK]) / global_scale;
    }
}

ip_fp4_status ip_mxfp4_gemm_reference(const float *x, size_t batch, const uint8_t *packed, const uint8_t *scales,
                                      size_t rows, size_t k, float *y) {
    if (k % IP_MXFP4_BLOCK != 0) return IP_FP4_BAD_LENGTH;
    for (size_t b = 0; b < batch; b++) {
        for (size_t r = 0; r < rows; r++) {
            double sum = 0.0;
            const uint8_t *row = packed + r * (k / 2);
            const uint8_t *row_scales = scales + r * (k / IP_MXFP4_BLOCK);
            for (size_t i = 0; i < k; i++) {
                sum += (double)x[b * k + i] * ip_e2m1_decode(unpack(row, i)) * ip_e8m0_decode(row_scales[i / IP_MXFP4_BLOCK]);
            }
            y[b * rows + r] = (float)sum;
        }
    }
    return IP_FP4_OK;
}
