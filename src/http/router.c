/* router.c - method + path → route, with 404/405 distinction. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

/* Next segment of *p (which points after a '/'): [start, end). Advances *p
 * past the segment and its '/'. Returns false at the end of the path. */
static bool next_segment(const char **p, const char **start, size_t *len)
{
    if (!**p)
        return false;
    const char *s = *p;
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    *start = s;
    *len = n;
    *p = slash ? slash + 1 : s + n;
    return true;
}

/* An {id} segment: an id without leading zeros (one spelling per resource). */
static bool parse_id(const char *s, size_t n, int64_t *id) { return n > 0 && s[0] != '0' && text_parse_id(s, n, id); }

static bool safe_name(const char *s, size_t n, size_t max)
{
    if (n == 0 || n >= max || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

static bool path_matches(const char *pattern, const char *path, struct route_match *m)
{
    if (path[0] != '/')
        return false;
    const char *pp = pattern + 1, *xp = path + 1;
    for (;;) {
        const char *ps, *xs;
        size_t pn, xn;
        bool more_p = next_segment(&pp, &ps, &pn);
        bool more_x = next_segment(&xp, &xs, &xn);
        if (!more_p || !more_x)
            return !more_p && !more_x;
        if (pn == 4 && !memcmp(ps, "{id}", 4)) {
            if (!parse_id(xs, xn, &m->id))
                return false;
        } else if (pn == 6 && !memcmp(ps, "{name}", 6)) {
            if (!safe_name(xs, xn, sizeof m->name))
                return false;
            memcpy(m->name, xs, xn);
            m->name[xn] = '\0';
        } else if (pn != xn || memcmp(ps, xs, pn)) {
            return false;
        }
    }
}

/* Whether pattern segment p matches every path segment pattern segment q
 * matches. */
static bool segment_covers(const char *p, size_t pn, const char *q, size_t qn)
{
    bool p_id = pn == 4 && !memcmp(p, "{id}", 4), p_name = pn == 6 && !memcmp(p, "{name}", 6);
    bool q_id = qn == 4 && !memcmp(q, "{id}", 4), q_name = qn == 6 && !memcmp(q, "{name}", 6);
    int64_t id;
    if (p_name) /* every id is a safe name too */
        return q_name || q_id || safe_name(q, qn, sizeof((struct route_match *)0)->name);
    if (p_id)
        return q_id || (!q_name && parse_id(q, qn, &id));
    return pn == qn && !memcmp(p, q, pn);
}

static bool pattern_covers(const char *p, const char *q)
{
    p++, q++;
    for (;;) {
        const char *ps, *qs;
        size_t pn, qn;
        bool more_p = next_segment(&p, &ps, &pn), more_q = next_segment(&q, &qs, &qn);
        if (!more_p || !more_q)
            return !more_p && !more_q;
        if (!segment_covers(ps, pn, qs, qn))
            return false;
    }
}

bool router_table_ordered(const struct route *routes, size_t n)
{
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < j; i++)
            if (!strcmp(routes[i].method, routes[j].method) && pattern_covers(routes[i].pattern, routes[j].pattern)) {
                fprintf(stderr, "hearth: route %s %s is hidden by %s %s before it\n", routes[j].method,
                        routes[j].pattern, routes[i].method, routes[i].pattern);
                return false;
            }
    return true;
}

void router_match(const struct route *routes, size_t n, const char *method, const char *path, struct route_match *m)
{
    memset(m, 0, sizeof *m);
    /* a path with an empty segment ("//") never matches */
    if (strstr(path, "//"))
        return;
    /* nearly every pattern and path begin with the same 8 bytes
     * ("/api/v2/"): one strncmp passes them when they hold no '{' */
    size_t skip = strnlen(path, 8) == 8 && !memchr(path, '{', 8) ? 8 : 0;
    for (size_t i = 0; i < n; i++) {
        /* most routes differ from the path in a literal part: compare the
         * literals, a whole-segment {placeholder} passing one segment of
         * the path, before splitting into segments (a trailing slash is
         * optional); path_matches then checks the placeholders */
        const char *pp = routes[i].pattern, *xp = path;
        if (skip && !strncmp(pp, xp, skip))
            pp += skip, xp += skip;
        for (;;) {
            while (*pp && *pp != '{' && *pp == *xp)
                pp++, xp++;
            const char *close = *pp == '{' && pp > routes[i].pattern && pp[-1] == '/' ? strchr(pp, '}') : NULL;
            if (!close || (close[1] && close[1] != '/'))
                break;
            pp = close + 1;
            while (*xp && *xp != '/')
                xp++;
        }
        if (*pp != '{' && (*pp || *xp) && strcmp(*pp ? pp : xp, "/"))
            continue;
        struct route_match tmp = {0};
        if (!path_matches(routes[i].pattern, path, &tmp))
            continue;
        if (!strcmp(routes[i].method, method) || (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET"))) {
            memcpy(tmp.allow, m->allow, sizeof tmp.allow);
            *m = tmp;
            m->route = &routes[i];
            return;
        }
        if (!strstr(m->allow, routes[i].method)) {
            size_t used = strlen(m->allow);
            snprintf(m->allow + used, sizeof m->allow - used, "%s%s", used ? ", " : "", routes[i].method);
        }
    }
    if (m->allow[0]) {
        size_t used = strlen(m->allow);
        snprintf(m->allow + used, sizeof m->allow - used, ", OPTIONS");
    }
}
