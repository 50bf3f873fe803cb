/* main.c - the `hearth` command line: serve, migrate, user, client, token,
 * pref. Configuration: flags over HEARTH_* environment over defaults. */
#include <jansson.h>
#include <stdarg.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/hooks.h"
#include "api/ops_routes.h"
#include "api/routes.h"
#include "api/udp_api.h"
#include "auth/jwt.h"
#include "auth/jwt_secret.h"
#include "auth/oauth.h"
#include "auth/password.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/data_export.h"
#include "domain/media.h"
#include "domain/prefs.h"
#include "domain/signup.h"
#include "domain/user.h"
#include "http/metrics.h"
#include "http/server.h"
#include "mail/outbox.h"
#include "store/seed.h"
#include "store/store.h"

enum {
    MAX_OPTIONS = 32,
    MAX_POSITIONAL = 8,
    TOKEN_DEFAULT_TTL_S = 2 * 3600, /* the official client's default: 2h */
    TOKEN_MAX_TTL_S = 365 * 24 * 3600,
    ADMIN_PASSWORD_BYTES = 12,
};

static const char usage[] =
    "usage: hearth COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  serve                                   run the server (migrates first)\n"
    "  migrate                                 create or upgrade the database\n"
    "  user create --username U --password P [--email E] [--role admin|moderator|editor]\n"
    "  client create --name N [--confidential] register an OAuth client\n"
    "  token --user ID [--ttl SECONDS]         mint an HS256 JWT for a user\n"
    "  pref get SECTION.NAME                   print a preference's JSON value\n"
    "  pref set SECTION.NAME VALUE             set it (VALUE is JSON; a bare word is a string)\n"
    "  check [--fix]                           recompute every counter from the edges, look for media files\n"
    "                                          left by a crash; exit 1 on either (--fix removes the files)\n"
    "  sql [--json] 'SQL'                      run SQL with hearth's functions (use it, not sqlite3, to write)\n"
    "  seed --users N [--follows-per-user K] [--seed S]\n"
    "                                          add a deterministic population (rebuilds the search indexes)\n"
    "  seed --file POPULATION.json             add a hand-written population; prints the new ids\n"
    "  seed --reindex                          rebuild the search indexes from the users\n"
    "  backup PATH [--force]                   copy the SQLite database, online, to PATH\n"
    "  routes                                  print the API's route table (METHOD PATTERN FLAGS)\n"
    "\n"
    "options (also HEARTH_<NAME> environment variables, e.g. HEARTH_DATA_DIR):\n"
    "  --listen HOST:PORT   (127.0.0.1:8000)   --data-dir DIR   (./var)\n"
    "  --db PATH            (DATA_DIR/hearth.db) --threads N    (4)\n"
    "  --base-url URL       public base URL for absolute links\n"
    "  --jwt-secret S       HS256 secret (if absent: generated once into DATA_DIR/jwt_secret with SQLite,\n"
    "                       into the database with PostgreSQL, where every server reads it)\n"
    "  --cors-origins LIST  comma-separated allowed origins, or *\n"
    "  --password-cost interactive|moderate|min\n"
    "  --per-ip-limit N     (64)               open connections per client address, 0 = no limit\n"
    "  --access-log off|stderr|FILE (stderr)  one line per request, buffered, written in batches\n"
    "  --sync normal|full   (normal)           SQLite synchronous; full also survives a power loss\n"
    "  --metrics            serve GET /metrics (Prometheus text format)\n"
    "  --metrics-allow LIST addresses or networks that may read /metrics (127.0.0.1, ::1)\n"
    "  --web-dir DIR        the API explorer's files (installed by the build)\n"
    "  --platform-url URL   the management site GET /user/me/platform_url/ gives staff (the explorer)\n"
    "  --smtp-url URL       smtp[s]://user:pass@host:port for mail; without it mail is written\n"
    "                       to DATA_DIR/mail/*.eml\n"
    "  --mail-from ADDR     From of the mail sent   (hearth <hearth@localhost>)\n"
    "  --media-dir DIR      uploaded images (DATA_DIR/media); several servers may share one directory\n"
    "  --trusted-proxies LIST addresses or networks (CIDR) of proxies whose X-Forwarded-For names the client\n"
    "  --drain-delay S      (0) on SIGTERM keep serving S seconds with GET /health 503, then drain\n";

