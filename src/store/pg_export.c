/* pg_export.c - the data_exports rows (004_content) for the personal data
 * export (store/export.h; the rules in domain/data_export.c), for the
 * PostgreSQL backend (the SQLite one is sqlite_export.c).
 *
 * Several servers may share the queue: a claim takes the oldest pending
 * row in one statement that skips rows another claim holds, so one
 * request is never built twice at once. */
#include "store/export.h"

#include <string.h>

#include "store/export_rows.h"
#include "store/pg_internal.h"

/* ================================================================ */
/* rows                                                             */

static void read_export(struct arena *a, const PGresult *r, int row, void *out)
{
    struct store_export *x = out;
    x->user_id = pg_col_int(r, row, 0);
    x->status = export_status_of(PQgetisnull(r, row, 1) ? NULL : PQgetvalue(r, row, 1));
    x->requested_us = pg_col_int(r, row, 2);
    x->started_us = pg_col_int(r, row, 3);
    x->completed_us = pg_col_int(r, row, 4);
    x->downloaded_us = pg_col_int(r, row, 5);
    x->file_name = pg_col_text(a, r, row, 6);
    x->size_bytes = pg_col_int(r, row, 7);
    x->error = pg_col_text(a, r, row, 8);
    x->attempts = (int)pg_col_int(r, row, 9);
    x->base_url = pg_col_text(a, r, row, 10);
    if (!x->base_url)
        x->base_url = "";
}

int pg_export_get(struct store *st, struct arena *a, int64_t user_id, struct store_export *out, struct err *e)
{
    return pg_row(st, a, read_export, out, e, "SELECT " EXPORT_COLUMNS " FROM data_exports WHERE user_id = $1", "i",
                  user_id);
}

bool pg_export_request(struct store *st, int64_t user_id, int64_t now_us, const char *base_url, struct err *e)
{
    /* SQLite's INSERT OR REPLACE: every other column back to its start */
    return pg_exec(st, e,
                   "INSERT INTO data_exports (user_id, status, requested_us, base_url) VALUES ($1, 'pending', $2, $3) "
                   "ON CONFLICT (user_id) DO UPDATE SET status = 'pending', requested_us = EXCLUDED.requested_us, "
                   "started_us = NULL, completed_us = NULL, downloaded_us = NULL, file_name = NULL, "
                   "size_bytes = NULL, error = NULL, attempts = 0, base_url = EXCLUDED.base_url",
                   "iis", user_id, now_us, base_url ? base_url : "");
}

int pg_export_claim(struct store *st, struct arena *a, int64_t now_us, const char *file_name, struct store_export *out,
                    struct err *e)
{
    return pg_row(st, a, read_export, out, e,
                  "UPDATE data_exports SET status = 'running', started_us = $1, completed_us = NULL, "
                  "file_name = $2, size_bytes = NULL, error = NULL, attempts = attempts + 1 "
                  "WHERE user_id = (SELECT user_id FROM data_exports WHERE status = 'pending' "
                  "ORDER BY requested_us, user_id LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'pending' "
                  "RETURNING " EXPORT_COLUMNS,
                  "is", now_us, file_name);
}

int pg_export_finish(struct store *st, int64_t user_id, const char *file_name, enum store_export_status status,
                     int64_t now_us, int64_t size_bytes, const char *error, struct err *e)
{
    const char *word = export_status_word(status);
    if (!word || status == STORE_EXPORT_RUNNING)
        return err_internal(e), -1;
    int64_t changed =
        pg_changes(st, e,
                   "UPDATE data_exports SET status = $3, "
                   "completed_us = CASE WHEN $3 = 'pending' THEN NULL ELSE $4 END, "
                   "started_us = CASE WHEN $3 = 'pending' THEN NULL ELSE started_us END, "
                   "file_name = CASE WHEN $3 = 'ready' THEN file_name END, "
                   "attempts = CASE WHEN $3 = 'pending' THEN GREATEST(attempts - 1, 0) ELSE attempts END, "
                   "size_bytes = CASE WHEN $3 = 'ready' THEN $5 END, error = $6 "
                   "WHERE user_id = $1 AND status = 'running' AND file_name = $2",
                   "issiis", user_id, file_name, word, now_us, size_bytes, error);
    if (changed < 0)
        return -1;
    return changed > 0;
}

bool pg_export_recover(struct store *st, int max_attempts, const char *error, int64_t now_us, int64_t *requeued,
                       int64_t *failed, struct err *e)
{
    *requeued = *failed = 0;
    int64_t n = pg_changes(st, e,
                           "UPDATE data_exports SET status = 'failed', completed_us = $2, file_name = NULL, "
                           "error = $3 WHERE status = 'running' AND attempts >= $1",
                           "iis", (int64_t)max_attempts, now_us, error);
    if (n < 0)
        return false;
    *failed = n;
    n = pg_changes(st, e,
                   "UPDATE data_exports SET status = 'pending', started_us = NULL, file_name = NULL "
                   "WHERE status = 'running'",
                   "");
    if (n < 0)
        return false;
    *requeued = n;
    return true;
}

bool pg_export_mark_downloaded(struct store *st, int64_t user_id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e, "UPDATE data_exports SET downloaded_us = $2 WHERE user_id = $1", "ii", user_id, now_us);
}

bool pg_export_expire(struct store *st, int64_t before_us, int64_t *removed, struct err *e)
{
    int64_t n = pg_changes(st, e, "DELETE FROM data_exports WHERE status IN ('ready', 'failed') AND completed_us < $1",
                           "i", before_us);
    if (n < 0)
        return false;
    *removed = n;
    return true;
}

bool pg_export_file_names(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e)
{
    return pg_texts(st, a, names, n, e,
                    "SELECT file_name FROM data_exports WHERE file_name IS NOT NULL ORDER BY file_name COLLATE \"C\"",
                    "");
}

bool pg_export_media(struct store *st, struct arena *a, int64_t user_id, struct store_export_file **out, size_t *n,
                     struct err *e)
{
    PGresult *r = pg_run(st, e, "SELECT avatar, cover FROM users WHERE id = $1", "i", user_id);
    if (!r)
        return false;
    struct store_export_file *files = arena_alloc(a, 2 * sizeof *files);
    size_t count = 0;
    if (PQntuples(r) > 0) {
        static const char *const roles[] = {"avatar", "cover"};
        for (int i = 0; i < 2; i++) {
            const char *name = pg_col_text(a, r, 0, i);
            if (name && *name)
                files[count++] = (struct store_export_file){roles[i], name};
        }
    }
    PQclear(r);
    *out = files;
    *n = count;
    return true;
}
