/* test_search.c - the search engine against its reference.
 *
 * A seeded population (src/store/sqlite_seed.c) is changed through plain
 * SQL (profile edits, soft and hard deletes, tags, categories, hides), so
 * the 005 triggers run; the indexes must then equal what the base tables
 * say (store_search_check), and thousands of random queries must give the
 * same count, the same page in the same order and the same distances as
 * the obvious full scan (store_search_users_naive), under the default
 * thresholds and under thresholds that force every other path. Also: the
 * text-term statements use the search indexes (the query plans), and the
 * word-start and geo helpers on their own.
 *
 * With HEARTH_TEST_PG set the same runs on PostgreSQL (pg_search*.c):
 * plain SQL cannot fold there, so the changes write the folds hearth
 * computes, the audit must find the words they left stale, and the
 * rebuild (store_search_reindex) must clear it; the SQLite engine's own
 * tests (trigger costs, thresholds' paths) run on SQLite only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/geo.h"
#include "core/text.h"
#include "domain/search.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/search_words.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_search_internal.h"
#include "store/seed.h"
#include "store/store.h"
#include "temp_store.h"
#include "store/test_hooks.h"

enum {
    POPULATION = 3000,
    QUERIES = 1500, /* per tuning */
    MUTATIONS = 300,
};

struct fixture {
    struct temp_store tmp;
    struct store *st;
    int64_t max_id;
    int64_t hider; /* a user who hid others */
};

static struct fixture fx;

static uint64_t rnd_state = 0x1234567;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static int64_t rnd_below(int64_t n) { return n <= 1 ? 0 : (int64_t)(rnd() % (uint64_t)n); }

static bool on_pg;

/* Runs one or several statements (the simple query protocol on PostgreSQL). */
static void exec(const char *sql)
{
    if (on_pg) {
        struct err e = {0};
        bool ok = pg_exec_simple(fx.st, &e, sql);
        if (!ok)
            fprintf(stderr, "SQL failed (logged above):\n%s\n", sql);
        assert_true(ok);
        return;
    }
    char *msg = NULL;
    int rc = sqlite3_exec(fx.st->lite->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "SQL failed: %s\n%s\n", msg ? msg : "?", sql);
        for (sqlite3_stmt *b = sqlite3_next_stmt(fx.st->lite->db, NULL); b; b = sqlite3_next_stmt(fx.st->lite->db, b))
            if (sqlite3_stmt_busy(b))
                fprintf(stderr, "busy: %s\n", sqlite3_sql(b));
    }
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

/* The first column of the first row as text, malloc'd (NULL: no row or NULL). */
static char *first_text(const char *sql)
{
    char *v = NULL;
    if (on_pg) {
        PGresult *r = PQexec(fx.st->pg->conn, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fprintf(stderr, "SQL failed: %s\n%s\n", PQresultErrorMessage(r), sql);
        assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
        if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
            v = strdup(PQgetvalue(r, 0, 0));
        PQclear(r);
        return v;
    }
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(fx.st->lite->db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        v = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return v;
}

static int64_t scalar(const char *sql)
{
    char *s = first_text(sql);
    int64_t v = s ? strtoll(s, NULL, 10) : -1;
    free(s);
    return v;
}

/* A text column of a random active user ("" if none). */
static char *random_text(const char *column)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM users WHERE id >= %lld AND status IN ('a', 'b') ORDER BY id LIMIT 1",
             column, (long long)(1 + rnd_below(fx.max_id)));
    char *s = first_text(sql);
    return s ? s : strdup("");
}

/* The SQL of the fold of s (no quotes in s): SQLite's fold(), or on
 * PostgreSQL the literal hearth computes (as its store writes it). */
static const char *fold_sql(const char *s)
{
    static char out[4][256];
    static int k;
    char *o = out[k++ % 4];
    if (on_pg) {
        char *f = text_fold_malloc(s, strlen(s));
        snprintf(o, sizeof out[0], "'%s'", f ? f : "");
        free(f);
    } else {
        snprintf(o, sizeof out[0], "fold('%s')", s);
    }
    return o;
}

/* ---- setup: a seeded population, then changes through SQL ---- */

static const char *const new_names[] = {"Zoë Ångström", "Мария Иванова", "李小龙",     "O'Neil-Smith", "Ana María", "",
                                        "mario rossi",  "Émile",         "ÉMILE ZOLA", "x y z"};
static const char *const new_locations[] = {"Milano", "São Paulo", "東京", "", "Paris, France", "Reykjavík"};
static const char *const genders[] = {"Male", "Female", "Unspecified"};

static void mutate(void)
{
    char sql[1024];
    for (int i = 0; i < MUTATIONS; i++) {
        int64_t id = 2 + rnd_below(fx.max_id - 1);
        switch (rnd_below(10)) {
        case 0:
        case 1: { /* a profile edit */
            const char *name = new_names[rnd_below(10)];
            const char *loc = new_locations[rnd_below(6)];
            bool coords = rnd_below(3) != 0;
            snprintf(sql, sizeof sql,
                     "UPDATE users SET real_name = '%s', real_name_fold = %s, location = '%s', "
                     "location_lat = %s, location_lng = %s, description = '%s', gender = '%s', "
                     "date_of_birth = %s WHERE id = %lld",
                     name, fold_sql(name), loc, coords ? "45.4642" : "NULL", coords ? "9.19" : "NULL",
                     rnd_below(2) ? "runner, reader" : "", genders[rnd_below(3)],
                     rnd_below(4) ? "'1990-02-28'" : "NULL", (long long)id);
            /* names with a quote need doubling */
            if (strchr(name, '\''))
                snprintf(sql, sizeof sql,
                         "UPDATE users SET real_name = 'O''Neil-Smith', real_name_fold = %s WHERE id = %lld",
                         on_pg ? "'o''neil-smith'" : "fold('O''Neil-Smith')", (long long)id);
            exec(sql);
            break;
        }
        case 2: /* a position */
            snprintf(sql, sizeof sql, "UPDATE users SET position_lat = %f, position_lng = %f WHERE id = %lld",
                     -60 + (double)rnd_below(120000) / 1000, -179 + (double)rnd_below(358000) / 1000, (long long)id);
            exec(sql);
            break;
        case 3: /* soft delete, block, or back */
            snprintf(sql, sizeof sql, "UPDATE users SET status = '%c' WHERE id = %lld AND status <> 'u'",
                     "dba"[rnd_below(3)], (long long)id);
            exec(sql);
            break;
        case 4: /* hard delete: profile cleared, tags and follows gone */
            snprintf(sql, sizeof sql,
                     "DELETE FROM user_tags WHERE user_id = %lld; DELETE FROM category_follows WHERE user_id = %lld; "
                     "UPDATE users SET status = 'u', real_name = '', real_name_fold = '', location = '', "
                     "description = '', location_lat = NULL, location_lng = NULL, position_lat = NULL, "
                     "position_lng = NULL, date_of_birth = NULL WHERE id = %lld",
                     (long long)id, (long long)id, (long long)id);
            exec(sql);
            break;
        case 5: /* tags */
            snprintf(sql, sizeof sql,
                     "INSERT %s INTO user_tags (user_id, tag_id) VALUES (%lld, %lld) %s; "
                     "DELETE FROM user_tags WHERE user_id = %lld AND tag_id = %lld",
                     on_pg ? "" : "OR IGNORE", (long long)id, (long long)(1 + rnd_below(22)),
                     on_pg ? "ON CONFLICT DO NOTHING" : "", (long long)(2 + rnd_below(fx.max_id - 1)),
                     (long long)(1 + rnd_below(22)));
            exec(sql);
            break;
        case 6: /* categories */
            snprintf(sql, sizeof sql,
                     "INSERT %s INTO category_follows (user_id, category_id, created_us) VALUES (%lld, %lld, 0) %s; "
                     "DELETE FROM category_follows WHERE user_id = %lld AND category_id = %lld",
                     on_pg ? "" : "OR IGNORE", (long long)id, (long long)(1 + rnd_below(30)),
                     on_pg ? "ON CONFLICT DO NOTHING" : "", (long long)(2 + rnd_below(fx.max_id - 1)),
                     (long long)(1 + rnd_below(30)));
            exec(sql);
            break;
        case 7: /* a role */
            snprintf(sql, sizeof sql, "UPDATE users SET role = %s WHERE id = %lld",
                     rnd_below(2) ? "'moderator'" : "NULL", (long long)id);
            exec(sql);
            break;
        case 8: { /* a username, often of 3-5 characters (the exact username's rank), unless taken */
            static const char *const names[] = {"Mar", "Mari", "Maria", "Anna", "Ann", "Rosa", "Élan", "Ïvan"};
            char name[64];
            snprintf(name, sizeof name, rnd_below(2) ? "%s" : "%s_%lld", names[rnd_below(8)], (long long)id);
            const char *f = fold_sql(name);
            snprintf(sql, sizeof sql,
                     "UPDATE users SET username = '%s', username_fold = %s WHERE id = %lld AND status <> 'u' AND NOT "
                     "EXISTS (SELECT 1 FROM users x WHERE x.username_fold = %s AND x.status <> 'u')",
                     name, f, (long long)id, f);
            exec(sql);
            break;
        }
        default: /* hides */
            snprintf(sql, sizeof sql, "INSERT %s INTO hides (user_id, hidden_id, created_us) VALUES (%lld, %lld, 0) %s",
                     on_pg ? "" : "OR IGNORE", (long long)fx.hider, (long long)id,
                     on_pg ? "ON CONFLICT DO NOTHING" : "");
            exec(sql);
            break;
        }
    }
    /* a user deleted outright (the cascade takes its tags and follows) */
    snprintf(sql, sizeof sql, "DELETE FROM users WHERE id = %lld", (long long)(fx.max_id - 3));
    exec(sql);
}

