/* outbox.c - the mail sender thread, its SMTP transport (libcurl) and its
 * .eml fallback. */
#include "mail/outbox.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/file.h"
#include "core/log.h"
#include "mail/message.h"
#include "mail/template.h"
#include "store/account_store.h"
#include "store/store.h"

enum { MAIL_ERROR_MAX = 256 };

int64_t mail_retry_delay_s(int attempts)
{
    int64_t d = MAIL_RETRY_BASE_S;
    for (int i = 1; i < attempts && d < MAIL_RETRY_MAX_S; i++)
        d *= 2;
    return d < MAIL_RETRY_MAX_S ? d : MAIL_RETRY_MAX_S;
}

/* ================================================================ */
/* SMTP                                                             */

struct upload {
    const char *data;
    size_t len, off;
};

static size_t read_message(char *dst, size_t size, size_t nitems, void *userp)
{
    struct upload *u = userp;
    size_t room = size * nitems, left = u->len - u->off;
    size_t n = left < room ? left : room;
    memcpy(dst, u->data + u->off, n);
    u->off += n;
    return n;
}

static int check_stop(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    const atomic_bool *stop = p;
    return stop && atomic_load(stop); /* non-zero aborts the transfer */
}

bool mail_smtp_send(const char *smtp_url, const char *from, const char *to, const char *message, size_t len,
                    const atomic_bool *stop, char *err, size_t err_size)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, err_size, "cannot start libcurl");
        return false;
    }
    char mail_from[MAIL_ADDRESS_MAX + 3], rcpt[MAIL_ADDRESS_MAX + 3];
    snprintf(mail_from, sizeof mail_from, "<%s>", from);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    struct upload u = {.data = message, .len = len};
    char curl_err[CURL_ERROR_SIZE] = "";
    /* a password never crosses the network in clear: with credentials,
     * smtp:// must upgrade with STARTTLS; without, it upgrades when it can */
    CURLU *url = curl_url();
    char *user = NULL;
    bool has_user = url && curl_url_set(url, CURLUPART_URL, smtp_url, 0) == CURLUE_OK &&
                    curl_url_get(url, CURLUPART_USER, &user, 0) == CURLUE_OK && user && *user;
    curl_free(user);
    curl_url_cleanup(url);
    curl_easy_setopt(c, CURLOPT_URL, smtp_url);
    curl_easy_setopt(c, CURLOPT_USE_SSL, has_user ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)MAIL_CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)MAIL_TRANSFER_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_stop);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        snprintf(err, err_size, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
        return false;
    }
    return true;
}

/* ================================================================ */
/* .eml files                                                       */

bool mail_eml_write(const char *dir, const char *name, const char *message, size_t len, char *path, size_t path_size,
                    char *err, size_t err_size)
{
    char tmp[PATH_MAX + 128];
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "cannot create %s: %s", dir, strerror(errno));
        return false;
    }
    if ((size_t)snprintf(path, path_size, "%s/%s.eml", dir, name) >= path_size ||
        (size_t)snprintf(tmp, sizeof tmp, "%s/.%s.eml.tmp", dir, name) >= sizeof tmp) {
        snprintf(err, err_size, "path too long");
        return false;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
        return false;
    }
    bool ok = file_write_all(fd, message, len) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}

/* Whether name is one mail_eml_write makes: digits, '-', a kind of
 * [a-z_], ".eml", or that with a leading '.' and a ".tmp" suffix. */
static bool eml_name(const char *name)
{
    bool tmp = name[0] == '.';
    const char *p = name + tmp;
    size_t digits = strspn(p, "0123456789");
    if (!digits || p[digits] != '-')
        return false;
    p += digits + 1;
    size_t kind = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
    if (!kind)
        return false;
    return !strcmp(p + kind, tmp ? ".eml.tmp" : ".eml");
}

int64_t mail_eml_prune(const char *dir, int64_t before_s)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int64_t removed = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat sb;
        if (!eml_name(de->d_name) || fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(sb.st_mode) || (int64_t)sb.st_mtime >= before_s)
            continue;
        if (unlinkat(dirfd(d), de->d_name, 0) == 0)
            removed++;
        else if (errno != ENOENT)
            log_error("mail: cannot remove %s/%s: %s", dir, de->d_name, strerror(errno));
    }
    closedir(d);
    return removed;
}

/* ================================================================ */
/* the sender thread                                                */