struct cli {
    const char *command, *sub;
    struct config_option opts[MAX_OPTIONS];
    char names[MAX_OPTIONS][64]; /* names of --name=value options */
    bool used[MAX_OPTIONS];
    int nopts;
    const char *pos[MAX_POSITIONAL];
    int npos;
    struct config cfg;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hearth: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

/* Splits argv into options (--name value, --name=value, --flag) and
 * positional arguments. */
static bool parse_args(struct cli *c, int argc, char **argv, int from)
{
    static const char *const flags[] = {"confidential", "json", "reindex", "fix", "metrics", "force", NULL};
    for (int i = from; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            exit(0);
        }
        if (strncmp(a, "--", 2)) {
            if (c->npos == MAX_POSITIONAL)
                return false;
            c->pos[c->npos++] = a;
            continue;
        }
        if (c->nopts == MAX_OPTIONS)
            return false;
        const char *name = a + 2, *eq = strchr(name, '=');
        struct config_option *o = &c->opts[c->nopts++];
        if (eq) {
            size_t n = (size_t)(eq - name);
            if (n >= sizeof c->names[0]) {
                fail("option --%.*s is too long", (int)n, name);
                return false;
            }
            memcpy(c->names[c->nopts - 1], name, n);
            o->name = c->names[c->nopts - 1];
            o->value = eq + 1;
            continue;
        }
        o->name = name;
        bool is_flag = false;
        for (const char *const *f = flags; *f; f++)
            is_flag |= !strcmp(*f, name);
        if (is_flag) {
            o->value = "1";
        } else {
            if (i + 1 >= argc) {
                fail("option --%s needs a value", name);
                return false;
            }
            o->value = argv[++i];
        }
    }
    return true;
}

/* A command-specific option (marked used), or NULL. */
static const char *opt(struct cli *c, const char *name)
{
    for (int i = 0; i < c->nopts; i++)
        if (!strcmp(c->opts[i].name, name)) {
            c->used[i] = true;
            return c->opts[i].value;
        }
    return NULL;
}

static bool check_unused(struct cli *c)
{
    for (int i = 0; i < c->nopts; i++)
        if (!c->used[i]) {
            fail("unknown option --%s (see hearth --help)", c->opts[i].name);
            return false;
        }
    return true;
}

/* The secrets every server on one database must agree on: the JWT secret
 * when none is configured, and the rate-limit counters' hash key. A
 * database that keeps secrets (PostgreSQL) stores them once, the first
 * server to start winning, and every server reads them from it; with
 * SQLite (one server per file) the JWT secret is the data directory's
 * file and the hash key stays per process. */
static bool shared_secrets(struct cli *c, struct store *st)
{
    char candidate[2 * JWT_SECRET_BYTES + 1], value[CONFIG_SECRET_MAX];
    struct err e = {0};
    token_random_hex(candidate, JWT_SECRET_BYTES);
    int kept = store_server_secret(st, "ratelimit_key", candidate, value, sizeof value, &e);
    if (kept > 0) {
        ratelimit_set_hash_key((const unsigned char *)value, strlen(value));
        if (!c->cfg.jwt_secret[0]) {
            token_random_hex(candidate, JWT_SECRET_BYTES);
            kept = store_server_secret(st, "jwt_secret", candidate, c->cfg.jwt_secret, sizeof c->cfg.jwt_secret, &e);
        }
    }
    if (kept < 0) {
        fail("cannot read the server secrets from the database%s%s", e.count ? ": " : "",
             e.count ? e.entries[e.count - 1].message : "");
        return false;
    }
    char msg[512];
    if (!kept && !jwt_secret_prepare(c->cfg.data_dir, c->cfg.jwt_secret, sizeof c->cfg.jwt_secret, msg, sizeof msg)) {
        fail("%s", msg);
        return false;
    }
    return true;
}

static struct store *open_store(struct cli *c)
{
    char msg[512];
    if (!config_prepare_data(&c->cfg, msg, sizeof msg)) {
        fail("%s", msg);
        return NULL;
    }
    struct err e = {0};
    struct store *st = store_open(c->cfg.db_path, &e);
    if (!st || !store_migrate(st, &e)) {
        char where[1024];
        store_address_redacted(c->cfg.db_path, where, sizeof where);
        fail("cannot open or migrate the database at %s%s%s", where, e.count ? ": " : "",
             e.count ? e.entries[e.count - 1].message : "");
        store_close(st);
        return NULL;
    }
    if (!shared_secrets(c, st)) {
        store_close(st);
        return NULL;
    }
    return st;
}

