/* sqlite_media.c - what the media housekeeping needs from SQLite: the file
 * names the rows reference: avatars, covers and avatar galleries
 * (domain/media.h sweeps the others). */
#include "store/store.h"

#include <sqlite3.h>
#include <string.h>

#include "store/sqlite_internal.h"

bool sqlite_media_referenced(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e)
{
    /* UNION sorts (BINARY collation = memcmp order = strcmp order for these
     * ASCII names) and removes duplicates */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT avatar FROM users WHERE avatar IS NOT NULL "
                                  "UNION SELECT cover FROM users WHERE cover IS NOT NULL "
                                  "UNION SELECT file FROM user_avatars ORDER BY 1",
                                  e);
    if (!q)
        return false;
    return sqlite_get_texts(st, a, q, names, n, e);
}
