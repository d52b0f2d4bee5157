// The persistent worker pool behind ip_run_parallel (see parallel.h).
//
// Workers 1...63 are started on first need; between calls they spin briefly, then wait on a
// condition variable. A call publishes
// its work under a new generation number; worker i runs job i if the call has that many jobs, and
// the last one to finish wakes the caller. One call at a time: the mutex `turn` serialises callers.
#include "parallel.h"

#include <pthread.h>

/// Pause instructions a waiting worker spins for before it blocks: a few hundred microseconds.
#define IP_SPIN_ROUNDS 5000

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;       // workers wait here for a new generation
    pthread_cond_t done;       // the caller waits here for `remaining` to reach 0
    pthread_mutex_t turn;      // one call at a time
    unsigned long generation;
    int workers;               // started so far (ids 1...workers)
    int remaining;             // jobs of the current call still running on workers
    void *(*work)(void *);
    char *base;
    size_t job_size;
    int count;
} pool_state;

static pool_state pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
                          PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, NULL, NULL, 0, 0};
static __thread int inside_job;
// The generation each worker was started in: a worker started for the current call must still see
// it as new (the call publishes it after starting the worker, under the same lock).
static unsigned long started_in[64];

static void *worker_main(void *argument) {
    int id = (int)(size_t)argument;
    inside_job = 1;
    pthread_mutex_lock(&pool.lock);
    unsigned long seen = started_in[id];
    for (;;) {
        // Spin a little before sleeping: a model's kernel calls come back to back, and waking an
        // idle vCPU from its sleep costs more (up to ~100 us here) than the spin.
        pthread_mutex_unlock(&pool.lock);
        for (int spin = 0; spin < IP_SPIN_ROUNDS && __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE) == seen; spin++) {
            __builtin_ia32_pause();
        }
        pthread_mutex_lock(&pool.lock);
        while (pool.generation == seen) pthread_cond_wait(&pool.wake, &pool.lock);
        seen = pool.generation;
        if (id >= pool.count) continue;
        void *(*work)(void *) = pool.work;
        char *job = pool.base + (size_t)id * pool.job_size;
        pthread_mutex_unlock(&pool.lock);
        work(job);
        pthread_mutex_lock(&pool.lock);
        if (--pool.remaining == 0) pthread_cond_signal(&pool.done);
    }
    return NULL;
}

void ip_run_parallel(void *jobs, size_t job_size, int count, void *(*work)(void *)) {
    char *base = jobs;
    if (count > 64) count = 64;
    if (count <= 1 || inside_job) {
        for (int t = 0; t < count; t++) work(base + (size_t)t * job_size);
        return;
    }
    pthread_mutex_lock(&pool.turn);
    pthread_mutex_lock(&pool.lock);
    while (pool.workers < count - 1) {
        pthread_t handle;
        started_in[pool.workers + 1] = pool.generation;
        if (pthread_create(&handle, NULL, worker_main, (void *)(size_t)(pool.workers + 1)) != 0) break;
        pthread_detach(handle);
        pool.workers++;
    }
    int helpers = pool.workers < count - 1 ? pool.workers : count - 1;
    pool.work = work;
    pool.base = base;
    pool.job_size = job_size;
    pool.count = helpers + 1;
    pool.remaining = helpers;
    __atomic_store_n(&pool.generation, pool.generation + 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    // This thread: job 0, and any jobs no worker could be started for.
    inside_job = 1;
    work(base);
    for (int t = helpers + 1; t < count; t++) work(base + (size_t)t * job_size);
    inside_job = 0;
    pthread_mutex_lock(&pool.lock);
    while (pool.remaining > 0) pthread_cond_wait(&pool.done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
    pthread_mutex_unlock(&pool.turn);
}
