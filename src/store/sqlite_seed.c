/* sqlite_seed.c - `hearth seed`: a deterministic, realistic population for
 * development and the search benchmark, written straight through SQLite.
 *
 * The same (users, follows per user, seed) always gives the same rows.
 * Every user draws from its own random stream (seeded by the seed and its
 * id), so the generator can make passes: statuses first, then follows
 * (which need them, to keep deleted users out of the graph), then the users
 * themselves with their counters already right (contract §9: counters count
 * edges to active users only).
 *
 * Speed: the search indexes are dropped first and rebuilt at the end by
 * re-applying migration 005 (sorted bulk inserts instead of a million
 * trigger runs); rows go in through prepared statements, SEED_BATCH users
 * per transaction, with synchronous=OFF for the run.
 *
 * This file is the bulk writer; the people come from sqlite_seed_people.c,
 * and store_seed_file() (sqlite_seed_file.c) loads a small hand-written
 * population (JSON) through ordinary inserts, the triggers keeping the
 * indexes: the API tests' fixed populations.
 */
#include "store/seed.h"

#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/geo.h"
#include "core/log.h"
#include "core/text.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_seed_internal.h"
#include "store/store.h"

/* a 128-bit product for the follow targets (a GCC and clang extension) */
__extension__ typedef unsigned __int128 seed_u128;

/* ================================================================ */
/* helpers                                                          */

