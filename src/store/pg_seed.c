/* pg_seed.c - `hearth seed` on PostgreSQL: the same population as on
 * SQLite for the same options (seed_plan.c makes it), written with COPY
 * in one transaction: users with their counters already right, their tags
 * and categories, then the follows. The secondary indexes and foreign keys
 * of those tables are dropped for the load and made again after it from
 * their own definitions (one sorted build each, not a row at a time), so
 * a failed seed rolls back to the schema it found. The identity sequence
 * is moved past the new ids, and the tables are analyzed for the planner. */
#include "store/seed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/text.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/pg_list.h"
#include "store/seed_internal.h"

enum { COPY_FLUSH_BYTES = 1 << 20 }; /* rows are sent in chunks of about this */

/* ---- COPY in text format ---- */

struct copy {
    struct store *st;
    struct buf b;
    bool failed;
};

static bool copy_begin(struct copy *c, const char *sql, struct err *e)
{
    PGresult *r = PQexec(c->st->pg->conn, sql);
    bool ok = r && PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok)
        pg_fail(c->st, r, e, "seed copy");
    PQclear(r);
    return ok;
}

static void copy_flush(struct copy *c)
{
    if (c->b.len && !c->failed && PQputCopyData(c->st->pg->conn, c->b.data, (int)c->b.len) != 1)
        c->failed = true;
    buf_reset(&c->b);
}

/* Ends the row: a newline, and a flush when the chunk is full. */
static void copy_row_end(struct copy *c)
{
    c->b.data[c->b.len - 1] = '\n'; /* the last field's tab */
    if (c->b.len >= COPY_FLUSH_BYTES)
        copy_flush(c);
}

/* A text field (NULL is \N), escaped for COPY's text format. */
static void copy_text(struct copy *c, const char *s)
{
    if (!s) {
        buf_puts(&c->b, "\\N\t");
        return;
    }
    for (; *s; s++) {
        switch (*s) {
        case '\\': buf_puts(&c->b, "\\\\"); break;
        case '\t': buf_puts(&c->b, "\\t"); break;
        case '\n': buf_puts(&c->b, "\\n"); break;
        case '\r': buf_puts(&c->b, "\\r"); break;
        default: buf_append(&c->b, s, 1);
        }
    }
    buf_puts(&c->b, "\t");
}

static void copy_int(struct copy *c, int64_t v) { buf_printf(&c->b, "%" PRId64 "\t", v); }

static void copy_real(struct copy *c, bool has, double v)
{
    if (has)
        buf_printf(&c->b, "%.17g\t", v);
    else
        buf_puts(&c->b, "\\N\t");
}

static bool copy_end(struct copy *c, struct err *e)
{
    copy_flush(c);
    buf_free(&c->b);
    PGconn *conn = c->st->pg->conn;
    bool ok = PQputCopyEnd(conn, c->failed ? "seed failed" : NULL) == 1;
    PGresult *r;
    while ((r = PQgetResult(conn))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (ok)
                pg_fail(c->st, r, e, "seed copy");
            ok = false;
        }
        PQclear(r);
    }
    return ok && !c->failed ? true : (err_any(e) ? false : pg_fail(c->st, NULL, e, "seed copy"));
}

/* ---- the run ---- */

struct seed_run {
    struct store *st;
    const struct seed_options *o;
    struct seed_stats *out;
    struct err *e;
    double t0;
    struct seed_plan plan;
    int64_t tag_ids[N(seed_tags)], category_ids[N(seed_categories)];
    PGresult *deferred; /* the dropped indexes and constraints (defer_drop) */
};

/* The first free id and the usernames already taken. */
static bool seed_existing(struct seed_run *s)
{
    PGresult *r = pg_run(s->st, s->e, "SELECT username_fold FROM users WHERE status <> 'u'", "");
    if (!r)
        return false;
    for (int i = 0; i < PQntuples(r); i++)
        seed_nameset_add(&s->plan.names, PQgetvalue(r, i, 0));
    PQclear(r);
    return pg_int(s->st, &s->plan.first, s->e, "SELECT coalesce(max(id), 0) + 1 FROM users", "") == 1;
}

