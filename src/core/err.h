/* err.h - the one error type.
 *
 * Every layer reports failure the same way: a function that can fail returns
 * false (or NULL) and fills a `struct err`. The domain decides the kind of
 * failure and the machine-readable code; only src/http turns the kind into an
 * HTTP status (http_status_of in http/response.c) and renders the error in the
 * shape of contract §2: {"errors": [{"code","message"} | {"field","messages":[...]}]}.
 *
 * Strings in a `struct err` must outlive it: string literals, or copies in the
 * request arena.
 */
#ifndef HEARTH_CORE_ERR_H
#define HEARTH_CORE_ERR_H

#include <stdbool.h>

enum {
    ERR_MAX_ENTRIES = 16,     /* at most this many entries are reported; more field errors are dropped */
    ERR_STORAGE_RETRY_S = 60, /* Retry-After of a storage fault: room is made, or a device recovers, in minutes */
};

/* What kind of failure, in the terms of the layer that found it. */
enum err_kind {
    ERR_NONE = 0,          /* no error recorded yet */
    ERR_INVALID,           /* the request's data breaks a rule (400) */
    ERR_UNAUTHENTICATED,   /* no or bad credentials (401) */
    ERR_FORBIDDEN,         /* the caller may not do this (403) */
    ERR_NOT_FOUND,         /* no such resource (404) */
    ERR_METHOD,            /* the resource exists, not with this method (405) */
    ERR_TOO_LARGE,         /* a body over its limit (413) */
    ERR_URI_TOO_LONG,      /* a request target or path over its limit (414) */
    ERR_MEDIA_TYPE,        /* a body encoding the route does not take (415) */
    ERR_THROTTLED,         /* a rate limit; retry_after says when (429) */
    ERR_HEADERS_TOO_LARGE, /* header lines or bytes over their limit (431) */
    ERR_INTERNAL,          /* a bug or an unexpected engine failure (500) */
    ERR_UNAVAILABLE,       /* overloaded or the store is unreachable; retry (503) */
    ERR_STORAGE_FULL,      /* the disk is full: reads work, writes wait (507) */
};

struct err_entry {
    const char *field; /* NULL for a non-field error */
    const char *code;  /* snake_case, e.g. "invalid", "required" */
    const char *message;
};

struct err {
    enum err_kind kind; /* ERR_NONE while no error has been set */
    int count;
    struct err_entry entries[ERR_MAX_ENTRIES];
    int retry_after; /* seconds, for 429, 503 and 507 (sent as Retry-After); 0 otherwise */
    int rate_limit;  /* for 429: the limit that refused (sent as RateLimit-Limit); 0 = 1 */
};

/* Sets a non-field error (replacing the kind). Returns false so that
 * `return err_set(e, ...)` reads naturally in functions returning bool. */
bool err_set(struct err *e, enum err_kind kind, const char *code, const char *message);

/* Adds a field error; the kind becomes ERR_INVALID unless one is already set. */
bool err_field(struct err *e, const char *field, const char *code, const char *message);

/* True once any error was recorded. */
static inline bool err_any(const struct err *e) { return e->kind != ERR_NONE; }

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
