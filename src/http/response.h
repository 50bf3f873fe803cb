/* response.h - what a handler answers, rendered by server.c.
 *
 * A response is JSON (json, owned: it is released after sending), raw bytes
 * (files), or empty (204). Header names and values must outlive the
 * response (literals or request-arena copies).
 */
#ifndef HEARTH_HTTP_RESPONSE_H
#define HEARTH_HTTP_RESPONSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

enum { RESPONSE_MAX_HEADERS = 12 };

struct response {
    int status;
    json_t *json;
    const void *data; /* raw body (with content_type), freed by free_data if set */
    size_t len;
    void (*free_data)(void *);
    const char *content_type;
    struct {
        const char *name, *value;
    } headers[RESPONSE_MAX_HEADERS];
    int nheaders;
    char retry_after[24]; /* Retry-After value rendered by http_error:
                             owned here, as the response may be queued on
                             another thread than the one that rendered it */
    char rate_limit[24];  /* RateLimit-Limit of a 429, owned here as retry_after */
};

struct request;

/* Sets a JSON body (reference stolen) with a status. */
void http_json(struct response *resp, int status, json_t *body);

/* 204, no body. */
void http_no_content(struct response *resp);

void http_add_header(struct response *resp, const char *name, const char *value);

/* Renders `e` (contract §2 shape) into resp, with WWW-Authenticate on 401,
 * Retry-After on 429 and on a 5xx that carries one (storage faults), and
 * on 429 the rate-limit headers of http_rate_limited. */
void http_error(struct response *resp, const struct err *e);

/* The headers of a 429 (every one carries them): Retry-After and
 * RateLimit-Reset `retry_after` seconds (at least 1), RateLimit-Limit
 * `limit` (at least 1), RateLimit-Remaining 0 (the IETF draft's names). */
void http_rate_limited(struct response *resp, int limit, int retry_after);

/* The HTTP status of an error's kind (500 for ERR_NONE: an error path that
 * forgot to say what went wrong). The one place kinds become statuses. */
int http_status_of(const struct err *e);

/* A pagination envelope {count, next, previous, results}; `results` stolen.
 * next/previous are absolute, keep the request's path and every other query
 * parameter, and carry limit and offset. */
json_t *http_page(const struct request *req, int64_t count, int limit, int offset, json_t *results);

/* A JSON body already written as text: takes text's bytes (text is left
 * empty). */
void http_json_text(struct response *resp, int status, struct buf *text);

/* As http_json(resp, 200, http_page(...)) for results already written as
 * the text of a JSON array (takes results' bytes). */
void http_page_text(const struct request *req, struct response *resp, int64_t count, int limit, int offset,
                    struct buf *results);

/* The same envelope written in one buffer, without copying the results:
 * http_page_begin appends everything before the results' array to b, the
 * caller appends the array, http_page_end closes the envelope and answers
 * 200 with b's bytes (b is left empty). */
void http_page_begin(const struct request *req, struct buf *b, int64_t count, int limit, int offset);
void http_page_end(struct response *resp, struct buf *b);

#endif
