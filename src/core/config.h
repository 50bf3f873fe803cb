/* config.h - the immutable server configuration.
 *
 * Built once at start from command-line flags over HEARTH_* environment
 * variables over defaults, then only read. See README.md for the list.
 */
#ifndef HEARTH_CORE_CONFIG_H
#define HEARTH_CORE_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/cidr.h"

enum {
    CONFIG_MAX_THREADS = 64,
    CONFIG_URL_MAX = 512,
    CONFIG_SECRET_MAX = 256,
    CONFIG_ORIGINS_MAX = 2048,
    CONFIG_NAME_MAX = 32,             /* a value chosen from a few names, such as the password cost */
    CONFIG_PER_IP_LIMIT_DEFAULT = 64, /* open connections per client address */
    CONFIG_PER_IP_LIMIT_MAX = 100000,
    CONFIG_ALLOW_MAX = 1024,      /* a list of addresses and networks */
    CONFIG_DRAIN_DELAY_MAX = 300, /* seconds a stopping server may keep serving with /health 503 */
};

struct config {
    char listen_host[64];
    int listen_port;
    char data_dir[PATH_MAX];
    char db_path[PATH_MAX];
    int threads;                   /* HTTP worker threads */
    int password_workers;          /* argon2id worker threads */
    int password_queue;            /* pending slow requests before 503 */
    char base_url[CONFIG_URL_MAX]; /* public base URL, "" = from Host */
    char jwt_secret[CONFIG_SECRET_MAX];
    char cors_origins[CONFIG_ORIGINS_MAX]; /* comma-separated, "*" for any */
    char password_cost[CONFIG_NAME_MAX];   /* a cost name (auth/password.h), "" = the default */
    char clock_file[PATH_MAX];
    int per_ip_limit;                     /* open connections per client address, 0 = no limit */
    char access_log[PATH_MAX];            /* "off", "stderr" or a file path */
    bool sync_full;                       /* SQLite synchronous=FULL (else NORMAL) */
    bool metrics;                         /* serve GET /metrics */
    char metrics_allow[CONFIG_ALLOW_MAX]; /* addresses or networks allowed to read it */
    char web_dir[PATH_MAX];               /* the API explorer's files */
    char platform_url[CONFIG_URL_MAX];    /* the community's management site for staff, "" = the explorer */
    char smtp_url[CONFIG_URL_MAX];        /* smtp[s]://user:pass@host:port, "" = .eml files */
    char mail_from[CONFIG_URL_MAX];       /* From of the mail sent: "Name <addr>" or addr */
    char media_dir[PATH_MAX];             /* uploaded images, "" = DATA_DIR/media (several servers share one) */
    struct cidr_list trusted_proxies;     /* peers whose X-Forwarded-For is read (none by default) */
    int drain_delay_s;                    /* on SIGTERM: serve this long with /health 503, then drain */
};

/* A named option given on the command line: --name value. */
struct config_option {
    const char *name;
    const char *value;
};

/* Fills `cfg` from defaults, then the environment, then `opts` (the global
 * options among them: listen, db, data-dir, threads, base-url, jwt-secret,
 * cors-origins). Marks each option it consumed in `used`. Returns false with
 * a message in `msg` on a bad value. */
bool config_load(struct config *cfg, const struct config_option *opts, int nopts, bool *used, char *msg,
                 size_t msg_size);

/* Makes sure the data directory exists. Returns false with a message on
 * failure. */
bool config_prepare_data(const struct config *cfg, char *msg, size_t msg_size);

#endif
