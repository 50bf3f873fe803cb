/* data_export.h - the personal data export (GDPR art. 20): a user asks for
 * an archive of their data (POST /api/v2/udp/), a background worker builds
 * it as a zip file, the user polls its status and downloads it.
 *
 * The rules: one export per user, and at most one build at a time per
 * server; a request while one is pending or running starts nothing; a new
 * request within DATA_EXPORT_REBUILD_INTERVAL_S of the last is refused
 * (429); an archive is bounded in bytes and build time; it lives for
 * DATA_EXPORT_RETENTION_DAYS, and a new request replaces it.
 *
 * Archives live in <data_dir>/exports/ under names of DATA_EXPORT_NAME_HEX
 * random hex digits and ".zip", kept in the user's row only: no route takes
 * an id or a name, so nobody reaches another user's archive. A build writes
 * a temporary file and renames it when complete; files no row names are
 * removed by the sweep.
 *
 * What goes into an archive is the caller's business (the renderer: the
 * API layer writes the JSON members exactly as its endpoints show them);
 * this module adds the uploaded files (store_export_media), a manifest,
 * and writes the zip.
 */
#ifndef HEARTH_DOMAIN_DATA_EXPORT_H
#define HEARTH_DOMAIN_DATA_EXPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/err.h"
#include "model/principal.h"

struct store;

enum {
    /* The sum of the members' uncompressed bytes: a user's posts and
     * uploads fit many times over; beyond it the build fails "too_large"
     * rather than fill the disk. */
    DATA_EXPORT_MAX_BYTES = 512 << 20,
    /* One build's wall time: a larger export is a bug or an attack. */
    DATA_EXPORT_MAX_SECONDS = 10 * 60,
    /* A new request within this time of the last is refused (429): a
     * build reads every row of the user. */
    DATA_EXPORT_REBUILD_INTERVAL_S = 60 * 60,
    /* Finished archives (and failures) are removed after this. */
    DATA_EXPORT_RETENTION_DAYS = 7,
    /* Builds a stopped server interrupted are started again at most this
     * many times in all; then the export fails "interrupted". */
    DATA_EXPORT_MAX_ATTEMPTS = 3,
    /* The idle worker looks for work (another server's requests) and
     * expired archives this often; a request on this server wakes it. */
    DATA_EXPORT_POLL_S = 30,
    DATA_EXPORT_NAME_HEX = 32,             /* 128 random bits: names cannot be guessed */
    DATA_EXPORT_NAME_MAX = 48,             /* hex, ".zip", NUL, with room */
    DATA_EXPORT_BASE_MAX = CONFIG_URL_MAX, /* the request's base URL kept for the archive's links */
    DATA_EXPORT_MEMBER_NAME_MAX = 128,
    DATA_EXPORT_MEMBERS_MAX = 64, /* the renderer's members plus the uploads */
};

/* ================================================================ */
/* status                                                           */

enum data_export_state {
    DATA_EXPORT_NONE,    /* never asked, or expired */
    DATA_EXPORT_PENDING, /* waiting for the worker */
    DATA_EXPORT_RUNNING, /* being built */
    DATA_EXPORT_READY,   /* can be downloaded */
    DATA_EXPORT_FAILED,  /* error says why; a new request may be made */
};

/* Where a user's export stands. Times in microseconds, 0 when unset. */
struct data_export_status {
    enum data_export_state state;
    int64_t requested_us, started_us, completed_us, downloaded_us;
    int64_t expires_us; /* ready and failed: when the sweep removes it */
    int64_t size_bytes; /* ready: the archive's size */
    const char *error;  /* failed: a code ("too_large", "timeout", "interrupted", ...) */
};

/* "none", "pending", "running", "ready", "failed". */
const char *data_export_state_name(enum data_export_state s);

/* The status of user_id's export.
 * Tx: any. Alloc: out's strings in a. Returns: bool. */
bool data_export_status_get(struct store *st, struct arena *a, int64_t user_id, struct data_export_status *out,
                            struct err *e);

/* What a request for a new export does, given the current status. */
enum data_export_decision {
    DATA_EXPORT_START,       /* a new build is queued */
    DATA_EXPORT_IN_PROGRESS, /* one is pending or running: nothing starts */
    DATA_EXPORT_THROTTLED,   /* too soon after the last (*retry_after_s set) */
};
enum data_export_decision data_export_decide(const struct data_export_status *cur, int64_t now_us, int *retry_after_s);

/* POST /udp/: queues a build of the caller's archive unless one is pending
 * or running (*started false, out the current status), or 429 throttled
 * (Retry-After) within DATA_EXPORT_REBUILD_INTERVAL_S of the last request.
 * base_url (bounded by DATA_EXPORT_BASE_MAX, longer is dropped) is kept for
 * the archive's links. Wakes the worker when it queued one.
 * Tx: own (one write transaction). Alloc: out's strings in a. */
