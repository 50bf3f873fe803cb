/* fuzz_query.c - libFuzzer target for the query string as handlers see it:
 * http_parse_urlencoded on the raw query, then the accessors (http_query,
 * http_pagination) and the pagination links of http_page, which write every
 * other parameter back out. The links must be printable ASCII and parse back
 * to the same parameters, with limit and offset last: a client following
 * `next` must ask the same question of the next page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"
#include "http/request.h"
#include "http/response.h"

enum {
    FUZZ_DEFAULT_LIMIT = 20,
    FUZZ_MAX_LIMIT = 100,
    FUZZ_OFFSET_MAX = 1000000000, /* http_pagination saturates larger offsets here */
};

static const char FUZZ_BASE[] = "http://h";
static const char FUZZ_PATH[] = "/api/v2/user/";

static const char *const NAMES[] = {"limit", "offset", "search", "ordering", "username", "undefined", ""};

static bool same_string(const json_t *a, const json_t *b)
{
    return json_is_string(a) && json_is_string(b) && json_string_length(a) == json_string_length(b) &&
           memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
}

/* `url` must be FUZZ_BASE FUZZ_PATH "?" and a query that parses back to the
 * request's parameters, with the page's own limit and offset. */
static void check_link(struct arena *arena, const struct request *req, const char *url, int limit, int offset)
{
    size_t prefix = strlen(FUZZ_BASE) + strlen(FUZZ_PATH);
    if (strncmp(url, FUZZ_BASE, strlen(FUZZ_BASE)) || strncmp(url + strlen(FUZZ_BASE), FUZZ_PATH, strlen(FUZZ_PATH)) ||
        url[prefix] != '?')
        abort();
    for (const char *p = url; *p; p++)
        if (*p <= ' ' || *p > '~')
            abort(); /* a link is printable ASCII, every other byte escaped */
    const char *q = url + prefix + 1;
    json_t *back = NULL;
    struct err err = {0};
    if (!http_parse_urlencoded(arena, q, strlen(q), &back, &err))
        abort();
    const char *key;
    json_t *v;
    json_object_foreach(req->query, key, v)
    {
        if (!strcmp(key, "limit") || !strcmp(key, "offset"))
            continue;
        if (!same_string(v, json_object_get(back, key)))
            abort();
    }
    json_object_foreach(back, key, v)
    {
        if (strcmp(key, "limit") && strcmp(key, "offset") && !json_object_get(req->query, key))
            abort(); /* nothing added */
    }
    struct request again = {.arena = arena, .query = back};
    int l, o;
    http_pagination(&again, FUZZ_DEFAULT_LIMIT, FUZZ_MAX_LIMIT, &l, &o);
    if (l != limit || o != (offset > FUZZ_OFFSET_MAX ? FUZZ_OFFSET_MAX : offset))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *arena = arena_new();
    struct err err = {0};
    struct request req = {.arena = arena, .base = FUZZ_BASE, .path = FUZZ_PATH};
    if (!http_parse_urlencoded(arena, (const char *)data, size, &req.query, &err)) {
        if (http_status_of(&err) != 400)
            abort();
        arena_free(arena);
        return 0;
    }
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        const char *v = http_query(&req, NAMES[i]);
        if (v && (!*v || !strcmp(v, "undefined")))
            abort();
    }
    int limit, offset;
    http_pagination(&req, FUZZ_DEFAULT_LIMIT, FUZZ_MAX_LIMIT, &limit, &offset);
    if (limit < 1 || limit > FUZZ_MAX_LIMIT || offset < 0)
        abort();
    /* a count past this page, and an offset past 0, so both links exist */
    json_t *page = http_page(&req, (int64_t)offset + limit + 1, limit, offset, json_array());
    if (!page)
        abort();
    const char *next = json_string_value(json_object_get(page, "next"));
    if (!next)
        abort();
    check_link(arena, &req, next, limit, offset + limit);
    const char *previous = json_string_value(json_object_get(page, "previous"));
    if (offset > 0) {
        if (!previous)
            abort();
        check_link(arena, &req, previous, limit, offset - limit > 0 ? offset - limit : 0);
    } else if (previous) {
        abort();
    }
    json_decref(page);
    arena_free(arena);
    return 0;
}