static bool exec(struct store *st, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(st->lite->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("seed: %s: %s", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return err_internal(e);
    }
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(const struct seed_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(const struct seed_options *o, const char *fmt, ...)
{
    if (!o->progress)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->progress(msg);
}

/* Drops every search_* object and forgets migration 005, in one
 * transaction: until 005 is applied again the database has no search
 * indexes and no triggers, and the next start (or the end of the seed)
 * rebuilds them from the base tables. */
static bool drop_search(struct store *st, struct err *e)
{
    if (!store_begin(st, e))
        return false;
    sqlite3_stmt *q = NULL;
    /* virtual tables first: they drop their own shadow tables */
    const char *list = "SELECT type, name FROM sqlite_master WHERE (name LIKE 'search\\_%' ESCAPE '\\' "
                       "OR name LIKE 'list\\_%' ESCAPE '\\') "
                       "AND type IN ('trigger', 'view', 'index', 'table') "
                       "ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 "
                       "ELSE CASE WHEN sql LIKE 'CREATE VIRTUAL%' THEN 3 ELSE 4 END END";
    if (sqlite3_prepare_v2(st->lite->db, list, -1, &q, NULL) != SQLITE_OK) {
        store_rollback(st);
        return sqlite_fail(st, e, "list search objects");
    }
    struct buf drops = BUF_INIT;
    while (sqlite3_step(q) == SQLITE_ROW)
        buf_printf(&drops, "DROP %s IF EXISTS \"%s\";", (const char *)sqlite3_column_text(q, 0),
                   (const char *)sqlite3_column_text(q, 1));
    sqlite3_finalize(q);
    /* the list counts (008) likewise: rebuilt from users by one grouped insert */
    buf_puts(&drops, "DELETE FROM schema_migrations WHERE name IN ('005_search.sql', '008_list_counts.sql');");
    bool ok = exec(st, buf_str(&drops), e) && store_commit(st, e);
    buf_free(&drops);
    if (!ok)
        store_rollback(st);
    return ok;
}

/* Inserts the seed's tags and categories (kept if they exist) and reads
 * their ids. */
static bool vocabulary(struct store *st, int64_t *tag_ids, int64_t *category_ids, struct seed_stats *out, struct err *e)
{
    sqlite3_stmt *ins = NULL, *get = NULL;
    bool ok = sqlite3_prepare_v2(st->lite->db,
                                 "INSERT OR IGNORE INTO tags (type, name, description, color, visible, active, "
                                 "created_us) VALUES ('user', $1, $2, $3, $4, $5, $6)",
                                 -1, &ins, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(st->lite->db, "SELECT id FROM tags WHERE type = 'user' AND name = $1", -1, &get, NULL) ==
                  SQLITE_OK;
    for (int i = 0; ok && i < N(seed_tags); i++) {
        sqlite3_bind_text(ins, 1, seed_tags[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, "Given by the seed generator.", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, seed_tags[i].color, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 4, seed_tags[i].visible);
        sqlite3_bind_int(ins, 5, seed_tags[i].active);
        sqlite3_bind_int64(ins, 6, clock_now_us());
        ok = sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_reset(ins);
        sqlite3_bind_text(get, 1, seed_tags[i].name, -1, SQLITE_STATIC);
        ok = ok && sqlite3_step(get) == SQLITE_ROW;
        tag_ids[i] = ok ? sqlite3_column_int64(get, 0) : 0;
        sqlite3_reset(get);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(get);
    ins = get = NULL;
    ok = ok &&
         sqlite3_prepare_v2(
             st->lite->db, "INSERT OR IGNORE INTO categories (\"order\", name, slug, lastmod_us) VALUES ($1, $2, $3, $4)", -1,
             &ins, NULL) == SQLITE_OK &&
         sqlite3_prepare_v2(st->lite->db, "SELECT id FROM categories WHERE name = $1", -1, &get, NULL) == SQLITE_OK;
    for (int i = 0; ok && i < N(seed_categories); i++) {
        char slug[64];
        size_t k = 0;
        for (const char *s = seed_categories[i]; *s && k + 1 < sizeof slug; s++)
            slug[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
        slug[k] = '\0';
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_text(ins, 2, seed_categories[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, slug, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 4, clock_now_us());
        ok = sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_reset(ins);
        sqlite3_bind_text(get, 1, seed_categories[i], -1, SQLITE_STATIC);
        ok = ok && sqlite3_step(get) == SQLITE_ROW;
        category_ids[i] = ok ? sqlite3_column_int64(get, 0) : 0;
        sqlite3_reset(get);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(get);
    out->tags = N(seed_tags);
    out->categories = N(seed_categories);
    return ok ? true : sqlite_fail(st, e, "seed vocabulary");
}

/* ================================================================ */
/* the generator                                                    */

/* One run of store_seed: its inputs, the plan of statuses and follows,
 * and the insert statements. The plan's arrays are heap-allocated (n can
 * be 50 million) and freed by seed_run_free. */
struct seed_run {
    struct store *st;
    const struct seed_options *o;
    struct seed_stats *out;
    struct err *e;
    int64_t n, K, first; /* users, follows each, first id */
    double t0;
    struct nameset names;
    int64_t tag_ids[N(seed_tags)], category_ids[N(seed_categories)];
    char *status;                   /* [n] */
    int32_t *follows;               /* [n * K]: targets, as indexes from first */
    int32_t *nfollows, *nfollowers; /* [n] */
    sqlite3_stmt *ins_user, *ins_tag, *ins_cat, *ins_follow;
};

/* The first free id and the usernames already taken. */
static bool seed_existing(struct seed_run *s)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->st->lite->db, "SELECT username_fold FROM users WHERE status <> 'u'", -1, &q, NULL) != SQLITE_OK)
        return sqlite_fail(s->st, s->e, "seed names");
    while (sqlite3_step(q) == SQLITE_ROW)
        seed_nameset_add(&s->names, (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->st->lite->db, "SELECT coalesce(max(id), 0) + 1 FROM users", -1, &q, NULL) != SQLITE_OK)
        return sqlite_fail(s->st, s->e, "seed ids");
    if (sqlite3_step(q) == SQLITE_ROW)
        s->first = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return true;
}

/* Pass 1: statuses; pass 2: follows (popular users are followed more: a
 * target's rank is log-uniform) and the counters they make. */
static void seed_plan_graph(struct seed_run *s)
{
    const int64_t n = s->n, K = s->K;
    s->status = malloc((size_t)n);
    s->follows = K ? malloc(sizeof *s->follows * (size_t)(n * K)) : NULL;
    s->nfollows = calloc((size_t)n, sizeof *s->nfollows);
    s->nfollowers = calloc((size_t)n, sizeof *s->nfollowers);
    if (!s->status || (K && !s->follows) || !s->nfollows || !s->nfollowers)
        abort();
    for (int64_t i = 0; i < n; i++)
        s->status[i] = seed_status(s->o->seed, s->first + i);
    for (int64_t i = 0; i < n && K; i++) {
        if (s->status[i] == USER_DELETED)
            continue;
        struct rng r = seed_rng_for(s->o->seed, s->first + i, 4);
        int32_t *mine = &s->follows[i * K];
        for (int tries = 0; s->nfollows[i] < K && tries < 4 * K; tries++) {
            /* rank in a fixed "popularity" permutation: (rank * odd) mod n */
            int64_t rank = (int64_t)exp(seed_rng_unit(&r) * log((double)n));
            if (rank >= n)
                rank = n - 1;
            int64_t t = (int64_t)(((seed_u128)rank * 0x9E3779B97F4A7C15ULL) % (uint64_t)n);
            if (t == i || s->status[t] == USER_DELETED)
                continue;
            bool dup = false;
            for (int j = 0; j < s->nfollows[i] && !dup; j++)
                dup = mine[j] == (int32_t)t;
            if (dup)
                continue;
            mine[s->nfollows[i]++] = (int32_t)t;
            s->nfollowers[t]++;
        }
    }
}

static bool seed_prepare_inserts(struct seed_run *s)
{
    sqlite3 *db = s->st->lite->db;
    bool ok =
        sqlite3_prepare_v2(db,
                           "INSERT INTO users (id, username, username_fold, email, email_fold, real_name, "
                           "real_name_fold, location, location_lat, location_lng, position_lat, position_lng, "
                           "date_of_birth, description, gender, status, role, date_joined_us, followers_counter, "
                           "followings_counter, categories_counter) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, "
                           "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
                           -1, &s->ins_user, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "INSERT INTO user_tags (user_id, tag_id) VALUES ($1, $2)", -1, &s->ins_tag, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(db, "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3)",
                           -1, &s->ins_cat, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "INSERT INTO follows (follower_id, followed_id, created_us) VALUES ($1, $2, $3)", -1,
                           &s->ins_follow, NULL) == SQLITE_OK;
    return ok ? true : sqlite_fail(s->st, s->e, "seed prepare");
}

/* Makes p's username unique (case-insensitively) by adding digits, and
 * returns its fold (heap, the caller frees). */
static char *seed_unique_username(struct seed_run *s, int64_t id, struct person *p)
{
    char *folded = text_fold_malloc(p->username, strlen(p->username));
    for (int attempt = 0; !seed_nameset_add(&s->names, folded); attempt++) {
        free(folded);
        struct rng r = seed_rng_for(s->o->seed, id, 10 + (uint64_t)attempt);
        size_t len = strlen(p->username);
        if (len > SEED_USERNAME_MAX - 8)
            len = SEED_USERNAME_MAX - 8;
        snprintf(p->username + len, sizeof p->username - len, "%lld",
                 (long long)seed_rng_below(&r, attempt < 3 ? 1000 : 1000000000));
        folded = text_fold_malloc(p->username, strlen(p->username));
    }
    return folded;
}

/* Inserts the user first + i with its tags and categories. */
static bool seed_user(struct seed_run *s, int64_t i)
{
    int64_t id = s->first + i;
    struct person p;
    seed_make_person(s->o->seed, id, s->first, s->n, &p);
    char *folded = seed_unique_username(s, id, &p);
    char email[SEED_USERNAME_MAX + 32];
    snprintf(email, sizeof email, "%s@example.com", folded);
    char *name_fold = text_fold_malloc(p.real_name, strlen(p.real_name));
    int cats[SEED_MAX_CATEGORY_FOLLOWS];
    int ncats = seed_pick_categories(s->o->seed, id, cats);
    sqlite3_stmt *q = s->ins_user;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, p.username, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, folded, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, p.real_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, name_fold ? name_fold : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, p.location ? p.location : "", -1, SQLITE_STATIC);
    if (p.has_location_ll) {
        sqlite3_bind_double(q, 8, p.location_lat);
        sqlite3_bind_double(q, 9, p.location_lng);
    } else {
        sqlite3_bind_null(q, 8);
        sqlite3_bind_null(q, 9);
    }
    if (p.has_position_ll) {
        /* as a profile update stores them: 7 decimals */
        sqlite3_bind_double(q, 10, round(p.position_lat * 1e7) / 1e7);
        sqlite3_bind_double(q, 11, round(p.position_lng * 1e7) / 1e7);
    } else {
        sqlite3_bind_null(q, 10);
        sqlite3_bind_null(q, 11);
    }
    sqlite_bind_text_or_null(q, 12, p.date_of_birth[0] ? p.date_of_birth : NULL);
    sqlite3_bind_text(q, 13, p.description ? p.description : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 14, p.gender, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 15, (char[]){p.status, 0}, 1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 16, p.role);
    sqlite3_bind_int64(q, 17, p.joined_us);
    sqlite3_bind_int64(q, 18, s->nfollowers[i]);
    sqlite3_bind_int64(q, 19, s->nfollows[i]);
    sqlite3_bind_int64(q, 20, ncats);
    bool ok = sqlite3_step(q) == SQLITE_DONE;
    sqlite3_reset(q);
    free(folded);
    free(name_fold);

    struct rng r = seed_rng_for(s->o->seed, id, 5);
    for (int t = 0; ok && t < N(seed_tags); t++) {
        if (seed_rng_below(&r, 10000) >= seed_tags[t].per10k)
            continue;
        sqlite3_bind_int64(s->ins_tag, 1, id);
        sqlite3_bind_int64(s->ins_tag, 2, s->tag_ids[t]);
        ok = sqlite3_step(s->ins_tag) == SQLITE_DONE;
        sqlite3_reset(s->ins_tag);
        s->out->user_tags++;
    }
    for (int c = 0; ok && c < ncats; c++) {
        sqlite3_bind_int64(s->ins_cat, 1, id);
        sqlite3_bind_int64(s->ins_cat, 2, s->category_ids[cats[c]]);
        sqlite3_bind_int64(s->ins_cat, 3, p.joined_us);
        ok = sqlite3_step(s->ins_cat) == SQLITE_DONE;
        sqlite3_reset(s->ins_cat);
        s->out->category_follows++;
    }
    s->out->users++;
    return ok;
}

/* Pass 3: users, their tags and categories, SEED_BATCH per transaction. */
static bool seed_users(struct seed_run *s)
{
    bool ok = true;
    double started = now_s();
    for (int64_t i = 0; ok && i < s->n; i++) {
        if (i % SEED_BATCH == 0 && !(ok = store_begin(s->st, s->e)))
            break;
        ok = seed_user(s, i);
        if (ok && ((i + 1) % SEED_BATCH == 0 || i + 1 == s->n)) {
            ok = store_commit(s->st, s->e);
            double phase = now_s() - started;
            progress(s->o, "seed: %lld of %lld users, %.0f users/s (%.1f s)", (long long)(i + 1), (long long)s->n,
                     phase > 0 ? (double)(i + 1) / phase : 0.0, now_s() - s->t0);
        }
    }
    if (!ok && !err_any(s->e))
        sqlite_fail(s->st, s->e, "seed users");
    store_rollback(s->st);
    return ok;
}

/* Pass 4: follows, after every user exists. */
static bool seed_follows(struct seed_run *s)
{
    bool ok = true;
    double started = now_s();
    for (int64_t i = 0; ok && i < s->n; i++) {
        if (i % SEED_BATCH == 0 && !(ok = store_begin(s->st, s->e)))
            break;
        for (int j = 0; ok && j < s->nfollows[i]; j++) {
            sqlite3_bind_int64(s->ins_follow, 1, s->first + i);
            sqlite3_bind_int64(s->ins_follow, 2, s->first + s->follows[i * s->K + j]);
            sqlite3_bind_int64(s->ins_follow, 3, (SEED_JOINED_TO + i) * 1000000);
            ok = sqlite3_step(s->ins_follow) == SQLITE_DONE;
            sqlite3_reset(s->ins_follow);
            s->out->follows++;
        }
        if (ok && ((i + 1) % SEED_BATCH == 0 || i + 1 == s->n)) {
            ok = store_commit(s->st, s->e);
            double phase = now_s() - started;
            progress(s->o, "seed: %lld follows, %.0f follows/s (%.1f s)", (long long)s->out->follows,
                     phase > 0 ? (double)s->out->follows / phase : 0.0, now_s() - s->t0);
        }
    }
    if (!ok && !err_any(s->e))
        sqlite_fail(s->st, s->e, "seed follows");
    store_rollback(s->st);
    return ok;
}

static void seed_run_free(struct seed_run *s)
{
    sqlite3_finalize(s->ins_user);
    sqlite3_finalize(s->ins_tag);
    sqlite3_finalize(s->ins_cat);
    sqlite3_finalize(s->ins_follow);
    free(s->status);
    free(s->follows);
    free(s->nfollows);
    free(s->nfollowers);
    seed_nameset_free(&s->names);
}

/* The search indexes, rebuilt from the rows by migration 005. */
static bool seed_index(struct seed_run *s)
{
    progress(s->o, "seed: building the search indexes");
    double t_index = now_s();
    if (!store_migrate(s->st, s->e) || !exec(s->st, "PRAGMA wal_checkpoint(TRUNCATE);", s->e))
        return false;
    s->out->seconds_index = now_s() - t_index;
    s->out->seconds_total = now_s() - s->t0;
    return exec(s->st, "PRAGMA synchronous = NORMAL;", s->e);
}

bool sqlite_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (o->users <= 0 || o->users > SEED_MAX_USERS)
        return err_field(e, "users", "invalid", "--users must be from 1 to 50000000.");
    if (o->follows_per_user < 0 || o->follows_per_user > SEED_MAX_FOLLOWS)
        return err_field(e, "follows-per-user", "invalid", "--follows-per-user must be from 0 to 1000.");
    struct seed_run s = {.st = st, .o = o, .out = out, .e = e, .n = o->users, .K = o->follows_per_user, .first = 1};
    s.t0 = now_s();
    /* the rebuild's sorts may use a helper thread */
    if (!exec(st, "PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA threads = 2;", e) ||
        !drop_search(st, e) || !seed_existing(&s))
        return false;
    if (!store_begin(st, e))
        return false;
    if (!vocabulary(st, s.tag_ids, s.category_ids, out, e) || !store_commit(st, e)) {
        store_rollback(st);
        seed_nameset_free(&s.names);
        return false;
    }
    progress(o, "seed: planning %lld users, %lld follows each", (long long)s.n, (long long)s.K);
    seed_plan_graph(&s);
    double t_users = now_s();
    bool ok = seed_prepare_inserts(&s) && seed_users(&s) && seed_follows(&s);
    seed_run_free(&s);
    out->seconds_users = now_s() - t_users;
    if (!ok)
        return false;
    if (s.K)
        progress(o, "seed: %lld follows (%.1f s)", (long long)out->follows, now_s() - s.t0);
    return seed_index(&s);
}

bool sqlite_search_reindex(struct store *st, struct err *e)
{
    return exec(st, "PRAGMA cache_size = -1048576; PRAGMA threads = 2;", e) && drop_search(st, e) &&
           store_migrate(st, e) && exec(st, "PRAGMA wal_checkpoint(TRUNCATE);", e);
}
