/* pg_user.c - users on PostgreSQL: lookups, uniqueness, insert, lists,
 * counters. The folded columns are written here from text_fold, never by
 * SQL (pg_internal.h). */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/pg_list.h"

/* text_fold of s, malloc'd: NULL for NULL; "" for a string that does not
 * fold (as SQLite's fold()). Sets *oom when memory runs out. */
static char *fold_dup(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *f = text_fold_malloc(s, strlen(s));
    if (!f)
        f = strdup("");
    if (!f)
        *oom = true;
    return f;
}

int pg_user_get(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e)
{
    return pg_row(st, a, pg_read_user, out, e, "SELECT " PG_USER_COLUMNS " FROM users WHERE id = $1", "i", id);
}

int pg_user_get_by_login(struct store *st, struct arena *a, const char *login, struct user *out, struct err *e)
{
    bool oom = false;
    char *folded = fold_dup(login, &oom);
    if (oom) {
        err_internal(e);
        return -1;
    }
    /* status <> 'u' first: a hard-deleted tombstone may share a released name */
    int rc = pg_row(st, a, pg_read_user, out, e,
                    "SELECT " PG_USER_COLUMNS " FROM users WHERE status <> 'u' AND "
                    "(username_fold = $1 OR email_fold = $1) ORDER BY id LIMIT 1",
                    "s", folded);
    free(folded);
    return rc;
}

/* Whether the literal `sql` finds a row for $1 = the fold of value and
 * $2 = except_id. */
static int taken_folded(struct store *st, const char *sql, const char *value, int64_t except_id, struct err *e)
{
    bool oom = false;
    char *folded = fold_dup(value, &oom);
    if (oom) {
        err_internal(e);
        return -1;
    }
    int rc = pg_exists(st, e, sql, "si", folded, except_id);
    free(folded);
    return rc;
}

int pg_user_username_taken(struct store *st, const char *username, int64_t except_id, struct err *e)
{
    return taken_folded(st, "SELECT 1 FROM users WHERE username_fold = $1 AND status <> 'u' AND id <> $2", username,
                        except_id, e);
}

int pg_user_email_taken(struct store *st, const char *email, int64_t except_id, struct err *e)
{
    return taken_folded(st, "SELECT 1 FROM users WHERE email_fold = $1 AND status <> 'u' AND id <> $2", email,
                        except_id, e);
}

int pg_user_ext_id_taken(struct store *st, int64_t ext_id, int64_t except_id, struct err *e)
{
    return pg_exists(st, e, "SELECT 1 FROM users WHERE ext_id = $1 AND status <> 'u' AND id <> $2", "ii", ext_id,
                     except_id);
}

static void read_id(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    *(int64_t *)out = pg_col_int(r, row, 0);
}

bool pg_user_insert(struct store *st, const struct user *u, int64_t *id, struct err *e)
{
    bool oom = false;
    char *username_fold = fold_dup(u->username, &oom), *email_fold = fold_dup(u->email, &oom);
    if (oom) {
        free(username_fold);
        free(email_fold);
        return err_internal(e);
    }
    char *words = pg_search_words_dup(username_fold, NULL, NULL, NULL);
    /* ON CONFLICT DO NOTHING: a unique clash (also with a concurrent
     * insert) returns no row instead of aborting the transaction */
    int rc = pg_row(st, NULL, read_id, id, e,
                    "INSERT INTO users (username, username_fold, email, email_fold, password_hash, role, ext_id, "
                    "date_joined_us, search_words) VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $8 <> 0 THEN $7 END, "
                    "$9, $10::text[]) ON CONFLICT DO NOTHING RETURNING id",
                    "ssssssiiis", u->username, username_fold, u->email, email_fold, u->password_hash, u->role,
                    u->ext_id, (int64_t)u->has_ext_id, clock_now_us(), words);
    free(words);
    free(username_fold);
    free(email_fold);
    if (rc < 0)
        return false;
    if (rc == 0)
        return err_set(e, ERR_INVALID, "unique", "A user with these details already exists.");
    return true;
}

