/* data_export.c - the personal data export (data_export.h): the request and
 * status rules, the archive writer (libzip), the build of one export in
 * one read transaction, housekeeping, and the background worker. */
#define _GNU_SOURCE
#include "domain/data_export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "auth/token.h"
#include "core/clock.h"
#include "core/fault.h"
#include "core/file.h"
#include "core/log.h"
#include "domain/media.h"
#include "store/export.h"
#include "store/store.h"

enum {
    EXPORT_PATH_MAX = PATH_MAX + 96, /* data_dir, "/exports/", a name, a suffix */
    EXPORT_US_PER_S = 1000000,
};

#define EXPORT_DIR "exports"
#define EXPORT_PART_SUFFIX ".part"

/* ================================================================ */
/* status and the request rules                                     */

const char *data_export_state_name(enum data_export_state s)
{
    switch (s) {
    case DATA_EXPORT_PENDING: return "pending";
    case DATA_EXPORT_RUNNING: return "running";
    case DATA_EXPORT_READY: return "ready";
    case DATA_EXPORT_FAILED: return "failed";
    case DATA_EXPORT_NONE: break;
    }
    return "none";
}

static enum data_export_state state_of(enum store_export_status s)
{
    switch (s) {
    case STORE_EXPORT_PENDING: return DATA_EXPORT_PENDING;
    case STORE_EXPORT_RUNNING: return DATA_EXPORT_RUNNING;
    case STORE_EXPORT_READY: return DATA_EXPORT_READY;
    case STORE_EXPORT_FAILED: return DATA_EXPORT_FAILED;
    case STORE_EXPORT_NONE: break;
    }
    return DATA_EXPORT_NONE;
}

static const int64_t retention_us = (int64_t)DATA_EXPORT_RETENTION_DAYS * 24 * 3600 * EXPORT_US_PER_S;

bool data_export_status_get(struct store *st, struct arena *a, int64_t user_id, struct data_export_status *out,
                            struct err *e)
{
    memset(out, 0, sizeof *out);
    struct store_export x;
    int found = store_export_get(st, a, user_id, &x, e);
    if (found < 0)
        return false;
    if (!found)
        return true;
    out->state = state_of(x.status);
    out->requested_us = x.requested_us;
    out->started_us = x.started_us;
    out->completed_us = x.completed_us;
    out->downloaded_us = x.downloaded_us;
    if (out->state == DATA_EXPORT_READY) {
        out->size_bytes = x.size_bytes;
        out->expires_us = x.completed_us + retention_us;
    }
    if (out->state == DATA_EXPORT_FAILED) {
        out->error = x.error ? x.error : "internal";
        out->expires_us = x.completed_us + retention_us;
    }
    return true;
}

enum data_export_decision data_export_decide(const struct data_export_status *cur, int64_t now_us, int *retry_after_s)
{
    if (cur->state == DATA_EXPORT_PENDING || cur->state == DATA_EXPORT_RUNNING)
        return DATA_EXPORT_IN_PROGRESS;
    const int64_t interval_us = (int64_t)DATA_EXPORT_REBUILD_INTERVAL_S * EXPORT_US_PER_S;
    if (cur->state != DATA_EXPORT_NONE && cur->requested_us && now_us - cur->requested_us < interval_us) {
        int64_t wait_us = cur->requested_us + interval_us - now_us;
        int64_t s = (wait_us + EXPORT_US_PER_S - 1) / EXPORT_US_PER_S;
        if (s > DATA_EXPORT_REBUILD_INTERVAL_S) /* the clock went back */
            s = DATA_EXPORT_REBUILD_INTERVAL_S;
        *retry_after_s = s < 1 ? 1 : (int)s;
        return DATA_EXPORT_THROTTLED;
    }
    return DATA_EXPORT_START;
}

static bool rollback(struct store *st)
{
    store_rollback(st);
    return false;
}

