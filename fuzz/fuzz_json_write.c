/* fuzz_json_write.c - differential libFuzzer target for core/json_write.c:
 * whatever jansson parses (any value, NUL in strings allowed), json_write
 * must write byte for byte what jansson's own dump writes with
 * JSON_COMPACT | JSON_ENCODE_ANY, and fail exactly when the value nests
 * deeper than JSON_WRITE_MAX_DEPTH. The raw input as one string, not
 * checked for UTF-8 on the way in, must be written identically or refused
 * by both (jansson's dump refuses strings that are not UTF-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_write.h"

static int depth(const json_t *v)
{
    int d = 0;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            int k = depth(json_array_get(v, i));
            d = k > d ? k : d;
        }
        return d + 1;
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach((json_t *)v, key, x)
        {
            int k = depth(x);
            d = k > d ? k : d;
        }
        return d + 1;
    }
    return 0;
}

static void compare(const json_t *v)
{
    char *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    struct buf ours = BUF_INIT;
    bool ok = json_write(&ours, v);
    if (depth(v) > JSON_WRITE_MAX_DEPTH) {
        if (ok)
            abort(); /* past the bound the writer refuses */
    } else if (ok != (theirs != NULL) || (ok && strcmp(theirs, buf_str(&ours)) != 0)) {
        abort();
    }
    free(theirs);
    buf_free(&ours);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (v) {
        compare(v);
        json_decref(v);
    }
    json_t *s = json_stringn_nocheck((const char *)data, size);
    if (s) {
        compare(s);
        json_decref(s);
    }
    return 0;
}