/* The seed's tags and categories (kept if they exist) and their ids. */
static bool vocabulary(struct seed_run *s)
{
    for (int i = 0; i < N(seed_tags); i++) {
        char *fold = text_fold_malloc(seed_tags[i].name, strlen(seed_tags[i].name));
        bool ok =
            fold &&
            pg_exec(s->st, s->e,
                    "INSERT INTO tags (type, name, name_fold, description, color, visible, active, created_us) "
                    "VALUES ('user', $1, $2, 'Given by the seed generator.', $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    "sssiii", seed_tags[i].name, fold, seed_tags[i].color, (int64_t)seed_tags[i].visible,
                    (int64_t)seed_tags[i].active, clock_now_us()) &&
            pg_int(s->st, &s->tag_ids[i], s->e, "SELECT id FROM tags WHERE type = 'user' AND name = $1", "s",
                   seed_tags[i].name) == 1;
        free(fold);
        if (!ok)
            return err_any(s->e) ? false : err_internal(s->e);
    }
    for (int i = 0; i < N(seed_categories); i++) {
        char slug[64];
        seed_category_slug(seed_categories[i], slug, sizeof slug);
        char *fold = text_fold_malloc(seed_categories[i], strlen(seed_categories[i]));
        bool ok = fold &&
                  pg_exec(s->st, s->e,
                          "INSERT INTO categories (\"order\", name, name_fold, slug, lastmod_us) "
                          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                          "isssi", (int64_t)i, seed_categories[i], fold, slug, clock_now_us()) &&
                  pg_int(s->st, &s->category_ids[i], s->e, "SELECT id FROM categories WHERE name = $1", "s",
                         seed_categories[i]) == 1;
        free(fold);
        if (!ok)
            return err_any(s->e) ? false : err_internal(s->e);
    }
    s->out->tags = N(seed_tags);
    s->out->categories = N(seed_categories);
    return true;
}

/* The user's tag ids as users.tag_ids holds them (019_user_tag_ids.sql:
 * ascending, joined by ',', NULL for none), the user_tags trigger being
 * off for the load. */