bool data_export_request(struct store *st, struct arena *a, const struct principal *who, const char *base_url,
                         struct data_export_status *out, bool *started, struct err *e)
{
    *started = false;
    if (!who->user_id)
        return err_set(e, ERR_UNAUTHENTICATED, "not_authenticated", "Authentication credentials were not provided.");
    if (!base_url || strlen(base_url) >= DATA_EXPORT_BASE_MAX)
        base_url = "";
    /* the decision and the new row under one write lock (the user's row
     * on PostgreSQL): two requests at once queue one build */
    if (!store_begin(st, e))
        return false;
    if (!store_lock_users(st, &who->user_id, 1, e) || !data_export_status_get(st, a, who->user_id, out, e))
        return rollback(st);
    int retry_after = 0;
    int64_t now = clock_now_us();
    switch (data_export_decide(out, now, &retry_after)) {
    case DATA_EXPORT_IN_PROGRESS: store_rollback(st); return true;
    case DATA_EXPORT_THROTTLED:
        store_rollback(st);
        e->retry_after = retry_after;
        return err_set(e, ERR_THROTTLED, "throttled",
                       "An export was requested less than an hour ago. Try again later.");
    case DATA_EXPORT_START: break;
    }
    if (!store_export_request(st, who->user_id, now, base_url, e) ||
        !data_export_status_get(st, a, who->user_id, out, e) || !store_commit(st, e))
        return rollback(st);
    *started = true;
    data_export_worker_wake();
    return true;
}

/* ================================================================ */
/* files                                                            */

bool data_export_name_valid(const char *name)
{
    if (!name)
        return false;
    for (int i = 0; i < DATA_EXPORT_NAME_HEX; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return !strcmp(name + DATA_EXPORT_NAME_HEX, ".zip");
}

static bool export_dir(const char *data_dir, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/" EXPORT_DIR, data_dir);
    return n > 0 && (size_t)n < size;
}

static bool export_path(const char *data_dir, const char *name, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/" EXPORT_DIR "/%s", data_dir, name);
    return n > 0 && (size_t)n < size;
}

/* The mapping handed to the HTTP layer: one page in front of the file's
 * pages holds the length, so that the free function, which gets only the
 * data pointer, can unmap the whole. */
struct mapping_head {
    size_t len;
};

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

void data_export_unmap(void *data)
{
    if (!data)
        return;
    size_t page = page_size();
    unsigned char *base = (unsigned char *)data - page;
    const struct mapping_head *h = (const struct mapping_head *)base;
    munmap(base, page + h->len);
}

/* Maps fd (len bytes) behind a header page; NULL on failure (errno set). */
static void *map_file(int fd, size_t len)
{
    size_t page = page_size();
    unsigned char *base = mmap(NULL, page + len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    ((struct mapping_head *)base)->len = len;
    if (mmap(base + page, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
        int err = errno;
        munmap(base, page + len);
        errno = err;
        return NULL;
    }
    return base + page;
}

bool data_export_open(struct store *st, struct arena *a, const char *data_dir, int64_t user_id, bool record,
                      const void **data, size_t *len, struct err *e)
{
    struct store_export x;
    int found = store_export_get(st, a, user_id, &x, e);
    if (found < 0)
        return false;
    if (!found || x.status != STORE_EXPORT_READY || !data_export_name_valid(x.file_name))
        return err_not_found(e);
    char path[EXPORT_PATH_MAX];
    if (!export_path(data_dir, x.file_name, path, sizeof path))
        return err_internal(e);
    /* never a link, only a regular file: what an operator's restore put
     * there otherwise is "no archive" */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ELOOP) {
            log_error("data export: the archive of user %lld is missing (%s)", (long long)user_id, path);
            return err_not_found(e);
        }
        return file_fail(e, "data export", "cannot open", path);
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0) {
        close(fd);
        return err_not_found(e);
    }
    void *p = map_file(fd, (size_t)sb.st_size);
    if (!p) {
        bool r = file_fail(e, "data export", "cannot map", path);
        close(fd);
        return r;
    }
    close(fd);
    /* the download is recorded in a write of its own (the caller's read
     * transaction ends first) */
    if (record && (!store_begin(st, e) || !store_export_mark_downloaded(st, user_id, clock_now_us(), e) ||
                   !store_commit(st, e))) {
        store_rollback(st);
        data_export_unmap(p);
        return false;
    }
    *data = p;
    *len = (size_t)sb.st_size;
    return true;
}

/* ================================================================ */
/* the archive writer                                               */

struct member {
    char name[DATA_EXPORT_MEMBER_NAME_MAX];
    FILE *fp; /* an unnamed temporary file; NULL once libzip owns it */
    int64_t bytes;
};

struct data_export_archive {
    char dir[EXPORT_PATH_MAX];
    struct data_export_limits limits;
    struct member members[DATA_EXPORT_MEMBERS_MAX];
    int n;
    int64_t bytes;
    const char *cancelled; /* the code a cancelled zip_close reports */
};

/* Whether the build must end now: "stopped", "timeout", or NULL. */
static const char *limit_reached(const struct data_export_archive *ar)
{
    if (ar->limits.stop && atomic_load(ar->limits.stop))
        return "stopped";
    if (ar->limits.deadline_us && clock_now_us() > ar->limits.deadline_us)
        return "timeout";
    return NULL;
}

static bool limit_error(struct err *e, const char *code)
{
    if (!strcmp(code, "stopped"))
        return err_set(e, ERR_UNAVAILABLE, "stopped", "The server stopped during the export; it starts again.");
    if (!strcmp(code, "timeout"))
        return err_set(e, ERR_UNAVAILABLE, "timeout", "The export took longer than its time bound.");
    return err_set(e, ERR_TOO_LARGE, "too_large", "The export is larger than its size bound.");
}

/* An unnamed temporary file in dir (O_TMPFILE: a crash leaves nothing);
 * where the file system lacks it, a named one unlinked at once. */
static FILE *temp_file(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        char path[EXPORT_PATH_MAX];
        int n = snprintf(path, sizeof path, "%s/.member-XXXXXX", dir);
        if (n < 0 || (size_t)n >= sizeof path)
            return NULL;
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "w+b");
    if (!fp)
        close(fd);
    return fp;
}

