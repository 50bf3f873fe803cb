/* sqlite.c - the SQLite backend of store.h.
 *
 * Sections: connection and statement cache; SQL helper functions;
 * migrations and transactions; users; OAuth; preferences.
 * Every statement is a string literal prepared once per connection and
 * cached by its address; list queries with optional filters are built per
 * call and prepared fresh.
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/text.h"
#include "store/migrate.h"

enum {
    STORE_BUSY_TIMEOUT_MS = 5000, /* writers wait this long for the write lock */
    STORE_STMT_CACHE = 256,       /* distinct cached statements per connection */
};

struct cached_stmt {
    const char *sql; /* key: the literal's address */
    sqlite3_stmt *stmt;
};

struct store {
    sqlite3 *db;
    struct cached_stmt cache[STORE_STMT_CACHE];
};

/* ================================================================ */
/* connection, errors and statement cache                           */

static bool db_fail(struct store *st, struct err *e, const char *what)
{
    log_error("sqlite: %s: %s", what, sqlite3_errmsg(st->db));
    return err_internal(e);
}

/* The cached, reset statement for `sql`, or NULL (e filled). */
static sqlite3_stmt *stmt_get(struct store *st, const char *sql, struct err *e)
{
    size_t h = ((uintptr_t)sql >> 3) % STORE_STMT_CACHE;
    for (size_t i = 0; i < STORE_STMT_CACHE; i++) {
        struct cached_stmt *c = &st->cache[(h + i) % STORE_STMT_CACHE];
        if (c->sql == sql) {
            sqlite3_reset(c->stmt);
            sqlite3_clear_bindings(c->stmt);
            return c->stmt;
        }
        if (!c->sql) {
            if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmt, NULL) != SQLITE_OK) {
                db_fail(st, e, "prepare");
                return NULL;
            }
            c->sql = sql;
            return c->stmt;
        }
    }
    log_error("sqlite: statement cache full");
    err_internal(e);
    return NULL;
}

static void fn_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    char *f = text_fold_malloc(s, (size_t)sqlite3_value_bytes(argv[0]));
    if (!f)
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    else
        sqlite3_result_text(ctx, f, -1, free);
}

static bool is_word_byte(unsigned char c)
{
    /* bytes of multibyte UTF-8 characters count as word bytes: a letter in
     * any script continues a word */
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* word_prefix(folded_text, folded_term): 1 if the term starts the text or
 * starts right after a character that is not a letter or digit (§9). */
static void fn_word_prefix(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *t = (const char *)sqlite3_value_text(argv[1]);
    if (!s || !t || !*t) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    size_t tl = strlen(t);
    for (const char *p = s; (p = strstr(p, t)) != NULL; p++) {
        if (p == s || !is_word_byte((unsigned char)p[-1])) {
            sqlite3_result_int(ctx, 1);
            return;
        }
        (void)tl;
    }
    sqlite3_result_int(ctx, 0);
}

struct store *store_open(const char *path, struct err *e)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st) {
        err_internal(e);
        return NULL;
    }
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        log_error("sqlite: cannot open %s: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
        store_close(st);
        err_internal(e);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;";
    if (sqlite3_exec(st->db, setup, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(st->db, "fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                fn_fold, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(st->db, "word_prefix", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, fn_word_prefix, NULL, NULL) != SQLITE_OK) {
        db_fail(st, e, "setup");
        store_close(st);
        return NULL;
    }
    return st;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < STORE_STMT_CACHE; i++)
        if (st->cache[i].stmt)
            sqlite3_finalize(st->cache[i].stmt);
    sqlite3_close(st->db);
    free(st);
}

/* ================================================================ */
/* migrations and transactions                                      */

bool store_begin(struct store *st, struct err *e)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, e, "begin");
    return true;
}

bool store_commit(struct store *st, struct err *e)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        db_fail(st, e, "commit");
        store_rollback(st);
        return false;
    }
    return true;
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

