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

#endif
