/* sqlite_backup.c - `hearth backup`: an online copy of the database with
 * SQLite's backup API (see store_backup in store.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/file.h"
#include "store/sqlite_internal.h"
#include "store/store.h"

enum {
    BACKUP_PAGES_PER_STEP = 1024, /* pages copied between yields to writers */
    BACKUP_BUSY_SLEEP_US = 20000, /* wait when a writer holds the lock */
};

bool sqlite_backup(struct store *st, const char *path, bool overwrite, struct err *e)
{
    struct stat sb;
    if (!overwrite && lstat(path, &sb) == 0)
        return err_set(e, ERR_INVALID, "exists", "The backup file exists; pass --force to replace it.");
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= sizeof tmp)
        return err_set(e, ERR_INVALID, "invalid", "The backup path is too long.");
    unlink(tmp);
    /* the copy holds password hashes and tokens: owner-only, like the data
     * directory, whatever the umask */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, ERR_INVALID, "invalid", "Cannot create the backup file next to the given path.");
    close(fd);
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        log_error("backup: cannot create %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
        sqlite3_close(dst);
        return err_set(e, ERR_INVALID, "invalid", "Cannot create the backup file.");
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->lite->db, "main");
    if (!b) {
        log_error("backup: %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        unlink(tmp);
        return err_internal(e);
    }
    do {
        rc = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            usleep(BACKUP_BUSY_SLEEP_US);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE)
        rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE;", NULL, NULL, NULL);
    else
        log_error("backup: %s", sqlite3_errstr(rc));
    sqlite3_close(dst);
    if (rc != SQLITE_OK || !file_sync(tmp) || rename(tmp, path) != 0) {
        if (rc == SQLITE_OK)
            log_error("backup: cannot move %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return err_set(e, ERR_INTERNAL, "backup_failed", "The backup failed; see the log.");
    }
    return true;
}