static int setup(void **state)
{
    if (!temp_store_open(&fx.tmp))
        return -1;
    fx.st = fx.tmp.st;
    struct err e = {0};
    struct seed_options o = {.users = POPULATION, .follows_per_user = 2, .seed = 5};
    struct seed_stats stats;
    if (!store_seed(fx.st, &o, &stats, &e))
        return -1;
    fx.max_id = scalar("SELECT max(id) FROM users");
    fx.hider = 7;
    return 0;
}

static int teardown(void **state)
{
    temp_store_close(&fx.tmp);
    return 0;
}

/* ---- the indexes follow the base tables ---- */

static void test_indexes_built_by_the_migration(void **state)
{
    struct err e = {0};
    assert_int_equal(store_search_check(fx.st, &e), 0);
    if (on_pg) { /* the seed wrote every user's words */
        assert_true(scalar("SELECT count(*) FROM users WHERE cardinality(search_words) > 0") >= POPULATION);
        return;
    }
    assert_true(scalar("SELECT count(*) FROM search_suffix") > POPULATION);
    assert_true(scalar("SELECT n FROM search_count WHERE key = 'a'") > POPULATION * 9 / 10);
}

static void test_triggers_keep_indexes_in_sync(void **state)
{
    mutate();
    struct err e = {0};
    if (on_pg) {
        /* plain SQL wrote raw text without hearth's folds and words: the
         * audit sees it, the rebuild mends it */
        assert_true(store_search_check(fx.st, &e) > 0);
        assert_true(store_search_reindex(fx.st, &e));
    }
    assert_int_equal(store_search_check(fx.st, &e), 0);
    /* something did change */
    assert_true(scalar("SELECT count(*) FROM users WHERE status = 'u'") > 0);
    assert_true(scalar("SELECT count(*) FROM hides") > 0);
}

/* Removing a user's rows deletes them by primary key: a soft delete of a
 * user whose words start like thousands of others stays a few thousand
 * virtual machine steps (reading every row of each shared prefix, as an
 * IN list without the key's affinities does, costs ten times more). */
