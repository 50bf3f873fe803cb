/* pref_api.c - listing, reading and (admin) updating preferences. */
#include "api/pref_api.h"

#include <string.h>

#include "core/text.h"
#include "domain/prefs.h"
#include "store/store.h"

enum { PREF_PAGE_MAX = 1000 }; /* all preferences fit one page (contract §6) */

/* Whether `p` is named in a comma-separated list of "section.name" keys. */
static bool in_keys(const struct pref *p, const char *keys)
{
    size_t sl = strlen(p->section), nl = strlen(p->name);
    for (const char *k = keys; *k;) {
        size_t n = strcspn(k, ",");
        if (n == sl + 1 + nl && !strncmp(k, p->section, sl) && k[sl] == '.' && !strncmp(k + sl + 1, p->name, nl))
            return true;
        k += n;
        if (*k == ',')
            k++;
    }
    return false;
}

bool pref_api_list(struct request *req, struct response *resp, struct err *e)
{
    struct pref *all;
    int n;
    if (!store_pref_list(req->store, req->arena, &all, &n, e))
        return false;
    const char *search = http_query(req, "search"), *section = http_query(req, "section"),
               *keys = http_query(req, "keys");
    const char *folded = search ? text_fold(req->arena, search) : NULL;
    json_t *matched = json_array();
    for (int i = 0; i < n; i++) {
        const struct pref *p = &all[i];
        if (section && strcmp(section, p->section))
            continue;
        if (keys && !in_keys(p, keys))
            continue;
        if (folded && !strstr(text_fold(req->arena, arena_printf(req->arena, "%s.%s", p->section, p->name)), folded))
            continue;
        json_array_append_new(matched, prefs_json(p));
    }
    int limit, offset;
    http_pagination(req, PREF_PAGE_MAX, PREF_PAGE_MAX, &limit, &offset);
    size_t total = json_array_size(matched);
    json_t *page = json_array();
    for (size_t i = (size_t)offset; i < total && i < (size_t)offset + (size_t)limit; i++)
        json_array_append(page, json_array_get(matched, i));
    json_decref(matched);
    http_json(resp, 200, http_page(req, (int64_t)total, limit, offset, page));
    return true;
}

bool pref_api_get(struct request *req, struct response *resp, struct err *e)
{
    struct pref p;
    int found = store_pref_get_id(req->store, req->arena, req->id, &p, e);
    if (found < 0)
        return false;
    if (!found)
        return err_not_found(e);
    http_json(resp, 200, prefs_json(&p));
    return true;
}

/* Whether the body came as a form (urlencoded or multipart): all strings. */
static bool body_is_form(const struct request *req)
{
    char mime[256], boundary[71];
    const char *ct = http_header(req, "Content-Type");
    return ct && http_parse_content_type(ct, mime, sizeof mime, boundary) &&
           (!strcmp(mime, "application/x-www-form-urlencoded") || !strcmp(mime, "multipart/form-data"));
}

bool pref_api_patch(struct request *req, struct response *resp, struct err *e)
{
    /* contract §2: a blocked user does not write, admin or not */
    if (req->who.status == USER_BLOCKED)
        return err_forbidden(e, "Blocked users cannot change preferences.");
    json_t *rows;
    bool ok = body_is_form(req) ? prefs_update_form(req->store, req->arena, req->body.fields, &rows, e)
                                : prefs_update(req->store, req->arena, req->body.fields, &rows, e);
    if (!ok)
        return false;
    http_json(resp, 200, rows);
    return true;
}
