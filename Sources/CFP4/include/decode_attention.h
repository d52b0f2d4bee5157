// Decode attention over a KV cache: for each sequence, every query head attends over that sequence's
// cached keys and values (grouped-query: query head h reads KV head h / (q_heads / kv_heads)).
// K and V are stored [token][kv_head][head_dim] in FP16, BF16 or FP8 E4M3 (times one FP32 scale per
// tensor). One pass per KV head with an online softmax; each cached key is read once for all the
// query heads of its group. Threads split (sequence, KV head) pairs.
#ifndef INFERPLAN_DECODE_ATTENTION_H
#define INFERPLAN_DECODE_ATTENTION_H

#include <stddef.h>
#include <stdint.h>
#include "fp4_formats.h"
#include "kernel_path.h"

typedef enum { IP_KV_F16 = 0, IP_KV_BF16 = 1, IP_KV_E4M3 = 2 } ip_kv_format;

/// One decoding sequence: its query (q_heads x head_dim floats), its cache and its output.
typedef struct {
    const float *q;
    const void *k;      // context x kv_heads x head_dim elements
    const void *v;
    size_t context;
    float *out;         // q_heads x head_dim
} ip_attention_sequence;

/// Bytes per cached element of a format.
size_t ip_kv_element_bytes(ip_kv_format format);
/// Converts n floats to the cache format (FP16/BF16 round to nearest even; E4M3 divides by `scale`).
void ip_kv_encode(const float *x, size_t n, ip_kv_format format, float scale, void *out);

/// head_dim must be a multiple of 16 and q_heads a multiple of kv_heads (else IP_FP4_BAD_LENGTH).
ip_fp4_status ip_decode_attention(const ip_attention_sequence *sequences, size_t count, size_t q_heads, size_t kv_heads,
                                  size_t head_dim, ip_kv_format format, float kv_scale, int threads, ip_kernel_path path);

#endif