static void test_trigger_removals_use_keys(void **state)
{
    if (on_pg)
        return; /* SQLite's triggers and virtual machine */
    exec("UPDATE users SET real_name = 'Maria Mario Marco Anna Alessandro Rossi Ferrari', "
         "real_name_fold = fold('Maria Mario Marco Anna Alessandro Rossi Ferrari'), "
         "location = 'Milano, Roma, Madrid', description = 'Music, movies and more' WHERE id = 11");
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(fx.st->lite->db, "UPDATE users SET status = 'd' WHERE id = 11", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    int steps = sqlite3_stmt_status(q, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(q);
    if (steps >= 30000)
        fprintf(stderr, "soft delete took %d VM steps\n", steps);
    assert_true(steps < 30000);
    exec("UPDATE users SET status = 'a' WHERE id = 11");
    struct err e = {0};
    assert_int_equal(store_search_check(fx.st, &e), 0);
}

/* ---- random queries: engine == reference ---- */

/* A random piece of a random user's text: a word start (for short terms)
 * or any substring, sometimes the whole thing or something absent. */
static const char *random_term(struct arena *a)
{
    static const char *const columns[] = {"username_fold", "real_name_fold", "fold(location)", "fold(description)"};
    static const char *const pg_columns[] = {"username_fold", "real_name_fold", "location_fold", "description_fold"};
    char *s = random_text((on_pg ? pg_columns : columns)[rnd_below(4)]);
    long n = text_chars(s);
    const char *out;
    if (n <= 0 || rnd_below(12) == 0) {
        out = rnd_below(2) ? "qqxz" : "é";
    } else {
        long len = 1 + rnd_below(rnd_below(3) ? 5 : 15), from = rnd_below(n);
        if (len > n - from)
            len = n - from;
        /* the byte range of characters [from, from + len) */
        const unsigned char *p = (const unsigned char *)s;
        long c = 0;
        while (*p && c < from) {
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
            c++;
        }
        const unsigned char *q = p;
        for (long k = 0; *q && k < len; k++) {
            q++;
            while ((*q & 0xC0) == 0x80)
                q++;
        }
        out = arena_strndup(a, (const char *)p, (size_t)(q - p));
    }
    char *copy = arena_strdup(a, out);
    free(s);
    return search_term(a, copy);
}

static void random_query(struct arena *a, struct search_query *q)
{
    static const double cities[][2] = {{45.4642, 9.19}, {40.7128, -74.006}, {-23.5505, -46.6333}, {35.6762, 139.6503},
                                       {0, 179.9},      {89.9, 0},          {-33.0, -70.0}};
    memset(q, 0, sizeof *q);
    if (rnd_below(10) < 6)
        q->term = random_term(a);
    if (rnd_below(10) == 0)
        q->username = random_term(a);
    if (rnd_below(10) == 0)
        q->real_name = random_term(a);
    if (rnd_below(12) == 0)
        q->location = random_term(a);
    if (rnd_below(15) == 0)
        q->description = random_term(a);
    if (rnd_below(5) == 0)
        q->gender = genders[rnd_below(3)];
    if (rnd_below(5) == 0) {
        static const int cuts[][2] = {{19960101, 0}, {19810101, 19960101}, {0, 19810101}, {19900227, 19900228}};
        int k = (int)rnd_below(4);
        q->has_age = true;
        q->dob_after = cuts[k][0];
        q->dob_upto = cuts[k][1];
    }
    if (rnd_below(10) == 0)
        q->staff = rnd_below(2) ? SEARCH_STAFF_ONLY : SEARCH_STAFF_NONE;
    if (rnd_below(6) == 0)
        q->tag_id = 1 + rnd_below(24);
    if (rnd_below(6) == 0)
        q->category_id = 1 + rnd_below(32);
    if (rnd_below(4) == 0) {
        int k = (int)rnd_below(7);
        q->has_origin = true;
        q->lat = cities[k][0] + (double)rnd_below(1000) / 10000;
        q->lng = cities[k][1];
        if (rnd_below(3)) {
            q->has_radius = true;
            q->radius_km = rnd_below(3) ? (double)rnd_below(100) : (double)rnd_below(25000);
        }
    }
    static const enum search_key keys[] = {SEARCH_KEY_USERNAME,    SEARCH_KEY_REAL_NAME, SEARCH_KEY_LOCATION,
                                           SEARCH_KEY_DATE_JOINED, SEARCH_KEY_ID,        SEARCH_KEY_DISTANCE};
    int norder = (int)rnd_below(4) == 0 ? 2 : (int)rnd_below(2);
    for (int i = 0; i < norder; i++) {
        enum search_key k = keys[rnd_below(6)];
        if (k == SEARCH_KEY_DISTANCE && !q->has_origin)
            continue;
        q->order[q->norder++] = (struct search_order){k, rnd_below(3) == 0};
    }
    q->fallback = rnd_below(2) ? SEARCH_KEY_USERNAME : SEARCH_KEY_ID;
    if (rnd_below(3) == 0)
        q->viewer_id = fx.hider;
    if (rnd_below(10) == 0)
        q->exclude_id = 1 + rnd_below(fx.max_id);
    q->limit = 1 + (int)rnd_below(30);
    q->offset = rnd_below(2) ? 0 : (int)rnd_below(rnd_below(2) ? 50 : 3000);
}

/* A query the name side table answers on PostgreSQL (search_text): a
 * term of username or real name, with at most gender, age, staff, hides
 * and exclude, in relevance order. */
static void random_name_query(struct arena *a, struct search_query *q)
{
    random_query(a, q);
    while (!q->term)
        q->term = random_term(a);
    q->username = q->real_name = q->location = q->description = NULL;
    q->tag_id = q->category_id = 0;
    q->has_origin = q->has_radius = false;
    q->norder = 0;
    if (rnd_below(2))
        q->gender = genders[rnd_below(3)];
    if (!q->has_age && rnd_below(3) == 0) { /* more ages: search_name's ranges on PostgreSQL */
        q->has_age = true;
        q->dob_after = rnd_below(2) ? 19810101 : 0;
        q->dob_upto = rnd_below(2) ? 19960101 : 0;
    }
}

/* A radius alone (with hides, exclude and any order): on PostgreSQL, the
 * count from the cells inside the circle and the users on its edge. */
static void random_radius_query(struct arena *a, struct search_query *q)
{
    static const double cities[][2] = {{45.4642, 9.19}, {40.7128, -74.006}, {-23.5505, -46.6333}, {35.6762, 139.6503},
                                       {0, 179.9},      {89.9, 0},          {-33.0, -70.0}};
    static const double radii[] = {0, 0.5, 1, 5, 10, 25, 50, 120, 400, 1500, 2500};
    random_query(a, q);
    q->term = q->username = q->real_name = q->location = q->description = NULL;
    q->gender = NULL;
    q->has_age = false;
    q->staff = SEARCH_STAFF_ANY;
    q->tag_id = q->category_id = 0;
    int k = (int)rnd_below(7);
    q->has_origin = q->has_radius = true;
    q->lat = cities[k][0] + (double)rnd_below(20000) / 10000 - 1;
    q->lng = cities[k][1] + (double)rnd_below(20000) / 10000 - 1;
    if (q->lng > 180)
        q->lng -= 360;
    q->radius_km = radii[rnd_below(11)] + (rnd_below(2) ? (double)rnd_below(1000) / 1000 : 0);
}

static void describe(const struct search_query *q)
{
    fprintf(stderr,
            "query: term=%s username=%s real_name=%s location=%s description=%s gender=%s age=%d..%d staff=%d tag=%lld "
            "category=%lld origin=%d(%f,%f) radius=%d(%f) norder=%d [%d%s %d%s] fallback=%d viewer=%lld exclude=%lld "
            "limit=%d offset=%d\n",
            q->term ? q->term : "-", q->username ? q->username : "-", q->real_name ? q->real_name : "-",
            q->location ? q->location : "-", q->description ? q->description : "-", q->gender ? q->gender : "-",
            q->dob_after, q->dob_upto, q->staff, (long long)q->tag_id, (long long)q->category_id, q->has_origin, q->lat,
            q->lng, q->has_radius, q->radius_km, q->norder, q->norder > 0 ? (int)q->order[0].key : -1,
            q->norder > 0 && q->order[0].desc ? "-" : "", q->norder > 1 ? (int)q->order[1].key : -1,
            q->norder > 1 && q->order[1].desc ? "-" : "", q->fallback, (long long)q->viewer_id,
            (long long)q->exclude_id, q->limit, q->offset);
}

static void compare_queries_of(void (*make)(struct arena *, struct search_query *), int n)
{
    for (int i = 0; i < n; i++) {
        struct arena *a = arena_new();
        struct search_query q;
        make(a, &q);
        struct search_page got, want;
        struct err e1 = {0}, e2 = {0};
        bool ok1 = store_search_users(fx.st, a, &q, &got, &e1),
             ok2 = store_search_users_naive(fx.st, a, &q, &want, &e2);
        bool same = ok1 && ok2 && got.count == want.count && got.n == want.n;
        for (int k = 0; same && k < got.n; k++) {
            same = got.items[k].id == want.items[k].id;
            if (same && q.has_origin)
                same = got.distance[k] == want.distance[k];
        }
        if (!same) {
            describe(&q);
            fprintf(stderr, "engine: ok=%d count=%lld n=%d:", ok1, (long long)got.count, got.n);
            for (int k = 0; ok1 && k < got.n; k++)
                fprintf(stderr, " %lld", (long long)got.items[k].id);
            fprintf(stderr, "\nnaive:  ok=%d count=%lld n=%d:", ok2, (long long)want.count, want.n);
            for (int k = 0; ok2 && k < want.n; k++)
                fprintf(stderr, " %lld", (long long)want.items[k].id);
            fprintf(stderr, "\n");
        }
        arena_free(a);
        assert_true(same);
    }
}

static void compare_queries(int n) { compare_queries_of(random_query, n); }

static void compare_random_queries(const struct search_tuning *t)
{
    store_search_tune(t);
    compare_queries(QUERIES);
}

/* ---- PostgreSQL: the maintained counts under random writes ---- */

/* The keys whose stored n differs from their recount in SQL (the view the
 * migration fills from): the triggers applied every write exactly. */
static int64_t pg_counts_drift(void)
{
    return scalar("SELECT count(*) FROM (SELECT key, n FROM search_count WHERE n <> 0) a "
                  "FULL JOIN search_count_recount b USING (key) WHERE a.n IS DISTINCT FROM b.n");
}

/* The rows of search_text that differ from users' (the triggers of
 * 012_search_text.sql kept it), missing and extra rows included. */
static int64_t pg_text_drift(void)
{
    return scalar("SELECT count(*) FROM (SELECT id, gender, date_of_birth COLLATE \"C\", role IS NOT NULL AS staff, "
                  "username_fold || E'\\n' || real_name_fold AS names, octet_length(username_fold) AS ulen "
                  "FROM users WHERE status IN ('a', 'b')) a FULL JOIN search_text b USING (id) "
                  "WHERE a IS DISTINCT FROM b");
}

/* The rows of search_name that differ from their recomputation from users
 * (the trigger of 020_search_name.sql kept it), missing and extra rows
 * included. */
static int64_t pg_name_drift(void)
{
    return scalar("SELECT count(*) FROM ((TABLE search_name EXCEPT ALL TABLE search_name_recount) UNION ALL "
                  "(TABLE search_name_recount EXCEPT ALL TABLE search_name)) x");
}

/* Rewrites the words of users whose stored words are not those of their
 * folds (plain SQL wrote the folds), as hearth's writers do. */
static void pg_fix_words(void)
{
    PGresult *r = PQexec(fx.st->pg->conn, "SELECT id, username_fold, real_name_fold, location_fold, description_fold, "
                                          "search_words::text FROM users ORDER BY id");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    for (int i = 0; i < PQntuples(r); i++) {
        char *w =
            pg_search_words_dup(PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4));
        if (strcmp(w, PQgetvalue(r, i, 5))) {
            struct err e = {0};
            assert_true(pg_exec(fx.st, &e, "UPDATE users SET search_words = $1::text[] WHERE id = $2", "si", w,
                                strtoll(PQgetvalue(r, i, 0), NULL, 10)));
        }
        free(w);
    }
    PQclear(r);
}

/* The seed's counts (written by C) equal the triggers' keys (SQL); writes
 * between queries keep them exact, and the engine's answers with them. */
/* A lone term of 1-3 characters (hides and exclude aside) in relevance
 * order: on PostgreSQL, its count from search_count less the users the
 * viewer hides (read behind a fence), and with many matches its exact
 * username and prefix walks in one call (search_ranked_head,
 * 018_ranked_walk.sql), their plans kept per connection. */
static void random_lone_query(struct arena *a, struct search_query *q)
{
    random_query(a, q);
    do
        q->term = random_term(a);
    while (!q->term || text_chars(q->term) > 3);
    q->username = q->real_name = q->location = q->description = NULL;
    q->gender = NULL;
    q->has_age = false;
    q->staff = SEARCH_STAFF_ANY;
    q->tag_id = q->category_id = 0;
    q->has_origin = q->has_radius = false;
    q->norder = 0;
    if (rnd_below(2))
        q->viewer_id = fx.hider;
}

static void test_counts_under_random_writes(void **state)
{
    if (!on_pg)
        return; /* SQLite's counts are the test of its triggers above */
    struct search_tuning d = {.collect_max = 20000, .sort_max = 500, .walk_max = 60000, .bitmap_ratio = 8};
    store_search_tune(&d);
    assert_int_equal(pg_counts_drift(), 0);
    for (int round = 0; round < 8; round++) {
        fx.max_id -= 4; /* below the users mutate deleted outright */
        mutate();
        pg_fix_words();
        assert_int_equal(pg_counts_drift(), 0);
        assert_int_equal(pg_text_drift(), 0);
        assert_int_equal(pg_name_drift(), 0);
        assert_int_equal(scalar("SELECT count(*) FROM (SELECT key, n FROM search_cell WHERE n <> 0) a "
                                "FULL JOIN search_cell_recount b USING (key) WHERE a.n IS DISTINCT FROM b.n"),
                         0);
        pg_search_collect_max = round % 2 ? 2000 : 0; /* every other round: the walks */
        compare_queries(QUERIES / 8);
        compare_queries_of(random_name_query, QUERIES / 16);
        compare_queries_of(random_radius_query, QUERIES / 16);
        compare_queries_of(random_lone_query, QUERIES / 16);
    }
    pg_search_collect_max = 2000;
    struct err e = {0};
    assert_true(store_search_reindex(fx.st, &e));
    assert_int_equal(store_search_check(fx.st, &e), 0);
    assert_true(scalar("SELECT n FROM search_count WHERE key = 'a'") > POPULATION / 2);
}

/* The audit sees a count that is off, and the rebuild mends it. */
static void test_audit_sees_a_broken_count(void **state)
{
    struct err e = {0};
    assert_int_equal(store_search_check(fx.st, &e), 0);
    if (!on_pg)
        return;
    exec("UPDATE search_count SET n = n + 1 WHERE key = (SELECT min(key) FROM search_count WHERE key LIKE 'p3:%')");
    assert_int_equal(store_search_check(fx.st, &e), 1);
    exec("DELETE FROM search_count WHERE key = 'a'");
    assert_int_equal(store_search_check(fx.st, &e), 2);
    exec("UPDATE search_text SET gender = 'Other' WHERE id = (SELECT min(id) FROM search_text)");
    assert_int_equal(store_search_check(fx.st, &e), 4); /* the row as it is and as it should be */
    exec("UPDATE search_cell SET n = n + 1 WHERE key = (SELECT min(key) FROM search_cell)");
    assert_int_equal(store_search_check(fx.st, &e), 5);
    exec("DELETE FROM search_name WHERE (head, user_id) = (SELECT head, user_id FROM search_name ORDER BY head, "
         "user_id LIMIT 1)");
    assert_int_equal(store_search_check(fx.st, &e), 6);
    exec("UPDATE search_name SET staff = NOT staff WHERE (head, user_id) = (SELECT head, user_id FROM search_name "
         "ORDER BY head DESC, user_id LIMIT 1)");
    assert_int_equal(store_search_check(fx.st, &e), 8); /* the row as it is and as it should be */
    assert_true(store_search_reindex(fx.st, &e));
    assert_int_equal(store_search_check(fx.st, &e), 0);
}

static void test_random_queries_default_thresholds(void **state)
{
    struct search_tuning t = {.collect_max = 20000, .sort_max = 500, .walk_max = 60000, .bitmap_ratio = 8};
    compare_random_queries(&t);
}

static void test_random_queries_walking(void **state)
{
    /* tiny thresholds: lone conditions are walked, results sorted by walks */
    struct search_tuning t = {.collect_max = 20, .sort_max = 3, .walk_max = 1000000000, .bitmap_ratio = 8};
    compare_random_queries(&t);
}

/* Name terms with gender, age and staff (on PostgreSQL, the name side
 * table's count and page): the same answers as the full scan. */
static void test_random_name_queries(void **state)
{
    (void)state;
    compare_queries_of(random_name_query, QUERIES);
}

/* Lone terms of 1-3 characters, their pages collected and (every other
 * pass, on PostgreSQL) walked: the same answers as the full scan. */
static void test_random_lone_terms(void **state)
{
    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        pg_search_collect_max = pass ? 0 : 2000;
        compare_queries_of(random_lone_query, QUERIES / 2);
    }
    pg_search_collect_max = 2000;
}

