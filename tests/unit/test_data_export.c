/* test_data_export.c - unit tests of domain/data_export.c: the request
 * rules (in progress, rate limit), archive names, the zip writer and its
 * bounds (size, time, stop, member names), and a whole build against a
 * real SQLite store in a temporary directory: request, build with a
 * renderer, status, download mapping, failure, recovery and the sweep. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/data_export.h"
#include "store/export.h"
#include "store/store.h"
#include "temp_store.h"

enum { US = 1000000 };

/* ---- the request rules ---- */

static void test_decide(void **state)
{
    (void)state;
    const int64_t now = 1700000000LL * US, hour = (int64_t)DATA_EXPORT_REBUILD_INTERVAL_S * US;
    int retry = 0;
    struct data_export_status st = {.state = DATA_EXPORT_NONE};
    assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_START);
    st = (struct data_export_status){.state = DATA_EXPORT_PENDING, .requested_us = now - 10 * hour};
    assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_IN_PROGRESS);
    st.state = DATA_EXPORT_RUNNING;
    assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_IN_PROGRESS);
    /* ready or failed: throttled for an hour after the request */
    for (int s = DATA_EXPORT_READY; s <= DATA_EXPORT_FAILED; s++) {
        st = (struct data_export_status){.state = (enum data_export_state)s, .requested_us = now - 600LL * US};
        retry = 0;
        assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_THROTTLED);
        assert_int_equal(retry, DATA_EXPORT_REBUILD_INTERVAL_S - 600);
        st.requested_us = now - hour + US / 2; /* half a second left: one second to wait */
        assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_THROTTLED);
        assert_int_equal(retry, 1);
        st.requested_us = now - hour;
        assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_START);
        st.requested_us = now + 10 * hour; /* the clock went back: at most the interval */
        assert_int_equal(data_export_decide(&st, now, &retry), DATA_EXPORT_THROTTLED);
        assert_int_equal(retry, DATA_EXPORT_REBUILD_INTERVAL_S);
    }
    assert_string_equal(data_export_state_name(DATA_EXPORT_NONE), "none");
    assert_string_equal(data_export_state_name(DATA_EXPORT_READY), "ready");
}

static void test_names(void **state)
{
    (void)state;
    assert_true(data_export_name_valid("0123456789abcdef0123456789abcdef.zip"));
    static const char *const bad[] = {"0123456789abcdef0123456789abcdef",
                                      "0123456789abcdef0123456789abcdef.zip.part",
                                      "0123456789ABCDEF0123456789abcdef.zip",
                                      "0123456789abcdef0123456789abcde.zip",
                                      "../23456789abcdef0123456789abcdef.zip",
                                      "",
                                      NULL};
    for (const char *const *s = bad; *s; s++)
        if (data_export_name_valid(*s))
            fail_msg("accepted \"%s\"", *s);
    assert_false(data_export_name_valid(NULL));
}

/* ---- a temporary directory ---- */

struct fixture {
    struct temp_store db; /* its directory is the data directory */
    char dir[64];
    char exports[128];
    struct config cfg;
    struct store *st;
    struct arena *a;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    log_set_quiet(1);
    if (!temp_store_open(&f->db))
        return -1;
    f->st = f->db.st;
    snprintf(f->dir, sizeof f->dir, "%s", f->db.dir);
    snprintf(f->exports, sizeof f->exports, "%s/exports", f->dir);
    snprintf(f->cfg.data_dir, sizeof f->cfg.data_dir, "%s", f->dir);
    snprintf(f->cfg.media_dir, sizeof f->cfg.media_dir, "%s/media", f->dir); /* as config_load's default */
    snprintf(f->cfg.db_path, sizeof f->cfg.db_path, "%s", f->db.path);
    f->a = arena_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    temp_store_close(&f->db);
    arena_free(f->a);
    free(f);
    return 0;
}

/* The entries of dir, sorted, joined by spaces ("" when empty or absent). */
static const char *listing(struct fixture *f, const char *dir)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    char *out = arena_strdup(f->a, "");
    for (int i = 0; i < n; i++) {
        if (list[i]->d_name[0] != '.' || (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")))
            out = arena_printf(f->a, "%s%s%s", out, *out ? " " : "", list[i]->d_name);
        free(list[i]);
    }
    free(list);
    return out;
}

/* A member of the zip at path: its bytes (arena) and compression method. */
static const char *zip_member(struct fixture *f, const char *path, const char *name, zip_uint16_t *method)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(za);
    zip_stat_t zs;
    if (zip_stat(za, name, 0, &zs) != 0) {
        zip_discard(za);
        return NULL;
    }
    char *buf = arena_alloc(f->a, zs.size + 1);
    zip_file_t *zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, buf, zs.size), (zip_int64_t)zs.size);
    buf[zs.size] = '\0';
    zip_fclose(zf);
    if (method)
        *method = zs.comp_method;
    zip_discard(za);
    return buf;
}

