/* backend.h - how one store interface has two engines behind it.
 *
 * A struct store is one connection of one backend: `ops` is that backend's
 * table of the per-connection functions (listed once in store_fns.def),
 * and exactly one of `lite` (SQLite, sqlite_internal.h) and `pg`
 * (PostgreSQL, pg_internal.h) is set. store.c chooses the backend from the
 * database address and calls through the table; nothing above src/store
 * sees which one runs. Only src/store includes this header.
 */
#ifndef HEARTH_STORE_BACKEND_H
#define HEARTH_STORE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store/account_store.h"
#include "store/export.h"
#include "store/seed.h"
#include "store/store.h"
#include "store/test_hooks.h"

/* store_set_sync_full's setting, for the backends' connection setup. */
bool store_sync_full(void);

struct store_ops {
#define STORE_FN(ret, name, params, args) ret(*name) params;
#define STORE_FN_OWN STORE_FN
#define STORE_FN_VOID(name, params, args) STORE_FN(void, name, params, args)
#include "store/store_fns.def"
#undef STORE_FN_VOID
#undef STORE_FN_OWN
#undef STORE_FN
};

struct sqlite_conn;
struct pg_conn;

struct store {
    const struct store_ops *ops;
    struct sqlite_conn *lite; /* the SQLite backend's connection, or NULL */
    struct pg_conn *pg;       /* the PostgreSQL backend's connection, or NULL */
};

/* Each backend's implementations, named after the interface's functions
 * (sqlite_user_get is store_user_get on SQLite), and its table. */
#define STORE_FN(ret, name, params, args) ret sqlite_##name params;
#define STORE_FN_OWN STORE_FN
#define STORE_FN_VOID(name, params, args) STORE_FN(void, name, params, args)
#include "store/store_fns.def"
#undef STORE_FN_VOID
#undef STORE_FN_OWN
#undef STORE_FN
#define STORE_FN(ret, name, params, args) ret pg_##name params;
#define STORE_FN_OWN STORE_FN
#define STORE_FN_VOID(name, params, args) STORE_FN(void, name, params, args)
#include "store/store_fns.def"
#undef STORE_FN_VOID
#undef STORE_FN_OWN
#undef STORE_FN

extern const struct store_ops sqlite_store_ops;
extern const struct store_ops pg_store_ops;

/* Opens a connection of each backend (store_open's two halves). */
struct store *sqlite_store_open(const char *path, struct err *e);
struct store *pg_store_open(const char *url, struct err *e);

#endif