/* A radius alone, near and far from the poles and the antimeridian (on
 * PostgreSQL, counted from the grid's cells): the full scan's answers. */
static void test_random_radius_queries(void **state)
{
    (void)state;
    compare_queries_of(random_radius_query, QUERIES);
}

static void test_random_queries_collecting(void **state)
{
    /* huge thresholds: everything collected and sorted in memory, no bitmaps */
    struct search_tuning t = {.collect_max = 1000000000, .sort_max = 1000000000, .walk_max = 0, .bitmap_ratio = 0};
    compare_random_queries(&t);
    struct search_tuning d = {.collect_max = 20000, .sort_max = 500, .walk_max = 60000, .bitmap_ratio = 8};
    store_search_tune(&d);
}

/* ---- plans: text terms are served by the search indexes ---- */

/* PostgreSQL: the count of a term is served by its index (the words' GIN
 * for 1-2 characters, the trigram GIN for more). Sequential scans are
 * priced out, so a condition no index can serve would still show one;
 * on a table this small the planner would rightly prefer to scan. */
static void plans_use_the_indexes_pg(void)
{
    const char *terms[] = {"m", "ma", "mar", "maria", "alessandro rossi", "東京"};
    exec("SET enable_seqscan = off");
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++) {
        struct arena *a = arena_new();
        struct err e = {0};
        const char *plan = NULL;
        assert_true(store_search_plan(fx.st, a, terms[i], &plan, &e));
        const char *index = text_chars(terms[i]) <= 2 ? "users_search_words" : "users_search_username_trgm";
        if (!strstr(plan, index) || strstr(plan, "Seq Scan"))
            fprintf(stderr, "plan for '%s':\n%s", terms[i], plan);
        assert_non_null(strstr(plan, index));
        assert_null(strstr(plan, "Seq Scan"));
        arena_free(a);
    }
    exec("RESET enable_seqscan");
}

static void test_plans_use_the_indexes(void **state)
{
    if (on_pg) {
        plans_use_the_indexes_pg();
        return;
    }
    const char *terms[] = {"m", "ma", "mar", "maria", "alessandro rossi", "東京"};
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++) {
        struct arena *a = arena_new();
        struct err e = {0};
        const char *plan = NULL;
        assert_true(store_search_plan(fx.st, a, terms[i], &plan, &e));
        long chars = text_chars(terms[i]);
        const char *index = chars <= 2                   ? "USING PRIMARY KEY (pfx="
                            : chars <= SEARCH_NAME_CHARS ? "USING PRIMARY KEY (head>? AND head<?)"
                                                         : "USING PRIMARY KEY (suffix>? AND suffix<?)";
        if (!strstr(plan, index) || strstr(plan, "SCAN") || strstr(plan, "TEMP B-TREE"))
            fprintf(stderr, "plan for '%s':\n%s", terms[i], plan);
        assert_non_null(strstr(plan, index));
        assert_null(strstr(plan, "SCAN"));
        assert_null(strstr(plan, "TEMP B-TREE")); /* no sorting: index order */
        arena_free(a);
    }
}

/* ---- helpers on their own ---- */

static void test_word_start(void **state)
{
    /* the rule both engines share */
    assert_true(search_word_start("mario rossi", "ro"));
    assert_false(search_word_start("mario rossi", "ar"));
    assert_true(search_word_start("foo__bar", "_b"));
    assert_false(search_word_start("foo_bar", "_b"));
    assert_true(search_word_start("мария иванова", "ив"));
    assert_false(search_word_start("мария иванова", "ва"));
    assert_false(search_word_start("", "a"));
    /* and its words, as PostgreSQL writes a text[] back */
    char *w = pg_search_words_dup("o'neil", "a b", "", NULL);
    assert_string_equal(w, "{1n,1ne,1o,1o',2a,\"2a \",2b}");
    free(w);
    assert_true(sqlite_search_word_start("mario rossi", "ro"));
    assert_true(sqlite_search_word_start("mario rossi", "ma"));
    assert_false(sqlite_search_word_start("mario rossi", "ar"));
    assert_true(sqlite_search_word_start("o'neil-smith", "ne"));
    assert_true(sqlite_search_word_start("o'neil-smith", "sm"));
    assert_true(sqlite_search_word_start("foo__bar", "_b")); /* '_' after '_' starts a word */
    assert_false(sqlite_search_word_start("foo_bar", "_b"));
    assert_true(sqlite_search_word_start("мария иванова", "ив"));
    assert_false(sqlite_search_word_start("мария иванова", "ва"));
    assert_true(sqlite_search_word_start("a.b", "b"));
    assert_false(sqlite_search_word_start("ab", "b"));
    assert_false(sqlite_search_word_start("", "a"));
}