struct data_export_archive *data_export_archive_open(const char *dir, const struct data_export_limits *limits,
                                                     struct err *e)
{
    struct data_export_archive *ar = calloc(1, sizeof *ar);
    if (!ar) {
        err_internal(e);
        return NULL;
    }
    int n = snprintf(ar->dir, sizeof ar->dir, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof ar->dir) {
        free(ar);
        err_internal(e);
        return NULL;
    }
    ar->limits = *limits;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        file_fail(e, "data export", "cannot create", dir);
        free(ar);
        return NULL;
    }
    return ar;
}

static bool member_name_valid(const char *name)
{
    size_t len = strlen(name);
    if (!len || len >= DATA_EXPORT_MEMBER_NAME_MAX || name[0] == '/' || name[0] == '.' || strstr(name, ".."))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-' || *p == '/'))
            return false;
    return true;
}

bool data_export_member_begin(struct data_export_archive *ar, const char *name, struct err *e)
{
    if (!member_name_valid(name) || ar->n >= DATA_EXPORT_MEMBERS_MAX)
        return err_internal(e);
    for (int i = 0; i < ar->n; i++)
        if (!strcmp(ar->members[i].name, name))
            return err_internal(e);
    const char *reached = limit_reached(ar);
    if (reached)
        return limit_error(e, reached);
    FILE *fp = temp_file(ar->dir);
    if (!fp)
        return file_fail(e, "data export", "cannot create a temporary file in", ar->dir);
    struct member *m = &ar->members[ar->n++];
    snprintf(m->name, sizeof m->name, "%s", name);
    m->fp = fp;
    m->bytes = 0;
    return true;
}

bool data_export_member_write(struct data_export_archive *ar, const void *p, size_t n, struct err *e)
{
    if (!ar->n || !ar->members[ar->n - 1].fp)
        return err_internal(e);
    const char *reached = limit_reached(ar);
    if (reached)
        return limit_error(e, reached);
    if ((uint64_t)ar->bytes + n > (uint64_t)ar->limits.max_bytes)
        return limit_error(e, "too_large");
    struct member *m = &ar->members[ar->n - 1];
    if (n && fwrite(p, 1, n, m->fp) != n)
        return file_fail(e, "data export", "cannot write a temporary file in", ar->dir);
    m->bytes += (int64_t)n;
    ar->bytes += (int64_t)n;
    return true;
}

