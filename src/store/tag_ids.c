/* tag_ids.c - reading users.tag_ids (see tag_ids.h). */
#include "store/tag_ids.h"

#include "core/arena.h"

int tag_ids_count(const char *s)
{
    int n = s && *s ? 1 : 0;
    for (; s && *s; s++)
        n += *s == ',';
    return n;
}

int tag_ids_parse(struct arena *a, const char *s, const int64_t **out)
{
    int n = tag_ids_count(s);
    int64_t *ids = n ? arena_alloc(a, sizeof *ids * (size_t)n) : NULL;
    for (int i = 0; i < n; i++) {
        int64_t v = 0;
        while (*s >= '0' && *s <= '9')
            v = v * 10 + (*s++ - '0');
        ids[i] = v;
        s += *s == ','; /* the list ends after the last id */
    }
    *out = ids;
    return n;
}
