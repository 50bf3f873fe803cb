/* export.h - what the personal data export (domain/data_export.h) needs
 * from storage: the data_exports row of each user (migration 013), the
 * worker's queue over those rows, and the names of the files an archive
 * carries. The SQLite backend is sqlite_export.c. Conventions as store.h
 * (Tx, Alloc, Returns). */
#ifndef HEARTH_STORE_EXPORT_H
#define HEARTH_STORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store;

/* The letters data_exports.status holds. */
enum store_export_status {
    STORE_EXPORT_NONE = '\0', /* no row */
    STORE_EXPORT_PENDING = 'p',
    STORE_EXPORT_RUNNING = 'r',
    STORE_EXPORT_READY = 'y',
    STORE_EXPORT_FAILED = 'f',
};

/* One user's export row. Times in microseconds, 0 while unset. */
struct store_export {
    int64_t user_id;
    enum store_export_status status;
    int64_t requested_us, started_us, completed_us, downloaded_us;
    const char *file_name; /* NULL until a build starts */
    int64_t size_bytes;    /* of the finished archive, 0 otherwise */
    const char *error;     /* a failure's code, NULL otherwise */
    int attempts;          /* builds started for this request */
    const char *base_url;  /* "" when unknown */
};

/* The user's row.
 * Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_export_get(struct store *st, struct arena *a, int64_t user_id, struct store_export *out, struct err *e);

/* Inserts or replaces the user's row with a new pending request made at
 * now_us (every other column back to its start: no file, no error, no
 * attempts). The previous archive's file, no longer named, goes at the next
 * sweep.
 * Tx: in (with the read that decided it). Alloc: none. Returns: bool. */
bool store_export_request(struct store *st, int64_t user_id, int64_t now_us, const char *base_url, struct err *e);

/* Takes the oldest pending request: status running, started_us now_us,
 * file_name `file_name`, one more attempt; out is the row as updated.
 * Tx: in (the claim and the read of the queue under one write lock).
 * Alloc: out's strings in a. Returns: lookup (0: the queue is empty). */
int store_export_claim(struct store *st, struct arena *a, int64_t now_us, const char *file_name,
                       struct store_export *out, struct err *e);

/* Ends the build of (user_id, file_name): status `status` (ready, failed,
 * or pending to build it again: file name cleared, the attempt not
 * counted), completed_us now_us (ready and failed),
 * size and error (NULL for none). Changes nothing when the row has moved
 * on meanwhile (a new request, a hard delete): it is no longer running
 * with that file.
 * Tx: any (one statement). Alloc: none. Returns: lookup (1 changed, 0 the
 * row moved on). */
int store_export_finish(struct store *st, int64_t user_id, const char *file_name, enum store_export_status status,
                        int64_t now_us, int64_t size_bytes, const char *error, struct err *e);

/* At start, for the builds a stopped server left running: back to pending
 * when fewer than max_attempts builds were started, else failed with error
 * `error`. *requeued and *failed count them.
 * Tx: any (two statements; each row lands in one state). Alloc: none.
 * Returns: bool. */
bool store_export_recover(struct store *st, int max_attempts, const char *error, int64_t now_us, int64_t *requeued,
                          int64_t *failed, struct err *e);

/* Sets downloaded_us (the newest download).
 * Tx: any. Alloc: none. Returns: bool. */
bool store_export_mark_downloaded(struct store *st, int64_t user_id, int64_t now_us, struct err *e);

/* Deletes the rows of finished exports (ready or failed) completed before
 * before_us; *removed counts them.
 * Tx: any (one statement). Alloc: none. Returns: bool. */
bool store_export_expire(struct store *st, int64_t before_us, int64_t *removed, struct err *e);

/* Every file name a row names (any status), as an arena array of arena
 * strings, sorted by strcmp.
 * Tx: any (one statement). Alloc: *names and the strings in a. Returns:
 * bool. */
bool store_export_file_names(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e);

/* The uploaded files of a user that an archive carries: the stored media
 * name and the role it plays ("avatar", "cover"), in that order. Other
 * kinds of uploads join here.
 * Tx: any; inside the archive's read transaction. Alloc: *out (n entries)
 * and the strings in a. Returns: bool. */
struct store_export_file {
    const char *role;
    const char *name;
};
bool store_export_media(struct store *st, struct arena *a, int64_t user_id, struct store_export_file **out, size_t *n,
                        struct err *e);

#endif
