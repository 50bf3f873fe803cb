/* pg.c - the PostgreSQL backend's connection (being written). */
#include "store/pg_internal.h"

struct store *pg_store_open(const char *url, struct err *e)
{
    (void)url;
    err_set(e, ERR_UNAVAILABLE, "not_available", "The PostgreSQL backend is not available yet.");
    return NULL;
}

void pg_close(struct store *st) { (void)st; }
bool pg_exec_script(struct store *st, const char *sql, bool json, FILE *out, struct err *e) { return err_internal(e); }
bool pg_read_begin(struct store *st, struct err *e) { return err_internal(e); }
void pg_read_end(struct store *st) { (void)st; }
bool pg_begin(struct store *st, struct err *e) { return err_internal(e); }
bool pg_commit(struct store *st, struct err *e) { return err_internal(e); }
void pg_rollback(struct store *st) { (void)st; }
bool pg_migrate(struct store *st, struct err *e) { return err_internal(e); }
bool pg_lock_users(struct store *st, const int64_t *ids, size_t n, struct err *e) { return err_internal(e); }

const struct store_ops pg_store_ops = {
#define STORE_FN(ret, name, params, args) .name = pg_##name,
#define STORE_FN_OWN STORE_FN
#include "store/store_fns.def"
#undef STORE_FN_OWN
#undef STORE_FN
};
