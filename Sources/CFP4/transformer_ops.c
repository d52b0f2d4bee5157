// Element-wise transformer operators (see include/transformer_ops.h).
#include "transformer_ops.h"

#include <math.h>

#include "parallel.h"

typedef struct {
    const float *in;
    size_t width;
    float eps;
    float *out;
} rows_context;

static void rmsnorm_rows(void *argument, size_t first, size_t last) {
    rows_context *c = argument;
    size_t dim = c->width;
    for (size_t r = first; r < last; r++) {
        const float *v = c->in + r * dim;
        float sum = 0.0f;
        for (size_t i = 0; i < dim; i++) sum += v[i] * v[i];
        float inverse = 1.0f / sqrtf(sum / (float)dim + c->eps);
        for (size_t i = 0; i < dim; i++) c->out[r * dim + i] = v[i] * inverse;
    }
}

void ip_rmsnorm(const float *x, size_t rows, size_t dim, float eps, float *out, int threads) {
    rows_context context = {x, dim, eps, out};
    ip_parallel_for(rows, threads, 65536 / dim + 1, rmsnorm_rows, &context);
}

void ip_rope_table(size_t positions, size_t head_dim, float theta, float *table) {
    size_t half = head_dim / 2;
    for (size_t p = 0; p < positions; p++) {
        for (size_t i = 0; i < half; i++) {
            double angle = (double)p * pow((double)theta, -2.0 * (double)i / (double)head_dim);
            table[p * head_dim + i] = (float)cos(angle);
            table[p * head_dim + half + i] = (float)sin(angle);
        }
    }
}

void ip_rope(float *x, size_t rows, size_t stride, size_t heads, size_t head_dim, const int32_t *positions,
             const float *table) {
    size_t half = head_dim / 2;
    for (size_t r = 0; r < rows; r++) {
        const float *cosines = table + (size_t)positions[r] * head_dim, *sines = cosines + half;
        for (size_t h = 0; h < heads; h++) {
            float *v = x + r * stride + h * head_dim;
            for (size_t i = 0; i < half; i++) {
                float a = v[i], b = v[half + i];
                v[i] = a * cosines[i] - b * sines[i];
                v[half + i] = b * cosines[i] + a * sines[i];
            }
        }
    }
}

static void silu_mul_rows(void *argument, size_t first, size_t last) {
    rows_context *c = argument;
    size_t ffn = c->width;
    for (size_t r = first; r < last; r++) {
        const float *gate = c->in + r * 2 * ffn, *up = gate + ffn;
        for (size_t i = 0; i < ffn; i++) c->out[r * ffn + i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
    }
}

void ip_silu_mul(const float *gate_up, size_t rows, size_t ffn, float *out, int threads) {
    rows_context context = {gate_up, ffn, 0, out};
    ip_parallel_for(rows, threads, 16384 / ffn + 1, silu_mul_rows, &context);
}

void ip_add(float *x, const float *y, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] += y[i];
}

void ip_argmax(const float *x, size_t rows, size_t cols, int32_t *out) {
    for (size_t r = 0; r < rows; r++) {
        const float *v = x + r * cols;
        size_t best = 0;
        for (size_t i = 1; i < cols; i++) if (v[i] > v[best]) best = i;
        out[r] = (int32_t)best;
    }
}