static int64_t zip_entries(const char *path)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(za);
    int64_t n = zip_get_num_entries(za, 0);
    zip_discard(za);
    return n;
}

/* ---- the archive writer ---- */

static void test_archive_round_trip(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct data_export_limits limits = {.max_bytes = 1 << 20};
    struct data_export_archive *ar = data_export_archive_open(f->exports, &limits, &e);
    assert_non_null(ar);
    assert_true(data_export_member_begin(ar, "list.json", &e));
    for (int i = 0; i < 1000; i++)
        assert_true(data_export_member_write(ar, "[1,2,3]\n", 8, &e));
    const unsigned char image[] = {0x89, 'P', 'N', 'G', 0, 1, 2, 3};
    assert_true(data_export_member_add(ar, "media/avatar.png", image, sizeof image, &e));
    assert_int_equal(data_export_archive_bytes(ar), 8000 + sizeof image);
    /* members wait in unnamed files: nothing in the directory yet */
    assert_string_equal(listing(f, f->exports), "");
    char path[256];
    snprintf(path, sizeof path, "%s/0123456789abcdef0123456789abcdef.zip", f->exports);
    int64_t size = 0;
    assert_true(data_export_archive_close(ar, path, &size, &e));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, size);
    assert_string_equal(listing(f, f->exports), "0123456789abcdef0123456789abcdef.zip");
    assert_int_equal(zip_entries(path), 2);
    zip_uint16_t method = 99;
    const char *list = zip_member(f, path, "list.json", &method);
    assert_non_null(list);
    assert_int_equal(strlen(list), 8000);
    assert_memory_equal(list, "[1,2,3]\n[1,2,3]\n", 16);
    assert_int_equal(method, ZIP_CM_DEFLATE);
    const char *png = zip_member(f, path, "media/avatar.png", &method);
    assert_non_null(png);
    assert_memory_equal(png, image, sizeof image);
    assert_int_equal(method, ZIP_CM_STORE);
    assert_true(size < 8000); /* the JSON was deflated */
}

static void test_archive_bounds(void **state)
{
    struct fixture *f = *state;
    atomic_bool stop = false;
    struct data_export_limits limits = {.max_bytes = 10, .stop = &stop};
    struct err e = {0};
    struct data_export_archive *ar = data_export_archive_open(f->exports, &limits, &e);
    assert_non_null(ar);
    /* names: relative, no "..", no hidden files, each once */
    static const char *const bad[] = {"", "../x.json", "/etc/passwd", ".hidden", "a/../b", "sp ace", "a\\b", NULL};
    for (const char *const *s = bad; *s; s++) {
        e = (struct err){0};
        if (data_export_member_begin(ar, *s, &e))
            fail_msg("accepted member \"%s\"", *s);
    }
    e = (struct err){0};
    assert_true(data_export_member_add(ar, "a.json", "0123456789", 10, &e));
    assert_false(data_export_member_begin(ar, "a.json", &e));
    /* size */
    e = (struct err){0};
    assert_true(data_export_member_begin(ar, "b.json", &e));
    assert_false(data_export_member_write(ar, "x", 1, &e));
    assert_int_equal(e.kind, ERR_TOO_LARGE);
    assert_string_equal(e.entries[0].code, "too_large");
    /* stop */
    atomic_store(&stop, true);
    e = (struct err){0};
    assert_false(data_export_member_write(ar, "", 0, &e));
    assert_string_equal(e.entries[0].code, "stopped");
    data_export_archive_discard(ar);
    /* time */
    limits = (struct data_export_limits){.max_bytes = 1 << 20, .deadline_us = clock_now_us() - 1};
    e = (struct err){0};
    ar = data_export_archive_open(f->exports, &limits, &e);
    assert_non_null(ar);
    assert_false(data_export_member_begin(ar, "c.json", &e));
    assert_string_equal(e.entries[0].code, "timeout");
    data_export_archive_discard(ar);
    /* a stopped close writes nothing */
    atomic_store(&stop, false);
    limits = (struct data_export_limits){.max_bytes = 1 << 20, .stop = &stop};
    ar = data_export_archive_open(f->exports, &limits, &e);
    e = (struct err){0};
    assert_true(data_export_member_add(ar, "d.json", "{}", 2, &e));
    atomic_store(&stop, true);
    char path[256];
    snprintf(path, sizeof path, "%s/00000000000000000000000000000000.zip", f->exports);
    int64_t size = 0;
    assert_false(data_export_archive_close(ar, path, &size, &e));
    assert_string_equal(e.entries[0].code, "stopped");
    assert_string_equal(listing(f, f->exports), "");
}