bool data_export_request(struct store *st, struct arena *a, const struct principal *who, const char *base_url,
                         struct data_export_status *out, bool *started, struct err *e);

/* GET /udp/download/: maps the caller's ready archive for sending and,
 * when `record` (a GET, not a HEAD), records the download. 404 when there
 * is none, it is not ready, or its file is gone. *data is released with
 * data_export_unmap (the response's free function), on any thread.
 * Tx: any (a read, then the download's mark). Alloc: the mapping. */
bool data_export_open(struct store *st, struct arena *a, const char *data_dir, int64_t user_id, bool record,
                      const void **data, size_t *len, struct err *e);
void data_export_unmap(void *data);

/* Whether name has the shape of an archive's file name. */
bool data_export_name_valid(const char *name);

/* ================================================================ */
/* archives                                                         */

/* Bounds of one build. stop (may be NULL) is checked as it goes, so a
 * server shutting down ends a build at once. */
struct data_export_limits {
    int64_t max_bytes;
    int64_t deadline_us; /* clock_now_us() time; 0 = none */
    const atomic_bool *stop;
};

/* An archive being written: its members go to unnamed temporary files in
 * the archive's directory until data_export_archive_close zips them. */
struct data_export_archive;

/* Alloc: heap; released by close or discard. Returns: NULL with e filled. */
struct data_export_archive *data_export_archive_open(const char *dir, const struct data_export_limits *limits,
                                                     struct err *e);
/* Starts the member `name` (a relative path of [A-Za-z0-9._-/] without
 * "..", unique in the archive); the bytes written next are its content. */
bool data_export_member_begin(struct data_export_archive *ar, const char *name, struct err *e);
/* Appends to the current member. Fails "too_large" (413) past max_bytes,
 * "timeout" (503) past the deadline, "stopped" (503) when stop is set. */
bool data_export_member_write(struct data_export_archive *ar, const void *p, size_t n, struct err *e);
/* begin and write in one. */
bool data_export_member_add(struct data_export_archive *ar, const char *name, const void *p, size_t n, struct err *e);
/* The members' bytes so far. */
int64_t data_export_archive_bytes(const struct data_export_archive *ar);
/* Writes the zip (JSON members deflated, others stored) to a temporary
 * file beside path, syncs it and renames it onto path; *size its bytes.
 * Releases ar either way. Returns: bool (no file at path on failure). */
bool data_export_archive_close(struct data_export_archive *ar, const char *path, int64_t *size, struct err *e);
/* Releases ar without writing anything. NULL is a no-op. */
void data_export_archive_discard(struct data_export_archive *ar);

/* ================================================================ */
/* building                                                         */

/* The request a build answers. */
struct data_export_job {
    int64_t user_id;
    int64_t requested_us;
    const char *base_url; /* "" when unknown */
};

/* Writes the members the renderer knows of (the user's JSON) into ar, by
 * reading st inside the read transaction the builder opened; the builder
 * adds the uploads and the manifest itself. A false return fails the build
 * with e's first code. */
typedef bool data_export_render_fn(void *ctx, struct store *st, struct arena *a, const struct config *cfg,
                                   const struct data_export_job *job, struct data_export_archive *ar, struct err *e);

struct data_export_renderer {
    data_export_render_fn *render;
    void *ctx;
};

/* Builds the oldest pending export, if any: claims it, renders it in one
 * read transaction, writes the archive and marks it ready (or failed with
 * the error's code; or pending again when stopped). *built: whether there
 * was one. False only when the queue itself cannot be read or written.
 * Tx: own. Alloc: none beyond the call. */
bool data_export_build_next(struct store *st, const struct config *cfg, const struct data_export_renderer *r,
                            const atomic_bool *stop, bool *built, struct err *e);

/* Housekeeping: removes exports finished more than
 * DATA_EXPORT_RETENTION_DAYS ago, then every file in <data_dir>/exports/
 * of an archive's name shape (temporaries included) that no row names.
 * *removed counts the files. Tx: own. */
bool data_export_sweep(struct store *st, const char *data_dir, int64_t *removed, struct err *e);

/* At start, before the worker: builds a stopped server left running go
 * back to the queue (or fail "interrupted" after DATA_EXPORT_MAX_ATTEMPTS).
 * Tx: own. */
bool data_export_recover(struct store *st, int64_t *requeued, int64_t *failed, struct err *e);

/* ================================================================ */
/* the worker                                                       */

/* Starts the one background thread that builds exports and sweeps (its own
 * store connection; SIGINT and SIGTERM blocked in it, the server's main
 * thread waits for them). cfg and r must outlive the worker. Returns false
 * (logged) if the thread cannot start. */
bool data_export_worker_start(const struct config *cfg, const struct data_export_renderer *r);
/* Wakes the worker to look at the queue now (no-op when not started). */
void data_export_worker_wake(void);
/* Stops the worker: a build in progress ends at once and goes back to the
 * queue. Returns when the thread has exited. No-op when not started. */
void data_export_worker_stop(void);

#endif