bool store_migrate(struct store *st, struct err *e)
{
    if (sqlite3_exec(st->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, e, "migrations table");
    for (const struct migration *m = store_sqlite_migrations; m->name; m++) {
        if (!store_begin(st, e))
            return false;
        sqlite3_stmt *q = stmt_get(st, "SELECT 1 FROM schema_migrations WHERE name = $1", e);
        if (!q) {
            store_rollback(st);
            return false;
        }
        sqlite3_bind_text(q, 1, m->name, -1, SQLITE_STATIC);
        bool applied = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_reset(q);
        if (applied) {
            store_rollback(st);
            continue;
        }
        char *msg = NULL;
        if (sqlite3_exec(st->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
            log_error("sqlite: migration %s failed: %s", m->name, msg ? msg : "?");
            sqlite3_free(msg);
            store_rollback(st);
            return err_internal(e);
        }
        sqlite3_stmt *ins = stmt_get(st, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", e);
        if (!ins) {
            store_rollback(st);
            return false;
        }
        sqlite3_bind_text(ins, 1, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, clock_now());
        if (sqlite3_step(ins) != SQLITE_DONE) {
            db_fail(st, e, "record migration");
            store_rollback(st);
            return false;
        }
        if (!store_commit(st, e))
            return false;
        log_info("applied migration %s", m->name);
    }
    return true;
}

/* ================================================================ */
/* users                                                            */

#define USER_COLUMNS                                                                                            \
    "id, username, real_name, email, email_isvalid, date_joined_us, bio, location, location_lat, location_lng, " \
    "position_lat, position_lng, date_of_birth, description, gender, status, website, avatar, cover, ext_id, "    \
    "reputation, role, password_hash, tokens_valid_after, followers_counter, followings_counter, "                \
    "connections_counter, connection_requests_sent_counter, connection_requests_received_counter, "              \
    "posts_counter, discussions_counter, categories_counter"

static const char *col_text(struct arena *a, sqlite3_stmt *q, int i)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    return s ? arena_strndup(a, (const char *)s, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

static void user_from_row(struct arena *a, sqlite3_stmt *q, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(q, 0);
    u->username = col_text(a, q, 1);
    u->real_name = col_text(a, q, 2);
    u->email = col_text(a, q, 3);
    u->email_isvalid = sqlite3_column_int(q, 4) != 0;
    u->date_joined_us = sqlite3_column_int64(q, 5);
    u->bio = col_text(a, q, 6);
    u->location = col_text(a, q, 7);
    if (sqlite3_column_type(q, 8) != SQLITE_NULL) {
        u->has_location_ll = true;
        u->location_lat = sqlite3_column_double(q, 8);
        u->location_lng = sqlite3_column_double(q, 9);
    }
    if (sqlite3_column_type(q, 10) != SQLITE_NULL) {
        u->has_position_ll = true;
        u->position_lat = sqlite3_column_double(q, 10);
        u->position_lng = sqlite3_column_double(q, 11);
    }
    u->date_of_birth = col_text(a, q, 12);
    u->description = col_text(a, q, 13);
    u->gender = col_text(a, q, 14);
    const unsigned char *status = sqlite3_column_text(q, 15);
    u->status = status ? (char)status[0] : 'a';
    u->website = col_text(a, q, 16);
    u->avatar = col_text(a, q, 17);
    u->cover = col_text(a, q, 18);
    if (sqlite3_column_type(q, 19) != SQLITE_NULL) {
        u->has_ext_id = true;
        u->ext_id = sqlite3_column_int64(q, 19);
    }
    u->reputation = sqlite3_column_int64(q, 20);
    u->role = col_text(a, q, 21);
    u->password_hash = col_text(a, q, 22);
    u->tokens_valid_after = sqlite3_column_int64(q, 23);
    u->followers_counter = sqlite3_column_int64(q, 24);
    u->followings_counter = sqlite3_column_int64(q, 25);
    u->connections_counter = sqlite3_column_int64(q, 26);
    u->connection_requests_sent_counter = sqlite3_column_int64(q, 27);
    u->connection_requests_received_counter = sqlite3_column_int64(q, 28);
    u->posts_counter = sqlite3_column_int64(q, 29);
    u->discussions_counter = sqlite3_column_int64(q, 30);
    u->categories_counter = sqlite3_column_int64(q, 31);
}

/* Steps a lookup statement expected to give at most one user. */
static int user_step_one(struct store *st, struct arena *a, sqlite3_stmt *q, struct user *out, struct err *e)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        user_from_row(a, q, out);
        sqlite3_reset(q);
        return 1;
    }
    sqlite3_reset(q);
    if (rc == SQLITE_DONE)
        return 0;
    db_fail(st, e, "user lookup");
    return -1;
}

int store_user_get(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT " USER_COLUMNS " FROM users WHERE id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return user_step_one(st, a, q, out, e);
}

int store_user_get_by_login(struct store *st, struct arena *a, const char *login, struct user *out, struct err *e)
{
    /* status <> 'u' first: a hard-deleted tombstone may share a released name */
    sqlite3_stmt *q = stmt_get(st,
                               "SELECT " USER_COLUMNS " FROM users WHERE status <> 'u' AND "
                               "(username_fold = fold($1) OR email_fold = fold($1)) ORDER BY id LIMIT 1",
                               e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, login, -1, SQLITE_TRANSIENT);
    return user_step_one(st, a, q, out, e);
}

static int exists_step(struct store *st, sqlite3_stmt *q, struct err *e)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_fail(st, e, "exists");
    return -1;
}

int store_user_username_taken(struct store *st, const char *username, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q =
        stmt_get(st, "SELECT 1 FROM users WHERE username_fold = fold($1) AND status <> 'u' AND id <> $2", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, username, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, except_id);
    return exists_step(st, q, e);
}

int store_user_email_taken(struct store *st, const char *email, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT 1 FROM users WHERE email_fold = fold($1) AND status <> 'u' AND id <> $2", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, except_id);
    return exists_step(st, q, e);
}

int store_user_ext_id_taken(struct store *st, int64_t ext_id, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT 1 FROM users WHERE ext_id = $1 AND status <> 'u' AND id <> $2", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, ext_id);
    sqlite3_bind_int64(q, 2, except_id);
    return exists_step(st, q, e);
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

bool store_user_insert(struct store *st, const struct user *u, int64_t *id, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st,
                               "INSERT INTO users (username, username_fold, email, email_fold, password_hash, role, "
                               "ext_id, date_joined_us) VALUES ($1, fold($1), $2, fold($2), $3, $4, $5, $6)",
                               e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, u->username, -1, SQLITE_TRANSIENT);
    bind_text_or_null(q, 2, u->email);
    bind_text_or_null(q, 3, u->password_hash);
    bind_text_or_null(q, 4, u->role);
    if (u->has_ext_id)
        sqlite3_bind_int64(q, 5, u->ext_id);
    else
        sqlite3_bind_null(q, 5);
    sqlite3_bind_int64(q, 6, clock_now_us());
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return err_set(e, 400, "unique", "A user with these details already exists.");
    if (rc != SQLITE_DONE)
        return db_fail(st, e, "insert user");
    *id = sqlite3_last_insert_rowid(st->db);
    return true;
}

int64_t store_user_count(struct store *st, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT count(*) FROM users", e);
    if (!q)
        return -1;
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_reset(q);
    if (n < 0)
        db_fail(st, e, "count users");
    return n;
}

/* Parameters bound to a dynamically built query, in order. */
struct binds {
    const char *text[16];
    int n;
};

static void add_text_filter(struct buf *sql, struct binds *b, struct arena *a, const char *column, const char *term)
{
    char *folded = text_fold(a, term);
    b->text[b->n++] = folded;
    /* one or two characters match the start of a word (contract §3) */
    if (text_chars(folded) <= 2)
        buf_printf(sql, " AND word_prefix(%s, $%d)", column, b->n);
    else
        buf_printf(sql, " AND instr(%s, $%d) > 0", column, b->n);
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

bool store_user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                     struct err *e)
{
    struct buf where = {0}, sql = {0};
    struct binds b = {0};
    buf_puts(&where, " FROM users WHERE status IN ('a', 'b')");
    if (f->username)
        add_text_filter(&where, &b, a, "username_fold", f->username);
    if (f->real_name)
        add_text_filter(&where, &b, a, "real_name_fold", f->real_name);
    if (f->location)
        add_text_filter(&where, &b, a, "fold(location)", f->location);
    if (f->description)
        add_text_filter(&where, &b, a, "fold(description)", f->description);
    if (f->gender) {
        b.text[b.n++] = f->gender;
        buf_printf(&where, " AND gender = $%d", b.n);
    }
    int search_bind = 0;
    if (f->search) {
        char *folded = text_fold(a, f->search);
        b.text[b.n++] = folded;
        search_bind = b.n;
        if (text_chars(folded) <= 2)
            buf_printf(&where, " AND (word_prefix(username_fold, $%d) OR word_prefix(real_name_fold, $%d))", b.n,
                       b.n);
        else
            buf_printf(&where, " AND (instr(username_fold, $%d) > 0 OR instr(real_name_fold, $%d) > 0)", b.n, b.n);
    }
    if (f->exclude_id)
        buf_printf(&where, " AND id <> %lld", (long long)f->exclude_id);

    bool ok = false;
    sqlite3_stmt *q = NULL;
    /* count */
    buf_printf(&sql, "SELECT count(*)%s", buf_str(&where));
    if (sqlite3_prepare_v2(st->db, buf_str(&sql), -1, &q, NULL) != SQLITE_OK) {
        db_fail(st, e, "prepare count");
        goto done;
    }
    for (int i = 0; i < b.n; i++)
        sqlite3_bind_text(q, i + 1, b.text[i], -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        db_fail(st, e, "count");
        goto done;
    }
    out->count = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;

    /* page */
    sql.len = 0;
    buf_printf(&sql, "SELECT " USER_COLUMNS "%s ORDER BY ", buf_str(&where));
    if (f->norder == 0 && search_bind)
        buf_printf(&sql, "CASE WHEN username_fold = $%d THEN 0 WHEN substr(username_fold, 1, length($%d)) = $%d "
                         "THEN 1 ELSE 2 END, ",
                   search_bind, search_bind, search_bind);
    for (int i = 0; i < f->norder; i++) {
        const char *col = order_column(f->order[i].field);
        if (col)
            buf_printf(&sql, "%s %s, ", col, f->order[i].desc ? "DESC" : "ASC");
    }
    bool id_desc = f->norder > 0 && !strcmp(f->order[f->norder - 1].field, "id") && f->order[f->norder - 1].desc;
    buf_printf(&sql, "id %s LIMIT %d OFFSET %d", id_desc ? "DESC" : "ASC", f->limit, f->offset);
    if (sqlite3_prepare_v2(st->db, buf_str(&sql), -1, &q, NULL) != SQLITE_OK) {
        db_fail(st, e, "prepare list");
        goto done;
    }
    for (int i = 0; i < b.n; i++)
        sqlite3_bind_text(q, i + 1, b.text[i], -1, SQLITE_STATIC);
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(f->limit > 0 ? f->limit : 1));
    out->n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->n < f->limit)
        user_from_row(a, q, &out->items[out->n++]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_fail(st, e, "list");
        goto done;
    }
    ok = true;
