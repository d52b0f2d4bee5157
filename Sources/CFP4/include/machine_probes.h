// Probes of this machine's limits, the roofline the calibration measures the kernels against.
#ifndef INFERPLAN_MACHINE_PROBES_H
#define INFERPLAN_MACHINE_PROBES_H

#include <stddef.h>

/// Read-only memory bandwidth in bytes/s: `threads` threads each sum their share of a `bytes`
/// buffer, best of `repeats` passes (STREAM-like; the buffer should be far larger than the caches).
double ip_read_bandwidth(size_t bytes, int threads, int repeats);

/// FP32 fused multiply-add rate in FLOP/s on `threads` threads: independent FMA chains on the widest
/// vectors this CPU has (best of `repeats`).
double ip_fma_peak(int threads, int repeats);

#endif
