/* sqlite_search_check.c - the references for the search engine: the same
 * query answered by testing every user row (no search index), and an audit
 * of the 005_search indexes against the base tables. Slow on purpose; for
 * tests and audits, never for requests. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "model/search.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_search_internal.h"
#include "store/test_hooks.h"

/* A text filter on a column, as contract §3 words it. */
static void naive_text(struct sql_query *b, const char *column, const char *term)
{
    int k = sql_text(b, term);
    if (text_chars(term) <= SEARCH_PREFIX_CHARS)
        buf_printf(&b->sql, "search_word_start(%s, $%d)", column, k);
    else
        buf_printf(&b->sql, "instr(%s, $%d) > 0", column, k);
}

static void naive_where(struct sql_query *b, const struct search_query *q)
{
    buf_puts(&b->sql, " FROM users u WHERE u.status IN ('a', 'b')");
    if (q->term) {
        buf_puts(&b->sql, " AND (");
        naive_text(b, "u.username_fold", q->term);
        buf_puts(&b->sql, " OR ");
        naive_text(b, "u.real_name_fold", q->term);
        buf_puts(&b->sql, ")");
    }
    const char *cols[] = {"u.username_fold", "u.real_name_fold", "fold(u.location)", "fold(u.description)"};
    const char *terms[] = {q->username, q->real_name, q->location, q->description};
    for (int i = 0; i < 4; i++)
        if (terms[i]) {
            buf_puts(&b->sql, " AND ");
            naive_text(b, cols[i], terms[i]);
        }
    if (q->gender)
        buf_printf(&b->sql, " AND u.gender = $%d", sql_text(b, q->gender));
    if (q->has_age)
        buf_printf(&b->sql,
                   " AND u.date_of_birth IS NOT NULL AND CAST(replace(u.date_of_birth, '-', '') AS INTEGER) > %d"
                   " AND (%d = 0 OR CAST(replace(u.date_of_birth, '-', '') AS INTEGER) <= %d)",
                   q->dob_after, q->dob_upto, q->dob_upto);
    if (q->staff != SEARCH_STAFF_ANY)
        buf_puts(&b->sql, q->staff == SEARCH_STAFF_ONLY ? " AND u.role IS NOT NULL" : " AND u.role IS NULL");
    if (q->tag_id)
        buf_printf(&b->sql, " AND u.id IN (SELECT user_id FROM user_tags WHERE tag_id = %lld)", (long long)q->tag_id);
    if (q->category_id)
        buf_printf(&b->sql, " AND u.id IN (SELECT user_id FROM category_follows WHERE category_id = %lld)",
                   (long long)q->category_id);
    if (q->has_origin) {
        buf_puts(&b->sql, " AND dist IS NOT NULL");
        if (q->has_radius)
            buf_printf(&b->sql, " AND dist <= $%d", sql_real(b, q->radius_km));
    }
    if (q->viewer_id)
        buf_printf(&b->sql, " AND u.id NOT IN (SELECT hidden_id FROM hides WHERE user_id = %lld)",
                   (long long)q->viewer_id);
    if (q->exclude_id)
        buf_printf(&b->sql, " AND u.id <> %lld", (long long)q->exclude_id);
}

/* The distance column: the metre-rounded distance from the origin. */
static void naive_select(struct sql_query *b, const struct search_query *q, const char *what)
{
    buf_printf(&b->sql, "SELECT %s", what);
    if (q->has_origin) {
        int la = sql_real(b, q->lat), ln = sql_real(b, q->lng);
        buf_printf(&b->sql,
                   ", search_user_km($%d, $%d, u.position_lat, u.position_lng, u.location_lat, u.location_lng) AS dist",
                   la, ln);
    } else {
        buf_puts(&b->sql, ", NULL AS dist");
    }
}

