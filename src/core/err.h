/* err.h - the one error type.
 *
 * Every layer reports failure the same way: a function that can fail returns
 * false (or NULL) and fills a `struct err`. The domain decides the HTTP status
 * class and the machine-readable code; only src/http renders it, in the shape
 * of contract §2: {"errors": [{"code","message"} | {"field","messages":[...]}]}.
 *
 * Strings in a `struct err` must outlive it: string literals, or copies in the
 * request arena.
 */
#ifndef HEARTH_CORE_ERR_H
#define HEARTH_CORE_ERR_H

#include <stdbool.h>

enum {
    ERR_MAX_ENTRIES = 16,      /* at most this many entries are reported; more field errors are dropped */
    ERR_STORAGE_RETRY_S = 60,  /* Retry-After of a storage fault: room is made, or a device recovers, in minutes */
};

struct err_entry {
    const char *field; /* NULL for a non-field error */
    const char *code;  /* snake_case, e.g. "invalid", "required" */
    const char *message;
};

struct err {
    int status; /* HTTP status: 0 while no error has been set */
    int count;
    struct err_entry entries[ERR_MAX_ENTRIES];
    int retry_after; /* seconds, for 429, 503 and 507 (sent as Retry-After); 0 otherwise */
};

/* Sets a non-field error (replacing the status). Returns false so that
 * `return err_set(e, ...)` reads naturally in functions returning bool. */
bool err_set(struct err *e, int status, const char *code, const char *message);

/* Adds a field error; the status becomes 400 unless one is already set. */
bool err_field(struct err *e, const char *field, const char *code, const char *message);

/* True once any error was recorded. */
static inline bool err_any(const struct err *e) { return e->status != 0; }

/* Common shorthands. */
bool err_not_found(struct err *e);
bool err_forbidden(struct err *e, const char *message);
/* 500. Keeps a storage fault (503/507) already recorded: that fault is
 * what made the operation fail. */
bool err_internal(struct err *e);

/* 507 storage_full: the disk (or the database's size limit) is full; reads
 * still work. With Retry-After. */
bool err_storage_full(struct err *e);

/* 503 unavailable: the storage device reported an I/O error. With
 * Retry-After. */
bool err_unavailable(struct err *e);

#endif
