// Running one job per thread: the calling thread takes job 0, `count - 1` threads the others.
#ifndef INFERPLAN_PARALLEL_H
#define INFERPLAN_PARALLEL_H

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

/// Calls `work(jobs + i * job_size)` for i in 0..<count (at most 64) in parallel and waits for all:
/// job 0 on the calling thread, the others on a pool of persistent workers (parallel.c). Starting
/// threads per call cost about 100 us, which a decode step's 121 kernel calls paid twice each.
/// Callers on several threads take turns; a job that itself runs parallel work runs it inline.
void ip_run_parallel(void *jobs, size_t job_size, int count, void *(*work)(void *));

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

/// Carves 64-byte-aligned arrays of the given sizes out of one per-thread workspace that grows as
/// needed and is kept between calls: allocating them per call went through mmap and page faults,
/// which cost a decode step more than quantising its activations. `sizes` has `count` entries;
/// `arrays` receives the pointers. Returns 0 if memory runs out.
static inline int ip_workspace(size_t count, const size_t *sizes, void **arrays) {
    static __thread char *buffer;
    static __thread size_t capacity;
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += (sizes[i] + 63) / 64 * 64;
    if (total > capacity) {
        free(buffer);
        buffer = aligned_alloc(64, total);
        capacity = buffer ? total : 0;
        if (!buffer) return 0;
    }
    size_t offset = 0;
    for (size_t i = 0; i < count; i++) {
        arrays[i] = buffer + offset;
        offset += (sizes[i] + 63) / 64 * 64;
    }
    return 1;
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