bool data_export_member_add(struct data_export_archive *ar, const char *name, const void *p, size_t n, struct err *e)
{
    return data_export_member_begin(ar, name, e) && data_export_member_write(ar, p, n, e);
}

int64_t data_export_archive_bytes(const struct data_export_archive *ar) { return ar->bytes; }

void data_export_archive_discard(struct data_export_archive *ar)
{
    if (!ar)
        return;
    for (int i = 0; i < ar->n; i++)
        if (ar->members[i].fp)
            fclose(ar->members[i].fp);
    free(ar);
}

static int zip_cancel(zip_t *za, void *ud)
{
    (void)za;
    struct data_export_archive *ar = ud;
    ar->cancelled = limit_reached(ar);
    return ar->cancelled != NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Adds every member to za (libzip reads them at zip_close). */
static bool add_members(struct data_export_archive *ar, zip_t *za, time_t mtime, struct err *e)
{
    for (int i = 0; i < ar->n; i++) {
        struct member *m = &ar->members[i];
        if (fflush(m->fp) != 0 || ferror(m->fp))
            return file_fail(e, "data export", "cannot write a temporary file in", ar->dir);
        rewind(m->fp);
        zip_source_t *src = zip_source_filep(za, m->fp, 0, -1);
        if (src)
            m->fp = NULL; /* the source owns it now */
        zip_int64_t idx = src ? zip_file_add(za, m->name, src, ZIP_FL_ENC_UTF_8) : -1;
        if (src && idx < 0)
            zip_source_free(src);
        /* JSON shrinks; images are compressed already */
        bool deflate = ends_with(m->name, ".json") || ends_with(m->name, ".txt");
        if (idx < 0 ||
            zip_set_file_compression(za, (zip_uint64_t)idx, deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0 ||
            zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) != 0) {
            log_error("data export: cannot add %s to the archive: %s", m->name, zip_strerror(za));
            return err_internal(e);
        }
    }
    return true;
}

bool data_export_archive_close(struct data_export_archive *ar, const char *path, int64_t *size, struct err *e)
{
    char part[EXPORT_PATH_MAX];
    int n = snprintf(part, sizeof part, "%s" EXPORT_PART_SUFFIX, path);
    if (n < 0 || (size_t)n >= sizeof part || !ar->n) {
        data_export_archive_discard(ar);
        return err_internal(e);
    }
    unlink(part);
    int zerr = 0;
    zip_t *za = zip_open(part, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!za) {
        log_error("data export: cannot create %s (libzip error %d)", part, zerr);
        data_export_archive_discard(ar);
        return err_internal(e);
    }
    bool ok = add_members(ar, za, (time_t)(clock_now_us() / EXPORT_US_PER_S), e);
    if (ok) {
        zip_register_cancel_callback_with_state(za, zip_cancel, NULL, ar);
        if (zip_close(za) != 0) {
            if (ar->cancelled)
                limit_error(e, ar->cancelled);
            else {
                zip_error_t *ze = zip_get_error(za);
                errno = zip_error_code_system(ze);
                if (errno == ENOSPC || errno == EDQUOT || errno == EIO)
                    file_fail(e, "data export", "cannot write", part);
                else {
                    log_error("data export: cannot write %s: %s", part, zip_strerror(za));
                    err_internal(e);
                }
            }
            ok = false;
            zip_discard(za);
        }
    } else
        zip_discard(za);
    data_export_archive_discard(ar);
    if (!ok) {
        unlink(part);
        return false;
    }
    /* libzip renamed its own temporary file onto part: make part durable,
     * then give it its name */
    int fd = open(part, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    ok = fd >= 0 && fsync(fd) == 0 && fstat(fd, &sb) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok || rename(part, path) != 0) {
        file_fail(e, "data export", "cannot finish", part);
        unlink(part);
        return false;
    }
    char dir[EXPORT_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (slash && !file_sync(dir))
        log_error("data export: cannot sync %s: %s", dir, strerror(errno));
    *size = (int64_t)sb.st_size;
    return true;
}

/* ================================================================ */
/* one build                                                        */

/* The uploaded files, as media/<role>.<ext>, read in the build's read
 * transaction (a file replaced meanwhile is still the one the row names). */
static bool add_uploads(struct store *st, struct arena *a, const char *media_dir, int64_t user_id,
                        struct data_export_archive *ar, struct err *e)
{
    struct store_export_file *files;
    size_t n;
    if (!store_export_media(st, a, user_id, &files, &n, e))
        return false;
    for (size_t i = 0; i < n; i++) {
        enum media_type t;
        if (!media_name_valid(files[i].name, &t))
            continue;
        unsigned char *data = NULL;
        size_t len = 0;
        int found = media_read(media_dir, files[i].name, &data, &len, e);
        if (found < 0)
            return false;
        if (!found) { /* the row names a file the disk lost: the archive says so in its manifest */
            log_error("data export: the %s of user %lld (%s) is missing", files[i].role, (long long)user_id,
                      files[i].name);
            continue;
        }
        char member[DATA_EXPORT_MEMBER_NAME_MAX];
        snprintf(member, sizeof member, "media/%s.%s", files[i].role, media_type_ext(t));
        bool ok = data_export_member_add(ar, member, data, len, e);
        free(data);
        if (!ok)
            return false;
    }
    return true;
}

static json_t *time_json(int64_t us)
{
    if (!us)
        return json_null();
    char s[CLOCK_RFC3339_LEN];
    clock_format(us, s);
    return json_string(s);
}

/* export.json: what the archive is and what it holds. */
static bool add_manifest(struct data_export_archive *ar, const struct data_export_job *job, struct err *e)
{
    json_t *files = json_array();
    for (int i = 0; i < ar->n; i++)
        json_array_append_new(
            files, json_pack("{s:s, s:I}", "name", ar->members[i].name, "bytes", (json_int_t)ar->members[i].bytes));
    json_t *o = json_pack("{s:s, s:I, s:o, s:o, s:o}", "format", "hearth-data-export/1", "user_id",
                          (json_int_t)job->user_id, "requested_at", time_json(job->requested_us), "generated_at",
                          time_json(clock_now_us()), "files", files);
    char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
    json_decref(o);
    if (!text)
        return err_internal(e);
    bool ok = data_export_member_add(ar, "export.json", text, strlen(text), e);
    free(text);
    return ok;
}

/* Renders job into a new archive at path, reading in one read transaction. */
static bool build_archive(struct store *st, struct arena *a, const struct config *cfg,
                          const struct data_export_renderer *r, const struct data_export_job *job,
                          const atomic_bool *stop, const char *path, int64_t *size, struct err *e)
{
    char dir[EXPORT_PATH_MAX];
    if (!export_dir(cfg->data_dir, dir, sizeof dir))
        return err_internal(e);
    struct data_export_limits limits = {
        .max_bytes = DATA_EXPORT_MAX_BYTES,
        .deadline_us = clock_now_us() + (int64_t)DATA_EXPORT_MAX_SECONDS * EXPORT_US_PER_S,
        .stop = stop,
    };
    struct data_export_archive *ar = data_export_archive_open(dir, &limits, e);
    if (!ar)
        return false;
    /* one snapshot: the profile, the lists and the files agree */
    bool ok = store_read_begin(st, e);
    if (ok) {
        struct user u;
        int found = store_user_get(st, a, job->user_id, &u, e);
        if (found == 0 || (found == 1 && !user_status_active(u.status)))
            ok = err_set(e, ERR_NOT_FOUND, "user_inactive", "The account is deleted.");
        else
            ok = found == 1;
    }
    ok = ok && r->render(r->ctx, st, a, cfg, job, ar, e) && add_uploads(st, a, cfg->media_dir, job->user_id, ar, e);
    store_read_end(st);
    ok = ok && add_manifest(ar, job, e);
    if (!ok) {
        data_export_archive_discard(ar);
        return false;
    }
    return data_export_archive_close(ar, path, size, e);
}

bool data_export_build_next(struct store *st, const struct config *cfg, const struct data_export_renderer *r,
                            const atomic_bool *stop, bool *built, struct err *e)
{
    *built = false;
    struct arena *a = arena_new();
    if (!a)
        return err_internal(e);
    char name[DATA_EXPORT_NAME_MAX];
    token_random_hex(name, DATA_EXPORT_NAME_HEX / 2);
    memcpy(name + DATA_EXPORT_NAME_HEX, ".zip", 5);
    struct store_export x;
    int found = -1;
    if (store_begin(st, e)) {
        found = store_export_claim(st, a, clock_now_us(), name, &x, e);
        if (found < 0 || !store_commit(st, e)) {
            store_rollback(st);
            found = -1;
        }
    }
    if (found <= 0) {
        arena_free(a);
        return found == 0;
    }
    *built = true;
    struct data_export_job job = {.user_id = x.user_id, .requested_us = x.requested_us, .base_url = x.base_url};
    char path[EXPORT_PATH_MAX];
    int64_t size = 0, started = clock_now_us();
    struct err be = {0};
    bool ok = export_path(cfg->data_dir, name, path, sizeof path)
                  ? build_archive(st, a, cfg, r, &job, stop, path, &size, &be)
                  : err_internal(&be);
    const char *code = ok ? NULL : (be.count && be.entries[0].code ? be.entries[0].code : "internal");
    enum store_export_status to =
        ok ? STORE_EXPORT_READY : (!strcmp(code, "stopped") ? STORE_EXPORT_PENDING : STORE_EXPORT_FAILED);
    int changed = store_export_finish(st, x.user_id, name, to, clock_now_us(), size, code, e);
    if (ok && changed != 1)
        unlink(path); /* a new request or a hard delete came meanwhile: this archive answers nothing */
    if (ok)
        log_info("data export: user %lld, %lld bytes in %lld ms", (long long)x.user_id, (long long)size,
                 (long long)((clock_now_us() - started) / 1000));
    else
        log_info("data export: user %lld: %s", (long long)x.user_id, code);
    arena_free(a);
    return changed >= 0;
}

/* ================================================================ */
/* housekeeping                                                     */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool data_export_sweep(struct store *st, const char *data_dir, int64_t *removed, struct err *e)
{
    *removed = 0;
    int64_t expired = 0;
    if (!store_export_expire(st, clock_now_us() - retention_us, &expired, e))
        return false;
    struct arena *a = arena_new();
    if (!a)
        return err_internal(e);
    const char **names = NULL;
    size_t n = 0;
    if (!store_export_file_names(st, a, &names, &n, e)) {
        arena_free(a);
        return false;
    }
    char dir[EXPORT_PATH_MAX];
    DIR *d = export_dir(data_dir, dir, sizeof dir) ? opendir(dir) : NULL;
    if (!d) {
        arena_free(a);
        return errno == ENOENT || file_fail(e, "data export", "cannot read", dir);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        /* an archive, its .part, or libzip's temporary file of it: the name
         * starts with the archive's; nothing else is ever touched */
        char archive[DATA_EXPORT_NAME_MAX];
        if (strlen(de->d_name) < DATA_EXPORT_NAME_HEX + 4)
            continue;
        memcpy(archive, de->d_name, DATA_EXPORT_NAME_HEX);
        memcpy(archive + DATA_EXPORT_NAME_HEX, ".zip", 5);
        if (!data_export_name_valid(archive) || strncmp(de->d_name, archive, DATA_EXPORT_NAME_HEX + 4))
            continue;
        /* a named archive keeps its file and, while it is being built,
         * its temporaries (a build a crash cut short is no longer named
         * after data_export_recover) */
        const char *key = archive;
        if (n && bsearch(&key, names, n, sizeof *names, compare_names))
            continue;
        if (unlinkat(dirfd(d), de->d_name, 0) == 0)
            (*removed)++;
        else if (errno != ENOENT)
            log_error("data export: cannot remove %s/%s: %s", dir, de->d_name, strerror(errno));
    }
    closedir(d);
    arena_free(a);
    if (expired || *removed)
        log_info("data export: %lld expired, %lld files removed", (long long)expired, (long long)*removed);
    return true;
}

bool data_export_recover(struct store *st, int64_t *requeued, int64_t *failed, struct err *e)
{
    return store_export_recover(st, DATA_EXPORT_MAX_ATTEMPTS, "interrupted", clock_now_us(), requeued, failed, e);
}

/* ================================================================ */
/* the worker                                                       */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cond; /* on CLOCK_MONOTONIC */
    bool started, wake;
    atomic_bool stop;
    pthread_t thread;
    const struct config *cfg;
    const struct data_export_renderer *r;
} worker = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void log_err(const char *what, const struct err *e)
{
    log_error("data export: %s: %s", what, e->count && e->entries[0].message ? e->entries[0].message : "?");
}

/* Sleeps until woken, stopped, or DATA_EXPORT_POLL_S passed. */
static void worker_wait(void)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += DATA_EXPORT_POLL_S;
    pthread_mutex_lock(&worker.mu);
    while (!worker.wake && !atomic_load(&worker.stop))
        if (pthread_cond_timedwait(&worker.cond, &worker.mu, &until) == ETIMEDOUT)
            break;
    worker.wake = false;
    pthread_mutex_unlock(&worker.mu);
}

