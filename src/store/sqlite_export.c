/* sqlite_export.c - the data_exports rows (migration 013) for the personal
 * data export (store/export.h; the rules in domain/data_export.c). */
#include "store/export.h"

#include <sqlite3.h>
#include <string.h>

#include "store/export_rows.h"
#include "store/sqlite_internal.h"

/* ================================================================ */
/* rows                                                             */

static void read_export(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct store_export *x = out;
    x->user_id = sqlite3_column_int64(q, 0);
    x->status = export_status_of((const char *)sqlite3_column_text(q, 1));
    x->requested_us = sqlite3_column_int64(q, 2);
    x->started_us = sqlite3_column_int64(q, 3);
    x->completed_us = sqlite3_column_int64(q, 4);
    x->downloaded_us = sqlite3_column_int64(q, 5);
    x->file_name = sqlite_col_text(a, q, 6);
    x->size_bytes = sqlite3_column_int64(q, 7);
    x->error = sqlite_col_text(a, q, 8);
    x->attempts = sqlite3_column_int(q, 9);
    x->base_url = sqlite_col_text(a, q, 10);
    if (!x->base_url)
        x->base_url = "";
}

int sqlite_export_get(struct store *st, struct arena *a, int64_t user_id, struct store_export *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " EXPORT_COLUMNS " FROM data_exports WHERE user_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_get_row(st, q, read_export, a, out, e);
}

bool sqlite_export_request(struct store *st, int64_t user_id, int64_t now_us, const char *base_url, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT OR REPLACE INTO data_exports (user_id, status, requested_us, base_url) "
                                  "VALUES ($1, 'pending', $2, $3)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, now_us);
    sqlite_bind_text_or_static(q, 3, base_url ? base_url : "");
    return sqlite_exec_stmt(st, q, e, "export request");
}

int sqlite_export_claim(struct store *st, struct arena *a, int64_t now_us, const char *file_name,
                        struct store_export *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT user_id FROM data_exports WHERE status = 'pending' "
                                  "ORDER BY requested_us, user_id LIMIT 1",
                                  e);
    if (!q)
        return -1;
    int64_t user_id = 0;
    int found = sqlite_get_int(st, q, &user_id, e);
    if (found <= 0)
        return found;
    q = sqlite_stmt(st,
                    "UPDATE data_exports SET status = 'running', started_us = $2, completed_us = NULL, "
                    "file_name = $3, size_bytes = NULL, error = NULL, attempts = attempts + 1 WHERE user_id = $1",
                    e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, now_us);
    sqlite_bind_text_or_static(q, 3, file_name);
    if (!sqlite_exec_stmt(st, q, e, "export claim"))
        return -1;
    int got = store_export_get(st, a, user_id, out, e);
    if (got == 0) /* updated a moment ago in this transaction */
        err_internal(e);
    return got == 1 ? 1 : -1;
}

int sqlite_export_finish(struct store *st, int64_t user_id, const char *file_name, enum store_export_status status,
                         int64_t now_us, int64_t size_bytes, const char *error, struct err *e)
{
    const char *word = export_status_word(status);
    if (!word || status == STORE_EXPORT_RUNNING)
        return err_internal(e), -1;
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE data_exports SET status = $3, "
                                  "completed_us = CASE WHEN $3 = 'pending' THEN NULL ELSE $4 END, "
                                  "started_us = CASE WHEN $3 = 'pending' THEN NULL ELSE started_us END, "
                                  "file_name = CASE WHEN $3 = 'ready' THEN file_name END, "
                                  "attempts = CASE WHEN $3 = 'pending' THEN max(attempts - 1, 0) ELSE attempts END, "
                                  "size_bytes = CASE WHEN $3 = 'ready' THEN $5 END, error = $6 "
                                  "WHERE user_id = $1 AND status = 'running' AND file_name = $2",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite_bind_text_or_static(q, 2, file_name);
    sqlite3_bind_text(q, 3, word, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, now_us);
    sqlite3_bind_int64(q, 5, size_bytes);
    sqlite_bind_text_or_static(q, 6, error);
    if (!sqlite_exec_stmt(st, q, e, "export finish"))
        return -1;
    return sqlite3_changes(st->lite->db) > 0;
}

bool sqlite_export_recover(struct store *st, int max_attempts, const char *error, int64_t now_us, int64_t *requeued,
                           int64_t *failed, struct err *e)
{
    *requeued = *failed = 0;
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE data_exports SET status = 'failed', completed_us = $2, file_name = NULL, "
                                  "error = $3 WHERE status = 'running' AND attempts >= $1",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int(q, 1, max_attempts);
    sqlite3_bind_int64(q, 2, now_us);
    sqlite_bind_text_or_static(q, 3, error);
    if (!sqlite_exec_stmt(st, q, e, "export recover (failed)"))
        return false;
    *failed = sqlite3_changes(st->lite->db);
    q = sqlite_stmt(st,
                    "UPDATE data_exports SET status = 'pending', started_us = NULL, file_name = NULL "
                    "WHERE status = 'running'",
                    e);
    if (!q || !sqlite_exec_stmt(st, q, e, "export recover (pending)"))
        return false;
    *requeued = sqlite3_changes(st->lite->db);
    return true;
}

bool sqlite_export_mark_downloaded(struct store *st, int64_t user_id, int64_t now_us, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "UPDATE data_exports SET downloaded_us = $2 WHERE user_id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, now_us);
    return sqlite_exec_stmt(st, q, e, "export downloaded");
}

bool sqlite_export_expire(struct store *st, int64_t before_us, int64_t *removed, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "DELETE FROM data_exports WHERE status IN ('ready', 'failed') AND completed_us < $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, before_us);
    if (!sqlite_exec_stmt(st, q, e, "export expire"))
        return false;
    *removed = sqlite3_changes(st->lite->db);
    return true;
}

bool sqlite_export_file_names(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "SELECT file_name FROM data_exports WHERE file_name IS NOT NULL ORDER BY file_name", e);
    return q && sqlite_get_texts(st, a, q, names, n, e);
}

bool sqlite_export_media(struct store *st, struct arena *a, int64_t user_id, struct store_export_file **out, size_t *n,
                         struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT avatar, cover FROM users WHERE id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    struct store_export_file *files = arena_alloc(a, 2 * sizeof *files);
    size_t count = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        static const char *const roles[] = {"avatar", "cover"};
        for (int i = 0; i < 2; i++) {
            const char *name = sqlite_col_text(a, q, i);
            if (name && *name)
                files[count++] = (struct store_export_file){roles[i], name};
        }
        rc = sqlite3_step(q);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "export media");
    *out = files;
    *n = count;
    return true;
}
