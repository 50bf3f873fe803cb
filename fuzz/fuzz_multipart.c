/* fuzz_multipart.c - libFuzzer target for http_parse_multipart alone.
 *
 * The first byte picks the boundary: "XyZ" (most inputs, so bodies go deep),
 * or one taken from the input up to its first newline (so the boundary
 * check is fuzzed too). The rest is the body, in libFuzzer's exactly-sized
 * buffer, so ASan sees any read past it. After a success the form's
 * invariants are checked: every field a valid string, every upload inside
 * the body with a bounded name.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"
#include "http/response.h"

static void check_form(const struct http_form *form, const uint8_t *body, size_t len)
{
    if (!json_is_object(form->fields) || form->nuploads > HTTP_MAX_UPLOADS)
        abort();
    if (json_object_size(form->fields) > HTTP_MAX_FIELDS)
        abort();
    const char *key;
    json_t *value;
    json_object_foreach(form->fields, key, value)
    {
        if (!json_is_string(value) || strlen(key) == 0 || strlen(key) > HTTP_MAX_NAME)
            abort();
        if (memchr(json_string_value(value), '\0', json_string_length(value)))
            abort(); /* no NUL reaches a handler */
    }
    for (size_t i = 0; i < form->nuploads; i++) {
        const struct http_upload *u = &form->uploads[i];
        if (!u->field || !u->filename || !u->content_type || strlen(u->field) > HTTP_MAX_NAME ||
            strlen(u->filename) > HTTP_MAX_NAME)
            abort();
        if (u->len && (u->data < body || u->len > len || (size_t)(u->data - body) > len - u->len))
            abort(); /* upload bytes must lie inside the body */
    }
}

static void parse(const char *boundary, const uint8_t *body, size_t len)
{
    struct arena *arena = arena_new();
    struct err err = {0};
    struct http_form form;
    if (http_parse_multipart(arena, body, len, boundary, &form, &err))
        check_form(&form, body, len);
    else if (http_status_of(&err) != 400 || form.fields || form.nuploads)
        abort(); /* failures are 400 and leave nothing half-parsed */
    arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool own_boundary = data[0] & 1;
    data++;
    size--;
    if (!own_boundary) {
        parse("XyZ", data, size);
        return 0;
    }
    const uint8_t *newline = memchr(data, '\n', size);
    size_t boundary_len = newline ? (size_t)(newline - data) : size;
    char *boundary = malloc(boundary_len + 1);
    if (!boundary)
        return 0;
    memcpy(boundary, data, boundary_len);
    boundary[boundary_len] = '\0';
    size_t skip = newline ? boundary_len + 1 : boundary_len;
    parse(boundary, data + skip, size - skip);
    free(boundary);
    return 0;
}