int64_t pg_user_count(struct store *st, struct err *e)
{
    int64_t n = -1;
    return pg_count(st, &n, e, "SELECT count(*) FROM users", "") ? n : -1;
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
        buf_printf(&w->sql, " AND strpos(%s, $%d) > 0", column, n);
}

static const char *order_column(const char *field)
{
    if (!strcmp(field, "username"))
        return "username_fold";
    if (!strcmp(field, "real_name"))
        return "real_name_fold";
    if (!strcmp(field, "location"))
        return "location_fold";
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
        add_text_filter(w, a, "location_fold", f->location);
    if (f->description)
        add_text_filter(w, a, "description_fold", f->description);
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
            buf_printf(&w->sql, " AND (strpos(username_fold, $%d) > 0 OR strpos(real_name_fold, $%d) > 0)", search_bind,
                       search_bind);
    }
    if (f->exclude_id)
        buf_printf(&w->sql, " AND id <> $%d", sql_int(w, f->exclude_id));
    if (f->viewer_id) /* users the viewer hides are left out */
        buf_printf(&w->sql, " AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = $%d)",
                   sql_int(w, f->viewer_id));
    return search_bind;
}

bool pg_user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out, struct err *e)
{
    bool handled; /* plain lists seek through the maintained counts (pg_list.c) */
    if (!pg_user_list_seek(st, a, f, out, &handled, e))
        return false;
    if (handled)
        return true;
    struct sql_query w = {0};
    struct buf sql = BUF_INIT;
    int search_bind = user_list_where(&w, a, f);

    bool ok = false, own = false;
    PGresult *r = NULL;
    if (!pg_page_begin(st, &w, &out->count, &own, e)) {
        buf_free(&w.sql);
        return false;
    }

    /* page */
    buf_printf(&sql, "SELECT " PG_USER_COLUMNS "%s ORDER BY ", buf_str(&w.sql));
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
    if (!(r = pg_query(st, buf_str(&sql), &w, e)))
        goto done;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(f->limit > 0 ? f->limit : 1));
    out->n = 0;
    for (int row = 0; row < PQntuples(r) && out->n < f->limit; row++)
        pg_user_from_row(a, r, row, 0, &out->items[out->n++]);
    ok = true;
done:
    PQclear(r);
    pg_snapshot_end(st, own);
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

bool pg_user_counters_recompute(struct store *st, int64_t user_id, struct err *e)
{
    /* the caller locked the user and the users whose edges count
     * (store_lock_users), so this statement's snapshot, taken after the
     * locks, sees every edge committed before them */
    return pg_exec(st, e,
                   "UPDATE users SET (followers_counter, followings_counter, connections_counter, "
                   "connection_requests_sent_counter, connection_requests_received_counter, posts_counter, "
                   "discussions_counter, categories_counter) = (SELECT " COUNTERS_SQL(
                       "u") " FROM users u WHERE u.id = $1) WHERE id = $1",
                   "i", user_id);
}

/* Categories whose followers_counter differs from their follows by active
 * users (the triggers of 001_schema keep it). */
static int64_t category_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    PGresult *r = pg_run(st, e,
                         "SELECT id, followers_counter, actual FROM (SELECT k.id, k.followers_counter, "
                         "(SELECT count(*) FROM category_follows f JOIN users u ON u.id = f.user_id "
                         "WHERE f.category_id = k.id AND u.status IN ('a', 'b')) AS actual FROM categories k) c "
                         "WHERE followers_counter <> actual ORDER BY id",
                         "");
    if (!r)
        return -1;
    int64_t differences = PQntuples(r);
    for (int row = 0; fn && row < PQntuples(r); row++)
        fn(ctx, "category", pg_col_int(r, row, 0), "followers_counter", pg_col_int(r, row, 1), pg_col_int(r, row, 2));
    PQclear(r);
    return differences;
}

