/* config.c - configuration: defaults < HEARTH_* environment < flags. */
#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Where the build installs the API explorer (CMake sets it to the build
 * tree; packages pass their own, or --web-dir at run time). */
#ifndef HEARTH_WEB_DIR
#define HEARTH_WEB_DIR "/usr/share/hearth/web"
#endif

static bool copy_value(char *dst, size_t size, const char *v, const char *name, char *msg, size_t msg_size)
{
    if (strlen(v) >= size) {
        snprintf(msg, msg_size, "%s is too long", name);
        return false;
    }
    strcpy(dst, v);
    return true;
}

static bool parse_int(const char *v, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return false;
    *out = (int)n;
    return true;
}

static bool parse_listen(struct config *cfg, const char *v, char *msg, size_t msg_size)
{
    const char *colon = strrchr(v, ':');
    int port;
    if (!colon || colon == v || (size_t)(colon - v) >= sizeof cfg->listen_host ||
        !parse_int(colon + 1, 0, 65535, &port)) {
        snprintf(msg, msg_size, "listen address must be HOST:PORT, got '%s'", v);
        return false;
    }
    memcpy(cfg->listen_host, v, (size_t)(colon - v));
    cfg->listen_host[colon - v] = '\0';
    cfg->listen_port = port;
    return true;
}

/* An absolute http(s) URL: a host right after the scheme, no spaces or
 * control characters. */
static bool config_valid_url(const char *v)
{
    size_t skip = !strncmp(v, "https://", 8) ? 8 : !strncmp(v, "http://", 7) ? 7 : 0;
    if (!skip || !v[skip] || strchr("/?#:@", v[skip]))
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* Applies one setting by its option name (also used for environment vars). */
static bool config_apply(struct config *cfg, const char *name, const char *v, char *msg, size_t msg_size)
{
    if (!strcmp(name, "listen"))
        return parse_listen(cfg, v, msg, msg_size);
    if (!strcmp(name, "db"))
        return copy_value(cfg->db_path, sizeof cfg->db_path, v, "db", msg, msg_size);
    if (!strcmp(name, "data-dir"))
        return copy_value(cfg->data_dir, sizeof cfg->data_dir, v, "data-dir", msg, msg_size);
    if (!strcmp(name, "threads")) {
        if (!parse_int(v, 1, CONFIG_MAX_THREADS, &cfg->threads)) {
            snprintf(msg, msg_size, "threads must be 1..%d, got '%s'", CONFIG_MAX_THREADS, v);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "base-url")) {
        if (*v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
            snprintf(msg, msg_size, "base-url must start with http:// or https://");
            return false;
        }
        if (!copy_value(cfg->base_url, sizeof cfg->base_url, v, "base-url", msg, msg_size))
            return false;
        size_t n = strlen(cfg->base_url);
        while (n && cfg->base_url[n - 1] == '/')
            cfg->base_url[--n] = '\0';
        return true;
    }
    if (!strcmp(name, "jwt-secret")) {
        if (*v && strlen(v) < 16) {
            snprintf(msg, msg_size, "jwt-secret must have at least 16 characters");
            return false;
        }
        return copy_value(cfg->jwt_secret, sizeof cfg->jwt_secret, v, "jwt-secret", msg, msg_size);
    }
    if (!strcmp(name, "cors-origins"))
        return copy_value(cfg->cors_origins, sizeof cfg->cors_origins, v, "cors-origins", msg, msg_size);
    if (!strcmp(name, "password-cost"))
        return copy_value(cfg->password_cost, sizeof cfg->password_cost, v, "password-cost", msg, msg_size);
    if (!strcmp(name, "per-ip-limit")) {
        if (!parse_int(v, 0, CONFIG_PER_IP_LIMIT_MAX, &cfg->per_ip_limit)) {
            snprintf(msg, msg_size, "per-ip-limit must be 0..%d, got '%s'", CONFIG_PER_IP_LIMIT_MAX, v);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "access-log"))
        return copy_value(cfg->access_log, sizeof cfg->access_log, v, "access-log", msg, msg_size);
    if (!strcmp(name, "sync")) {
        if (strcmp(v, "normal") && strcmp(v, "full")) {
            snprintf(msg, msg_size, "sync must be normal or full, got '%s'", v);
            return false;
        }
        cfg->sync_full = !strcmp(v, "full");
        return true;
    }
    if (!strcmp(name, "metrics")) {
        if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
            cfg->metrics = true;
        else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
            cfg->metrics = false;
        else {
            snprintf(msg, msg_size, "metrics must be 1 or 0, got '%s'", v);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "metrics-allow"))
        return copy_value(cfg->metrics_allow, sizeof cfg->metrics_allow, v, "metrics-allow", msg, msg_size);
    if (!strcmp(name, "web-dir"))
        return copy_value(cfg->web_dir, sizeof cfg->web_dir, v, "web-dir", msg, msg_size);
    if (!strcmp(name, "platform-url")) {
        if (*v && !config_valid_url(v)) {
            snprintf(msg, msg_size, "platform-url must be an http:// or https:// URL with a host, got '%.64s'", v);
            return false;
        }
        return copy_value(cfg->platform_url, sizeof cfg->platform_url, v, "platform-url", msg, msg_size);
    }
    if (!strcmp(name, "smtp-url")) {
        if (*v && strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8)) {
            snprintf(msg, msg_size, "smtp-url must start with smtp:// or smtps://");
            return false;
        }
        return copy_value(cfg->smtp_url, sizeof cfg->smtp_url, v, "smtp-url", msg, msg_size);
    }
    if (!strcmp(name, "mail-from"))
        return copy_value(cfg->mail_from, sizeof cfg->mail_from, v, "mail-from", msg, msg_size);
    if (!strcmp(name, "clock-file"))
        return copy_value(cfg->clock_file, sizeof cfg->clock_file, v, "clock-file", msg, msg_size);
    if (!strcmp(name, "media-dir"))
        return copy_value(cfg->media_dir, sizeof cfg->media_dir, v, "media-dir", msg, msg_size);
    if (!strcmp(name, "trusted-proxies")) {
        char why[160];
        if (!cidr_list_parse(v, &cfg->trusted_proxies, why, sizeof why)) {
            snprintf(msg, msg_size, "trusted-proxies: %s", why);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "drain-delay")) {
        if (!parse_int(v, 0, CONFIG_DRAIN_DELAY_MAX, &cfg->drain_delay_s)) {
            snprintf(msg, msg_size, "drain-delay must be 0..%d seconds, got '%s'", CONFIG_DRAIN_DELAY_MAX, v);
            return false;
        }
        return true;
    }
    snprintf(msg, msg_size, "unknown option --%s", name);
    return false;
}

