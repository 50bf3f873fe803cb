/* fuzz_parse_body.c - libFuzzer target for http_parse_body.
 *
 * The first byte picks the Content-Type: JSON, urlencoded, multipart with the
 * boundary "XyZ", a type no parser handles, or (so http_parse_content_type is
 * fuzzed too) a header taken from the input up to its first newline. The rest
 * is the body, in libFuzzer's exactly-sized buffer, so ASan sees any read past
 * it. After a success the result's invariants are checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"
#include "http/response.h"

enum { TYPE_JSON, TYPE_URLENCODED, TYPE_MULTIPART, TYPE_UNKNOWN, TYPE_FROM_INPUT, TYPE_COUNT };

static const char *const FIXED_TYPES[] = {
    [TYPE_JSON] = "application/json",
    [TYPE_URLENCODED] = "application/x-www-form-urlencoded",
    [TYPE_MULTIPART] = "multipart/form-data; boundary=XyZ",
    [TYPE_UNKNOWN] = "text/plain",
};

static void check_form(const struct http_form *form, const uint8_t *body, size_t len)
{
    if (!form->fields || form->nuploads > HTTP_MAX_UPLOADS)
        abort();
    for (size_t i = 0; i < form->nuploads; i++) {
        const struct http_upload *u = &form->uploads[i];
        if (!u->field || !u->filename || !u->content_type || strlen(u->field) > HTTP_MAX_NAME)
            abort();
        if (u->data < body || u->len > len || (size_t)(u->data - body) > len - u->len)
            abort(); /* upload bytes must lie inside the body */
    }
}

static void parse(const char *content_type, const uint8_t *body, size_t len)
{
    struct arena *arena = arena_new();
    struct err err = {0};
    struct http_form form;
    if (http_parse_body(arena, content_type, body, len, &form, &err))
        check_form(&form, body, len);
    else if (http_status_of(&err) != 400 && http_status_of(&err) != 415)
        abort();
    arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int kind = data[0] % TYPE_COUNT;
    data++;
    size--;
    if (kind != TYPE_FROM_INPUT) {
        parse(FIXED_TYPES[kind], data, size);
        return 0;
    }
    const uint8_t *newline = memchr(data, '\n', size);
    size_t header_len = newline ? (size_t)(newline - data) : size;
    char *header = malloc(header_len + 1);
    if (!header)
        return 0;
    memcpy(header, data, header_len);
    header[header_len] = '\0';
    size_t skip = newline ? header_len + 1 : header_len;
    parse(header, data + skip, size - skip);
    free(header);
    return 0;
}