bool sqlite_search_users_naive(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                               struct err *e)
{
    memset(out, 0, sizeof *out);
    if (q->nothing)
        return true;
    struct sql_query b = {0};
    naive_select(&b, q, "count(*)");
    naive_where(&b, q);
    if (!sqlite_query_count(st, &b, &out->count, e))
        return false;

    memset(&b, 0, sizeof b);
    naive_select(&b, q, "u.id");
    naive_where(&b, q);
    buf_puts(&b.sql, " ORDER BY ");
    int given = 0;
    for (int i = 0; i < q->norder; i++) {
        const char *expr = NULL;
        switch (q->order[i].key) {
        case SEARCH_KEY_USERNAME: expr = "u.username_fold"; break;
        case SEARCH_KEY_REAL_NAME: expr = "u.real_name_fold"; break;
        case SEARCH_KEY_LOCATION: expr = "fold(u.location)"; break;
        case SEARCH_KEY_DATE_JOINED: expr = "u.date_joined_us"; break;
        case SEARCH_KEY_ID: expr = "u.id"; break;
        case SEARCH_KEY_DISTANCE: expr = q->has_origin ? "dist" : NULL; break;
        case SEARCH_KEY_RELEVANCE: break;
        }
        if (expr) {
            buf_printf(&b.sql, "%s %s, ", expr, q->order[i].desc ? "DESC" : "ASC");
            given++;
        }
    }
    if (!given) {
        if (q->term) {
            int k = sql_text(&b, q->term);
            buf_printf(&b.sql,
                       "CASE WHEN u.username_fold = $%d THEN 0 WHEN search_starts_with(u.username_fold, $%d) THEN 1 "
                       "ELSE 2 END, ",
                       k, k);
        } else if (q->fallback == SEARCH_KEY_USERNAME) {
            buf_puts(&b.sql, "u.username_fold, ");
        }
    }
    buf_printf(&b.sql, "u.id LIMIT %d OFFSET %d", q->limit, q->offset);
    sqlite3_stmt *p = sqlite_query_prepare(st, &b, e);
    if (!p)
        return false;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(q->limit > 0 ? q->limit : 1));
    out->distance =
        q->has_origin ? arena_alloc(a, sizeof *out->distance * (size_t)(q->limit > 0 ? q->limit : 1)) : NULL;
    int rc;
    while ((rc = sqlite3_step(p)) == SQLITE_ROW && out->n < q->limit) {
        int found = store_user_get(st, a, sqlite3_column_int64(p, 0), &out->items[out->n], e);
        if (found != 1)
            break;
        if (out->distance)
            out->distance[out->n] = sqlite3_column_double(p, 1);
        out->n++;
    }
    sqlite3_finalize(p);
    return !err_any(e);
}

/* ================================================================ */
/* index audit                                                      */