static struct {
    const struct config *cfg;
    const struct mail_request_handler *requests;
    pthread_t thread;
    bool started;
    atomic_bool stop; /* read by libcurl's progress callback too */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    char from_display[MAIL_HEADER_VALUE_MAX + 1], from_address[MAIL_ADDRESS_MAX + 1];
    char base_url[CONFIG_URL_MAX + 64];
} sender = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Renders row m into a whole message (out). False with err. */
static bool render(const struct mail_row *m, struct buf *out, char *err, size_t err_size)
{
    json_t *values = json_loads(m->params, 0, NULL);
    if (!json_is_object(values)) {
        json_decref(values);
        snprintf(err, err_size, "unreadable params");
        return false;
    }
    const char *path = json_string_value(json_object_get(values, "link_path"));
    if (path) {
        char link[CONFIG_URL_MAX + 1024];
        snprintf(link, sizeof link, "%s%s", sender.base_url, path);
        json_object_set_new(values, "link", json_string(link));
    }
    json_object_set_new(values, "base_url", json_string(sender.base_url));
    struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
    bool ok = mail_render(m->kind, values, &subject, &text, &html);
    if (!ok)
        snprintf(err, err_size, "no template for %s", m->kind);
    struct mail_message msg = {.from_display = sender.from_display,
                               .from_address = sender.from_address,
                               .to_address = m->recipient,
                               .subject = buf_str(&subject),
                               .text = buf_str(&text),
                               .html = buf_str(&html),
                               .date_s = clock_now()};
    if (ok && !(ok = mail_compose(out, &msg)))
        snprintf(err, err_size, "invalid recipient address");
    buf_free(&subject);
    buf_free(&text);
    buf_free(&html);
    json_decref(values);
    return ok;
}

/* Delivers row m. *permanent says a retry cannot help. */
static bool deliver(const struct mail_row *m, bool *permanent, char *err, size_t err_size)
{
    struct buf msg = BUF_INIT;
    *permanent = false;
    if (!render(m, &msg, err, err_size)) {
        buf_free(&msg);
        *permanent = true;
        return false;
    }
    bool ok;
    if (sender.cfg->smtp_url[0]) {
        ok = mail_smtp_send(sender.cfg->smtp_url, sender.from_address, m->recipient, buf_str(&msg), msg.len,
                            &sender.stop, err, err_size);
        if (ok)
            log_info("mail %lld (%s) sent to %s", (long long)m->id, m->kind, m->recipient);
    } else {
        char dir[PATH_MAX + 8], path[PATH_MAX + 128], name[96];
        snprintf(dir, sizeof dir, "%s/mail", sender.cfg->data_dir);
        snprintf(name, sizeof name, "%06lld-%s", (long long)m->id, m->kind);
        ok = mail_eml_write(dir, name, buf_str(&msg), msg.len, path, sizeof path, err, err_size);
        if (ok)
            log_info("mail %lld (%s) to %s written to %s (no --smtp-url)", (long long)m->id, m->kind, m->recipient,
                     path);
    }
    buf_free(&msg);
    return ok;
}

/* Sends every due message; returns when none is due (or on stop). */
static void send_due(struct store *st)
{
    while (!atomic_load(&sender.stop)) {
        struct arena *a = arena_new();
        if (!a)
            return;
        struct err e = {0};
        struct mail_row m;
        int found = store_mail_due(st, clock_now_us(), &e);
        if (found > 0)
            found = store_mail_claim(st, a, clock_now_us(), (int64_t)MAIL_CLAIM_LEASE_S * 1000000, &m, &e);
        if (found <= 0) {
            arena_free(a);
            return;
        }
        char err[MAIL_ERROR_MAX] = "";
        bool permanent = false, ok;
        if (sender.requests && !strcmp(m.kind, sender.requests->kind)) {
            /* the handler marks the row sent itself, with what it writes */
            struct err re = {0};
            ok = sender.requests->fn(st, a, m.id, m.params, &re);
            if (!ok)
                snprintf(err, sizeof err, "%s", re.count && re.entries[0].message ? re.entries[0].message : "?");
        } else {
            ok = deliver(&m, &permanent, err, sizeof err);
            e = (struct err){0};
            if (ok)
                store_mail_sent(st, m.id, clock_now_us(), &e);
        }
        if (!ok) {
            e = (struct err){0};
            bool give_up = permanent || m.attempts >= MAIL_MAX_ATTEMPTS;
            /* a transfer cut short by the stop is not the message's fault */
            int64_t delay = atomic_load(&sender.stop) ? 0 : mail_retry_delay_s(m.attempts);
            if (give_up)
                log_error("mail %lld (%s) to %s failed for good after %d attempt%s: %s", (long long)m.id, m.kind,
                          m.recipient, m.attempts, m.attempts == 1 ? "" : "s", err);
            else
                log_error("mail %lld (%s) to %s: attempt %d failed (%s); next in %lld s", (long long)m.id, m.kind,
                          m.recipient, m.attempts, err, (long long)delay);
            store_mail_retry(st, m.id, clock_now_us() + delay * 1000000, give_up, err, &e);
        }
        arena_free(a);
    }
}

