/* sqlite_user.c - users: lookups, uniqueness, insert, lists. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_list.h"

int sqlite_user_get(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " USER_COLUMNS " FROM users WHERE id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_get_row(st, q, sqlite_read_user, a, out, e);
}

int sqlite_user_get_by_login(struct store *st, struct arena *a, const char *login, struct user *out, struct err *e)
{
    /* status <> 'u' first: a hard-deleted tombstone may share a released name */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT " USER_COLUMNS " FROM users WHERE status <> 'u' AND "
                                  "(username_fold = fold($1) OR email_fold = fold($1)) ORDER BY id LIMIT 1",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, login, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, sqlite_read_user, a, out, e);
}

int sqlite_user_username_taken(struct store *st, const char *username, int64_t except_id, struct err *e)
{
    return sqlite_taken(st, "SELECT 1 FROM users WHERE username_fold = fold($1) AND status <> 'u' AND id <> $2",
                        username, except_id, e);
}

int sqlite_user_email_taken(struct store *st, const char *email, int64_t except_id, struct err *e)
{
    return sqlite_taken(st, "SELECT 1 FROM users WHERE email_fold = fold($1) AND status <> 'u' AND id <> $2", email,
                        except_id, e);
}

int sqlite_user_ext_id_taken(struct store *st, int64_t ext_id, int64_t except_id, struct err *e)
{
    return sqlite_exists_ids(st, "SELECT 1 FROM users WHERE ext_id = $1 AND status <> 'u' AND id <> $2", ext_id,
                             except_id, e);
}

bool sqlite_user_insert(struct store *st, const struct user *u, int64_t *id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO users (username, username_fold, email, email_fold, password_hash, role, "
                                  "ext_id, date_joined_us) VALUES ($1, fold($1), $2, fold($2), $3, $4, $5, $6)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, u->username, -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 2, u->email);
    sqlite_bind_text_or_null(q, 3, u->password_hash);
    sqlite_bind_text_or_null(q, 4, u->role);
    if (u->has_ext_id)
        sqlite3_bind_int64(q, 5, u->ext_id);
    else
        sqlite3_bind_null(q, 5);
    sqlite3_bind_int64(q, 6, clock_now_us());
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INVALID, "unique", "A user with these details already exists.");
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "insert user");
    *id = sqlite3_last_insert_rowid(st->lite->db);
    return true;
}

int64_t sqlite_user_count(struct store *st, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*) FROM users", e);
    int64_t n = -1;
    return q && sqlite_get_count(st, q, &n, e) ? n : -1;
}

static void add_text_filter(struct sql_query *w, struct arena *a, const char *column, const char *term)
{
    char *folded = text_fold(a, term);
    if (!*folded)
        return; /* a term that folds to nothing (e.g. U+200B) filters nothing */
    int n = sql_text(w, folded);
    /* one or two characters match the start of a word (contract §3) */
    if (text_chars(folded) <= 2)
        buf_printf(&w->sql, " AND word_prefix(%s, $%d)", column, n);
    else
        buf_printf(&w->sql, " AND instr(%s, $%d) > 0", column, n);
}

static const char *order_column(const char *field)
{
    if (!strcmp(field, "username"))
        return "username_fold";
    if (!strcmp(field, "real_name"))
        return "real_name_fold";
    if (!strcmp(field, "location"))
        return "fold(location)";
    if (!strcmp(field, "date_joined"))
        return "date_joined_us";
    if (!strcmp(field, "id"))
        return "id";
    return NULL;
}

/* The FROM and WHERE of f into w (text and values). Returns the
 * placeholder of the folded search term, 0 without one. */
static int user_list_where(struct sql_query *w, struct arena *a, const struct user_filter *f)
{
    buf_puts(&w->sql, " FROM users WHERE status IN ('a', 'b')");
    if (f->username)
        add_text_filter(w, a, "username_fold", f->username);
    if (f->real_name)
        add_text_filter(w, a, "real_name_fold", f->real_name);
    if (f->location)
        add_text_filter(w, a, "fold(location)", f->location);
    if (f->description)
        add_text_filter(w, a, "fold(description)", f->description);
    if (f->gender)
        buf_printf(&w->sql, " AND gender = $%d", sql_text(w, f->gender));
    int search_bind = 0;
    if (f->search) {
        char *folded = text_fold(a, f->search);
        search_bind = sql_text(w, folded);
        if (text_chars(folded) <= 2)
            buf_printf(&w->sql, " AND (word_prefix(username_fold, $%d) OR word_prefix(real_name_fold, $%d))",
                       search_bind, search_bind);
        else
            buf_printf(&w->sql, " AND (instr(username_fold, $%d) > 0 OR instr(real_name_fold, $%d) > 0)", search_bind,
                       search_bind);
    }
    if (f->exclude_id)
        buf_printf(&w->sql, " AND id <> $%d", sql_int(w, f->exclude_id));
    if (f->viewer_id) /* users the viewer hides are left out */
        buf_printf(&w->sql, " AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = $%d)",
                   sql_int(w, f->viewer_id));
    return search_bind;
}

