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
 * This file is the bulk writer; the plan and the people come from
 * seed_plan.c and seed_people.c,
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
#include "store/seed_internal.h"
#include "store/store.h"

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
    /* the list counts (008, 016, 017, 021, 022, 024, 026) likewise: rebuilt from users by
     * grouped inserts; 019 redefines indexes of 005, 020 adds to its counts,
     * 023 to its triggers */
    buf_puts(&drops, "DELETE FROM schema_migrations WHERE name IN ('005_search.sql', '008_list_counts.sql', "
                     "'016_list_orders.sql', '017_list_levels.sql', '019_search_keys.sql', "
                     "'020_search_cells.sql', '021_list_costs.sql', '022_list_writes.sql', "
                     "'023_search_attrs.sql', '024_list_signup.sql', '026_list_edge_delta.sql');");
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
              sqlite3_prepare_v2(st->lite->db, "SELECT id FROM tags WHERE type = 'user' AND name = $1", -1, &get,
                                 NULL) == SQLITE_OK;
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
             st->lite->db,
             "INSERT OR IGNORE INTO categories (\"order\", name, slug, lastmod_us) VALUES ($1, $2, $3, $4)", -1, &ins,
             NULL) == SQLITE_OK &&
         sqlite3_prepare_v2(st->lite->db, "SELECT id FROM categories WHERE name = $1", -1, &get, NULL) == SQLITE_OK;
    for (int i = 0; ok && i < N(seed_categories); i++) {
        char slug[64];
        seed_category_slug(seed_categories[i], slug, sizeof slug);
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
/* the writer                                                       */

/* One run of store_seed: its inputs, the plan (seed_plan.c) and the
 * insert statements. */
struct seed_run {
    struct store *st;
    const struct seed_options *o;
    struct seed_stats *out;
    struct err *e;
    double t0;
    struct seed_plan plan;
    int64_t tag_ids[N(seed_tags)], category_ids[N(seed_categories)];
    sqlite3_stmt *ins_user, *ins_tag, *ins_cat, *ins_follow;
};

/* The first free id and the usernames already taken. */
static bool seed_existing(struct seed_run *s)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->st->lite->db, "SELECT username_fold FROM users WHERE status <> 'u'", -1, &q, NULL) !=
        SQLITE_OK)
        return sqlite_fail(s->st, s->e, "seed names");
    while (sqlite3_step(q) == SQLITE_ROW)
        seed_nameset_add(&s->plan.names, (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->st->lite->db, "SELECT coalesce(max(id), 0) + 1 FROM users", -1, &q, NULL) != SQLITE_OK)
        return sqlite_fail(s->st, s->e, "seed ids");
    if (sqlite3_step(q) == SQLITE_ROW)
        s->plan.first = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return true;
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

/* Inserts the user first + i with its tags and categories. */
static bool seed_user(struct seed_run *s, int64_t i)
{
    struct seed_user_row row;
    seed_user_row(&s->plan, i, &row);
    const struct person *p = &row.p;
    sqlite3_stmt *q = s->ins_user;
    sqlite3_bind_int64(q, 1, row.id);
    sqlite3_bind_text(q, 2, p->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, row.username_fold, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, row.email, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, p->real_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, row.real_name_fold ? row.real_name_fold : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, p->location ? p->location : "", -1, SQLITE_STATIC);
    if (p->has_location_ll) {
        sqlite3_bind_double(q, 8, p->location_lat);
        sqlite3_bind_double(q, 9, p->location_lng);
    } else {
        sqlite3_bind_null(q, 8);
        sqlite3_bind_null(q, 9);
    }
    if (p->has_position_ll) {
        sqlite3_bind_double(q, 10, p->position_lat);
        sqlite3_bind_double(q, 11, p->position_lng);
    } else {
        sqlite3_bind_null(q, 10);
        sqlite3_bind_null(q, 11);
    }
    sqlite_bind_text_or_null(q, 12, p->date_of_birth[0] ? p->date_of_birth : NULL);
    sqlite3_bind_text(q, 13, p->description ? p->description : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 14, p->gender, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 15, (char[]){p->status, 0}, 1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 16, p->role);
    sqlite3_bind_int64(q, 17, p->joined_us);
    sqlite3_bind_int64(q, 18, s->plan.nfollowers[i]);
    sqlite3_bind_int64(q, 19, s->plan.nfollows[i]);
    sqlite3_bind_int64(q, 20, row.ncats);
    bool ok = sqlite3_step(q) == SQLITE_DONE;
    sqlite3_reset(q);
    for (int t = 0; ok && t < row.ntags; t++) {
        sqlite3_bind_int64(s->ins_tag, 1, row.id);
        sqlite3_bind_int64(s->ins_tag, 2, s->tag_ids[row.tags[t]]);
        ok = sqlite3_step(s->ins_tag) == SQLITE_DONE;
        sqlite3_reset(s->ins_tag);
        s->out->user_tags++;
    }
    for (int c = 0; ok && c < row.ncats; c++) {
        sqlite3_bind_int64(s->ins_cat, 1, row.id);
        sqlite3_bind_int64(s->ins_cat, 2, s->category_ids[row.cats[c]]);
        sqlite3_bind_int64(s->ins_cat, 3, p->joined_us);
        ok = sqlite3_step(s->ins_cat) == SQLITE_DONE;
        sqlite3_reset(s->ins_cat);
        s->out->category_follows++;
    }
    seed_user_row_free(&row);
    s->out->users++;
    return ok;
}

