/* search.c - the rules of user search (contract §3, §7, §9): reading and
 * validating the parameters of /user/search/, mapping the filters of /user/
 * onto the same query, and what a caller may filter by. */
#include "domain/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/geo.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/tag.h"
#include "store/store.h"

/* ================================================================ */
/* small parsers                                                    */

const char *search_term(struct arena *a, const char *raw)
{
    if (!raw)
        return NULL;
    /* surrounding whitespace is not part of a term (Django's CharField strips) */
    size_t n = strlen(raw);
    text_trim_span(&raw, &n);
    if (!n)
        return NULL;
    char *folded = text_fold(a, arena_strndup(a, raw, n));
    return *folded ? folded : NULL;
}

/* A positive id: digits only, at most TEXT_ID_DIGITS_MAX. 0 if invalid. */
static int64_t parse_id(const char *s)
{
    int64_t id = 0;
    return text_parse_id(s, strlen(s), &id) ? id : 0;
}

/* A non-negative decimal number of kilometres (no exponent, inf or nan). */
static bool parse_km(const char *s, double *out)
{
    const char *p = s;
    bool digits = false;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits = true;
    }
    if (!digits || *p || p - s > 32)
        return false;
    *out = strtod(s, NULL);
    return isfinite(*out);
}

/* yyyymmdd of the day `years` before today: whoever was born on or
 * before it is at least that old (birthdays counted by month and day, so
 * someone born on 29 February turns a year older on 1 March). */
static int birth_cut(int years)
{
    int y, m, d;
    clock_today(&y, &m, &d);
    return (y - years) * 10000 + m * 100 + d;
}

static void text_param(struct arena *a, const char *(*param)(void *, const char *), void *ctx, const char *name,
                       const char **out, struct err *e)
{
    const char *v = param(ctx, name);
    if (v && strlen(v) > SEARCH_TERM_MAX) {
        field_error_query_max(a, e, name, FIELD_CODE_MAX_LENGTH, SEARCH_TERM_MAX);
        return;
    }
    *out = search_term(a, v);
}

/* ================================================================ */
/* ordering                                                         */

struct search_ordering {
    const enum search_key *keys;
    bool has_origin;
    struct search_query *q;
};

static bool add_search_order(void *ctx, size_t index, bool desc)
{
    struct search_ordering *o = ctx;
    if (o->keys[index] != SEARCH_KEY_DISTANCE || o->has_origin)
        o->q->order[o->q->norder++] = (struct search_order){o->keys[index], desc};
    return o->q->norder < SEARCH_MAX_ORDER;
}

void search_parse_ordering(const char *ordering, const char *const *names, const enum search_key *keys, int n,
                           bool has_origin, struct search_query *q)
{
    q->norder = 0;
    struct search_ordering o = {keys, has_origin, q};
    field_ordering(ordering, names, (size_t)n, add_search_order, &o);
}

/* ================================================================ */
/* /user/search/                                                    */

static const char *const search_order_names[] = {"username", "location", "real_name", "distance"};
static const enum search_key search_order_keys[] = {SEARCH_KEY_USERNAME, SEARCH_KEY_LOCATION, SEARCH_KEY_REAL_NAME,
                                                    SEARCH_KEY_DISTANCE};

static void read_age(const char *age, struct search_query *q, struct err *e)
{
    /* "45+" arrives as "45 " when a client does not encode the plus */
    if (!strcmp(age, "-30")) {
        q->dob_after = birth_cut(30);
    } else if (!strcmp(age, "30-45")) {
        q->dob_after = birth_cut(45);
        q->dob_upto = birth_cut(30);
    } else if (!strcmp(age, "45+") || !strcmp(age, "45 ")) {
        q->dob_upto = birth_cut(45);
    } else {
        err_field(e, "age", "invalid_choice", "Select a valid choice: -30, 30-45 or 45+.");
        return;
    }
    q->has_age = true;
}

/* The caller's own coordinates: position, else location (contract §7). */
static void read_user_position(struct store *st, struct arena *a, const struct principal *who, struct search_query *q,
                               struct err *e)
{
    struct user me;
    int found = store_user_get(st, a, who->user_id, &me, e);
    if (found < 0)
        return;
    if (found && me.has_position_ll) {
        q->lat = me.position_lat;
        q->lng = me.position_lng;
    } else if (found && me.has_location_ll) {
        q->lat = me.location_lat;
        q->lng = me.location_lng;
    } else {
        err_field(e, "user_position", "no_position", "You have no position or location to search from.");
        return;
    }
    q->has_origin = true;
}