static void test_geo(void **state)
{
    double lat, lng;
    assert_true(geo_parse_latlng("45.4642,9.19", &lat, &lng));
    assert_true(geo_parse_latlng("-90, 180", &lat, &lng));
    assert_true(geo_parse_latlng("0.5,-.5", &lat, &lng));
    assert_false(geo_parse_latlng("90.0001,0", &lat, &lng));
    assert_false(geo_parse_latlng("1e1,0", &lat, &lng));
    assert_false(geo_parse_latlng("nan,0", &lat, &lng));
    assert_false(geo_parse_latlng("45.1 ,9", &lat, &lng));
    assert_false(geo_parse_latlng("45.1;9", &lat, &lng));
    assert_false(geo_parse_latlng("45.1,9,3", &lat, &lng));
    /* one degree of latitude on a sphere of radius 6371.0088 km */
    double d = geo_distance_e7(0, 0, GEO_E7, 0);
    assert_true(fabs(d - 6371.0088 * 3.14159265358979323846 / 180) < 1e-6);
    /* Milan - Rome, about 477 km */
    d = geo_distance_e7(geo_e7(45.4642), geo_e7(9.19), geo_e7(41.9028), geo_e7(12.4964));
    assert_true(d > 476 && d < 478);
    /* a box across the antimeridian has two longitude ranges */
    struct geo_box box;
    geo_bbox_e7(0, geo_e7(179.9), 50, &box);
    assert_int_equal(box.nlng, 2);
    geo_bbox_e7(geo_e7(89.9), 0, 50, &box);
    assert_int_equal(box.nlng, 1);
    assert_int_equal(box.lng_min[0], -180LL * GEO_E7);
}

/* ---- a lone tag or category in every ordering ---- */

static void compare_one(const struct search_query *q, struct arena *a)
{
    struct search_page got, want;
    struct err e1 = {0}, e2 = {0};
    bool ok1 = store_search_users(fx.st, a, q, &got, &e1), ok2 = store_search_users_naive(fx.st, a, q, &want, &e2);
    bool same = ok1 && ok2 && got.count == want.count && got.n == want.n;
    for (int k = 0; same && k < got.n; k++)
        same = got.items[k].id == want.items[k].id;
    if (!same) {
        describe(q);
        fprintf(stderr, "engine: ok=%d count=%lld n=%d, naive: ok=%d count=%lld n=%d\n", ok1, (long long)got.count,
                got.n, ok2, (long long)want.count, want.n);
    }
    assert_true(same);
}

/* A tag or a category (with gender, age or staff sometimes): the walks
 * that probe the link tables from the order's index alone and the walks
 * over collected members, in every walkable order, against the full scan;
 * on SQLite the walk indexes carry the status (019). */
static void test_lone_member_walks(void **state)
{
    (void)state;
    if (!on_pg) {
        char *def = first_text("SELECT sql FROM sqlite_master WHERE name = 'search_by_real_name'");
        assert_non_null(strstr(def, "status)"));
        free(def);
    }
    static const enum search_key keys[] = {SEARCH_KEY_USERNAME, SEARCH_KEY_REAL_NAME, SEARCH_KEY_LOCATION,
                                           SEARCH_KEY_DATE_JOINED, SEARCH_KEY_ID};
    const struct search_tuning tunings[] = {
        {.collect_max = 20000, .sort_max = 500, .walk_max = 60000, .bitmap_ratio = 8},
        {.collect_max = 0, .sort_max = 3, .walk_max = 1000000000, .bitmap_ratio = 8},
        {.collect_max = 1000000000, .sort_max = 3, .walk_max = 1000000000, .bitmap_ratio = 8},
    };
    for (size_t t = 0; t < sizeof tunings / sizeof *tunings; t++) {
        store_search_tune(&tunings[t]);
        for (int i = 0; i < 120; i++) {
            struct arena *a = arena_new();
            struct search_query q = {.limit = 1 + (int)rnd_below(25), .fallback = SEARCH_KEY_USERNAME};
            if (rnd_below(2))
                q.tag_id = 1 + rnd_below(24);
            if (!q.tag_id || rnd_below(4) == 0)
                q.category_id = 1 + rnd_below(32);
            if (rnd_below(4) == 0)
                q.gender = genders[rnd_below(3)];
            if (rnd_below(4) == 0) {
                q.has_age = true;
                q.dob_after = 19810101;
            }
            if (rnd_below(6) == 0)
                q.staff = rnd_below(2) ? SEARCH_STAFF_ONLY : SEARCH_STAFF_NONE;
            if (rnd_below(3))
                q.order[q.norder++] = (struct search_order){keys[rnd_below(5)], rnd_below(2) == 0};
            if (rnd_below(3) == 0)
                q.viewer_id = fx.hider;
            q.offset = rnd_below(2) ? 0 : (int)rnd_below(200);
            compare_one(&q, a);
            arena_free(a);
        }
    }
    store_search_tune(&tunings[0]);
}

/* ---- a radius alone, in distance order ---- */

/* On SQLite counted from the maintained geo cells (020): cells inside the
 * circle whole, its edge's cells split down to their points. Origins on
 * users' own points and near them, radii from nothing to a continent,
 * hides and offsets, against the full scan (count, ids and distances); the
 * audit sees a broken cell count and the rebuild mends it. */
static void test_radius_from_cells(void **state)
{
    (void)state;
    static const double radii[] = {0, 0.3, 1, 2.5, 5, 7.25, 10, 18, 25, 50, 100, 333, 1000, 4000};
    int64_t with_coords = scalar("SELECT count(*) FROM users WHERE status IN ('a', 'b') AND "
                                 "(location_lat IS NOT NULL OR position_lat IS NOT NULL)");
    assert_true(with_coords > 100);
    int nonempty = 0;
    for (int i = 0; i < 600; i++) {
        char sql[512];
        int64_t k = rnd_below(with_coords), e7[2];
        for (int c = 0; c < 2; c++) {
            snprintf(sql, sizeof sql,
                     "SELECT CAST(round(CASE WHEN position_lat IS NOT NULL AND position_lng IS NOT NULL THEN %s "
                     "ELSE %s END * 10000000) AS BIGINT) FROM users WHERE status IN ('a', 'b') AND "
                     "(location_lat IS NOT NULL OR position_lat IS NOT NULL) ORDER BY id LIMIT 1 OFFSET %lld",
                     c ? "position_lng" : "position_lat", c ? "location_lng" : "location_lat", (long long)k);
            e7[c] = scalar(sql);
        }
        int64_t lat_e7 = e7[0], lng_e7 = e7[1];
        struct arena *a = arena_new();
        struct search_query q = {.limit = 1 + (int)rnd_below(25), .has_origin = true, .has_radius = true, .norder = 1};
        q.lat = (double)lat_e7 / GEO_E7 + (rnd_below(2) ? 0 : (double)(rnd_below(2001) - 1000) / 10000);
        q.lng = (double)lng_e7 / GEO_E7 + (rnd_below(2) ? 0 : (double)(rnd_below(2001) - 1000) / 10000);
        if (q.lat > 90 || q.lat < -90 || q.lng > 180 || q.lng < -180)
            q.lat = q.lng = 0;
        q.radius_km = radii[rnd_below(sizeof radii / sizeof *radii)];
        q.order[0] = (struct search_order){SEARCH_KEY_DISTANCE, false};
        q.fallback = SEARCH_KEY_ID;
        if (rnd_below(3) == 0)
            q.viewer_id = fx.hider;
        if (rnd_below(4) == 0)
            q.offset = (int)rnd_below(rnd_below(2) ? 40 : 600);
        struct search_page got, want;
        struct err e1 = {0}, e2 = {0};
        bool ok1 = store_search_users(fx.st, a, &q, &got, &e1),
             ok2 = store_search_users_naive(fx.st, a, &q, &want, &e2);
        bool same = ok1 && ok2 && got.count == want.count && got.n == want.n;
        for (int j = 0; same && j < got.n; j++)
            same = got.items[j].id == want.items[j].id && got.distance[j] == want.distance[j];
        if (!same) {
            describe(&q);
            fprintf(stderr, "engine: ok=%d count=%lld n=%d, naive: ok=%d count=%lld n=%d\n", ok1, (long long)got.count,
                    got.n, ok2, (long long)want.count, want.n);
        }
        assert_true(same);
        nonempty += want.count > 0;
        arena_free(a);
    }
    print_message("radius from cells: %d of 600 radii not empty\n", nonempty);
    assert_true(nonempty > 300);
    if (on_pg)
        return;
    struct err e = {0};
    assert_true(scalar("SELECT count(*) FROM search_count WHERE key LIKE 'q0%' AND n > 0") > 0);
    assert_int_equal(scalar("SELECT coalesce(sum(n), 0) FROM search_count WHERE key LIKE 'q0%'"),
                     scalar("SELECT n FROM search_count WHERE key = 'g'"));
    assert_int_equal(scalar("SELECT coalesce(sum(n), 0) FROM search_count WHERE key LIKE 'q4%'"),
                     scalar("SELECT n FROM search_count WHERE key = 'g'"));
    assert_int_equal(store_search_check(fx.st, &e), 0);
    exec("UPDATE search_count SET n = n + 1 WHERE key = (SELECT min(key) FROM search_count WHERE key LIKE 'q2%')");
    assert_int_equal(store_search_check(fx.st, &e), 2); /* the count expected is missing, the one stored extra */
    assert_true(store_search_reindex(fx.st, &e));
    assert_int_equal(store_search_check(fx.st, &e), 0);
    assert_true(scalar("SELECT count(*) FROM search_count WHERE key LIKE 'q4%' AND n > 0") > 0);
}

