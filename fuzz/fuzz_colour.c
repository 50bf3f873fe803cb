/* fuzz_colour.c - libFuzzer target for colour_is_css, the check on colour
 * preferences. Besides not crashing or reading past len: the answer is the
 * same for the input with its ASCII letters upper-cased (CSS colours are
 * case-insensitive), and an accepted value is at most COLOUR_MAX bytes,
 * holds no NUL, control byte or non-ASCII byte, and has no space at either
 * end. The input is copied into a buffer of exactly its size, so ASan sees
 * any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/colour.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    bool ok = colour_is_css(s, size);
    if (ok) {
        if (size == 0 || size > COLOUR_MAX || s[0] == ' ' || s[size - 1] == ' ')
            abort();
        for (size_t i = 0; i < size; i++)
            if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f')
                abort();
        for (size_t i = 0; i < size; i++)
            if ((unsigned char)s[i] >= 0x7f)
                abort();
    }
    for (size_t i = 0; i < size; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
    if (colour_is_css(s, size) != ok)
        abort();
    free(s);
    return 0;
}