static void print_err(const struct err *e)
{
    for (int i = 0; i < e->count; i++)
        fprintf(stderr, "hearth: %s%s%s\n", e->entries[i].field ? e->entries[i].field : "",
                e->entries[i].field ? ": " : "", e->entries[i].message);
}

/* ---- commands ---- */

static int cmd_user_create(struct cli *c, struct store *st)
{
    struct user_signup in = {.username = opt(c, "username"),
                             .password = opt(c, "password"),
                             .email = opt(c, "email"),
                             .role = opt(c, "role")};
    if (!check_unused(c))
        return 2;
    if (!in.password)
        return fail("%s", "user create needs --password");
    struct arena *a = arena_new();
    struct err e = {0};
    if (!in.role && store_user_count(st, &e) == 0) {
        in.role = "admin"; /* contract §5: the first user is an admin */
        fprintf(stderr, "hearth: the first user gets the admin role\n");
    }
    int64_t id;
    int rc = 0;
    if (!user_signup(st, a, &in, &id, &e)) {
        print_err(&e);
        rc = 1;
    } else {
        printf("{\"id\":%lld,\"username\":\"%s\"}\n", (long long)id, in.username);
    }
    arena_free(a);
    return rc;
}

static int cmd_client_create(struct cli *c, struct store *st)
{
    const char *name = opt(c, "name");
    bool confidential = opt(c, "confidential") != NULL;
    if (!check_unused(c))
        return 2;
    if (!name || !*name)
        return fail("%s", "client create needs --name");
    char client_id[44], secret[65];
    struct err e = {0};
    if (!oauth_client_create(st, name, confidential, client_id, secret, &e)) {
        print_err(&e);
        return 1;
    }
    if (confidential)
        printf("{\"client_id\":\"%s\",\"client_secret\":\"%s\"}\n", client_id, secret);
    else
        printf("{\"client_id\":\"%s\",\"client_secret\":null}\n", client_id);
    return 0;
}

static int cmd_token(struct cli *c, struct store *st)
{
    const char *user = opt(c, "user"), *ttl_s = opt(c, "ttl");
    if (!check_unused(c))
        return 2;
    char *end;
    long long id = user ? strtoll(user, &end, 10) : 0;
    if (!user || *end || id <= 0)
        return fail("%s", "token needs --user ID (a positive integer)");
    long long ttl = ttl_s ? strtoll(ttl_s, &end, 10) : TOKEN_DEFAULT_TTL_S;
    if ((ttl_s && *end) || ttl <= 0 || ttl > TOKEN_MAX_TTL_S)
        return fail("%s", "--ttl must be 1..31536000 seconds");
    struct arena *a = arena_new();
    struct err e = {0};
    struct user u;
    int found = store_user_get(st, a, id, &u, &e);
    arena_free(a);
    if (found != 1 || u.status == USER_TOMBSTONE || u.status == USER_DELETED)
        return fail("no active user with id %s", user);
    int64_t now = clock_now();
    char jti[32];
    snprintf(jti, sizeof jti, "%lld", (long long)clock_now_us());
    char *jwt = jwt_sign(id, now, now + ttl, jti, (const unsigned char *)c->cfg.jwt_secret, strlen(c->cfg.jwt_secret));
    if (!jwt)
        return fail("%s", "out of memory");
    printf("%s\n", jwt);
    free(jwt);
    return 0;
}