done:
    sqlite3_finalize(q);
    buf_free(&where);
    buf_free(&sql);
    return ok;
}

/* ================================================================ */
/* OAuth clients and tokens                                         */

bool store_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name,
                         struct err *e)
{
    sqlite3_stmt *q = stmt_get(
        st, "INSERT INTO oauth_clients (client_id, secret_hash, name, created_at) VALUES ($1, $2, $3, $4)", e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, client_id, -1, SQLITE_TRANSIENT);
    bind_text_or_null(q, 2, secret_hash);
    sqlite3_bind_text(q, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 4, clock_now());
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : db_fail(st, e, "insert client");
}

int store_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out,
                     struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT id, client_id, secret_hash, name FROM oauth_clients WHERE client_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, client_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->client_id = col_text(a, q, 1);
        out->secret_hash = col_text(a, q, 2);
        out->name = col_text(a, q, 3);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_fail(st, e, "client lookup");
    return -1;
}

bool store_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash,
                        const char *refresh_hash, int64_t *id, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st,
                               "INSERT INTO oauth_tokens (user_id, client_id, access_hash, refresh_hash, "
                               "access_expires, refresh_expires, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                               e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, t->user_id);
    sqlite3_bind_int64(q, 2, t->client_id);
    sqlite3_bind_text(q, 3, access_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, refresh_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 5, t->access_expires);
    sqlite3_bind_int64(q, 6, t->refresh_expires);
    sqlite3_bind_int64(q, 7, clock_now());
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return db_fail(st, e, "insert token");
    *id = sqlite3_last_insert_rowid(st->db);
    return true;
}