/* ---- name terms with a gender and an age at the edges ---- */

/* The cuts of the age ranges as the domain makes them (born on or after
 * today's date N years ago), and the days on either side. */
static int edge_cut[2];
static const char *const edge_terms[] = {"mar", "mari", "maria", "riana", "edg", "edge", "a edg", "ana e", "anna"};

/* yyyymmdd moved by `days` (a real calendar day). */
static int day_shift(int yyyymmdd, int days)
{
    struct tm t = {.tm_year = yyyymmdd / 10000 - 1900, .tm_mon = yyyymmdd / 100 % 100 - 1, .tm_mday = yyyymmdd % 100};
    t.tm_mday += days;
    t.tm_hour = 12; /* noon: a daylight saving change never moves the day */
    t.tm_isdst = -1;
    time_t x = mktime(&t);
    struct tm *g = localtime(&x);
    return (g->tm_year + 1900) * 10000 + (g->tm_mon + 1) * 100 + g->tm_mday;
}

/* Users 20-139 named "Mariana Edge", born on a cut, a day before or after
 * (birthdays today), or with no birth date, of every gender, some staff. */
static void edge_population(void)
{
    char sql[512];
    for (int64_t id = 20; id < 140; id++) {
        int k = (int)(id % 7);
        char dob[32] = "NULL";
        if (k < 6) {
            int v = day_shift(edge_cut[k % 2], k / 2 - 1);
            snprintf(dob, sizeof dob, "'%04d-%02d-%02d'", v / 10000, v / 100 % 100, v % 100);
        }
        snprintf(sql, sizeof sql,
                 "UPDATE users SET real_name = 'Mariana Edge', real_name_fold = %s, gender = '%s', "
                 "date_of_birth = %s, role = %s WHERE id = %lld",
                 fold_sql("Mariana Edge"), genders[id % 3], dob, id % 11 == 0 ? "'moderator'" : "NULL", (long long)id);
        exec(sql);
    }
}

static void edge_query(struct arena *a, struct search_query *q)
{
    memset(q, 0, sizeof *q);
    q->term = edge_terms[rnd_below(sizeof edge_terms / sizeof *edge_terms)];
    (void)a;
    if (rnd_below(4))
        q->gender = genders[rnd_below(3)];
    int k = (int)rnd_below(5);
    q->has_age = k > 0;
    if (k == 1) /* -30 */
        q->dob_after = edge_cut[0];
    else if (k == 2) { /* 30-45 */
        q->dob_after = edge_cut[1];
        q->dob_upto = edge_cut[0];
    } else if (k == 3) /* 45+ */
        q->dob_upto = edge_cut[1];
    else if (k == 4) /* a single day */
        q->dob_after = day_shift(q->dob_upto = edge_cut[rnd_below(2)], -1);
    if (rnd_below(6) == 0)
        q->staff = rnd_below(2) ? SEARCH_STAFF_ONLY : SEARCH_STAFF_NONE;
    if (rnd_below(3) == 0)
        q->viewer_id = fx.hider;
    if (rnd_below(8) == 0)
        q->exclude_id = 20 + rnd_below(120);
    q->fallback = SEARCH_KEY_ID;
    q->limit = 1 + (int)rnd_below(30);
    q->offset = rnd_below(2) ? 0 : (int)rnd_below(60);
}

/* Name terms of 3 to 5 characters (search_name, 023, on SQLite) with a
 * gender and an age: users born on the cuts of the age ranges and the days
 * around them, then gender, birth date, role and status changes between
 * queries; the index equals its recomputation and every answer the full
 * scan's. */
static void test_name_attrs_at_edges(void **state)
{
    (void)state;
    int y, m, d;
    clock_today(&y, &m, &d);
    edge_cut[0] = (y - 30) * 10000 + m * 100 + d;
    edge_cut[1] = (y - 45) * 10000 + m * 100 + d;
    edge_population();
    struct err e = {0};
    if (on_pg)
        pg_fix_words();
    assert_int_equal(store_search_check(fx.st, &e), 0);
    compare_queries_of(edge_query, 400);
    char sql[256];
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 20; i++) {
            int64_t id = 20 + rnd_below(120);
            switch (rnd_below(5)) {
            case 0:
                snprintf(sql, sizeof sql, "UPDATE users SET gender = '%s' WHERE id = %lld", genders[rnd_below(3)],
                         (long long)id);
                break;
            case 4: { /* a real name: heads come and go, some stay */
                static const char *const names[] = {"Mariana Edge", "Maria Edgar", "Ana Edge", "Marianne"};
                const char *name = names[rnd_below(4)];
                snprintf(sql, sizeof sql, "UPDATE users SET real_name = '%s', real_name_fold = %s WHERE id = %lld",
                         name, fold_sql(name), (long long)id);
                break;
            }
            case 1:
                snprintf(sql, sizeof sql, "UPDATE users SET date_of_birth = '%04d-%02d-%02d' WHERE id = %lld",
                         edge_cut[id % 2] / 10000, edge_cut[id % 2] / 100 % 100, edge_cut[id % 2] % 100, (long long)id);
                break;
            case 2:
                snprintf(sql, sizeof sql, "UPDATE users SET status = '%c' WHERE id = %lld AND status <> 'u'",
                         "dbaa"[rnd_below(4)], (long long)id);
                break;
            default:
                snprintf(sql, sizeof sql, "UPDATE users SET role = %s WHERE id = %lld",
                         rnd_below(2) ? "'moderator'" : "NULL", (long long)id);
                break;
            }
            exec(sql);
        }
        if (on_pg)
            pg_fix_words();
        assert_int_equal(store_search_check(fx.st, &e), 0);
        compare_queries_of(edge_query, 150);
    }
}

/* ---- a name term seen by a viewer who hides some of its users ---- */

/* The count and the ids of a query's page, from the engine, checked
 * against the full scan. */
static int64_t name_count(struct search_query *q)
{
    struct arena *a = arena_new();
    struct search_page got, want;
    struct err e1 = {0}, e2 = {0};
    assert_true(store_search_users(fx.st, a, q, &got, &e1));
    assert_true(store_search_users_naive(fx.st, a, q, &want, &e2));
    if (got.count != want.count || got.n != want.n)
        describe(q);
    assert_int_equal(got.count, want.count);
    assert_int_equal(got.n, want.n);
    for (int k = 0; k < got.n; k++)
        assert_int_equal(got.items[k].id, want.items[k].id);
    arena_free(a);
    return got.count;
}

/* A name term (with and without gender and age, so on PostgreSQL the
 * name side table's page) asked by a viewer: the users it hides are not
 * counted or listed, others are, and a viewer who hides nobody sees all;
 * hides added and removed through plain SQL count at once. */
static void test_name_hides(void **state)
{
    (void)state;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT real_name_fold FROM users WHERE status IN ('a', 'b') AND length(real_name_fold) >= 6 AND "
             "real_name_fold NOT LIKE '%%''%%' AND date_of_birth IS NOT NULL AND id <> %lld ORDER BY id LIMIT 1",
             (long long)fx.hider);
    char *name = first_text(sql);
    assert_non_null(name);
    snprintf(sql, sizeof sql,
             "SELECT id FROM users WHERE status IN ('a', 'b') AND real_name_fold = '%s' AND date_of_birth IS NOT NULL "
             "AND id <> %lld ORDER BY id LIMIT 1",
             name, (long long)fx.hider);
    int64_t target = scalar(sql);
    snprintf(sql, sizeof sql, "SELECT gender FROM users WHERE id = %lld", (long long)target);
    char *gender = first_text(sql);
    assert_non_null(gender);
    /* a viewer with no hides: the first active user that hides nobody */
    int64_t nobody = scalar("SELECT min(id) FROM users u WHERE status IN ('a', 'b') AND NOT EXISTS "
                            "(SELECT 1 FROM hides h WHERE h.user_id = u.id)");
    assert_true(nobody > 0);
    snprintf(sql, sizeof sql, "DELETE FROM hides WHERE user_id = %lld AND hidden_id = %lld", (long long)fx.hider,
             (long long)target);
    exec(sql);
    for (int attrs = 0; attrs < 3; attrs++) {
        struct search_query q = {.term = name, .limit = 50, .fallback = SEARCH_KEY_USERNAME};
        if (attrs >= 1)
            q.gender = gender;
        if (attrs == 2) {
            q.has_age = true; /* every birth date */
            q.dob_after = 0;
        }
        int64_t all = name_count(&q);
        assert_true(all >= 1);
        q.viewer_id = nobody;
        assert_int_equal(name_count(&q), all);
        q.viewer_id = fx.hider;
        int64_t before = name_count(&q);
        snprintf(sql, sizeof sql, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES (%lld, %lld, 1)",
                 (long long)fx.hider, (long long)target);
        exec(sql);
        assert_int_equal(name_count(&q), before - 1);
        snprintf(sql, sizeof sql, "DELETE FROM hides WHERE user_id = %lld AND hidden_id = %lld", (long long)fx.hider,
                 (long long)target);
        exec(sql);
        assert_int_equal(name_count(&q), before);
    }
    free(gender);
    free(name);
}

