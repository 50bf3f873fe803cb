/* outbox.h - the mail sender: a background thread that takes due messages
 * from the outbox table (store/account_store.h), renders their templates
 * and delivers them, by SMTP through libcurl when an SMTP URL is
 * configured, else as .eml files under DATA_DIR/mail/ (their path logged).
 *
 * A failed delivery is retried with exponential backoff, MAIL_RETRY_BASE_S
 * doubling up to MAIL_RETRY_MAX_S, MAIL_MAX_ATTEMPTS times; then the row is
 * marked failed (logged). Each message is claimed by one sender before it is
 * sent (see store_mail_claim), so several servers on one database send each
 * once; a sender that dies between sending and recording it leaves a claim
 * that expires after MAIL_CLAIM_LEASE_S, and the message is sent again (at
 * least once, never lost).
 */
#ifndef HEARTH_MAIL_OUTBOX_H
#define HEARTH_MAIL_OUTBOX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"

enum {
    MAIL_POLL_MS = 200,           /* how often an idle sender looks for due mail */
    MAIL_RETRY_BASE_S = 2,        /* the first retry's delay; doubles with each failure */
    MAIL_RETRY_MAX_S = 30 * 60,   /* the longest delay between two attempts */
    MAIL_MAX_ATTEMPTS = 58,       /* then failed: about 24 h of trying, as long as a code lives */
    MAIL_CLAIM_LEASE_S = 120,     /* a claim outlives any attempt (connect + transfer timeouts) */
    MAIL_CONNECT_TIMEOUT_S = 10,  /* SMTP connection */
    MAIL_TRANSFER_TIMEOUT_S = 60, /* one whole SMTP exchange */
    MAIL_KEEP_DAYS = 7,           /* sent and failed rows, and .eml files, are deleted at this age */
    MAIL_PRUNE_INTERVAL_S = 3600, /* how often the sender deletes them */
};

/* Bounds: the per-address and per-email rate limits bound how fast rows
 * come; a pending row is sent or failed within MAIL_MAX_ATTEMPTS (a day,
 * even with SMTP down); the sender then deletes sent and failed rows, and
 * the .eml files of DATA_DIR/mail/, once they are MAIL_KEEP_DAYS old, so
 * neither the table nor the directory grows without end. */

/* The delay before attempt `attempts` + 1, after `attempts` failures. */
int64_t mail_retry_delay_s(int attempts);

struct arena;
struct err;
struct store;

/* A row of kind `kind` is a request that the sender carries out instead of
 * a message (a recovery: whether the address has an account is looked up
 * there, not in the HTTP request). fn does it on the sender's connection
 * and marks the row sent in its own transaction; false leaves the row to
 * be retried as a failed delivery is. */
struct mail_request_handler {
    const char *kind;
    bool (*fn)(struct store *st, struct arena *a, int64_t row_id, const char *params, struct err *e);
};

/* Starts the sender thread with its own store connection (cfg->db_path),
 * with `requests` (may be NULL). Call once, from the main thread, before
 * http_serve; SIGINT and SIGTERM must already be blocked (the thread
 * inherits the mask). False (logged) if it cannot start. */
bool mail_outbox_start(const struct config *cfg, const struct mail_request_handler *requests);

/* Stops the sender: an attempt in progress is cut short (and retried by the
 * next start), the thread is joined. No-op if it was not started. */
void mail_outbox_stop(void);

/* Delivers one rendered message (CRLF lines) to `to` from `from` by SMTP
 * (smtp_url: smtp:// or smtps://, credentials in the URL; STARTTLS is
 * required when credentials are given over smtp://, tried otherwise).
 * `stop` (may be NULL) is polled: when it turns true the transfer ends.
 * False with a message in err. */
bool mail_smtp_send(const char *smtp_url, const char *from, const char *to, const char *message, size_t len,
                    const atomic_bool *stop, char *err, size_t err_size);

/* Writes the message as DIR/NAME.eml (through a temporary file and a
 * rename). The path written into path. False with a message in err. */
bool mail_eml_write(const char *dir, const char *name, const char *message, size_t len, char *path, size_t path_size,
                    char *err, size_t err_size);

/* Deletes from dir the .eml files the sender wrote (NNN-KIND.eml) and the
 * temporaries of interrupted writes (.NNN-KIND.eml.tmp) last modified
 * before before_s; nothing else. The count removed, -1 if dir cannot be
 * read (a missing dir is 0). */
int64_t mail_eml_prune(const char *dir, int64_t before_s);

#endif