static int cmd_pref(struct cli *c, struct store *st)
{
    if (!check_unused(c))
        return 2;
    bool set = c->sub && !strcmp(c->sub, "set");
    if (!c->sub || (strcmp(c->sub, "get") && !set) || c->npos != (set ? 2 : 1))
        return fail("%s", "usage: hearth pref get SECTION.NAME | pref set SECTION.NAME VALUE");
    struct arena *a = arena_new();
    struct err e = {0};
    const char *section, *name;
    int rc = 0;
    if (!prefs_split_key(a, c->pos[0], &section, &name)) {
        rc = fail("preference names are SECTION.NAME, got '%s'", c->pos[0]);
    } else if (!set) {
        struct pref p;
        if (store_pref_get(st, a, section, name, &p, &e) != 1) {
            rc = fail("no preference %s", c->pos[0]);
        } else {
            char *s = json_dumps(p.value, JSON_ENCODE_ANY);
            printf("%s\n", s);
            free(s);
        }
    } else {
        json_t *v = json_loads(c->pos[1], JSON_DECODE_ANY, NULL);
        if (!v)
            v = json_string(c->pos[1]);
        json_t *changes = json_pack("{s:o}", c->pos[0], v), *rows = NULL;
        if (!prefs_update(st, a, changes, &rows, &e)) {
            print_err(&e);
            rc = 1;
        } else {
            printf("%s = %s\n", c->pos[0], c->pos[1]);
        }
        json_decref(changes);
        json_decref(rows);
    }
    arena_free(a);
    return rc;
}

static void print_counter_difference(void *ctx, const char *subject, int64_t id, const char *name, int64_t stored,
                                     int64_t actual)
{
    (void)ctx;
    printf("%s %lld: %s is %lld, the edges give %lld\n", subject, (long long)id, name, (long long)stored,
           (long long)actual);
}

/* Prints what a media sweep found (and removed). */
static void print_media_sweep(const char *prefix, const struct media_sweep_stats *m, bool fix)
{
    if (!m->orphans && !m->temporaries)
        return;
    printf("%s%ld unreferenced file%s, %ld temporary upload file%s older than %d s", prefix, m->orphans,
           m->orphans == 1 ? "" : "s", m->temporaries, m->temporaries == 1 ? "" : "s", MEDIA_SWEEP_MIN_AGE_S);
    if (fix)
        printf(": %ld removed%s\n", m->removed, m->failed ? " (some could not be, see the log)" : "");
    else
        printf(" (hearth check --fix removes them)\n");
}

/* Compares every stored counter with the edges (read-only), and looks for
 * media files a crash left behind (removed with --fix). */
static int cmd_check(struct cli *c, struct store *st)
{
    bool fix = opt(c, "fix") != NULL;
    if (!check_unused(c))
        return 2;
    struct err e = {0};
    int64_t pending = 0;
    {
        struct arena *a = arena_new();
        int64_t *ids;
        size_t n = 0;
        if (!a || !store_account_purge_pending(st, a, &ids, &n, &e)) {
            arena_free(a);
            print_err(&e);
            return 2;
        }
        arena_free(a);
        pending = (int64_t)n;
    }
    int finished = 0;
    if (fix && pending && !account_purge_resume(st, c->cfg.media_dir, &finished, &e)) {
        print_err(&e);
        return 2;
    }
    /* a clean database prints "counters: ok" alone, as it always has */
    if (pending && fix)
        printf("hard deletes: %d interrupted one%s finished\n", finished, finished == 1 ? "" : "s");
    else if (pending)
        printf("hard deletes: %lld interrupted (the next start or hearth check --fix finishes them)\n",
               (long long)pending);
    int64_t differences = store_user_counters_check(st, print_counter_difference, NULL, &e);
    if (differences < 0) {
        print_err(&e);
        return 2;
    }
    int rc = pending && !fix ? 1 : 0;
    if (differences > 0) {
        printf("counters: %lld difference%s\n", (long long)differences, differences == 1 ? "" : "s");
        rc = 1;
    } else {
        printf("counters: ok\n");
    }
    struct media_sweep_stats m;
    if (!media_sweep(st, c->cfg.media_dir, fix, &m, &e)) {
        print_err(&e);
        return 2;
    }
    print_media_sweep("media: ", &m, fix);
    if ((m.orphans || m.temporaries) && (!fix || m.failed))
        rc = rc ? rc : 1;
    return rc;
}

/* Runs SQL on the database with hearth's SQL functions registered (the
 * search index triggers need them, so plain sqlite3 cannot write users). */
static int cmd_sql(struct cli *c, struct store *st)
{
    bool json = opt(c, "json") != NULL;
    if (!check_unused(c))
        return 2;
    if (c->npos != 1)
        return fail("%s", "usage: hearth sql [--json] 'SQL'");
    struct err e = {0};
    if (!store_exec_script(st, c->pos[0], json, stdout, &e)) {
        print_err(&e);
        return 1;
    }
    return 0;
}

