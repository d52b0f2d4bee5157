// Fast FP4 decode GEMMs for the CPU: Y[B x N] = X[B x K] . W[N x K]^T with W in MXFP4 or NVFP4.
//
// Activations are quantised to int8 per 32-element block (a float scale each); each weight block's
// nibbles are decoded by a byte shuffle into 2 x E2M1 + 12 (an unsigned byte, 0...24), multiplied
// with the activations by VNNI's vpdpbusd (AVX-512) or pmaddubsw (AVX2); the +12 bias is removed by
// starting each block's accumulator at -12 x sum(q). The block scale is applied once per block.
#ifndef INFERPLAN_FP4_GEMM_H
#define INFERPLAN_FP4_GEMM_H

#include <stddef.h>
#include <stdint.h>
#include "fp4_formats.h"
#include "kernel_path.h"

/// Y = X . W^T, W in MXFP4 (`packed`: rows x k/2 bytes, `scales`: rows x k/32 E8M0 codes).
/// k must be a multiple of 32. `threads` >= 1 splits the rows. Returns IP_FP4_BAD_LENGTH, or
/// IP_FP4_NOT_FINITE if the path is not supported on this CPU.
ip_fp4_status ip_mxfp4_gemm(const float *x, size_t batch, const uint8_t *packed, const uint8_t *scales,
                            size_t rows, size_t k, float *y, int threads, ip_kernel_path path);

/// Y = X . W^T, W in NVFP4 (`packed`: rows x k/2 bytes, `scales`: rows x k/16 E4M3 codes, with the
/// per-tensor `global_scale`). k must be a multiple of 32. Same scheme as the MXFP4 kernel: a 64-byte
/// load holds 8 blocks, each in 2 dword lanes of the low- and high-nibble vectors.
ip_fp4_status ip_nvfp4_gemm(const float *x, size_t batch, const uint8_t *packed, const uint8_t *scales, float global_scale,
                            size_t rows, size_t k, float *y, int threads, ip_kernel_path path);

#endif