bool sqlite_user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                      struct err *e)
{
    bool handled; /* plain lists seek through the maintained counts */
    if (!sqlite_user_list_seek(st, a, f, out, &handled, e))
        return false;
    if (handled)
        return true;
    struct sql_query w = {0};
    struct buf sql = BUF_INIT;
    int search_bind = user_list_where(&w, a, f);

    bool ok = false, own = false;
    sqlite3_stmt *q = NULL;
    if (!sqlite_page_begin(st, &w, &out->count, &own, e))
        goto done;

    /* page */
    buf_printf(&sql, "SELECT " USER_COLUMNS "%s ORDER BY ", buf_str(&w.sql));
    if (f->norder == 0 && search_bind)
        buf_printf(&sql,
                   "CASE WHEN username_fold = $%d THEN 0 WHEN substr(username_fold, 1, length($%d)) = $%d "
                   "THEN 1 ELSE 2 END, ",
                   search_bind, search_bind, search_bind);
    for (int i = 0; i < f->norder; i++) {
        const char *col = order_column(f->order[i].field);
        if (col)
            buf_printf(&sql, "%s %s, ", col, f->order[i].desc ? "DESC" : "ASC");
    }
    bool id_desc = f->norder > 0 && !strcmp(f->order[f->norder - 1].field, "id") && f->order[f->norder - 1].desc;
    int limit_bind = sql_int(&w, f->limit), offset_bind = sql_int(&w, f->offset);
    buf_printf(&sql, "id %s LIMIT $%d OFFSET $%d", id_desc ? "DESC" : "ASC", limit_bind, offset_bind);
    if (!(q = sqlite_query_stmt(st, buf_str(&sql), &w, e)))
        goto done;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(f->limit > 0 ? f->limit : 1));
    out->n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->n < f->limit)
        sqlite_user_from_row(a, q, 0, &out->items[out->n++]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite_fail(st, e, "list");
        goto done;
    }
    ok = true;
done:
    if (q)
        sqlite3_reset(q);
    sqlite_snapshot_end(st, own);
    buf_free(&w.sql);
    buf_free(&sql);
    return ok;
}

/* The counter columns and the SQL computing each from the edges for the
 * user `u` (an alias of users in the enclosing query). Order matters: it
 * is the column order of the check query. */
/* one counter a line: clang-format would reflow the macro */
// clang-format off
#define ACTIVE(col) "(SELECT status FROM users o WHERE o.id = " col ") IN ('a', 'b')"
#define COUNTERS_SQL(u)                                                                                           \
    "(SELECT count(*) FROM follows f WHERE f.followed_id = " u ".id AND " ACTIVE("f.follower_id") "), "           \
    "(SELECT count(*) FROM follows f WHERE f.follower_id = " u ".id AND " ACTIVE("f.followed_id") "), "           \
    "(SELECT count(*) FROM connections c WHERE c.user_id = " u ".id AND " ACTIVE("c.other_id") "), "              \
    "(SELECT count(*) FROM connection_requests r WHERE r.from_user_id = " u ".id AND " ACTIVE("r.to_user_id") "), " \
    "(SELECT count(*) FROM connection_requests r WHERE r.to_user_id = " u ".id AND r.rejected_us IS NULL AND "    \
    ACTIVE("r.from_user_id") "), "                                                                               \
    "(SELECT count(*) FROM posts p WHERE p.author_id = " u ".id AND p.type = 'post' AND p.deleted = 0), "          \
    "(SELECT count(*) FROM posts p WHERE p.author_id = " u ".id AND p.type = 'discussion' AND p.deleted = 0), "    \
    "(SELECT count(*) FROM category_follows cf JOIN categories k ON k.id = cf.category_id "                      \
    "WHERE cf.user_id = " u ".id AND k.deleted = 0)"
// clang-format on

static const char *const counter_columns[] = {
    "followers_counter",
    "followings_counter",
    "connections_counter",
    "connection_requests_sent_counter",
    "connection_requests_received_counter",
    "posts_counter",
    "discussions_counter",
    "categories_counter",
};
enum { COUNTER_COUNT = sizeof counter_columns / sizeof counter_columns[0] };

bool sqlite_user_counters_recompute(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE users SET (followers_counter, followings_counter, connections_counter, "
                                  "connection_requests_sent_counter, connection_requests_received_counter, "
                                  "posts_counter, discussions_counter, categories_counter) = (SELECT " COUNTERS_SQL(
                                      "u") " FROM users u WHERE u.id = $1) WHERE id = $1",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exec_stmt(st, q, e, "recompute counters");
}

int64_t sqlite_user_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    sqlite3_stmt *q = NULL;
    const char *sql = "SELECT u.id, followers_counter, followings_counter, connections_counter, "
                      "connection_requests_sent_counter, connection_requests_received_counter, posts_counter, "
                      "discussions_counter, categories_counter, " COUNTERS_SQL("u") " FROM users u ORDER BY u.id";
    if (sqlite_prepare(st, sql, false, &q) != SQLITE_OK) {
        sqlite_fail(st, e, "prepare check");
        return -1;
    }
    int64_t differences = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        for (int i = 0; i < COUNTER_COUNT; i++) {
            int64_t stored = sqlite3_column_int64(q, 1 + i), actual = sqlite3_column_int64(q, 1 + COUNTER_COUNT + i);
            if (stored != actual) {
                differences++;
                if (fn)
                    fn(ctx, "user", id, counter_columns[i], stored, actual);
            }
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sqlite_fail(st, e, "check counters");
        return -1;
    }
    int64_t lists = sqlite_list_counts_check(st, fn, ctx, e); /* the user list's counts by key range */
    if (lists < 0)
        return -1;
    int64_t categories = sqlite_category_counters_check(st, fn, ctx, e);
    int64_t tag_ids = categories < 0 ? -1 : sqlite_tag_ids_check(st, fn, ctx, e); /* users.tag_ids (025) */
    return tag_ids < 0 ? -1 : differences + lists + categories + tag_ids;
}