static int token_step(struct store *st, sqlite3_stmt *q, struct oauth_token *out, struct err *e)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->user_id = sqlite3_column_int64(q, 1);
        out->client_id = sqlite3_column_int64(q, 2);
        out->access_expires = sqlite3_column_int64(q, 3);
        out->refresh_expires = sqlite3_column_int64(q, 4);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_fail(st, e, "token lookup");
    return -1;
}

int store_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st,
                               "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                               "WHERE access_hash = $1",
                               e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, access_hash, -1, SQLITE_TRANSIENT);
    return token_step(st, q, out, e);
}

int store_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st,
                               "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                               "WHERE refresh_hash = $1",
                               e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, refresh_hash, -1, SQLITE_TRANSIENT);
    return token_step(st, q, out, e);
}

bool store_token_delete(struct store *st, int64_t id, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "DELETE FROM oauth_tokens WHERE id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : db_fail(st, e, "delete token");
}

bool store_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "DELETE FROM oauth_tokens WHERE user_id = $1 AND id <> $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, except_id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : db_fail(st, e, "delete user tokens");
}

/* ================================================================ */
/* preferences                                                      */

static bool pref_from_row(struct arena *a, sqlite3_stmt *q, struct pref *p)
{
    p->id = sqlite3_column_int64(q, 0);
    p->section = col_text(a, q, 1);
    p->name = col_text(a, q, 2);
    const char *v = (const char *)sqlite3_column_text(q, 3);
    p->value = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
    if (!p->value)
        p->value = json_null();
    arena_defer(a, (void (*)(void *))json_decref, p->value);
    return true;
}

