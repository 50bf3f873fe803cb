/* sqlite_fault.c - a VFS over the default one whose writes fail with
 * SQLITE_FULL (or SQLITE_IOERR_WRITE) while core/fault.h's test switch says
 * so: the same errors SQLite reports when write(2) answers ENOSPC or EIO,
 * at the same place (database, WAL and journal writes), so the whole path
 * from the engine to the HTTP answer is exercised. Used only when
 * HEARTH_TEST_FAULT_FILE is set. */
#include "store/sqlite_fault.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>

#include "core/fault.h"

#define UNUSED __attribute__((unused))

static sqlite3_vfs *base_vfs;
static sqlite3_vfs fault_vfs;

/* Our file: the base VFS's file object, then the methods it installed. */
struct fault_file {
    sqlite3_file file; /* pMethods = &fault_methods */
    const sqlite3_io_methods *base;
    /* the base VFS's own file object follows, at base_offset */
};

static size_t base_offset(void) { return (sizeof(struct fault_file) + 15) & ~(size_t)15; }

static sqlite3_file *base_of(sqlite3_file *f) { return (sqlite3_file *)((char *)f + base_offset()); }

static const sqlite3_io_methods *methods_of(sqlite3_file *f) { return ((struct fault_file *)f)->base; }

static int f_close(sqlite3_file *f) { return methods_of(f)->xClose(base_of(f)); }
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return methods_of(f)->xRead(base_of(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    switch (fault_injected()) {
    case FAULT_FULL: return SQLITE_FULL;
    case FAULT_IO: return SQLITE_IOERR_WRITE;
    default: return methods_of(f)->xWrite(base_of(f), p, n, off);
    }
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size) { return methods_of(f)->xTruncate(base_of(f), size); }
static int f_sync(sqlite3_file *f, int flags) { return methods_of(f)->xSync(base_of(f), flags); }
static int f_size(sqlite3_file *f, sqlite3_int64 *size) { return methods_of(f)->xFileSize(base_of(f), size); }
static int f_lock(sqlite3_file *f, int l) { return methods_of(f)->xLock(base_of(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return methods_of(f)->xUnlock(base_of(f), l); }
static int f_check(sqlite3_file *f, int *out) { return methods_of(f)->xCheckReservedLock(base_of(f), out); }
static int f_control(sqlite3_file *f, int op, void *arg) { return methods_of(f)->xFileControl(base_of(f), op, arg); }
static int f_sector(sqlite3_file *f) { return methods_of(f)->xSectorSize(base_of(f)); }
static int f_caps(sqlite3_file *f) { return methods_of(f)->xDeviceCharacteristics(base_of(f)); }
static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return methods_of(f)->xShmMap(base_of(f), pg, pgsz, extend, pp);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return methods_of(f)->xShmLock(base_of(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f) { methods_of(f)->xShmBarrier(base_of(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return methods_of(f)->xShmUnmap(base_of(f), del); }
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return methods_of(f)->xFetch(base_of(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return methods_of(f)->xUnfetch(base_of(f), off, p);
}

static const sqlite3_io_methods fault_methods_v3 = {
    3,         f_close,  f_read, f_write,   f_truncate, f_sync,        f_size,      f_lock,  f_unlock,  f_check,
    f_control, f_sector, f_caps, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};
static const sqlite3_io_methods fault_methods_v1 = {
    1,         f_close,  f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check,
    f_control, f_sector, f_caps, NULL,    NULL,       NULL,   NULL,   NULL,   NULL,
};

static int f_open(sqlite3_vfs *vfs UNUSED, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    struct fault_file *ff = (struct fault_file *)f;
    ff->file.pMethods = NULL;
    int rc = base_vfs->xOpen(base_vfs, name, base_of(f), flags, out_flags);
    const sqlite3_io_methods *m = base_of(f)->pMethods;
    if (!m)
        return rc; /* nothing to close */
    ff->base = m;
    ff->file.pMethods = m->iVersion >= 3 ? &fault_methods_v3 : &fault_methods_v1;
    return rc;
}

static int f_delete(sqlite3_vfs *v UNUSED, const char *name, int sync)
{
    return base_vfs->xDelete(base_vfs, name, sync);
}
static int f_access(sqlite3_vfs *v UNUSED, const char *name, int flags, int *out)
{
    return base_vfs->xAccess(base_vfs, name, flags, out);
}
static int f_full(sqlite3_vfs *v UNUSED, const char *name, int n, char *out)
{
    return base_vfs->xFullPathname(base_vfs, name, n, out);
}
static void *f_dlopen(sqlite3_vfs *v UNUSED, const char *name) { return base_vfs->xDlOpen(base_vfs, name); }
static void f_dlerror(sqlite3_vfs *v UNUSED, int n, char *out) { base_vfs->xDlError(base_vfs, n, out); }
static void (*f_dlsym(sqlite3_vfs *v UNUSED, void *h, const char *sym))(void)
{
    return base_vfs->xDlSym(base_vfs, h, sym);
}
static void f_dlclose(sqlite3_vfs *v UNUSED, void *h) { base_vfs->xDlClose(base_vfs, h); }
static int f_random(sqlite3_vfs *v UNUSED, int n, char *out) { return base_vfs->xRandomness(base_vfs, n, out); }
static int f_sleep(sqlite3_vfs *v UNUSED, int us) { return base_vfs->xSleep(base_vfs, us); }
static int f_time(sqlite3_vfs *v UNUSED, double *out) { return base_vfs->xCurrentTime(base_vfs, out); }
static int f_lasterr(sqlite3_vfs *v UNUSED, int n, char *out)
{
    return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}
static int f_time64(sqlite3_vfs *v UNUSED, sqlite3_int64 *out) { return base_vfs->xCurrentTimeInt64(base_vfs, out); }

static void fault_vfs_register(void)
{
    base_vfs = sqlite3_vfs_find(NULL);
    if (!base_vfs || base_vfs->iVersion < 2)
        return;
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)(base_offset() + (size_t)base_vfs->szOsFile),
        .mxPathname = base_vfs->mxPathname,
        .zName = "hearth-fault",
        .xOpen = f_open,
        .xDelete = f_delete,
        .xAccess = f_access,
        .xFullPathname = f_full,
        .xDlOpen = f_dlopen,
        .xDlError = f_dlerror,
        .xDlSym = f_dlsym,
        .xDlClose = f_dlclose,
        .xRandomness = f_random,
        .xSleep = f_sleep,
        .xCurrentTime = f_time,
        .xGetLastError = f_lasterr,
        .xCurrentTimeInt64 = f_time64,
    };
    if (sqlite3_vfs_register(&fault_vfs, 0) != SQLITE_OK)
        base_vfs = NULL;
}

static pthread_once_t register_once = PTHREAD_ONCE_INIT;

const char *sqlite_fault_vfs(void)
{
    if (!fault_switch_configured())
        return NULL;
    pthread_once(&register_once, fault_vfs_register);
    return base_vfs ? fault_vfs.zName : NULL;
}