/* ---- a whole build ---- */

struct render_ctx {
    int calls;
    bool fail;
};

static bool render(void *ctx, struct store *st, struct arena *a, const struct config *cfg,
                   const struct data_export_job *job, struct data_export_archive *ar, struct err *e)
{
    (void)st, (void)cfg;
    struct render_ctx *c = ctx;
    c->calls++;
    if (c->fail)
        return err_set(e, ERR_INTERNAL, "boom", "The renderer failed.");
    const char *text = arena_printf(a, "{\"user\": %lld, \"base\": \"%s\"}", (long long)job->user_id, job->base_url);
    return data_export_member_add(ar, "profile.json", text, strlen(text), e);
}

static int64_t make_user(struct fixture *f, const char *username)
{
    int64_t id = 0;
    struct err e = {0};
    struct user u = {.username = username};
    assert_true(store_user_insert(f->st, &u, &id, &e));
    return id;
}

static void test_build(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t id = make_user(f, "alice");
    struct principal who = {.user_id = id, .status = USER_ACTIVE};
    struct render_ctx ctx = {0};
    struct data_export_renderer r = {.render = render, .ctx = &ctx};
    atomic_bool stop = false;
    bool built = true, started = false;

    /* nothing queued */
    assert_true(data_export_build_next(f->st, &f->cfg, &r, &stop, &built, &e));
    assert_false(built);
    struct data_export_status s;
    assert_true(data_export_status_get(f->st, f->a, id, &s, &e));
    assert_int_equal(s.state, DATA_EXPORT_NONE);

    /* a request, then a second one while pending: nothing new */
    assert_true(data_export_request(f->st, f->a, &who, "http://h.example", &s, &started, &e));
    assert_true(started);
    assert_int_equal(s.state, DATA_EXPORT_PENDING);
    int64_t requested = s.requested_us;
    assert_true(data_export_request(f->st, f->a, &who, "http://other.example", &s, &started, &e));
    assert_false(started);
    assert_int_equal(s.requested_us, requested);

    /* the build */
    assert_true(data_export_build_next(f->st, &f->cfg, &r, &stop, &built, &e));
    assert_true(built);
    assert_int_equal(ctx.calls, 1);
    assert_true(data_export_status_get(f->st, f->a, id, &s, &e));
    assert_int_equal(s.state, DATA_EXPORT_READY);
    assert_true(s.size_bytes > 0);
    assert_true(s.expires_us == s.completed_us + (int64_t)DATA_EXPORT_RETENTION_DAYS * 86400 * US);
    struct store_export x;
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 1);
    assert_true(data_export_name_valid(x.file_name));
    assert_string_equal(listing(f, f->exports), x.file_name);
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->exports, x.file_name);
    assert_string_equal(zip_member(f, path, "profile.json", NULL),
                        arena_printf(f->a, "{\"user\": %lld, \"base\": \"http://h.example\"}", (long long)id));
    assert_non_null(strstr(zip_member(f, path, "export.json", NULL), "\"profile.json\""));
    assert_int_equal(zip_entries(path), 2);

    /* the download mapping holds the file's bytes */
    const void *data = NULL;
    size_t len = 0;
    assert_true(data_export_open(f->st, f->a, f->dir, id, true, &data, &len, &e));
    assert_int_equal(len, s.size_bytes);
    assert_memory_equal(data, "PK\x03\x04", 4);
    data_export_unmap((void *)data);
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 1);
    assert_true(x.downloaded_us > 0);
    /* nobody else's */
    int64_t bob = make_user(f, "bob");
    e = (struct err){0};
    assert_false(data_export_open(f->st, f->a, f->dir, bob, true, &data, &len, &e));
    assert_int_equal(e.kind, ERR_NOT_FOUND);

    /* too soon for another */
    e = (struct err){0};
    assert_false(data_export_request(f->st, f->a, &who, "", &s, &started, &e));
    assert_int_equal(e.kind, ERR_THROTTLED);
    assert_true(e.retry_after > 0 && e.retry_after <= DATA_EXPORT_REBUILD_INTERVAL_S);

    /* a failing build is failed with the renderer's code, and leaves no file */
    struct principal bob_who = {.user_id = bob, .status = USER_ACTIVE};
    e = (struct err){0};
    assert_true(data_export_request(f->st, f->a, &bob_who, "", &s, &started, &e));
    ctx.fail = true;
    assert_true(data_export_build_next(f->st, &f->cfg, &r, &stop, &built, &e));
    assert_true(built);
    assert_true(data_export_status_get(f->st, f->a, bob, &s, &e));
    assert_int_equal(s.state, DATA_EXPORT_FAILED);
    assert_string_equal(s.error, "boom");
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 1);
    assert_string_equal(listing(f, f->exports), x.file_name);
}