static void *worker_main(void *arg)
{
    (void)arg;
    struct store *st = NULL;
    while (!atomic_load(&worker.stop)) {
        struct err e = {0};
        if (!st && !(st = store_open(worker.cfg->db_path, &e))) {
            log_err("cannot open the database", &e);
            worker_wait();
            continue;
        }
        int64_t removed;
        if (!data_export_sweep(st, worker.cfg->data_dir, &removed, &e))
            log_err("sweep", &e);
        bool built = true;
        while (built && !atomic_load(&worker.stop)) {
            e = (struct err){0};
            if (!data_export_build_next(st, worker.cfg, worker.r, &worker.stop, &built, &e)) {
                log_err("queue", &e);
                break;
            }
        }
        worker_wait();
    }
    store_close(st);
    return NULL;
}

bool data_export_worker_start(const struct config *cfg, const struct data_export_renderer *r)
{
    pthread_mutex_lock(&worker.mu);
    if (worker.started) {
        pthread_mutex_unlock(&worker.mu);
        return true;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&worker.cond, &attr);
    pthread_condattr_destroy(&attr);
    worker.cfg = cfg;
    worker.r = r;
    worker.wake = true; /* look at the queue at once */
    atomic_store(&worker.stop, false);
    /* the server's main thread waits for SIGINT and SIGTERM: never here */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    int rc = pthread_create(&worker.thread, NULL, worker_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    worker.started = rc == 0;
    if (rc != 0) {
        pthread_cond_destroy(&worker.cond);
        log_error("data export: cannot start the worker: %s", strerror(rc));
    }
    pthread_mutex_unlock(&worker.mu);
    return rc == 0;
}

void data_export_worker_wake(void)
{
    pthread_mutex_lock(&worker.mu);
    if (worker.started) {
        worker.wake = true;
        pthread_cond_signal(&worker.cond);
    }
    pthread_mutex_unlock(&worker.mu);
}

void data_export_worker_stop(void)
{
    pthread_mutex_lock(&worker.mu);
    if (!worker.started) {
        pthread_mutex_unlock(&worker.mu);
        return;
    }
    atomic_store(&worker.stop, true);
    pthread_cond_signal(&worker.cond);
    pthread_mutex_unlock(&worker.mu);
    pthread_join(worker.thread, NULL);
    pthread_mutex_lock(&worker.mu);
    worker.started = false;
    pthread_cond_destroy(&worker.cond);
    pthread_mutex_unlock(&worker.mu);
}