/* ---- seed ---- */

/* Progress on a terminal only: a log or a pipe stays quiet. */
static void seed_progress(const char *message) { fprintf(stderr, "hearth: %s\n", message); }

/* A whole decimal number in [min, max], or -1. */
static long long seed_number(const char *s, long long min, long long max)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : -1;
    return s && *s && !*end && v >= min && v <= max ? v : -1;
}

static int cmd_seed(struct cli *c, struct store *st)
{
    const char *users = opt(c, "users"), *follows = opt(c, "follows-per-user"), *seed = opt(c, "seed"),
               *file = opt(c, "file"), *reindex = opt(c, "reindex");
    if (!check_unused(c))
        return 2;
    struct err e = {0};
    if (reindex) {
        if (!store_search_reindex(st, &e)) {
            print_err(&e);
            return 1;
        }
        printf("hearth: search indexes rebuilt\n");
        return 0;
    }
    if (file) {
        json_error_t jerr;
        json_t *doc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc)
            return fail("%s:%d: %s", file, jerr.line, jerr.text);
        json_t *ids = NULL;
        bool ok = store_seed_file(st, doc, &ids, &e);
        json_decref(doc);
        if (!ok) {
            print_err(&e);
            return 1;
        }
        char *out = json_dumps(ids, JSON_COMPACT);
        printf("%s\n", out);
        free(out);
        json_decref(ids);
        return 0;
    }
    struct seed_options o = {.users = seed_number(users, 1, 50000000),
                             .follows_per_user = follows ? (int)seed_number(follows, 0, 1000) : 10,
                             .seed = seed ? (uint64_t)seed_number(seed, 0, 0x7fffffffffffffffLL) : 1,
                             .progress = isatty(STDERR_FILENO) ? seed_progress : NULL};
    if (o.users < 0 || o.follows_per_user < 0 || (seed && seed_number(seed, 0, 0x7fffffffffffffffLL) < 0))
        return fail("%s", "usage: hearth seed --users N [--follows-per-user K] [--seed S] | seed --file PATH");
    struct seed_stats stats;
    if (!store_seed(st, &o, &stats, &e)) {
        print_err(&e);
        return 1;
    }
    printf("{\"users\":%lld,\"tags\":%lld,\"user_tags\":%lld,\"categories\":%lld,\"category_follows\":%lld,"
           "\"follows\":%lld,\"seconds_rows\":%.1f,\"seconds_indexes\":%.1f,\"seconds_total\":%.1f}\n",
           (long long)stats.users, (long long)stats.tags, (long long)stats.user_tags, (long long)stats.categories,
           (long long)stats.category_follows, (long long)stats.follows, stats.seconds_users, stats.seconds_index,
           stats.seconds_total);
    return 0;
}

/* On the very first start: the admin user (id 1) and a default client.
 * Several servers starting at once on an empty database take turns
 * (store_bootstrap_lock): the first creates them, the others find users. */
static bool bootstrap_locked(struct store *st)
{
    struct err e = {0};
    int64_t users = store_user_count(st, &e);
    if (users != 0) {
        if (users < 0)
            print_err(&e);
        return users > 0;
    }
    char password[2 * ADMIN_PASSWORD_BYTES + 8];
    token_random_hex(password, ADMIN_PASSWORD_BYTES);
    strcat(password, "Aa1!"); /* four classes, whatever the hex gave */
    struct user_signup in = {.username = "admin", .password = password, .role = "admin"};
    struct arena *a = arena_new();
    int64_t id;
    char client_id[44], secret[65];
    bool ok = user_signup(st, a, &in, &id, &e) && oauth_client_create(st, "default", false, client_id, secret, &e);
    arena_free(a);
    if (!ok) {
        /* SQLite has no lock to take: another server on the same file may
         * have made the admin first */
        struct err again = {0};
        if (store_user_count(st, &again) > 0)
            return true;
        print_err(&e);
        return false;
    }
    printf("hearth: first start: created admin user 'admin' (id %lld) with password %s\n"
           "hearth: OAuth client_id %s (public). These are shown once.\n",
           (long long)id, password, client_id);
    fflush(stdout);
    return true;
}

