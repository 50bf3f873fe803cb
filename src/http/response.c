/* response.c - building responses: JSON, errors (contract §2), pages (§3). */
#include "http/response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json_write.h"
#include "http/request.h"

void http_json(struct response *resp, int status, json_t *body)
{
    resp->status = status;
    if (resp->json)
        json_decref(resp->json);
    resp->json = body;
}

void http_no_content(struct response *resp)
{
    resp->status = 204;
    if (resp->json)
        json_decref(resp->json);
    resp->json = NULL;
}

void http_add_header(struct response *resp, const char *name, const char *value)
{
    if (resp->nheaders < RESPONSE_MAX_HEADERS) {
        resp->headers[resp->nheaders].name = name;
        resp->headers[resp->nheaders].value = value;
        resp->nheaders++;
    }
}

static json_t *message_object(const struct err_entry *en)
{
    return json_pack("{s:s, s:s}", "code", en->code ? en->code : "invalid", "message", en->message ? en->message : "");
}

int http_status_of(const struct err *e)
{
    switch (e->kind) {
    case ERR_INVALID: return 400;
    case ERR_UNAUTHENTICATED: return 401;
    case ERR_FORBIDDEN: return 403;
    case ERR_NOT_FOUND: return 404;
    case ERR_METHOD: return 405;
    case ERR_TOO_LARGE: return 413;
    case ERR_URI_TOO_LONG: return 414;
    case ERR_MEDIA_TYPE: return 415;
    case ERR_THROTTLED: return 429;
    case ERR_HEADERS_TOO_LARGE: return 431;
    case ERR_UNAVAILABLE: return 503;
    case ERR_STORAGE_FULL: return 507;
    case ERR_NONE:
    case ERR_INTERNAL: break;
    }
    return 500;
}

void http_error(struct response *resp, const struct err *e)
{
    json_t *list = json_array();
    for (int i = 0; i < e->count; i++) {
        const struct err_entry *en = &e->entries[i];
        if (!en->field) {
            json_array_append_new(list, message_object(en));
            continue;
        }
        /* group a field's messages under one entry */
        json_t *entry = NULL;
        size_t k;
        json_t *item;
        json_array_foreach(list, k, item)
        {
            json_t *f = json_object_get(item, "field");
            if (f && !strcmp(json_string_value(f), en->field))
                entry = item;
        }
        if (!entry) {
            entry = json_pack("{s:s, s:[]}", "field", en->field, "messages");
            json_array_append_new(list, entry);
        }
        json_array_append_new(json_object_get(entry, "messages"), message_object(en));
    }
    int status = http_status_of(e);
    if (e->count == 0)
        json_array_append_new(list, json_pack("{s:s, s:s}", "code", "error", "message", "Error."));
    http_json(resp, status, json_pack("{s:o}", "errors", list));
    if (status == 401)
        http_add_header(resp, "WWW-Authenticate", "Bearer");
    if (status == 429) {
        http_rate_limited(resp, e->rate_limit, e->retry_after);
    } else if (status >= 500 && e->retry_after > 0) {
        snprintf(resp->retry_after, sizeof resp->retry_after, "%d", e->retry_after);
        http_add_header(resp, "Retry-After", resp->retry_after);
    }
}

void http_rate_limited(struct response *resp, int limit, int retry_after)
{
    snprintf(resp->retry_after, sizeof resp->retry_after, "%d", retry_after > 0 ? retry_after : 1);
    snprintf(resp->rate_limit, sizeof resp->rate_limit, "%d", limit > 0 ? limit : 1);
    http_add_header(resp, "Retry-After", resp->retry_after);
    http_add_header(resp, "RateLimit-Limit", resp->rate_limit);
    http_add_header(resp, "RateLimit-Remaining", "0");
    http_add_header(resp, "RateLimit-Reset", resp->retry_after);
}

/* Appends application/x-www-form-urlencoded escaping of s. */
static void url_escape(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.' || *p == '~' || *p == ',') {
            buf_append(b, p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(b, esc, 3);
        }
    }
}

/* The URL of the page at limit and offset into b: the request's URL with
 * its other parameters. */
static void page_url_text(struct buf *b, const struct request *req, int limit, int offset)
{
    buf_puts(b, req->base);
    buf_puts(b, req->path);
    buf_puts(b, "?");
    const char *key;
    json_t *v;
    json_object_foreach(req->query, key, v)
    {
        if (!strcmp(key, "limit") || !strcmp(key, "offset") || !json_is_string(v))
            continue;
        url_escape(b, key);
        buf_puts(b, "=");
        url_escape(b, json_string_value(v));
        buf_puts(b, "&");
    }
    buf_puts(b, "limit=");
    json_write_int(b, limit);
    if (offset > 0) {
        buf_puts(b, "&offset=");
        json_write_int(b, offset);
    }
}

/* page_url's value written into out: a string, or null when the URL is
 * not UTF-8 (as json_string refuses it). */
static void page_link_write(struct buf *out, const struct request *req, int limit, int offset)
{
    struct buf b = BUF_INIT;
    page_url_text(&b, req, limit, offset);
    if (!json_write_string(out, buf_str(&b), b.len))
        buf_puts(out, "null");
    buf_free(&b);
}

static json_t *page_url(const struct request *req, int limit, int offset)
{
    struct buf b = BUF_INIT;
    page_url_text(&b, req, limit, offset);
    json_t *s = json_string(buf_str(&b));
    buf_free(&b);
    return s ? s : json_null();
}

json_t *http_page(const struct request *req, int64_t count, int limit, int offset, json_t *results)
{
    json_t *next = json_null(), *previous = json_null();
    if ((int64_t)offset + limit < count)
        next = page_url(req, limit, offset + limit);
    if (offset > 0)
        previous = page_url(req, limit, offset - limit > 0 ? offset - limit : 0);
    return json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)count, "next", next, "previous", previous, "results",
                     results);
}

void http_json_text(struct response *resp, int status, struct buf *text)
{
    http_json(resp, status, NULL);
    resp->data = buf_detach(text, &resp->len);
    resp->free_data = free;
    resp->content_type = "application/json; charset=utf-8";
}

void http_page_begin(const struct request *req, struct buf *b, int64_t count, int limit, int offset)
{
    buf_puts(b, "{\"count\":");
    json_write_int(b, count);
    buf_puts(b, ",\"next\":");
    if ((int64_t)offset + limit < count)
        page_link_write(b, req, limit, offset + limit);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"previous\":");
    if (offset > 0)
        page_link_write(b, req, limit, offset - limit > 0 ? offset - limit : 0);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"results\":");
}

void http_page_end(struct response *resp, struct buf *b)
{
    buf_append(b, "}", 1);
    http_json_text(resp, 200, b);
}

void http_page_text(const struct request *req, struct response *resp, int64_t count, int limit, int offset,
                    struct buf *results)
{
    struct buf b = BUF_INIT;
    http_page_begin(req, &b, count, limit, offset);
    buf_append(&b, buf_str(results), results->len);
    buf_free(results);
    http_page_end(resp, &b);
}
