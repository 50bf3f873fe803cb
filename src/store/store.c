/* store.c - the store interface over its two backends (backend.h): opens
 * the one the database address names, and calls through its table. */
#include "store/backend.h"

#include <stdio.h>
#include <string.h>

static bool sync_full;

void store_set_sync_full(bool full) { sync_full = full; }

bool store_sync_full(void) { return sync_full; }

bool store_is_postgres(const char *db) { return !strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11); }

void store_address_redacted(const char *db, char *out, size_t size)
{
    snprintf(out, size, "%s", db);
    if (!store_is_postgres(db))
        return;
    /* scheme://user:password@host... */
    char *start = strstr(out, "://");
    char *at = start ? strchr(start + 3, '@') : NULL;
    char *colon = at ? memchr(start + 3, ':', (size_t)(at - (start + 3))) : NULL;
    if (!colon)
        return;
    char rest[1024];
    snprintf(rest, sizeof rest, "%s", at);
    snprintf(colon, size - (size_t)(colon - out), ":***%s", rest);
}

bool store_error_retryable(const struct err *e)
{
    return e->kind == ERR_UNAVAILABLE && e->count > 0 && !strcmp(e->entries[e->count - 1].code, "conflict");
}

struct store *store_open(const char *path, struct err *e)
{
    return store_is_postgres(path) ? pg_store_open(path, e) : sqlite_store_open(path, e);
}

void store_close(struct store *st)
{
    if (st)
        st->ops->close(st);
}

#define STORE_FN_OWN(ret, name, params, args)
#define STORE_FN(ret, name, params, args) \
    ret store_##name params { return st->ops->name args; }
#define STORE_FN_VOID(name, params, args) \
    void store_##name params { st->ops->name args; }
#include "store/store_fns.def"
#undef STORE_FN_VOID
#undef STORE_FN
#undef STORE_FN_OWN