int64_t pg_user_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    /* one snapshot for the users and the categories; only the differing
     * rows come back */
    bool own = false;
    if (!pg_snapshot_begin(st, &own, e))
        return -1;
    /* an audit reads every row: no statement bound (until the snapshot ends) */
    if (!pg_exec_simple(st, e, "SET LOCAL statement_timeout = 0")) {
        pg_snapshot_end(st, own);
        return -1;
    }
    /* each counter's actual value grouped once over its table (hash
     * joins), not a correlated count per user: seconds at a million users */
    PGresult *r = pg_run(
        st, e,
        "WITH act AS (SELECT id FROM users WHERE status IN ('a', 'b')), "
        "f1 AS (SELECT f.followed_id AS id, count(*) AS n FROM follows f JOIN act ON act.id = f.follower_id GROUP BY 1), "
        "f2 AS (SELECT f.follower_id AS id, count(*) AS n FROM follows f JOIN act ON act.id = f.followed_id GROUP BY 1), "
        "c1 AS (SELECT c.user_id AS id, count(*) AS n FROM connections c JOIN act ON act.id = c.other_id GROUP BY 1), "
        "r1 AS (SELECT r.from_user_id AS id, count(*) AS n FROM connection_requests r "
        "JOIN act ON act.id = r.to_user_id GROUP BY 1), "
        "r2 AS (SELECT r.to_user_id AS id, count(*) AS n FROM connection_requests r "
        "JOIN act ON act.id = r.from_user_id WHERE r.rejected_us IS NULL GROUP BY 1), "
        "p1 AS (SELECT author_id AS id, count(*) FILTER (WHERE type = 'post') AS n, "
        "count(*) FILTER (WHERE type = 'discussion') AS d FROM posts WHERE deleted = 0 GROUP BY 1), "
        "k1 AS (SELECT cf.user_id AS id, count(*) AS n FROM category_follows cf "
        "JOIN categories k ON k.id = cf.category_id WHERE k.deleted = 0 GROUP BY 1) "
        "SELECT * FROM (SELECT u.id, u.followers_counter, u.followings_counter, u.connections_counter, "
        "u.connection_requests_sent_counter, u.connection_requests_received_counter, u.posts_counter, "
        "u.discussions_counter, u.categories_counter, coalesce(f1.n, 0), coalesce(f2.n, 0), coalesce(c1.n, 0), "
        "coalesce(r1.n, 0), coalesce(r2.n, 0), coalesce(p1.n, 0), coalesce(p1.d, 0), coalesce(k1.n, 0) "
        "FROM users u LEFT JOIN f1 ON f1.id = u.id LEFT JOIN f2 ON f2.id = u.id LEFT JOIN c1 ON c1.id = u.id "
        "LEFT JOIN r1 ON r1.id = u.id LEFT JOIN r2 ON r2.id = u.id LEFT JOIN p1 ON p1.id = u.id "
        "LEFT JOIN k1 ON k1.id = u.id) c (id, s1, s2, s3, s4, s5, s6, s7, s8, a1, a2, a3, a4, a5, a6, a7, a8) "
        "WHERE (s1, s2, s3, s4, s5, s6, s7, s8) IS DISTINCT FROM (a1, a2, a3, a4, a5, a6, a7, a8) ORDER BY id",
        "");
    if (!r) {
        pg_snapshot_end(st, own);
        return -1;
    }
    int64_t differences = 0;
    for (int row = 0; row < PQntuples(r); row++) {
        int64_t id = pg_col_int(r, row, 0);
        for (int i = 0; i < COUNTER_COUNT; i++) {
            int64_t stored = pg_col_int(r, row, 1 + i), actual = pg_col_int(r, row, 1 + COUNTER_COUNT + i);
            if (stored != actual) {
                differences++;
                if (fn)
                    fn(ctx, "user", id, counter_columns[i], stored, actual);
            }
        }
    }
    PQclear(r);
    int64_t lists = pg_list_counts_check(st, fn, ctx, e); /* the lists' counts by key range */
    if (lists < 0) {
        pg_snapshot_end(st, own);
        return -1;
    }
    int64_t categories = category_counters_check(st, fn, ctx, e);
    int64_t tag_ids = categories < 0 ? -1 : pg_tag_ids_check(st, fn, ctx, e); /* users.tag_ids (019) */
    pg_snapshot_end(st, own);
    return tag_ids < 0 ? -1 : differences + lists + categories + tag_ids;
}
