/* pg_media.c - what the media housekeeping needs from PostgreSQL: the file
 * names the rows reference: avatars, covers and avatar galleries
 * (domain/media.h sweeps the others). The SQLite backend is sqlite_media.c. */
#include "store/store.h"

#include "store/pg_internal.h"

bool pg_media_referenced(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e)
{
    /* UNION removes duplicates; bytewise order is strcmp order */
    return pg_texts(st, a, names, n, e,
                    "SELECT f FROM (SELECT avatar AS f FROM users WHERE avatar IS NOT NULL "
                    "UNION SELECT cover FROM users WHERE cover IS NOT NULL "
                    "UNION SELECT file FROM user_avatars) m ORDER BY f COLLATE \"C\"",
                    "");
}