static const struct {
    const char *env, *name;
} config_env[] = {
    {"HEARTH_LISTEN", "listen"},
    {"HEARTH_DB", "db"},
    {"HEARTH_DATA_DIR", "data-dir"},
    {"HEARTH_THREADS", "threads"},
    {"HEARTH_BASE_URL", "base-url"},
    {"HEARTH_JWT_SECRET", "jwt-secret"},
    {"HEARTH_CORS_ORIGINS", "cors-origins"},
    {"HEARTH_PASSWORD_COST", "password-cost"},
    {"HEARTH_CLOCK_FILE", "clock-file"},
    {"HEARTH_PER_IP_LIMIT", "per-ip-limit"},
    {"HEARTH_ACCESS_LOG", "access-log"},
    {"HEARTH_SYNC", "sync"},
    {"HEARTH_METRICS", "metrics"},
    {"HEARTH_METRICS_ALLOW", "metrics-allow"},
    {"HEARTH_WEB_DIR", "web-dir"},
    {"HEARTH_PLATFORM_URL", "platform-url"},
    {"HEARTH_SMTP_URL", "smtp-url"},
    {"HEARTH_MAIL_FROM", "mail-from"},
    {"HEARTH_MEDIA_DIR", "media-dir"},
    {"HEARTH_TRUSTED_PROXIES", "trusted-proxies"},
    {"HEARTH_DRAIN_DELAY", "drain-delay"},
};

bool config_load(struct config *cfg, const struct config_option *opts, int nopts, bool *used, char *msg,
                 size_t msg_size)
{
    memset(cfg, 0, sizeof *cfg);
    strcpy(cfg->listen_host, "127.0.0.1");
    cfg->listen_port = 8000;
    strcpy(cfg->data_dir, "./var");
    cfg->threads = 4;
    cfg->password_workers = 2;
    cfg->password_queue = 64;
    cfg->per_ip_limit = CONFIG_PER_IP_LIMIT_DEFAULT;
    strcpy(cfg->access_log, "stderr");
    strcpy(cfg->metrics_allow, "127.0.0.1, ::1");
    snprintf(cfg->web_dir, sizeof cfg->web_dir, "%s", HEARTH_WEB_DIR);
    strcpy(cfg->mail_from, "hearth <hearth@localhost>");

    for (size_t i = 0; i < sizeof config_env / sizeof config_env[0]; i++) {
        const char *v = getenv(config_env[i].env);
        if (v && *v && !config_apply(cfg, config_env[i].name, v, msg, msg_size))
            return false;
    }
    for (int i = 0; i < nopts; i++) {
        bool known = false;
        for (size_t k = 0; k < sizeof config_env / sizeof config_env[0]; k++)
            known |= !strcmp(opts[i].name, config_env[k].name);
        if (!known)
            continue;
        if (!config_apply(cfg, opts[i].name, opts[i].value, msg, msg_size))
            return false;
        used[i] = true;
    }
    if (!cfg->db_path[0] &&
        (size_t)snprintf(cfg->db_path, sizeof cfg->db_path, "%s/hearth.db", cfg->data_dir) >= sizeof cfg->db_path) {
        snprintf(msg, msg_size, "data-dir is too long");
        return false;
    }
    if (!cfg->media_dir[0] &&
        (size_t)snprintf(cfg->media_dir, sizeof cfg->media_dir, "%s/media", cfg->data_dir) >= sizeof cfg->media_dir) {
        snprintf(msg, msg_size, "data-dir is too long");
        return false;
    }
    return true;
}

bool config_prepare_data(const struct config *cfg, char *msg, size_t msg_size)
{
    if (mkdir(cfg->data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(msg, msg_size, "cannot create data directory %s: %s", cfg->data_dir, strerror(errno));
        return false;
    }
    return true;
}