/* Pass 3: users, their tags and categories, SEED_BATCH per transaction. */
static bool seed_users(struct seed_run *s)
{
    bool ok = true;
    double started = seed_now_s();
    const int64_t n = s->plan.n;
    for (int64_t i = 0; ok && i < n; i++) {
        if (i % SEED_BATCH == 0 && !(ok = store_begin(s->st, s->e)))
            break;
        ok = seed_user(s, i);
        if (ok && ((i + 1) % SEED_BATCH == 0 || i + 1 == n)) {
            ok = store_commit(s->st, s->e);
            double phase = seed_now_s() - started;
            seed_progress(s->o, "seed: %lld of %lld users, %.0f users/s (%.1f s)", (long long)(i + 1), (long long)n,
                          phase > 0 ? (double)(i + 1) / phase : 0.0, seed_now_s() - s->t0);
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
    double started = seed_now_s();
    const struct seed_plan *plan = &s->plan;
    for (int64_t i = 0; ok && i < plan->n; i++) {
        if (i % SEED_BATCH == 0 && !(ok = store_begin(s->st, s->e)))
            break;
        for (int j = 0; ok && j < plan->nfollows[i]; j++) {
            sqlite3_bind_int64(s->ins_follow, 1, plan->first + i);
            sqlite3_bind_int64(s->ins_follow, 2, plan->first + plan->follows[i * plan->K + j]);
            sqlite3_bind_int64(s->ins_follow, 3, (SEED_JOINED_TO + i) * 1000000);
            ok = sqlite3_step(s->ins_follow) == SQLITE_DONE;
            sqlite3_reset(s->ins_follow);
            s->out->follows++;
        }
        if (ok && ((i + 1) % SEED_BATCH == 0 || i + 1 == plan->n)) {
            ok = store_commit(s->st, s->e);
            double phase = seed_now_s() - started;
            seed_progress(s->o, "seed: %lld follows, %.0f follows/s (%.1f s)", (long long)s->out->follows,
                          phase > 0 ? (double)s->out->follows / phase : 0.0, seed_now_s() - s->t0);
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
    seed_plan_free(&s->plan);
}

/* The search indexes, rebuilt from the rows by migration 005. */
static bool seed_index(struct seed_run *s)
{
    seed_progress(s->o, "seed: building the search indexes");
    double t_index = seed_now_s();
    if (!store_migrate(s->st, s->e) || !exec(s->st, "PRAGMA wal_checkpoint(TRUNCATE);", s->e))
        return false;
    s->out->seconds_index = seed_now_s() - t_index;
    s->out->seconds_total = seed_now_s() - s->t0;
    return exec(s->st, "PRAGMA synchronous = NORMAL;", s->e);
}

bool sqlite_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (!seed_options_check(o, e))
        return false;
    struct seed_run s = {.st = st,
                         .o = o,
                         .out = out,
                         .e = e,
                         .plan = {.seed = o->seed, .n = o->users, .K = o->follows_per_user, .first = 1}};
    s.t0 = seed_now_s();
    /* the rebuild's sorts may use a helper thread */
    if (!exec(st, "PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA threads = 2;", e) ||
        !drop_search(st, e) || !seed_existing(&s))
        return false;
    if (!store_begin(st, e))
        return false;
    if (!vocabulary(st, s.tag_ids, s.category_ids, out, e) || !store_commit(st, e)) {
        store_rollback(st);
        seed_plan_free(&s.plan);
        return false;
    }
    seed_progress(o, "seed: planning %lld users, %lld follows each", (long long)s.plan.n, (long long)s.plan.K);
    seed_plan_graph(&s.plan);
    double t_users = seed_now_s();
    bool ok = seed_prepare_inserts(&s) && seed_users(&s) && seed_follows(&s);
    seed_run_free(&s);
    out->seconds_users = seed_now_s() - t_users;
    if (!ok)
        return false;
    if (s.plan.K)
        seed_progress(o, "seed: %lld follows (%.1f s)", (long long)out->follows, seed_now_s() - s.t0);
    return seed_index(&s);
}

bool sqlite_search_reindex(struct store *st, struct err *e)
{
    return exec(st, "PRAGMA cache_size = -1048576; PRAGMA threads = 2;", e) && drop_search(st, e) &&
           store_migrate(st, e) && exec(st, "PRAGMA wal_checkpoint(TRUNCATE);", e);
}