static bool bootstrap(struct store *st)
{
    struct err e = {0};
    if (!store_bootstrap_lock(st, &e)) {
        print_err(&e);
        return false;
    }
    bool ok = bootstrap_locked(st);
    store_bootstrap_unlock(st);
    return ok;
}

static int cmd_serve(struct cli *c, struct store *st)
{
    if (!check_unused(c))
        return 2;
    if (!bootstrap(st))
        return 1;
    struct err e = {0};
    if (!store_token_purge_expired(st, clock_now(), &e))
        return 1;
    /* hard deletes a crash interrupted, then files it left behind (no
     * upload is in flight yet); a failure here (a full disk) must not keep
     * the server from serving reads: it is logged, and retried next time */
    int finished = 0;
    struct err housekeeping = {0};
    if (!account_purge_resume(st, c->cfg.media_dir, &finished, &housekeeping))
        log_error("cannot finish the interrupted hard deletes now: %s",
                  housekeeping.count ? housekeeping.entries[0].message : "?");
    if (finished)
        log_info("finished %d interrupted hard delete%s", finished, finished == 1 ? "" : "s");
    struct media_sweep_stats m;
    housekeeping = (struct err){0};
    if (!media_sweep(st, c->cfg.media_dir, true, &m, &housekeeping))
        log_error("cannot sweep the media directory now: %s",
                  housekeeping.count ? housekeeping.entries[0].message : "?");
    else if (m.removed || m.failed)
        log_info("media: removed %ld unreferenced and %ld temporary files left behind%s", m.orphans, m.temporaries,
                 m.failed ? " (some could not be, see above)" : "");
    /* data exports a stopped server was building go back to the queue */
    int64_t requeued = 0, failed = 0;
    housekeeping = (struct err){0};
    if (!data_export_recover(st, &requeued, &failed, &housekeeping))
        log_error("cannot recover the interrupted data exports now: %s",
                  housekeeping.count ? housekeeping.entries[0].message : "?");
    else if (requeued || failed)
        log_info("data export: %lld interrupted builds queued again, %lld failed", (long long)requeued,
                 (long long)failed);
    store_close(st);
    /* the API, then the routes around it (its document, the explorer, metrics) */
    size_t n = api_routes_count + ops_routes_count;
    struct route *routes = malloc(n * sizeof *routes);
    if (!routes)
        return fail("%s", "out of memory");
    memcpy(routes, api_routes, api_routes_count * sizeof *routes);
    memcpy(routes + api_routes_count, ops_routes, ops_routes_count * sizeof *routes);
    /* without --metrics nothing is recorded: requests pay not even the atomic adds */
    if (!router_table_ordered(routes, n) || (c->cfg.metrics && !metrics_init(routes, n))) {
        free(routes);
        return 1;
    }
    /* the mail sender inherits the blocked signals: only http_serve's
     * sigwait takes SIGTERM, and the sender is stopped after it returns */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    static const struct mail_request_handler recover = {SIGNUP_RECOVER_KIND, signup_recover_process};
    if (!mail_outbox_start(&c->cfg, &recover)) {
        free(routes);
        return 1;
    }
    struct err pref_err = {0};
    struct arena *pa = arena_new();
    struct store *pst = pa ? store_open(c->cfg.db_path, &pref_err) : NULL;
    if (pst && !prefs_get_bool(pst, pa, "configurations", "signup_enabled", false))
        printf("hearth: self sign-up is off; to open it: hearth pref set configurations.signup_enabled true\n");
    store_close(pst);
    arena_free(pa);
    data_export_worker_start(&c->cfg, &udp_archive_renderer);
    bool ok = http_serve(&c->cfg, routes, n, &api_hooks);
    /* a build in progress goes back to the queue */
    data_export_worker_stop();
    mail_outbox_stop();
    free(routes); /* the server's threads have stopped */
    return ok ? 0 : 1;
}

/* Prints the route table the OpenAPI document describes, one route a line:
 * METHOD PATTERN FLAGS (auth, admin, public, no-auth, ...). */
