/* slow_pool.c - see slow_pool.h. One mutex guards the ring and the
 * counters; `run` is called outside it. A job counts as busy until `run`
 * has returned, so a drain that sees nothing busy or reserved knows every
 * job's effects (for a request: its connection resumed) have happened. */
#include "http/slow_pool.h"

#include <pthread.h>
#include <stdlib.h>

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    void **ring;
    int cap, head, count, reserved, busy;
    bool stopping;
    void (*run)(void *job);
    pthread_t threads[SLOW_POOL_MAX_WORKERS];
    int nthreads;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER};

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&pool.lock);
        while (!pool.count && !pool.stopping)
            pthread_cond_wait(&pool.wake, &pool.lock);
        if (!pool.count && pool.stopping) {
            pthread_mutex_unlock(&pool.lock);
            break;
        }
        void *job = pool.ring[pool.head];
        pool.head = (pool.head + 1) % pool.cap;
        pool.count--;
        pool.reserved--;
        pool.busy++;
        pthread_mutex_unlock(&pool.lock);

        pool.run(job);
        pthread_mutex_lock(&pool.lock);
        pool.busy--;
        if (!pool.busy && !pool.reserved)
            pthread_cond_broadcast(&pool.idle);
        pthread_mutex_unlock(&pool.lock);
    }
    return NULL;
}

bool slow_pool_start(int workers, int queue, void (*run)(void *job))
{
    pool.cap = queue;
    pool.run = run;
    pool.ring = calloc((size_t)pool.cap, sizeof *pool.ring);
    if (!pool.ring)
        return false;
    int n = workers < SLOW_POOL_MAX_WORKERS ? workers : SLOW_POOL_MAX_WORKERS;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker, NULL) != 0)
            return false;
        pool.nthreads++;
    }
    return true;
}

bool slow_pool_reserve(void)
{
    pthread_mutex_lock(&pool.lock);
    bool ok = pool.reserved < pool.cap && !pool.stopping;
    if (ok)
        pool.reserved++;
    pthread_mutex_unlock(&pool.lock);
    return ok;
}

void slow_pool_push(void *job)
{
    pthread_mutex_lock(&pool.lock);
    pool.ring[(pool.head + pool.count) % pool.cap] = job;
    pool.count++;
    pthread_cond_signal(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
}

void slow_pool_drain_and_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    while (pool.busy || pool.reserved)
        pthread_cond_wait(&pool.idle, &pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    pool.nthreads = 0;
    free(pool.ring);
    pool.ring = NULL;
}

void slow_pool_gauges(int *queued, int *busy)
{
    pthread_mutex_lock(&pool.lock);
    *queued = pool.reserved;
    *busy = pool.busy;
    pthread_mutex_unlock(&pool.lock);
}
