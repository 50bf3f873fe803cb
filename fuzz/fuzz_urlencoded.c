/* fuzz_urlencoded.c - libFuzzer target for http_parse_urlencoded (query
 * strings and form bodies). The input is used in libFuzzer's exactly-sized
 * buffer, so ASan sees any read past it; a success must give an object of
 * at most HTTP_MAX_FIELDS strings.
 */
#include <stdint.h>
#include <stdlib.h>

#include "http/parse.h"
#include "http/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *arena = arena_new();
    struct err err = {0};
    json_t *fields = NULL;
    if (http_parse_urlencoded(arena, (const char *)data, size, &fields, &err)) {
        if (!json_is_object(fields) || json_object_size(fields) > HTTP_MAX_FIELDS)
            abort();
        const char *key;
        json_t *value;
        json_object_foreach(fields, key, value)
        {
            if (!json_is_string(value) || key[0] == '\0')
                abort();
        }
    } else if (http_status_of(&err) != 400) {
        abort();
    }
    arena_free(arena);
    return 0;
}
