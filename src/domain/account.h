/* account.h - the account lifecycle of contract §4, §5, §7 and §9: profile
 * updates (with avatar and cover uploads), soft and hard delete, email
 * change and confirmation, password change.
 *
 * Every function takes the store of the calling thread, the request arena
 * and the caller; it checks who may act (404 for a missing or hard-deleted
 * user before any ownership check, then 403), validates its input into field
 * errors (all of them, not just the first), and writes in one transaction:
 * on failure nothing is changed. Files are written before the transaction
 * and removed if it fails; files a change makes obsolete are removed after
 * the commit.
 */
#ifndef HEARTH_DOMAIN_ACCOUNT_H
#define HEARTH_DOMAIN_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"

struct store;

enum {
    ACCOUNT_REAL_NAME_MAX = 255,             /* characters (contract §7) */
    ACCOUNT_BIO_MAX = 5000,                  /* characters (contract §7) */
    ACCOUNT_LOCATION_MAX = 100,              /* characters (contract §7, schemas/user.md) */
    ACCOUNT_DESCRIPTION_MAX = 50,            /* characters (contract §7, schemas/user.md) */
    ACCOUNT_WEBSITE_MAX = 200,               /* characters (contract §7, schemas/user.md) */
    ACCOUNT_LATLNG_MAX = 64,                 /* bytes of a "lat,lng" string: two numbers with plenty of digits */
    ACCOUNT_BIRTH_YEAR_MIN = 1900,           /* contract §9: 1900-01-01 to today */
    ACCOUNT_EMAIL_CODE_BYTES = 16,           /* validation codes: 128 random bits, 32 hex characters */
    ACCOUNT_EMAIL_CODE_MAX = 128,            /* bytes of a submitted code; longer ones cannot match */
    ACCOUNT_EMAIL_CODE_TTL_S = 24 * 60 * 60, /* contract §7: codes expire after 24 hours */
    ACCOUNT_EMAIL_CODE_ATTEMPTS = 5,         /* contract §7: a pending change dies after 5 wrong codes */
    ACCOUNT_PURGE_BATCH = 250,               /* edges per hard-delete transaction: a few ms of write lock */
    ACCOUNT_PURGE_PAUSE_MS = 5, /* between batches: waiting writers (retrying every millisecond) go first */
};

/* Loads user `id` for a change only its owner may make: 404 if it does not
 * exist or is hard deleted, 403 unless `who` is that user (admins too). */
bool account_require_owner(struct store *st, struct arena *a, const struct principal *who, int64_t id, struct user *out,
                           struct err *e);

/* An uploaded file as the HTTP layer received it. */
struct account_upload {
    const char *field;
    const unsigned char *data;
    size_t len;
};

/* PUT/PATCH /user/{id}/ (both partial, contract §7): the writable fields of
 * `fields` (real_name, bio, location, location_lat_lng, position_lat_lng,
 * date_of_birth, description, gender, website, avatar, cover) are checked
 * and written; read-only and unknown keys are ignored. avatar/cover come as
 * uploads (PNG, JPEG, GIF or WebP by content, ≤ 5 MiB, stored under
 * the media directory) or as null/"" to clear them; the files they replace are
 * removed. Own profile only (admins included); a blocked user gets 403. */
bool account_update_profile(struct store *st, struct arena *a, const char *media_dir, const struct principal *who,
                            int64_t id, json_t *fields, const struct account_upload *uploads, size_t nuploads,
                            struct err *e);

/* DELETE /user/{id}/[?hard=1]: own account or an admin (403 otherwise).
 * The specification's four state rules: soft on d → 400 already_deleted,
 * soft or hard on u → 404, hard on d → hard delete. Soft: status d, tokens
 * revoked, edges kept, related users' counters recomputed. Hard: every row
 * of the user removed except the tombstone (see store_account_hard_delete),
 * related users' counters recomputed, files removed after the commit.
 * A hard delete runs in batches of ACCOUNT_PURGE_BATCH edges, each its own
 * transaction with every counter right when it commits, pausing between
 * them so that other writers wait for one batch at most; the user stays
 * visible, losing edges, until the last one, which makes the tombstone. A
 * hard delete that stopped half-way (crash, full disk) is finished by the
 * next one, by account_purge_resume() or by repeating the request. */
bool account_delete(struct store *st, struct arena *a, const char *media_dir, const struct principal *who, int64_t id,
                    bool hard, struct err *e);

/* PATCH /user/{id}/change_email/ {new_email, confirm?}: own account only.
 * new_email must be a valid address no other user holds (case-
 * insensitively). confirm false or absent: the email is changed at once,
 * unverified, and any pending change is dropped; *code is NULL. confirm
 * true: a pending change replaces any earlier one and *code (arena) is its
 * validation code, also mailed to new_email: that mail is rate limited per
 * client_address and per new_email as sign-up's and recovery's are (429). */
bool account_change_email(struct store *st, struct arena *a, const struct principal *who, int64_t id, json_t *fields,
                          const char *client_address, const char **code, struct err *e);

/* POST /user/{id}/confirm_email/ {new_email, validation_code}: public.
 * 404 for an unknown or hard-deleted user. The pending change must exist,
 * be unexpired and match both values; a mismatch counts as a wrong attempt
 * and the fifth kills the change; a code is used once. On success the email
 * is set and verified. Uniqueness is checked again. */
bool account_confirm_email(struct store *st, struct arena *a, int64_t id, json_t *fields, struct err *e);

/* PATCH /user/{id}/change_password/ {password, new_password}: own account
 * only. Failed checks of the current password are rate limited per account
 * and per client address (429 "throttled", e->retry_after). The new password
 * must meet the policy of contract §4. On success the hash is replaced, JWTs
 * issued before now stop working, and every OAuth token of the user but
 * who->token_id is revoked. Hashes: slow, call from the password pool. */
bool account_change_password(struct store *st, struct arena *a, const struct principal *who, int64_t id, json_t *fields,
                             const char *client_address, struct err *e);

/* Validators of the profile fields (contract §7, §9), exposed for tests.
 * account_parse_latlng: "lat,lng", optional spaces after the comma, in
 * range. account_valid_website: an http(s) URL with a plausible host.
 * account_valid_birth_date: a real date from 1900-01-01 to today (UTC). */
bool account_parse_latlng(const char *s, double *lat, double *lng);
bool account_valid_website(const char *s);
bool account_valid_birth_date(const char *s);

/* Finishes every hard delete that began and did not finish (a crash or a
 * storage fault between batches); *finished counts them. Run at start
 * (before serving) and by `hearth check --fix`. */
bool account_purge_resume(struct store *st, const char *media_dir, int *finished, struct err *e);

#endif
