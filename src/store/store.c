/* store.c - the store interface over its two backends (backend.h): opens
 * the one the database address names, and calls through its table. */
#include "store/backend.h"

#include <string.h>

bool store_is_postgres(const char *db)
{
    return !strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11);
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
#include "store/store_fns.def"
#undef STORE_FN
#undef STORE_FN_OWN
