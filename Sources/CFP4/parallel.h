// Running one job per thread: the calling thread takes job 0, `count - 1` threads the others.
#ifndef INFERPLAN_PARALLEL_H
#define INFERPLAN_PARALLEL_H

#include <pthread.h>
#include <stddef.h>

/// Calls `work(jobs + i * job_size)` for i in 0..<count (at most 64) in parallel and waits for all.
static inline void ip_run_parallel(void *jobs, size_t job_size, int count, void *(*work)(void *)) {
    pthread_t handles[64];
    char *base = jobs;
    if (count > 64) count = 64;
    for (int t = 1; t < count; t++) pthread_create(&handles[t], NULL, work, base + (size_t)t * job_size);
    work(base);
    for (int t = 1; t < count; t++) pthread_join(handles[t], NULL);
}

typedef struct {
    void (*fn)(void *context, size_t first, size_t last);
    void *context;
    size_t first, last;
} ip_range_job;

static inline void *ip_run_range(void *argument) {
    ip_range_job *job = argument;
    job->fn(job->context, job->first, job->last);
    return NULL;
}

/// Calls `fn(context, first, last)` over `count` items split into `threads` contiguous ranges, in
/// parallel only when there are at least `min_per_thread` items per thread (a thread start costs
/// tens of microseconds).
static inline void ip_parallel_for(size_t count, int threads, size_t min_per_thread,
                                   void (*fn)(void *, size_t, size_t), void *context) {
    if (threads > 64) threads = 64;
    while (threads > 1 && count / (size_t)threads < min_per_thread) threads--;
    if (threads <= 1) { fn(context, 0, count); return; }
    ip_range_job jobs[64];
    for (int t = 0; t < threads; t++) {
        jobs[t] = (ip_range_job){fn, context, count * (size_t)t / (size_t)threads, count * (size_t)(t + 1) / (size_t)threads};
    }
    ip_run_parallel(jobs, sizeof jobs[0], threads, ip_run_range);
}

/// Batch rows a GEMM takes per pass over its weights: as many as keep the quantised activations
/// (about 2 x k bytes a row with their block scales) within 1 MiB of the 2 MiB L2, 4 to 64, a
/// multiple of the kernels' 4-row tile. Large batches (prefill) then re-stream the weights once per
/// chunk instead of re-reading every activation row from L3 or DRAM for every weight row.
static inline size_t ip_batch_chunk(size_t k) {
    size_t rows = ((size_t)1 << 20) / (2 * k + 1);
    rows = rows / 4 * 4;
    return rows < 4 ? 4 : (rows > 64 ? 64 : rows);
}

#endif
