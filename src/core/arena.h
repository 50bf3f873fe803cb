/* arena.h - per-request memory pool.
 *
 * Everything a request allocates comes from one arena that is freed in one
 * call when the response has been sent (the model is h2o's h2o_mem_pool_t).
 * Allocation never fails from the caller's point of view: out of memory
 * aborts the process, as there is nothing sensible a handler could do.
 * An arena is used by one thread at a time.
 */
#ifndef HEARTH_CORE_ARENA_H
#define HEARTH_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new empty arena. Free it with arena_free(). */
struct arena *arena_new(void);

/* Frees every allocation made from `a`, and `a` itself. NULL is a no-op. */
void arena_free(struct arena *a);

/* `n` bytes aligned for any type, zeroed. Lives until arena_free(). */
void *arena_alloc(struct arena *a, size_t n);

/* Copies of strings and byte ranges (always NUL-terminated). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Registers `fn(p)` to run at arena_free(), in reverse order of registration
 * (for objects owned elsewhere, e.g. jansson values or sqlite statements). */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);

#endif