bool store_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT count(*) FROM prefs", e);
    if (!q)
        return false;
    int total = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_reset(q);
    q = stmt_get(st, "SELECT id, section, name, value FROM prefs ORDER BY id", e);
    if (!q)
        return false;
    *out = arena_alloc(a, sizeof **out * (size_t)(total + 1));
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < total)
        pref_from_row(a, q, &(*out)[(*n)++]);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(st, e, "list prefs");
    return true;
}

static int pref_step_one(struct store *st, struct arena *a, sqlite3_stmt *q, struct pref *out, struct err *e)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        pref_from_row(a, q, out);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_fail(st, e, "pref lookup");
    return -1;
}

int store_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                   struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT id, section, name, value FROM prefs WHERE section = $1 AND name = $2", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, section, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, name, -1, SQLITE_TRANSIENT);
    return pref_step_one(st, a, q, out, e);
}

int store_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e)
{
    sqlite3_stmt *q = stmt_get(st, "SELECT id, section, name, value FROM prefs WHERE id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return pref_step_one(st, a, q, out, e);
}

bool store_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e)
{
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!text)
        return err_internal(e);
    sqlite3_stmt *q = stmt_get(st, "UPDATE prefs SET value = $1 WHERE id = $2", e);
    if (!q) {
        free(text);
        return false;
    }
    sqlite3_bind_text(q, 1, text, -1, free);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : db_fail(st, e, "set pref");
}