/* ---- distance pages at a point many users share ---- */

/* The users of the most shared point (a seeded city centre) tie at 0 km
 * from it and at one distance from a point nearby: the page is their
 * first ids (on PostgreSQL read point by point, search_geo_point), with
 * and without a radius, hides among them, one of them excluded, and
 * offsets into and past the tie, as the full scan says. */
static void test_distance_pages_at_shared_points(void **state)
{
    (void)state;
    char *lat_s = first_text("SELECT location_lat FROM users WHERE status IN ('a', 'b') AND position_lat IS NULL AND "
                             "location_lat IS NOT NULL GROUP BY location_lat, location_lng ORDER BY count(*) DESC, "
                             "location_lat LIMIT 1");
    assert_non_null(lat_s);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT location_lng FROM users WHERE status IN ('a', 'b') AND position_lat IS NULL AND location_lat = %s "
             "GROUP BY location_lng ORDER BY count(*) DESC, location_lng LIMIT 1",
             lat_s);
    char *lng_s = first_text(sql);
    assert_non_null(lng_s);
    double lat = strtod(lat_s, NULL), lng = strtod(lng_s, NULL);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM users WHERE status IN ('a', 'b') AND position_lat IS NULL AND location_lat = %s "
             "AND location_lng = %s",
             lat_s, lng_s);
    int64_t shared = scalar(sql);
    print_message("distance pages: %lld users at (%s, %s)\n", (long long)shared, lat_s, lng_s);
    assert_true(shared > 30);
    /* the viewer hides three of them, among the first ids */
    snprintf(sql, sizeof sql,
             "INSERT INTO hides (user_id, hidden_id, created_us) SELECT %lld, id, 1 FROM users WHERE status IN "
             "('a', 'b') AND position_lat IS NULL AND location_lat = %s AND location_lng = %s AND id <> %lld "
             "ORDER BY id LIMIT 3 OFFSET 1 ON CONFLICT DO NOTHING",
             (long long)fx.hider, lat_s, lng_s, (long long)fx.hider);
    exec(sql);
    snprintf(sql, sizeof sql,
             "SELECT min(id) FROM users WHERE status IN ('a', 'b') AND position_lat IS NULL AND location_lat = %s AND "
             "location_lng = %s",
             lat_s, lng_s);
    int64_t first = scalar(sql);
    static const double nearby[][2] = {{0, 0}, {0.0001, 0}, {0, 0.003}, {-0.02, 0.01}, {0.3, -0.2}};
    static const double radii[] = {-1, 0, 0.5, 3, 40, 1500};
    static const int offsets[] = {0, 5, 19, 20, 0, 60};
    int checked = 0;
    for (int p = 0; p < 5; p++)
        for (int r = 0; r < 6; r++)
            for (int k = 0; k < 6; k++) {
                struct arena *a = arena_new();
                struct search_query q = {.has_origin = true, .norder = 1, .fallback = SEARCH_KEY_ID};
                q.lat = lat + nearby[p][0];
                q.lng = lng + nearby[p][1];
                q.has_radius = radii[r] >= 0;
                q.radius_km = q.has_radius ? radii[r] : 0;
                q.order[0] = (struct search_order){SEARCH_KEY_DISTANCE, false};
                if (k == 5)
                    q.order[q.norder++] = (struct search_order){SEARCH_KEY_ID, false};
                q.limit = k == 4 ? 1 : 20;
                q.offset = offsets[k];
                q.viewer_id = (k + p) % 2 ? fx.hider : 0;
                q.exclude_id = (k + r) % 3 == 0 ? first : 0;
                struct search_page got, want;
                struct err e1 = {0}, e2 = {0};
                bool ok1 = store_search_users(fx.st, a, &q, &got, &e1),
                     ok2 = store_search_users_naive(fx.st, a, &q, &want, &e2);
                bool same = ok1 && ok2 && got.count == want.count && got.n == want.n;
                for (int j = 0; same && j < got.n; j++)
                    same = got.items[j].id == want.items[j].id && got.distance[j] == want.distance[j];
                if (!same) {
                    describe(&q);
                    fprintf(stderr, "engine: ok=%d count=%lld n=%d, naive: ok=%d count=%lld n=%d\n", ok1,
                            (long long)got.count, got.n, ok2, (long long)want.count, want.n);
                }
                assert_true(same);
                checked += want.n > 0;
                arena_free(a);
            }
    assert_true(checked > 100);
    if (!on_pg) {
        free(lat_s);
        free(lng_s);
        return;
    }
    /* the points' counts follow writes made in plain SQL */
    struct err e = {0};
    snprintf(sql, sizeof sql,
             "UPDATE users SET location_lat = location_lat + 0.5 WHERE id IN (SELECT id FROM users WHERE status IN "
             "('a', 'b') AND position_lat IS NULL AND location_lat = %s ORDER BY id LIMIT 2); "
             "UPDATE users SET status = 'd' WHERE id = (SELECT max(id) FROM users WHERE status = 'a' AND "
             "location_lat IS NOT NULL); DELETE FROM users WHERE id = (SELECT max(id) FROM users WHERE status = 'a' "
             "AND position_lat IS NOT NULL AND id <> %lld)",
             lat_s, (long long)fx.hider);
    free(lat_s);
    free(lng_s);
    exec(sql);
    assert_int_equal(
        scalar("SELECT count(*) FROM (SELECT cell, lat, lng, n FROM search_geo_point WHERE n <> 0) a "
               "FULL JOIN search_geo_point_recount b USING (cell, lat, lng) WHERE a.n IS DISTINCT FROM b.n"),
        0);
    assert_int_equal(store_search_check(fx.st, &e), 0);
    exec("UPDATE search_geo_point SET n = n + 1 WHERE (cell, lat, lng) = (SELECT cell, lat, lng FROM search_geo_point "
         "ORDER BY cell, lat, lng LIMIT 1)");
    assert_true(store_search_check(fx.st, &e) > 0);
    assert_true(store_search_reindex(fx.st, &e));
    assert_int_equal(store_search_check(fx.st, &e), 0);
}

/* ---- a lone tag in username order, and rings of distance pages ---- */

/* Every page of q with limits and offsets around the hidden and excluded
 * users, against the full scan (count, ids, distances). */
static void compare_pages(struct search_query *q, int64_t *checked)
{
    static const int limits[] = {1, 2, 3, 5, 20};
    static const int offsets[] = {0, 1, 2, 4, 7, 19, 20, 33};
    for (size_t l = 0; l < sizeof limits / sizeof *limits; l++)
        for (size_t o = 0; o < sizeof offsets / sizeof *offsets; o++) {
            struct arena *a = arena_new();
            q->limit = limits[l];
            q->offset = offsets[o];
            struct search_page got, want;
            struct err e1 = {0}, e2 = {0};
            bool ok1 = store_search_users(fx.st, a, q, &got, &e1),
                 ok2 = store_search_users_naive(fx.st, a, q, &want, &e2);
            bool same = ok1 && ok2 && got.count == want.count && got.n == want.n;
            for (int j = 0; same && j < got.n; j++)
                same = got.items[j].id == want.items[j].id && (!q->has_origin || got.distance[j] == want.distance[j]);
            if (!same) {
                describe(q);
                fprintf(stderr, "engine: ok=%d count=%lld n=%d, naive: ok=%d count=%lld n=%d\n", ok1,
                        (long long)got.count, got.n, ok2, (long long)want.count, want.n);
                for (int j = 0; j < got.n || j < want.n; j++)
                    fprintf(stderr, "  %d: engine %lld %.17g, naive %lld %.17g\n", j,
                            j < got.n ? (long long)got.items[j].id : 0LL,
                            j < got.n && q->has_origin ? got.distance[j] : 0.0,
                            j < want.n ? (long long)want.items[j].id : 0LL,
                            j < want.n && q->has_origin ? want.distance[j] : 0.0);
            }
            assert_true(same);
            *checked += want.n > 0;
            arena_free(a);
        }
}

