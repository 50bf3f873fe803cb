/* slow_pool.h - the worker pool for slow handlers (argon2id password
 * hashing): a bounded queue of jobs run by a few threads, so that slow
 * requests neither block the HTTP threads nor pile up without limit.
 *
 * A caller first reserves a queue slot (false when the queue is full: the
 * request is answered 503), then pushes its job. */
#ifndef HEARTH_HTTP_SLOW_POOL_H
#define HEARTH_HTTP_SLOW_POOL_H

#include <stdbool.h>

enum { SLOW_POOL_MAX_WORKERS = 16 };

/* Starts `workers` threads (at most SLOW_POOL_MAX_WORKERS) with room for
 * `queue` reserved or queued jobs; each job is passed to `run`. */
bool slow_pool_start(int workers, int queue, void (*run)(void *job));

/* Reserves a queue slot; false when the queue is full or stopping. */
bool slow_pool_reserve(void);

/* Queues a job in a slot reserved by slow_pool_reserve. */
void slow_pool_push(void *job);

/* Waits until every reserved and running job has finished, then stops and
 * joins the threads. */
void slow_pool_drain_and_stop(void);

/* Jobs reserved or queued, and jobs running. */
void slow_pool_gauges(int *queued, int *busy);

#endif