static void test_stop_and_recover(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t id = make_user(f, "carol");
    struct principal who = {.user_id = id, .status = USER_ACTIVE};
    struct render_ctx ctx = {0};
    struct data_export_renderer r = {.render = render, .ctx = &ctx};
    atomic_bool stop = true; /* the server is shutting down */
    bool built = false, started = false;
    struct data_export_status s;
    assert_true(data_export_request(f->st, f->a, &who, "", &s, &started, &e));
    assert_true(data_export_build_next(f->st, &f->cfg, &r, &stop, &built, &e));
    assert_true(built);
    /* back in the queue, the attempt not counted, no file */
    struct store_export x;
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 1);
    assert_int_equal(x.status, STORE_EXPORT_PENDING);
    assert_int_equal(x.attempts, 0);
    assert_string_equal(listing(f, f->exports), "");

    /* a killed server leaves the row running: recovered to pending, and
     * failed once the attempts are spent */
    int64_t requeued = 0, failed = 0;
    assert_int_equal(store_export_claim(f->st, f->a, clock_now_us(), "11111111111111111111111111111111.zip", &x, &e),
                     1);
    assert_true(data_export_recover(f->st, &requeued, &failed, &e));
    assert_int_equal(requeued, 1);
    assert_int_equal(failed, 0);
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 1);
    assert_int_equal(x.status, STORE_EXPORT_PENDING);
    assert_null(x.file_name);
    assert_int_equal(DATA_EXPORT_MAX_ATTEMPTS, 3);
    assert_int_equal(store_export_claim(f->st, f->a, clock_now_us(), "22222222222222222222222222222222.zip", &x, &e),
                     1);
    assert_int_equal(x.attempts, 2);
    assert_true(data_export_recover(f->st, &requeued, &failed, &e));
    assert_int_equal(requeued, 1);
    assert_int_equal(failed, 0);
    assert_int_equal(store_export_claim(f->st, f->a, clock_now_us(), "33333333333333333333333333333333.zip", &x, &e),
                     1);
    assert_int_equal(x.attempts, 3);
    assert_true(data_export_recover(f->st, &requeued, &failed, &e));
    assert_int_equal(requeued, 0);
    assert_int_equal(failed, 1);
    assert_true(data_export_status_get(f->st, f->a, id, &s, &e));
    assert_int_equal(s.state, DATA_EXPORT_FAILED);
    assert_string_equal(s.error, "interrupted");
}

static void test_sweep(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t id = make_user(f, "dave");
    struct principal who = {.user_id = id, .status = USER_ACTIVE};
    struct render_ctx ctx = {0};
    struct data_export_renderer r = {.render = render, .ctx = &ctx};
    atomic_bool stop = false;
    bool built = false, started = false;
    struct data_export_status s;
    assert_true(data_export_request(f->st, f->a, &who, "", &s, &started, &e));
    assert_true(data_export_build_next(f->st, &f->cfg, &r, &stop, &built, &e));
    struct store_export x;
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 1);
    const char *keep = x.file_name;
    /* leftovers of a crash, an unnamed archive, and files of other shapes */
    static const char *const stray[] = {"abababababababababababababababab.zip",
                                        "abababababababababababababababab.zip.part",
                                        "abababababababababababababababab.zip.part.Xy12Ab", "zz-notes.txt", "zzz"};
    for (size_t i = 0; i < sizeof stray / sizeof stray[0]; i++) {
        FILE *fp = fopen(arena_printf(f->a, "%s/%s", f->exports, stray[i]), "w");
        assert_non_null(fp);
        fclose(fp);
    }
    int64_t removed = 0;
    assert_true(data_export_sweep(f->st, f->dir, &removed, &e));
    assert_int_equal(removed, 3);
    assert_string_equal(listing(f, f->exports), arena_printf(f->a, "%s zz-notes.txt zzz", keep));
    /* a hard delete (tombstone) drops the row; the sweep then the file */
    assert_true(store_begin(f->st, &e));
    assert_true(store_account_hard_delete(f->st, id, clock_now(), &e));
    assert_true(store_commit(f->st, &e));
    assert_int_equal(store_export_get(f->st, f->a, id, &x, &e), 0);
    assert_true(data_export_sweep(f->st, f->dir, &removed, &e));
    assert_int_equal(removed, 1);
    assert_string_equal(listing(f, f->exports), "zz-notes.txt zzz");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_archive_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_and_recover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