static int cmd_routes(struct cli *c)
{
    if (!check_unused(c))
        return 2;
    static const struct {
        unsigned flag;
        const char *name;
    } names[] = {{ROUTE_AUTH, "auth"},          {ROUTE_ADMIN, "admin"},        {ROUTE_SLOW, "slow"},
                 {ROUTE_FOLLOW_MODE, "follow"}, {ROUTE_FRIEND_MODE, "friend"}, {ROUTE_CONTENT, "content"},
                 {ROUTE_UPLOADS, "uploads"},    {ROUTE_NO_AUTH, "no-auth"}};
    for (size_t i = 0; i < api_routes_count; i++) {
        printf("%s %s ", api_routes[i].method, api_routes[i].pattern);
        const char *sep = "";
        if (!(api_routes[i].flags & (ROUTE_AUTH | ROUTE_ADMIN)))
            printf("%spublic", sep), sep = ",";
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (api_routes[i].flags & names[k].flag)
                printf("%s%s", sep, names[k].name), sep = ",";
        putchar('\n');
    }
    return 0;
}

/* Copies the database to PATH with SQLite's online backup (the server may
 * be running): into a temporary name beside PATH, then renamed over it. */
static int cmd_backup(struct cli *c, struct store *st)
{
    bool force = opt(c, "force") != NULL;
    if (!check_unused(c))
        return 2;
    if (c->npos != 1)
        return fail("%s", "usage: hearth backup PATH [--force]");
    struct err e = {0};
    if (!store_backup(st, c->pos[0], force, &e)) {
        print_err(&e);
        return 1;
    }
    printf("hearth: backed up %s to %s\n", c->cfg.db_path, c->pos[0]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    static struct cli c;
    c.command = argv[1];
    int from = 2;
    if ((!strcmp(c.command, "user") || !strcmp(c.command, "client") || !strcmp(c.command, "pref")) && argc > 2 &&
        strncmp(argv[2], "--", 2)) {
        c.sub = argv[2];
        from = 3;
    }
    if (!parse_args(&c, argc, argv, from))
        return 2;
    char msg[512];
    if (!config_load(&c.cfg, c.opts, c.nopts, c.used, msg, sizeof msg))
        return fail("%s", msg);
    if (sodium_init() < 0)
        return fail("%s", "cannot initialise libsodium");
    if (c.cfg.password_cost[0]) { /* else password.c's default */
        enum password_cost cost;
        if (!password_cost_from_name(c.cfg.password_cost, &cost, msg, sizeof msg))
            return fail("%s", msg);
        password_set_cost(cost);
    }
    clock_set_offset_file(c.cfg.clock_file);
    store_set_sync_full(c.cfg.sync_full);
    json_object_seed(0);

    int (*run)(struct cli *, struct store *) = NULL;
    if (!strcmp(c.command, "serve"))
        run = cmd_serve;
    else if (!strcmp(c.command, "migrate"))
        run = NULL;
    else if (!strcmp(c.command, "user") && c.sub && !strcmp(c.sub, "create"))
        run = cmd_user_create;
    else if (!strcmp(c.command, "client") && c.sub && !strcmp(c.sub, "create"))
        run = cmd_client_create;
    else if (!strcmp(c.command, "token"))
        run = cmd_token;
    else if (!strcmp(c.command, "pref"))
        run = cmd_pref;
    else if (!strcmp(c.command, "check"))
        run = cmd_check;
    else if (!strcmp(c.command, "seed"))
        run = cmd_seed;
    else if (!strcmp(c.command, "sql"))
        run = cmd_sql;
    else if (!strcmp(c.command, "backup"))
        run = cmd_backup;
    else if (!strcmp(c.command, "routes"))
        return cmd_routes(&c);
    else {
        fputs(usage, stderr);
        return fail("unknown command '%s'", c.command);
    }
    if (strcmp(c.command, "serve"))
        log_set_quiet(1);
    if (!run && !check_unused(&c))
        return 2;
    if (run == cmd_backup && store_is_postgres(c.cfg.db_path))
        return fail("%s", "backup copies SQLite databases; for PostgreSQL use pg_dump (pg_dump -Fc -f FILE URL) "
                          "and pg_restore");
    struct store *st = open_store(&c);
    if (!st)
        return 1;
    if (!run) {
        store_close(st);
        char where[1024];
        store_address_redacted(c.cfg.db_path, where, sizeof where);
        printf("hearth: database %s is up to date\n", where);
        return 0;
    }
    int rc = run(&c, st);
    if (run != cmd_serve)
        store_close(st);
    return rc;
}
