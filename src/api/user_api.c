/* user_api.c - HTTP ↔ domain for reading users. */
#include "api/user_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/list_cursor_api.h"
#include "api/user_json.h"
#include "core/json_write.h"
#include "core/text.h"
#include "domain/prefs.h"
#include "store/store.h"

static const char *const list_orderings[] = {"username", "real_name", "location", "date_joined", "id", NULL};

/* A text filter from the query: NULL when absent; bounded in length. */
static const char *filter_param(struct request *req, const char *name, struct err *e)
{
    const char *v = http_query(req, name);
    /* counted in characters (contract §9 "lengths"): a 255-character real
     * name may take up to 1020 bytes, and a term as long must still match */
    if (v && text_chars(v) > USER_FILTER_MAX)
        err_field(e, name, "invalid", "Ensure this value has at most 255 characters.");
    return v;
}

/* Reads the filters shared by /user/ and /user/autocomplete/. */
static bool read_filter(struct request *req, struct user_filter *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    f->search = filter_param(req, "search", e);
    f->username = filter_param(req, "username", e);
    f->real_name = filter_param(req, "real_name", e);
    f->location = filter_param(req, "location", e);
    f->description = filter_param(req, "description", e);
    f->gender = filter_param(req, "gender", e);
    f->viewer_id = req->who.user_id;
    user_parse_ordering(http_query(req, "ordering"), list_orderings, f);
    http_pagination(req, USER_PAGE_DEFAULT, USER_PAGE_MAX, &f->limit, &f->offset);
    return !err_any(e);
}

bool user_api_list(struct request *req, struct response *resp, struct err *e)
{
    struct user_filter f;
    struct user_page page = {0};
    if (!read_filter(req, &f, e) || !list_cursor_param(req, -1, 0, &f.cursor, e) ||
        !user_list(req->store, req->arena, &f, &page, e))
        return false;
    list_cursor_next(req, f.cursor, page.next_cursor);
    struct user_view v;
    user_view_init(req, &v);
    user_page_respond(req, resp, &v, page.items, page.n, page.count, f.limit, f.offset);
    return true;
}

bool user_api_autocomplete(struct request *req, struct response *resp, struct err *e)
{
    struct user_filter f;
    struct user_page page;
    if (!read_filter(req, &f, e))
        return false;
    const char *exclude = http_query(req, "exclude");
    if (exclude)
        f.exclude_id = atoll(exclude);
    if (!user_list(req->store, req->arena, &f, &page, e))
        return false;
    json_t *results = json_array();
    for (int i = 0; i < page.n; i++)
        json_array_append_new(results, user_autocomplete_json(req, &page.items[i]));
    http_json(resp, 200, http_page(req, page.count, f.limit, f.offset, results));
    return true;
}

bool user_api_get(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    struct buf b = BUF_INIT;
    user_write(&b, req, &v, &u);
    http_json_text(resp, 200, &b);
    return true;
}

/* The permission object of schemas/userPermission.md for the caller, as
 * text. */
static void permission_write(struct buf *b, struct request *req, const struct user *u)
{
    bool active = u->status == USER_ACTIVE;
    bool follow = prefs_follow_enabled(req->store, req->arena);
    bool posts = active && prefs_get_bool(req->store, req->arena, "configurations", "post_type_enabled", true);
#define MEMBER(name, on)                                \
    {                                                   \
        "\"" name "\":", sizeof "\"" name "\":" - 1, on \
    }
    const struct {
        const char *key; /* "\"name\":" */
        size_t len;
        bool on;
    } members[] = {
        MEMBER("upload_video", false),
        MEMBER("create_contribute", posts),
        MEMBER("create_poll", false),
        MEMBER("locate_post", false),
        MEMBER("create_post", posts),
        MEMBER("create_post_with_category", posts),
        MEMBER("follow_user", active && follow),
        MEMBER("request_connection", active && !follow),
        MEMBER("accept_connection", active && !follow),
        MEMBER("create_group", false),
        MEMBER("create_event", false),
        MEMBER("create_course", false),
        MEMBER("create_live_stream", false),
    };
#undef MEMBER
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        json_put_bytes(b, i ? "," : "{", 1);
        json_put_bytes(b, members[i].key, members[i].len);
        json_put_bool(b, members[i].on);
    }
    buf_append(b, "}", 1);
}

/* The caller's row: the one authentication read in this request's snapshot
 * (the caller is active, so visible), or read again. */
static bool load_me(struct request *req, struct user *u, struct err *e)
{
    if (req->who_user && req->who_user->id == req->who.user_id) {
        *u = *req->who_user;
        return true;
    }
    return user_get_visible(req->store, req->arena, req->who.user_id, u, e);
}

bool user_api_me(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!load_me(req, &u, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    struct buf b = BUF_INIT;
    buf_append(&b, "{", 1);
    user_write_members(&b, req, &v, &u);
    buf_puts(&b, ",\"role\":");
    if (!u.role || !json_write_string(&b, u.role, strlen(u.role)))
        buf_puts(&b, "null");
    buf_puts(&b, ",\"permission\":");
    permission_write(&b, req, &u);
    buf_append(&b, "}", 1);
    http_json_text(resp, 200, &b);
    return true;
}

bool user_api_me_permission(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!load_me(req, &u, e))
        return false;
    struct buf b = BUF_INIT;
    permission_write(&b, req, &u);
    http_json_text(resp, 200, &b);
    return true;
}