/* tag and category: positive ids; a tag the caller may not see finds no one. */
static void read_tag(struct store *st, struct arena *a, const struct principal *who, const char *v,
                     struct search_query *q, struct err *e)
{
    q->tag_id = parse_id(v);
    if (!q->tag_id) {
        err_field(e, "tag", FIELD_CODE_INVALID, FIELD_MSG_INTEGER);
        return;
    }
    if (principal_is_admin(who))
        return;
    struct tag t;
    int found = store_tag_get(st, a, q->tag_id, &t, e);
    if (found < 0)
        return;
    if (!found || !tag_visible_to_all(&t))
        q->nothing = true;
}

bool search_query_from_params(struct store *st, struct arena *a, const struct principal *who,
                              const char *(*param)(void *ctx, const char *name), void *ctx, struct search_query *q,
                              struct err *e)
{
    int limit = q->limit, offset = q->offset;
    memset(q, 0, sizeof *q);
    q->limit = limit;
    q->offset = offset;
    q->viewer_id = who->user_id;
    q->fallback = SEARCH_KEY_USERNAME;

    /* `user` is the official client's name, `search` an alias (§9) */
    text_param(a, param, ctx, param(ctx, "user") ? "user" : "search", &q->term, e);
    text_param(a, param, ctx, "username", &q->username, e);
    text_param(a, param, ctx, "real_name", &q->real_name, e);
    text_param(a, param, ctx, "location", &q->location, e);
    text_param(a, param, ctx, "description", &q->description, e);

    const char *v;
    if ((v = param(ctx, "gender"))) {
        if (strcmp(v, "Male") && strcmp(v, "Female") && strcmp(v, "Unspecified"))
            err_field(e, "gender", "invalid_choice", "Select a valid choice: Male, Female or Unspecified.");
        else
            q->gender = v;
    }
    if ((v = param(ctx, "age")))
        read_age(v, q, e);
    bool b;
    if (field_bool_value(param(ctx, "is_staff"), "is_staff", &b, e) == FIELD_GIVEN)
        q->staff = b ? SEARCH_STAFF_ONLY : SEARCH_STAFF_NONE;
    if ((v = param(ctx, "tag")))
        read_tag(st, a, who, v, q, e);
    if ((v = param(ctx, "category")) && !(q->category_id = parse_id(v)))
        err_field(e, "category", FIELD_CODE_INVALID, FIELD_MSG_INTEGER);

    /* the origin: lat_lng, else the caller's own coordinates */
    if ((v = param(ctx, "lat_lng"))) {
        if (!geo_parse_latlng(v, &q->lat, &q->lng))
            err_field(e, "lat_lng", "invalid",
                      "Enter 'lat,lng': latitude from -90 to 90 and longitude from -180 to 180.");
        else
            q->has_origin = true;
    }
    bool use_position = false;
    field_bool_value(param(ctx, "user_position"), "user_position", &use_position, e);
    if (use_position && !q->has_origin && !err_any(e))
        read_user_position(st, a, who, q, e);
    if ((v = param(ctx, "radius"))) {
        if (!parse_km(v, &q->radius_km))
            err_field(e, "radius", "invalid", "Enter a distance in kilometres, a number of 0 or more.");
        else if (q->has_origin)
            q->has_radius = true;
        if (q->radius_km > GEO_MAX_DISTANCE_KM)
            q->radius_km = GEO_MAX_DISTANCE_KM; /* already the whole sphere */
    }
    if (err_any(e))
        return false;
    search_parse_ordering(param(ctx, "ordering"), search_order_names, search_order_keys,
                          (int)(sizeof search_order_keys / sizeof *search_order_keys), q->has_origin, q);
    return true;
}

/* ================================================================ */
/* /user/ and /user/autocomplete/                                   */

static const char *const list_order_names[] = {"username", "real_name", "location", "date_joined", "id"};
static const enum search_key list_order_keys[] = {SEARCH_KEY_USERNAME, SEARCH_KEY_REAL_NAME, SEARCH_KEY_LOCATION,
                                                  SEARCH_KEY_DATE_JOINED, SEARCH_KEY_ID};

void search_query_from_filter(struct arena *a, const struct user_filter *f, struct search_query *q)
{
    memset(q, 0, sizeof *q);
    q->term = search_term(a, f->search);
    q->username = search_term(a, f->username);
    q->real_name = search_term(a, f->real_name);
    q->location = search_term(a, f->location);
    q->description = search_term(a, f->description);
    q->gender = f->gender;
    q->viewer_id = f->viewer_id;
    q->exclude_id = f->exclude_id;
    q->limit = f->limit;
    q->offset = f->offset;
    q->fallback = SEARCH_KEY_ID;
    for (int i = 0; i < f->norder && q->norder < SEARCH_MAX_ORDER; i++)
        for (size_t k = 0; k < sizeof list_order_keys / sizeof *list_order_keys; k++)
            if (!strcmp(f->order[i].field, list_order_names[k]))
                q->order[q->norder++] = (struct search_order){list_order_keys[k], f->order[i].desc};
}

bool search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                  struct err *e)
{
    return store_search_users(st, a, q, out, e);
}