static void tag_pages(int64_t *checked)
{
    for (int64_t tag = 1; tag <= 24; tag++)
        for (int v = 0; v < 4; v++) {
            struct search_query q = {.tag_id = tag, .fallback = SEARCH_KEY_USERNAME};
            q.viewer_id = v & 1 ? fx.hider : 0;
            if (v & 2) {
                char sql[256];
                snprintf(sql, sizeof sql,
                         "SELECT coalesce(min(u.id), 0) FROM users u JOIN user_tags t ON t.user_id = u.id "
                         "WHERE t.tag_id = %lld AND u.status IN ('a', 'b')",
                         (long long)tag);
                q.exclude_id = scalar(sql);
            }
            compare_pages(&q, checked);
        }
}

/* A lone tag in username order (on PostgreSQL from search_tag_member,
 * 017_search_links.sql): the viewer hides some of the first members, one
 * is excluded; then members renamed, deactivated and back, untagged and
 * deleted in plain SQL, and users tagged while inactive; the pages agree
 * with the full scan, the audit with the tables, and it sees a broken
 * entry that the rebuild mends. */
static void test_tag_pages_with_hides(void **state)
{
    (void)state;
    char sql[1024];
    /* the hider hides every third of the first members of each tag */
    snprintf(sql, sizeof sql,
             "INSERT %s INTO hides (user_id, hidden_id, created_us) SELECT %lld, id, 1 FROM (SELECT u.id, "
             "row_number() OVER (PARTITION BY t.tag_id ORDER BY u.username_fold) AS k FROM users u JOIN user_tags t "
             "ON t.user_id = u.id WHERE u.status IN ('a', 'b') AND u.id <> %lld) x WHERE k <= 30 AND k %% 3 = 1 %s",
             on_pg ? "" : "OR IGNORE", (long long)fx.hider, (long long)fx.hider, on_pg ? "ON CONFLICT DO NOTHING" : "");
    exec(sql);
    int64_t checked = 0;
    tag_pages(&checked);
    /* writes in plain SQL to the first members of each tag */
    for (int64_t tag = 1; tag <= 22; tag += 3) {
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(min(u.id), 0) FROM users u JOIN user_tags t ON t.user_id = u.id WHERE t.tag_id = "
                 "%lld AND u.status IN ('a', 'b') AND u.id <> %lld",
                 (long long)tag, (long long)fx.hider);
        int64_t id = scalar(sql);
        if (!id)
            continue;
        char name[64];
        snprintf(name, sizeof name, "aaa renamed %lld", (long long)tag);
        switch (tag % 4) {
        case 0: /* renamed to the front of the order */
            snprintf(sql, sizeof sql, "UPDATE users SET username = '%s', username_fold = %s WHERE id = %lld", name,
                     fold_sql(name), (long long)id);
            break;
        case 1: /* deactivated, then back, renamed */
            snprintf(sql, sizeof sql,
                     "UPDATE users SET status = 'd' WHERE id = %lld; UPDATE users SET status = 'b', "
                     "username = '%s', username_fold = %s WHERE id = %lld",
                     (long long)id, name, fold_sql(name), (long long)id);
            break;
        case 2: /* untagged; another tag given to an inactive user */
            snprintf(sql, sizeof sql,
                     "DELETE FROM user_tags WHERE user_id = %lld AND tag_id = %lld; UPDATE users SET status = 'd' "
                     "WHERE id = %lld; INSERT %s INTO user_tags (user_id, tag_id) VALUES (%lld, %lld) %s",
                     (long long)id, (long long)tag, (long long)id, on_pg ? "" : "OR IGNORE", (long long)id,
                     (long long)(tag % 22 + 1), on_pg ? "ON CONFLICT DO NOTHING" : "");
            break;
        default: /* deleted outright */
            snprintf(sql, sizeof sql, "DELETE FROM users WHERE id = %lld", (long long)id);
            break;
        }
        exec(sql);
    }
    if (on_pg)
        pg_fix_words();
    struct err e = {0};
    assert_int_equal(store_search_check(fx.st, &e), 0);
    tag_pages(&checked);
    print_message("tag pages: %lld not empty\n", (long long)checked);
    assert_true(checked > 300);
    if (!on_pg)
        return;
    exec("DELETE FROM search_tag_member WHERE (tag_id, username_fold, user_id) = (SELECT tag_id, username_fold, "
         "user_id FROM search_tag_member ORDER BY 1, 2, 3 LIMIT 1)");
    assert_int_equal(store_search_check(fx.st, &e), 1);
    assert_true(store_search_reindex(fx.st, &e));
    assert_int_equal(store_search_check(fx.st, &e), 0);
}

/* Users moved (in plain SQL) onto a point and onto points at the rings'
 * edges around it (1 and 4 km on PostgreSQL, pg_search_geo.c) and just
 * inside and outside them, some sharing each point, some hidden, one
 * excluded: every page with and without a radius agrees with the full
 * scan, whichever ring its last user falls in (on SQLite, whichever
 * order the sort leaves points that tie at one rounded distance: their
 * users are ordered by id across the points). */
static void test_distance_pages_at_ring_edges(void **state)
{
    (void)state;
    static const double lat0 = 12.5, lng0 = 23.5; /* far from the seeded cities */
    /* latitude offsets of about 1 and 4 km, and either side of them */
    static const double dlat[] = {0, 0.0089932, 0.0089933, 0.0090, 0.0359728, 0.0359730, 0.0360, 0.05, -0.0089932};
    char sql[1024];
    int64_t first = scalar("SELECT min(id) FROM users WHERE status IN ('a', 'b') AND id > 100");
    int64_t id = first;
    for (size_t p = 0; p < sizeof dlat / sizeof *dlat; p++)
        for (int k = 0; k < 4; k++, id++) {
            snprintf(sql, sizeof sql,
                     "UPDATE users SET status = 'a', position_lat = %.7f, position_lng = %.7f WHERE id = %lld",
                     lat0 + dlat[p], lng0 + (k == 3 ? 0.0001 : 0), (long long)id);
            exec(sql);
            if (k == 1 && id != fx.hider) {
                /* (an id the random writes deleted outright moves no one
                 * and is hidden by no one) */
                snprintf(sql, sizeof sql,
                         "INSERT %s INTO hides (user_id, hidden_id, created_us) SELECT %lld, %lld, 1 WHERE EXISTS "
                         "(SELECT 1 FROM users WHERE id = %lld) %s",
                         on_pg ? "" : "OR IGNORE", (long long)fx.hider, (long long)id, (long long)id,
                         on_pg ? "ON CONFLICT DO NOTHING" : "");
                exec(sql);
            }
        }
    struct err e = {0};
    assert_int_equal(store_search_check(fx.st, &e), 0);
    static const double radii[] = {-1, 0, 0.999, 1, 1.001, 3.999, 4, 4.001, 5.6, 30};
    int64_t checked = 0;
    for (size_t r = 0; r < sizeof radii / sizeof *radii; r++)
        for (int v = 0; v < 4; v++) {
            struct search_query q = {.has_origin = true, .norder = 1, .fallback = SEARCH_KEY_ID};
            q.lat = lat0;
            q.lng = lng0;
            q.has_radius = radii[r] >= 0;
            q.radius_km = q.has_radius ? radii[r] : 0;
            q.order[0] = (struct search_order){SEARCH_KEY_DISTANCE, false};
            q.viewer_id = v & 1 ? fx.hider : 0;
            q.exclude_id = v & 2 ? first + 4 : 0;
            compare_pages(&q, &checked);
        }
    print_message("ring edges: %lld pages not empty\n", (long long)checked);
    assert_true(checked > 200);
}

int main(void)
{
    on_pg = temp_store_pg();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_start),
        cmocka_unit_test(test_geo),
        cmocka_unit_test(test_indexes_built_by_the_migration),
        cmocka_unit_test(test_plans_use_the_indexes),
        cmocka_unit_test(test_triggers_keep_indexes_in_sync),
        cmocka_unit_test(test_trigger_removals_use_keys),
        cmocka_unit_test(test_random_queries_default_thresholds),
        cmocka_unit_test(test_random_queries_walking),
        cmocka_unit_test(test_random_queries_collecting),
        cmocka_unit_test(test_random_name_queries),
        cmocka_unit_test(test_random_lone_terms),
        cmocka_unit_test(test_random_radius_queries),
        cmocka_unit_test(test_counts_under_random_writes),
        cmocka_unit_test(test_audit_sees_a_broken_count),
        cmocka_unit_test(test_lone_member_walks),
        cmocka_unit_test(test_radius_from_cells),
        cmocka_unit_test(test_name_attrs_at_edges),
        cmocka_unit_test(test_name_hides),
        cmocka_unit_test(test_distance_pages_at_shared_points),
        cmocka_unit_test(test_tag_pages_with_hides),
        cmocka_unit_test(test_distance_pages_at_ring_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
