// The small element-wise operators of a Llama-shaped transformer block, for the host serving loop
// (`HostTransformer`): RMSNorm, rotary position embedding, SwiGLU, residual add and greedy sampling.
// Portable C (the compiler vectorises the loops; the two heavy ones split rows over threads); their
// time is a small share of a step next to the FP4 GEMMs, and the host check reports it separately.
#ifndef INFERPLAN_TRANSFORMER_OPS_H
#define INFERPLAN_TRANSFORMER_OPS_H

#include <stddef.h>
#include <stdint.h>

/// out[r] = x[r] / rms(x[r]) for `rows` rows of `dim` floats (unit gain; eps inside the root); rows
/// split over up to `threads` threads when there are many.
void ip_rmsnorm(const float *x, size_t rows, size_t dim, float eps, float *out, int threads);

/// Fills `table` (positions x head_dim floats) with cos and sin of position x theta^(-2i/head_dim),
/// for i < head_dim/2: per position head_dim/2 cosines, then head_dim/2 sines.
void ip_rope_table(size_t positions, size_t head_dim, float theta, float *table);

/// Rotates the first `heads` heads of each of `rows` rows in place (row stride `stride` floats) by
/// its position, rotate-half convention (element i pairs with i + head_dim/2, as in Llama).
void ip_rope(float *x, size_t rows, size_t stride, size_t heads, size_t head_dim, const int32_t *positions,
             const float *table);

/// out[r][i] = silu(gate_up[r][i]) x gate_up[r][ffn + i]: each row holds the gate, then the up
/// projection; rows split over up to `threads` threads when there are many.
void ip_silu_mul(const float *gate_up, size_t rows, size_t ffn, float *out, int threads);

/// x[i] += y[i].
void ip_add(float *x, const float *y, size_t n);

/// The index of each row's largest value (the first one on ties): greedy sampling.
void ip_argmax(const float *x, size_t rows, size_t cols, int32_t *out);

#endif
