/* account_store.h - the storage of self sign-up and recovery: single-use
 * account codes, the sign-ups that may not log in yet, the admin's account
 * lookup, and the mail outbox. Conventions as store.h (Tx, Alloc, Returns).
 */
#ifndef HEARTH_STORE_ACCOUNT_STORE_H
#define HEARTH_STORE_ACCOUNT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/user.h"
#include "store/store.h"

struct store;

/* ---- account codes ---- */

/* What a code is for (account_codes.purpose). */
#define STORE_CODE_VERIFY "verify"
#define STORE_CODE_RESET "reset"

struct account_code {
    int64_t id;
    int64_t user_id;
    const char *purpose;
    int64_t expires_us;
};

/* Stores a code's hash (the code itself is never stored), after deleting
 * the user's earlier codes of the same purpose (only the newest works).
 * Tx: in (with the mail that carries the code). Alloc: none. Returns: bool. */
bool store_code_put(struct store *st, int64_t user_id, const char *purpose, const char *code_hash, int64_t created_us,
                    int64_t expires_us, struct err *e);
/* The code whose hash is code_hash, expired or not.
 * Tx: any; in the transaction that uses it. Alloc: out's strings in a.
 * Returns: lookup. */
int store_code_get(struct store *st, struct arena *a, const char *code_hash, struct account_code *out, struct err *e);
/* Tx: any. Alloc: none. Returns: bool. */
bool store_code_delete(struct store *st, int64_t id, struct err *e);
/* Deletes every code of the user (of any purpose). Tx: any. Alloc: none.
 * Returns: bool. */
bool store_code_delete_user(struct store *st, int64_t user_id, struct err *e);

/* ---- sign-ups awaiting verification or approval ---- */

#define STORE_SIGNUP_UNVERIFIED "unverified"
#define STORE_SIGNUP_AWAITING_APPROVAL "awaiting_approval"

/* Inserts or replaces the user's sign-up state. Tx: in. Alloc: none.
 * Returns: bool. */
bool store_signup_put(struct store *st, int64_t user_id, const char *state, int64_t now_us, struct err *e);
/* The user's sign-up state (*state a static string: one of the two above).
 * Tx: any. Alloc: none. Returns: lookup (0: no pending sign-up). */
int store_signup_get(struct store *st, int64_t user_id, const char **state, struct err *e);
/* Tx: any. Alloc: none. Returns: bool. */
bool store_signup_delete(struct store *st, int64_t user_id, struct err *e);

/* Sets the user's status to a or b (approval). Tx: in. Alloc: none.
 * Returns: bool. */
bool store_signup_set_status(struct store *st, int64_t user_id, enum user_status status, struct err *e);

/* The one user (not hard deleted) with that username, email (both case-
 * insensitive) or ext_id. Tx: any. Alloc: out's strings in a. Returns:
 * lookup. */
int store_account_find_username(struct store *st, struct arena *a, const char *username, struct user *out,
                                struct err *e);
int store_account_find_email(struct store *st, struct arena *a, const char *email, struct user *out, struct err *e);
int store_account_find_ext_id(struct store *st, struct arena *a, int64_t ext_id, struct user *out, struct err *e);

/* The oldest public OAuth client (no secret): the one a verified sign-up
 * gets its first token for when the request names none.
 * Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_client_first_public(struct store *st, struct arena *a, struct oauth_client *out, struct err *e);

/* ---- the mail outbox ---- */

/* Queues a message: `kind` names its template, `params` (JSON object text)
 * the values it shows. Due at once.
 * Tx: any; in the transaction that makes what the message carries.
 * Alloc: none. Returns: bool. */
bool store_mail_enqueue(struct store *st, const char *kind, const char *recipient, const char *params, int64_t now_us,
                        struct err *e);

struct mail_row {
    int64_t id;
    const char *kind, *recipient, *params;
    int attempts; /* including the one this claim makes */
};

/* Whether a message is due and unclaimed: a read, so that an idle sender
 * polls without taking the write lock. Tx: any. Alloc: none. Returns:
 * lookup. */
int store_mail_due(struct store *st, int64_t now_us, struct err *e);

/* Claims the oldest due message no live claim holds: its claim then lasts
 * until now_us + lease_us and its attempts count this one. One statement
 * (UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING; on PostgreSQL the
 * SELECT takes FOR UPDATE SKIP LOCKED), so two senders never claim one
 * row. Tx: any (alone: its own). Alloc: out's strings in a. Returns:
 * lookup (0: nothing due). */
int store_mail_claim(struct store *st, struct arena *a, int64_t now_us, int64_t lease_us, struct mail_row *out,
                     struct err *e);
/* Marks a claimed message sent and erases its params (which may hold a
 * code). Tx: any. Alloc: none. Returns: bool. */
bool store_mail_sent(struct store *st, int64_t id, int64_t now_us, struct err *e);
/* Releases a claim after a failed attempt: due again at next_attempt_us,
 * or failed for good (params erased) when give_up. Tx: any. Alloc: none.
 * Returns: bool. */
bool store_mail_retry(struct store *st, int64_t id, int64_t next_attempt_us, bool give_up, const char *error,
                      struct err *e);
/* Deletes the sent and failed messages created before before_us (pending
 * ones stay whatever their age); *removed says how many. Tx: any. Alloc:
 * none. Returns: bool. */
bool store_mail_prune(struct store *st, int64_t before_us, int64_t *removed, struct err *e);

#endif
