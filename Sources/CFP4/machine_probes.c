// Probes of the machine's limits: read bandwidth and the FP32 FMA peak, what the calibration
// measures the kernels against.
#include "machine_probes.h"

#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "kernel_path.h"
#include "parallel.h"

// ---- Read bandwidth ----------------------------------------------------------------------------------

typedef struct {
    const uint64_t *data;
    size_t count;
    uint64_t sum;
} read_job;

static void *read_share(void *argument) {
    read_job *j = argument;
    // Two independent streams per thread: one core keeps more misses in flight that way.
    const uint64_t *a = j->data, *b = j->data + j->count / 2;
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i + 1 < j->count / 2; i += 2) {
        s0 += a[i]; s1 += a[i + 1];
        s2 += b[i]; s3 += b[i + 1];
    }
    j->sum = s0 + s1 + s2 + s3;
    return NULL;
}

double ip_read_bandwidth(size_t bytes, int threads, int repeats) {
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    size_t count = bytes / sizeof(uint64_t);
    uint64_t *data = aligned_alloc(64, count * sizeof(uint64_t));
    if (!data) return 0;
    for (size_t i = 0; i < count; i++) data[i] = i;
    double best = 0;
    for (int r = 0; r < repeats; r++) {
        read_job jobs[64];
        for (int t = 0; t < threads; t++) {
            jobs[t] = (read_job){data + count * t / threads, count * (t + 1) / threads - count * t / threads, 0};
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ip_run_parallel(jobs, sizeof jobs[0], threads, read_share);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        uint64_t check = 0;
        for (int t = 0; t < threads; t++) check += jobs[t].sum;
        if (check == 42) seconds += 1e-12;   // keeps the sums live
        if (bytes / seconds > best) best = (double)bytes / seconds;
    }
    free(data);
    return best;
}

// ---- FMA peak ----------------------------------------------------------------------------------------

#define IP_FMA_ITERATIONS 20000000L

typedef struct { int wide; double flops; float sink; } fma_job;

__attribute__((target("avx512f")))
static float fma_chains_512(long iterations) {
    __m512 a[12], m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps((float)i);
    for (long n = 0; n < iterations; n++)
        for (int i = 0; i < 12; i++) a[i] = _mm512_fmadd_ps(a[i], m, c);
    float s = 0;
    for (int i = 0; i < 12; i++) s += _mm512_reduce_add_ps(a[i]);
    return s;
}

__attribute__((target("avx2,fma")))
static float fma_chains_256(long iterations) {
    __m256 a[12], m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++) a[i] = _mm256_set1_ps((float)i);
    for (long n = 0; n < iterations; n++)
        for (int i = 0; i < 12; i++) a[i] = _mm256_fmadd_ps(a[i], m, c);
    float buffer[8], s = 0;
    for (int i = 0; i < 12; i++) { _mm256_storeu_ps(buffer, a[i]); for (int l = 0; l < 8; l++) s += buffer[l]; }
    return s;
}

static void *fma_worker(void *argument) {
    fma_job *j = argument;
    long iterations = IP_FMA_ITERATIONS / (j->wide == 16 ? 2 : 1);
    j->sink = j->wide == 16 ? fma_chains_512(iterations) : fma_chains_256(iterations);
    j->flops = 2.0 * 12 * j->wide * (double)iterations;
    return NULL;
}

double ip_fma_peak(int threads, int repeats) {
    ip_kernel_path best = ip_best_path();
    if (best == IP_PATH_SCALAR) return 0;
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    double best_rate = 0;
    for (int r = 0; r < repeats; r++) {
        fma_job jobs[64];
        for (int t = 0; t < threads; t++) jobs[t] = (fma_job){best == IP_PATH_AVX512_VNNI ? 16 : 8, 0, 0};
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ip_run_parallel(jobs, sizeof jobs[0], threads, fma_worker);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, flops = 0, sink = 0;
        for (int t = 0; t < threads; t++) { flops += jobs[t].flops; sink += jobs[t].sink; }
        if (sink == 12345.0) seconds += 1e-12;   // keeps the chains live
        if (flops / seconds > best_rate) best_rate = flops / seconds;
    }
    return best_rate;
}
