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
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-'))
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

void router_match(const struct route *routes, size_t n, const char *method, const char *path,
                  struct route_match *m)
{
    memset(m, 0, sizeof *m);
    /* a path with an empty segment ("//") never matches */
    if (strstr(path, "//"))
        return;
    for (size_t i = 0; i < n; i++) {
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