/* Deletes what is MAIL_KEEP_DAYS old: sent and failed rows, .eml files. */
static void prune(struct store *st)
{
    int64_t before_s = clock_now() - (int64_t)MAIL_KEEP_DAYS * 24 * 3600, rows = 0, files = 0;
    struct err e = {0};
    if (!store_mail_prune(st, before_s * 1000000, &rows, &e))
        log_error("mail: cannot delete old outbox rows: %s", e.count ? e.entries[0].message : "?");
    if (!sender.cfg->smtp_url[0]) {
        char dir[PATH_MAX + 8];
        snprintf(dir, sizeof dir, "%s/mail", sender.cfg->data_dir);
        if ((files = mail_eml_prune(dir, before_s)) < 0)
            log_error("mail: cannot read %s: %s", dir, strerror(errno));
    }
    if (rows > 0 || files > 0)
        log_info("mail: deleted %lld outbox rows and %lld .eml files older than %d days", (long long)rows,
                 (long long)(files > 0 ? files : 0), (int)MAIL_KEEP_DAYS);
}

static void *sender_main(void *arg)
{
    (void)arg;
    struct err e = {0};
    struct store *st = store_open(sender.cfg->db_path, &e);
    if (!st) {
        log_error("mail: cannot open the database: %s", e.count ? e.entries[0].message : "?");
        return NULL;
    }
    int64_t next_prune_us = 0; /* at start, then every MAIL_PRUNE_INTERVAL_S */
    pthread_mutex_lock(&sender.lock);
    while (!atomic_load(&sender.stop)) {
        pthread_mutex_unlock(&sender.lock);
        send_due(st);
        if (clock_now_us() >= next_prune_us) {
            prune(st);
            next_prune_us = clock_now_us() + (int64_t)MAIL_PRUNE_INTERVAL_S * 1000000;
        }
        pthread_mutex_lock(&sender.lock);
        if (atomic_load(&sender.stop))
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)MAIL_POLL_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&sender.wake, &sender.lock, &until);
    }
    pthread_mutex_unlock(&sender.lock);
    store_close(st);
    return NULL;
}

bool mail_outbox_start(const struct config *cfg, const struct mail_request_handler *requests)
{
    sender.cfg = cfg;
    sender.requests = requests;
    if (!mail_parse_mailbox(cfg->mail_from, sender.from_display, sizeof sender.from_display, sender.from_address,
                            sizeof sender.from_address)) {
        log_error("mail-from '%s' is not an address (Name <user@host> or user@host)", cfg->mail_from);
        return false;
    }
    if (cfg->base_url[0])
        snprintf(sender.base_url, sizeof sender.base_url, "%s", cfg->base_url);
    else
        snprintf(sender.base_url, sizeof sender.base_url, "http://%s:%d", cfg->listen_host, cfg->listen_port);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        log_error("mail: cannot initialise libcurl");
        return false;
    }
    atomic_store(&sender.stop, false);
    if (pthread_create(&sender.thread, NULL, sender_main, NULL) != 0) {
        log_error("mail: cannot start the sender thread");
        curl_global_cleanup();
        return false;
    }
    sender.started = true;
    if (cfg->smtp_url[0])
        log_info("mail: sending by SMTP from %s", sender.from_address);
    else
        log_info("mail: no --smtp-url: messages are written to %s/mail/ as .eml files", cfg->data_dir);
    return true;
}

void mail_outbox_stop(void)
{
    if (!sender.started)
        return;
    pthread_mutex_lock(&sender.lock);
    atomic_store(&sender.stop, true);
    pthread_cond_broadcast(&sender.wake);
    pthread_mutex_unlock(&sender.lock);
    pthread_join(sender.thread, NULL);
    curl_global_cleanup();
    sender.started = false;
}