/* Rows in one set and not the other, both ways. */
static const char *const audits[] = {
    /* search_prefix */
    "SELECT count(*) FROM (SELECT * FROM (SELECT substr(j.value, instr(j.value, '|') + 1), CAST(j.value AS INTEGER) / "
    "100, u.id, CAST(j.value AS INTEGER) % 100, "
    "search_gender(u.gender), search_dob(u.date_of_birth), u.role IS NOT NULL FROM users u, "
    "json_each(search_prefix_rows(u.username_fold, u.real_name_fold, fold(u.location), fold(u.description))) j "
    "WHERE u.status IN ('a', 'b')) EXCEPT SELECT pfx, rank, user_id, fields, gender, dob, staff FROM search_prefix)",
    "SELECT count(*) FROM (SELECT pfx, rank, user_id, fields, gender, dob, staff FROM search_prefix EXCEPT "
    "SELECT substr(j.value, instr(j.value, '|') + 1), CAST(j.value AS INTEGER) / 100, u.id, CAST(j.value AS INTEGER) % "
    "100, search_gender(u.gender), search_dob(u.date_of_birth), "
    "u.role IS NOT NULL FROM users u, json_each(search_prefix_rows(u.username_fold, u.real_name_fold, "
    "fold(u.location), fold(u.description))) j WHERE u.status IN ('a', 'b'))",
    /* search_suffix */
    "SELECT count(*) FROM (SELECT * FROM (SELECT substr(j.value, instr(j.value, '|') + 1), u.id, CAST(j.value AS "
    "INTEGER), search_gender(u.gender), "
    "search_dob(u.date_of_birth), u.role IS NOT NULL FROM users u, json_each(search_suffix_rows(u.username_fold, "
    "u.real_name_fold, fold(u.location), fold(u.description))) j WHERE u.status IN ('a', 'b')) EXCEPT "
    "SELECT suffix, user_id, fields, gender, dob, staff FROM search_suffix)",
    "SELECT count(*) FROM (SELECT suffix, user_id, fields, gender, dob, staff FROM search_suffix EXCEPT "
    "SELECT substr(j.value, instr(j.value, '|') + 1), u.id, CAST(j.value AS INTEGER), search_gender(u.gender), "
    "search_dob(u.date_of_birth), "
    "u.role IS NOT NULL FROM users u, json_each(search_suffix_rows(u.username_fold, u.real_name_fold, "
    "fold(u.location), fold(u.description))) j WHERE u.status IN ('a', 'b'))",
    /* search_name (023) */
    "SELECT count(*) FROM (SELECT * FROM (SELECT substr(j.value, instr(j.value, '|') + 1), search_gender(u.gender), "
    "coalesce(search_dob(u.date_of_birth), 0), u.id, CAST(j.value AS INTEGER), u.role IS NOT NULL FROM users u, "
    "json_each(search_name_rows(u.username_fold, u.real_name_fold)) j WHERE u.status IN ('a', 'b')) EXCEPT "
    "SELECT head, gender, dob, user_id, fields, staff FROM search_name)",
    "SELECT count(*) FROM (SELECT head, gender, dob, user_id, fields, staff FROM search_name EXCEPT "
    "SELECT substr(j.value, instr(j.value, '|') + 1), search_gender(u.gender), coalesce(search_dob(u.date_of_birth), "
    "0), u.id, CAST(j.value AS INTEGER), u.role IS NOT NULL FROM users u, json_each(search_name_rows(u.username_fold, "
    "u.real_name_fold)) j WHERE u.status IN ('a', 'b'))",
    /* search_member */
    "SELECT count(*) FROM (SELECT * FROM (SELECT m.kind, m.key, u.id, search_gender(u.gender), "
    "search_dob(u.date_of_birth), u.role IS NOT NULL FROM (SELECT 1 AS kind, tag_id AS key, user_id FROM user_tags "
    "UNION ALL SELECT 2, category_id, user_id FROM category_follows) m JOIN users u ON u.id = m.user_id "
    "WHERE u.status IN ('a', 'b')) EXCEPT SELECT kind, key, user_id, gender, dob, staff FROM search_member)",
    "SELECT count(*) FROM (SELECT kind, key, user_id, gender, dob, staff FROM search_member EXCEPT "
    "SELECT m.kind, m.key, u.id, search_gender(u.gender), search_dob(u.date_of_birth), u.role IS NOT NULL "
    "FROM (SELECT 1 AS kind, tag_id AS key, user_id FROM user_tags UNION ALL SELECT 2, category_id, user_id "
    "FROM category_follows) m JOIN users u ON u.id = m.user_id WHERE u.status IN ('a', 'b'))",
    /* search_geo */
    "SELECT count(*) FROM (SELECT * FROM (SELECT id, search_user_lat_e7(position_lat, position_lng, location_lat, "
    "location_lng) AS lat, search_user_lng_e7(position_lat, position_lng, location_lat, location_lng) AS lng "
    "FROM users WHERE status IN ('a', 'b')) WHERE lat IS NOT NULL EXCEPT SELECT id, lat_min, lng_min FROM search_geo)",
    "SELECT count(*) FROM (SELECT id, lat_min, lng_min FROM search_geo EXCEPT SELECT * FROM (SELECT id, "
    "search_user_lat_e7(position_lat, position_lng, location_lat, location_lng) AS lat, "
    "search_user_lng_e7(position_lat, position_lng, location_lat, location_lng) AS lng FROM users "
    "WHERE status IN ('a', 'b')) WHERE lat IS NOT NULL)",
    /* search_point: the points of search_geo (020) */
    "SELECT count(*) FROM (SELECT lat_min, lng_min, id FROM search_geo EXCEPT SELECT lat, lng, id FROM search_point)",
    "SELECT count(*) FROM (SELECT lat, lng, id FROM search_point EXCEPT SELECT lat_min, lng_min, id FROM search_geo)",
    /* search_geo's own shape: points (min = max) */
    "SELECT count(*) FROM search_geo WHERE lat_min <> lat_max OR lng_min <> lng_max",
    /* search_count: the non-zero counts against their recomputation */
    "WITH expected (key, n) AS (SELECT j.value ->> 0, j.value ->> 1 FROM json_each((SELECT "
    "search_count_all(username_fold, real_name_fold, fold(location), fold(description), search_gender(gender), "
    "role IS NOT NULL, search_dob(date_of_birth)) FROM users WHERE status IN ('a', 'b'))) j UNION ALL SELECT 'g', "
    "count(*) FROM search_geo "
    "UNION ALL SELECT 'm' || kind || ':' || key, count(*) FROM search_member GROUP BY kind, key "
    "UNION ALL SELECT search_cube_key(search_gender(gender), role IS NOT NULL, search_user_lat_e7(position_lat, "
    "position_lng, location_lat, location_lng) IS NOT NULL, search_dob(date_of_birth)), count(*) FROM users "
    "WHERE status IN ('a', 'b') GROUP BY 1 "
    "UNION ALL SELECT j.value, count(*) FROM search_geo d, json_each(search_geo_cells(d.lat_min, d.lng_min)) j "
    "GROUP BY j.value), "
    "nonzero (key, n) AS (SELECT key, n FROM expected WHERE n <> 0), "
    "stored (key, n) AS (SELECT key, n FROM search_count WHERE n <> 0) "
    "SELECT (SELECT count(*) FROM (SELECT * FROM nonzero EXCEPT SELECT * FROM stored)) + "
    "(SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM nonzero))",
};

int64_t sqlite_search_check(struct store *st, struct err *e)
{
    int64_t total = 0;
    for (size_t i = 0; i < sizeof audits / sizeof *audits; i++) {
        struct sql_query b = {0};
        buf_puts(&b.sql, audits[i]);
        int64_t n = 0;
        if (!sqlite_query_count(st, &b, &n, e))
            return -1;
        total += n;
    }
    return total;
}