static void copy_tag_ids(struct copy *c, const int64_t *tag_ids, const struct seed_user_row *row)
{
    int64_t ids[N(seed_tags)];
    int n = 0;
    for (int t = 0; t < row->ntags; t++) { /* insertion: a few tags */
        int64_t id = tag_ids[row->tags[t]];
        int at = n++;
        while (at > 0 && ids[at - 1] > id) {
            ids[at] = ids[at - 1];
            at--;
        }
        ids[at] = id;
    }
    char text[N(seed_tags) * 21 + 1];
    size_t len = 0;
    for (int t = 0; t < n; t++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%" PRId64, t ? "," : "", ids[t]);
    copy_text(c, n ? text : NULL);
}

/* Users, then their tags and categories (three COPYs over the same rows). */
static bool seed_users(struct seed_run *s)
{
    const struct seed_plan *plan = &s->plan;
    struct copy c = {.st = s->st};
    if (!copy_begin(&c,
                    "COPY users (id, username, username_fold, email, email_fold, real_name, real_name_fold, "
                    "location, location_fold, location_lat, location_lng, position_lat, position_lng, "
                    "date_of_birth, description, description_fold, gender, status, role, date_joined_us, "
                    "followers_counter, followings_counter, categories_counter, search_words, tag_ids) FROM STDIN",
                    s->e))
        return false;
    /* the joining times, for the categories' rows */
    int64_t *joined = malloc(sizeof *joined * (size_t)(plan->n ? plan->n : 1));
    if (!joined)
        abort();
    double started = seed_now_s();
    for (int64_t i = 0; i < plan->n; i++) {
        struct seed_user_row row;
        seed_user_row(&s->plan, i, &row);
        const struct person *p = &row.p;
        joined[i] = p->joined_us;
        copy_int(&c, row.id);
        copy_text(&c, p->username);
        copy_text(&c, row.username_fold);
        copy_text(&c, row.email);
        copy_text(&c, row.email);
        copy_text(&c, p->real_name);
        copy_text(&c, row.real_name_fold ? row.real_name_fold : "");
        /* the location's and description's folds, for their columns and
         * the words user writes store (pg_search.h) */
        char *location_fold = p->location && *p->location ? text_fold_malloc(p->location, strlen(p->location)) : NULL;
        char *description_fold =
            p->description && *p->description ? text_fold_malloc(p->description, strlen(p->description)) : NULL;
        copy_text(&c, p->location ? p->location : "");
        copy_text(&c, location_fold ? location_fold : "");
        copy_real(&c, p->has_location_ll, p->location_lat);
        copy_real(&c, p->has_location_ll, p->location_lng);
        copy_real(&c, p->has_position_ll, p->position_lat);
        copy_real(&c, p->has_position_ll, p->position_lng);
        copy_text(&c, p->date_of_birth[0] ? p->date_of_birth : NULL);
        copy_text(&c, p->description ? p->description : "");
        copy_text(&c, description_fold ? description_fold : "");
        copy_text(&c, p->gender);
        copy_text(&c, (char[]){p->status, 0});
        copy_text(&c, p->role);
        copy_int(&c, p->joined_us);
        copy_int(&c, plan->nfollowers[i]);
        copy_int(&c, plan->nfollows[i]);
        copy_int(&c, row.ncats);
        char *words = pg_search_words_dup(row.username_fold, row.real_name_fold, location_fold, description_fold);
        copy_text(&c, words);
        free(words);
        copy_tag_ids(&c, s->tag_ids, &row);
        free(location_fold);
        free(description_fold);
        copy_row_end(&c);
        seed_user_row_free(&row);
        s->out->users++;
        if ((i + 1) % SEED_BATCH == 0 || i + 1 == plan->n) {
            double phase = seed_now_s() - started;
            seed_progress(s->o, "seed: %lld of %lld users, %.0f users/s (%.1f s)", (long long)(i + 1),
                          (long long)plan->n, phase > 0 ? (double)(i + 1) / phase : 0.0, seed_now_s() - s->t0);
        }
    }
    bool ok = copy_end(&c, s->e);
    /* their tags, then their categories: one COPY at a time on a
     * connection, so a pass each, making the same rows again */
    struct copy tags = {.st = s->st};
    ok = ok && copy_begin(&tags, "COPY user_tags (user_id, tag_id) FROM STDIN", s->e);
    for (int64_t i = 0; ok && i < plan->n; i++) {
        struct seed_user_row row;
        seed_user_links(plan, i, &row);
        for (int t = 0; t < row.ntags; t++) {
            copy_int(&tags, plan->first + i);
            copy_int(&tags, s->tag_ids[row.tags[t]]);
            copy_row_end(&tags);
            s->out->user_tags++;
        }
    }
    ok = ok && copy_end(&tags, s->e);
    struct copy cats = {.st = s->st};
    ok = ok && copy_begin(&cats, "COPY category_follows (user_id, category_id, created_us) FROM STDIN", s->e);
    for (int64_t i = 0; ok && i < plan->n; i++) {
        struct seed_user_row row;
        seed_user_links(plan, i, &row);
        for (int k = 0; k < row.ncats; k++) {
            copy_int(&cats, plan->first + i);
            copy_int(&cats, s->category_ids[row.cats[k]]);
            copy_int(&cats, joined[i]);
            copy_row_end(&cats);
            s->out->category_follows++;
        }
    }
    free(joined);
    return ok && copy_end(&cats, s->e);
}

/* The follows, after every user exists. */
static bool seed_follows(struct seed_run *s)
{
    const struct seed_plan *plan = &s->plan;
    struct copy c = {.st = s->st};
    if (!copy_begin(&c, "COPY follows (follower_id, followed_id, created_us) FROM STDIN", s->e))
        return false;
    double started = seed_now_s();
    for (int64_t i = 0; i < plan->n; i++) {
        for (int j = 0; j < plan->nfollows[i]; j++) {
            copy_int(&c, plan->first + i);
            copy_int(&c, plan->first + plan->follows[i * plan->K + j]);
            copy_int(&c, (SEED_JOINED_TO + i) * 1000000);
            copy_row_end(&c);
            s->out->follows++;
        }
        if ((i + 1) % SEED_BATCH == 0 || i + 1 == plan->n) {
            double phase = seed_now_s() - started;
            seed_progress(s->o, "seed: %lld follows, %.0f follows/s (%.1f s)", (long long)s->out->follows,
                          phase > 0 ? (double)s->out->follows / phase : 0.0, seed_now_s() - s->t0);
        }
    }
    return copy_end(&c, s->e);
}

/* ---- indexes and constraints, deferred past the load ---- */

/* The loaded tables' indexes that no constraint owns, their primary keys
 * (the link tables': nothing refers to them) and their foreign keys: per
 * row its name, the statement that drops it and the one that makes it
 * again, in the order they are dropped (foreign keys first). */
static const char DEFERRED_SQL[] =
    "SELECT conname::text, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), "
    "format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), "
    "0 AS step FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('users'::regclass, "
    "'user_tags'::regclass, 'category_follows'::regclass, 'follows'::regclass) "
    "UNION ALL SELECT conname::text, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), "
    "format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), 1 "
    "FROM pg_constraint WHERE contype = 'p' AND conrelid IN ('user_tags'::regclass, "
    "'category_follows'::regclass, 'follows'::regclass) "
    "UNION ALL SELECT i.indexrelid::regclass::text, format('DROP INDEX %s', i.indexrelid::regclass), "
    "pg_get_indexdef(i.indexrelid), 2 FROM pg_index i WHERE i.indrelid IN ('users'::regclass, "
    "'user_tags'::regclass, 'category_follows'::regclass, 'follows'::regclass) "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
    "ORDER BY step, 1";

static bool defer_drop(struct seed_run *s)
{
    s->deferred = pg_run(s->st, s->e, DEFERRED_SQL, "");
    if (!s->deferred)
        return false;
    for (int i = 0; i < PQntuples(s->deferred); i++)
        if (!pg_exec_simple(s->st, s->e, PQgetvalue(s->deferred, i, 1)))
            return false;
    return true;
}

/* Makes them again, in the reverse order: indexes and keys, then the
 * foreign keys (each checked by one join over the loaded rows). */
static bool defer_restore(struct seed_run *s)
{
    const int n = PQntuples(s->deferred);
    for (int i = n - 1; i >= 0; i--) {
        double started = seed_now_s();
        if (!pg_exec_simple(s->st, s->e, PQgetvalue(s->deferred, i, 2)))
            return false;
        seed_progress(s->o, "seed: %s made again, %d of %d (%.1f s, %.1f s)", PQgetvalue(s->deferred, i, 0), n - i, n,
                      seed_now_s() - started, seed_now_s() - s->t0);
    }
    return true;
}

/* What the disabled triggers keep, computed once from the rows, and the
 * triggers back on. */
static bool rebuild_derived(struct store *st, struct err *e)
{
    return pg_exec(st, e,
                   "UPDATE categories k SET followers_counter = coalesce(c.n, 0) FROM categories k0 LEFT JOIN "
                   "(SELECT f.category_id, count(*) AS n FROM category_follows f JOIN users u ON u.id = f.user_id "
                   "WHERE u.status IN ('a', 'b') GROUP BY f.category_id) c ON c.category_id = k0.id WHERE k.id = k0.id",
                   "") &&
           pg_list_counts_rebuild(st, e) && pg_search_counts_rebuild(st, e) &&
           pg_exec_simple(st, e,
                          "ALTER TABLE users ENABLE TRIGGER USER; ALTER TABLE user_tags ENABLE TRIGGER USER; "
                          "ALTER TABLE category_follows ENABLE TRIGGER USER; ALTER TABLE follows ENABLE TRIGGER USER");
}

bool pg_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e)
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
    if (!store_begin(st, e))
        return false;
    /* a bulk load: no statement bound, memory for the index builds and
     * the grouped counts, and the triggers that keep derived counts off until rebuild_derived
     * recomputes them once (ALTER TABLE also keeps every other writer out
     * until the commit) */
    if (!pg_exec_simple(
            st, e,
            "SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '1GB'; "
            "SET LOCAL synchronous_commit = on; "
            "ALTER TABLE users DISABLE TRIGGER USER; "
            "ALTER TABLE user_tags DISABLE TRIGGER USER; ALTER TABLE category_follows DISABLE TRIGGER USER; "
            "ALTER TABLE follows DISABLE TRIGGER USER") ||
        !seed_existing(&s) || !vocabulary(&s) || !defer_drop(&s)) {
        store_rollback(st);
        PQclear(s.deferred);
        seed_plan_free(&s.plan);
        return false;
    }
    seed_progress(o, "seed: planning %lld users, %lld follows each", (long long)s.plan.n, (long long)s.plan.K);
    seed_plan_graph(&s.plan);
    double t_users = seed_now_s();
    bool ok = seed_users(&s) && seed_follows(&s);
    seed_plan_free(&s.plan);
    out->seconds_users = seed_now_s() - t_users;
    if (ok && s.plan.K)
        seed_progress(o, "seed: %lld follows (%.1f s)", (long long)out->follows, seed_now_s() - s.t0);
    double t_index = seed_now_s();
    ok = ok && defer_restore(&s) &&
         pg_exec(st, e, "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))", "");
    /* the planner's statistics of the loaded tables, for the joins of the
     * counts below (without them it walks the follows by the wrong index) */
    if (ok)
        seed_progress(o, "seed: analyzing the loaded tables (%.1f s)", seed_now_s() - s.t0);
    ok = ok && pg_exec_simple(st, e, "ANALYZE users, user_tags, category_follows, follows");
    if (ok)
        seed_progress(o, "seed: counts (%.1f s)", seed_now_s() - s.t0);
    ok = ok && rebuild_derived(st, e) && store_commit(st, e);
    PQclear(s.deferred);
    if (!ok) {
        store_rollback(st);
        return false;
    }
    seed_progress(o, "seed: analyzing the counts (%.1f s)", seed_now_s() - s.t0);
    /* search_name's rows marked visible to all, for its index-only scans
     * (020_search_name.sql), first: VACUUM runs outside any transaction and
     * marks a page once the commit that wrote its rows is flushed, which
     * the load's commit waited for (synchronous_commit above), but a later
     * commit that did not wait (this ANALYZE) would hold back the group of
     * commits it shares with it */
    ok = pg_exec_simple(st, e, "VACUUM search_name") &&
         pg_exec_simple(st, e,
                        "ANALYZE tags, categories, list_order_counts, list_counts, list_edge_counts, search_count");
    out->seconds_index = seed_now_s() - t_index;
    out->seconds_total = seed_now_s() - s.t0;
    seed_progress(o, "seed: done (%.1f s)", out->seconds_total);
    return ok;
}
