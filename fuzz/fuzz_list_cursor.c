/* fuzz_list_cursor.c - libFuzzer target: arbitrary text as a list's keyset
 * cursor (the `cursor` query parameter). The first byte picks the text as
 * given, or the rest of the input as the record under the base64url (so
 * that the record's parser is reached). A text the decoder accepts must
 * encode again and decode to the same record. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/list_plan.h"

static void same(const struct list_cursor *x, const struct list_cursor *y)
{
    if (strcmp(x->tag, y->tag) || x->owner != y->owner || x->offset != y->offset || x->num != y->num ||
        x->key.id != y->key.id || strcmp(x->key.s ? x->key.s : "", y->key.s ? y->key.s : ""))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    struct arena *a = arena_new();
    char *text;
    if (data[0] & 1) {
        size_t n = sodium_base64_ENCODED_LEN(size - 1, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        text = arena_alloc(a, n);
        sodium_bin2base64(text, n, data + 1, size - 1, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    } else {
        text = arena_alloc(a, size);
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
    }
    struct list_cursor c;
    if (list_cursor_decode(a, text, &c)) {
        if (c.offset < 0 || c.owner < 0)
            abort();
        const char *again = list_cursor_encode(a, &c);
        struct list_cursor d;
        /* a decoded cursor was at most LIST_CURSOR_MAX characters, and so
         * is its canonical text */
        if (!again || strlen(again) > LIST_CURSOR_MAX || !list_cursor_decode(a, again, &d))
            abort();
        same(&c, &d);
    }
    arena_free(a);
    return 0;
}
