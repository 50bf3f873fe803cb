/* account.c - the account lifecycle rules (see account.h): profile updates
 * and their validation, soft and hard delete, email change and
 * confirmation, password change.
 *
 * Sections: access; field readers; validators; profile; delete; email;
 * password.
 */
#include "domain/account.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/password.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/clock.h"
#include "core/text.h"
#include "domain/avatar.h"
#include "domain/field.h"
#include "domain/media.h"
#include "domain/signup.h"
#include "store/account_store.h"
#include "store/store.h"

/* ================================================================ */
/* access                                                           */

bool account_require_owner(struct store *st, struct arena *a, const struct principal *who, int64_t id, struct user *out,
                           struct err *e)
{
    if (!user_get_visible(st, a, id, out, e))
        return false;
    if (who->user_id != id)
        return err_forbidden(e, "You can only change your own account.");
    return true;
}

/* ================================================================ */
/* field readers                                                    */

/* A profile text field as DRF's CharField reads it: numbers written out,
 * trimmed; JSON null reads as "" (clears the field). */
static const struct field_text_rule profile_text = {.null = FIELD_NULL_EMPTY, .numbers = true, .any_chars = true};

/* A required text field: absent, null or "" → "required". */
static const char *required_text(struct arena *a, json_t *fields, const char *name, struct err *e)
{
    const char *s = NULL;
    return field_required_text(a, fields, name, &profile_text, &s, e) == FIELD_GIVEN ? s : NULL;
}

/* Ends a function that failed inside a transaction. Always false. */
static bool rollback(struct store *st)
{
    store_rollback(st);
    return false;
}

/* ================================================================ */
/* validators                                                       */

/* A decimal number: optional '-', digits, optionally '.' and digits. */
static const char *scan_number(const char *p)
{
    if (*p == '-')
        p++;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == digits)
        return NULL;
    if (*p == '.') {
        const char *frac = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == frac)
            return NULL;
    }
    return p;
}

bool account_parse_latlng(const char *s, double *lat, double *lng)
{
    if (strlen(s) > ACCOUNT_LATLNG_MAX)
        return false;
    const char *end1 = scan_number(s);
    if (!end1 || *end1 != ',')
        return false;
    const char *p = end1 + 1;
    while (*p == ' ')
        p++;
    const char *end2 = scan_number(p);
    if (!end2 || *end2)
        return false;
    double a = strtod(s, NULL), b = strtod(p, NULL);
    if (a < -90 || a > 90 || b < -180 || b > 180)
        return false;
    /* -0 would echo as "-0" */
    *lat = a == 0 ? 0 : a;
    *lng = b == 0 ? 0 : b;
    return true;
}

/* A DNS name label: 1-63 letters, digits or hyphens (non-ASCII bytes
 * allowed for internationalised names), not starting or ending with '-'. */
static bool valid_label(const char *s, size_t n)
{
    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'))
            return false;
    }
    return true;
}

/* A host as Django's URLValidator accepts it: localhost, an IPv4 address,
 * a bracketed IPv6 address, or a domain name with a top-level label that is
 * not all digits. */
static bool valid_host(const char *h, size_t n)
{
    char buf[256];
    if (n == 0 || n >= sizeof buf)
        return false;
    if (h[0] == '[') {
        if (h[n - 1] != ']' || n - 2 >= 64)
            return false;
        struct in6_addr a6;
        memcpy(buf, h + 1, n - 2);
        buf[n - 2] = '\0';
        return inet_pton(AF_INET6, buf, &a6) == 1;
    }
    memcpy(buf, h, n);
    buf[n] = '\0';
    if (n > 1 && buf[n - 1] == '.') /* a fully qualified name's final dot */
        buf[--n] = '\0';
    if (!strcasecmp(buf, "localhost"))
        return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, buf, &a4) == 1)
        return true;
    int labels = 0;
    const char *last = buf;
    size_t last_len = 0;
    for (const char *p = buf;;) {
        size_t len = strcspn(p, ".");
        if (!valid_label(p, len))
            return false;
        labels++;
        last = p;
        last_len = len;
        if (!p[len])
            break;
        p += len + 1;
    }
    bool numeric_tld = true;
    for (size_t i = 0; i < last_len; i++)
        numeric_tld &= last[i] >= '0' && last[i] <= '9';
    return labels >= 2 && !numeric_tld;
}

bool account_valid_website(const char *s)
{
    size_t skip;
    if (!strncasecmp(s, "http://", 7))
        skip = 7;
    else if (!strncasecmp(s, "https://", 8))
        skip = 8;
    else
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    const char *auth = s + skip;
    size_t alen = strcspn(auth, "/?#");
    /* user:password@ is allowed, as Django does; the host follows the last @ */
    const char *host = auth;
    for (size_t i = 0; i < alen; i++)
        if (auth[i] == '@')
            host = auth + i + 1;
    size_t hlen = alen - (size_t)(host - auth);
    /* a port: ':' and 1-5 digits, up to 65535, after the host (or after ']') */
    const char *colon = NULL;
    for (size_t i = hlen; i > 0; i--) {
        if (host[i - 1] == ']')
            break;
        if (host[i - 1] == ':') {
            colon = host + i - 1;
            break;
        }
    }
    if (colon) {
        size_t plen = hlen - (size_t)(colon - host) - 1;
        if (plen == 0 || plen > 5)
            return false;
        long port = 0;
        for (size_t i = 0; i < plen; i++) {
            if (colon[1 + i] < '0' || colon[1 + i] > '9')
                return false;
            port = port * 10 + (colon[1 + i] - '0');
        }
        if (port > 65535)
            return false;
        hlen = (size_t)(colon - host);
    }
    return valid_host(host, hlen);
}

bool account_valid_birth_date(const char *s)
{
    int y, m, d, ty, tm, td;
    if (!clock_parse_date(s, &y, &m, &d))
        return false;
    clock_today(&ty, &tm, &td);
    long date = (long)y * 10000 + m * 100 + d, today = (long)ty * 10000 + tm * 100 + td;
    return y >= ACCOUNT_BIRTH_YEAR_MIN && date <= today;
}

/* ================================================================ */
/* profile                                                          */

/* Which fields a profile update sets. */
enum profile_field {
    PF_REAL_NAME = 1 << 0,
    PF_BIO = 1 << 1,
    PF_LOCATION = 1 << 2,
    PF_LOCATION_LL = 1 << 3,
    PF_POSITION_LL = 1 << 4,
    PF_BIRTH = 1 << 5,
    PF_DESCRIPTION = 1 << 6,
    PF_GENDER = 1 << 7,
    PF_WEBSITE = 1 << 8,
    PF_AVATAR = 1 << 9,
    PF_COVER = 1 << 10,
};

static const char *const genders[] = {"Male", "Female", "Unspecified", NULL};

/* A name or free-text field with a length bound into *dst (the character
 * rule of names and free text applies; line breaks where `multiline`);
 * sets `flag` if given. */
static void read_text(struct arena *a, json_t *fields, const char *name, long max, bool multiline, unsigned flag,
                      unsigned *set, const char **dst, struct err *e)
{
    struct field_text_rule rule = profile_text;
    rule.max_chars = max;
    rule.multiline = multiline;
    rule.any_chars = false;
    if (field_text(a, fields, name, &rule, dst, e) == FIELD_GIVEN)
        *set |= flag;
}

static void read_latlng(struct arena *a, json_t *fields, const char *name, unsigned flag, unsigned *set, bool *has,
                        double *lat, double *lng, struct err *e)
{
    const char *s;
    if (field_text(a, fields, name, &profile_text, &s, e) != FIELD_GIVEN)
        return;
    if (!*s) {
        *has = false;
    } else if (account_parse_latlng(s, lat, lng)) {
        *has = true;
    } else {
        err_field(e, name, "invalid",
                  "Enter \"lat,lng\": latitude from -90 to 90 and longitude from -180 to 180, as decimal numbers.");
        return;
    }
    *set |= flag;
}

/* The changes of one profile update, checked but not yet applied. */
struct profile_change {
    unsigned set;
    struct user v; /* the new values of the fields in `set` */
    enum media_type avatar_type, cover_type;
    const unsigned char *avatar_data, *cover_data; /* NULL with the flag set: clear */
    size_t avatar_len, cover_len;
};

/* avatar/cover: the last upload of that field, or a text value that clears
 * it (null or ""); any other text is not a file (DRF's message). */
static void read_image(json_t *fields, const char *name, unsigned flag, const struct account_upload *uploads,
                       size_t nuploads, struct profile_change *c, struct err *e)
{
    const struct account_upload *up = NULL;
    for (size_t i = 0; i < nuploads; i++)
        if (!strcmp(uploads[i].field, name))
            up = &uploads[i];
    bool is_avatar = flag == PF_AVATAR;
    if (up) {
        enum media_type t;
        if (!media_check_upload(name, up->data, up->len, &t, e))
            return;
        *(is_avatar ? &c->avatar_type : &c->cover_type) = t;
        *(is_avatar ? &c->avatar_data : &c->cover_data) = up->data;
        *(is_avatar ? &c->avatar_len : &c->cover_len) = up->len;
        c->set |= flag;
        return;
    }
    json_t *v = json_object_get(fields, name);
    if (!v)
        return;
    if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        c->set |= flag; /* data NULL: clear */
        return;
    }
    err_field(e, name, "invalid", "The submitted data was not a file. Check the encoding type on the form.");
}

static void read_profile(struct arena *a, json_t *fields, const struct account_upload *uploads, size_t nuploads,
                         struct profile_change *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    struct user *v = &c->v;
    read_text(a, fields, "real_name", ACCOUNT_REAL_NAME_MAX, false, PF_REAL_NAME, &c->set, &v->real_name, e);
    read_text(a, fields, "bio", ACCOUNT_BIO_MAX, true, PF_BIO, &c->set, &v->bio, e);
    read_text(a, fields, "location", ACCOUNT_LOCATION_MAX, false, PF_LOCATION, &c->set, &v->location, e);
    read_text(a, fields, "description", ACCOUNT_DESCRIPTION_MAX, true, PF_DESCRIPTION, &c->set, &v->description, e);
    read_latlng(a, fields, "location_lat_lng", PF_LOCATION_LL, &c->set, &v->has_location_ll, &v->location_lat,
                &v->location_lng, e);
    read_latlng(a, fields, "position_lat_lng", PF_POSITION_LL, &c->set, &v->has_position_ll, &v->position_lat,
                &v->position_lng, e);

    const char *s;
    if (field_text(a, fields, "date_of_birth", &profile_text, &s, e) == FIELD_GIVEN) {
        if (!*s) {
            v->date_of_birth = NULL;
            c->set |= PF_BIRTH;
        } else if (account_valid_birth_date(s)) {
            v->date_of_birth = s;
            c->set |= PF_BIRTH;
        } else {
            int y, m, d;
            if (clock_parse_date(s, &y, &m, &d))
                err_field(e, "date_of_birth", "out_of_range", "Enter a date from 1900-01-01 to today.");
            else
                err_field(e, "date_of_birth", "invalid", "Date has wrong format. Use this format: YYYY-MM-DD.");
        }
    }

    if (field_text(a, fields, "gender", &profile_text, &s, e) == FIELD_GIVEN) {
        if ((v->gender = field_choice(genders, s)))
            c->set |= PF_GENDER;
        else
            err_field(e, "gender", FIELD_CODE_INVALID_CHOICE, "Gender must be Male, Female or Unspecified.");
    }

    struct field_text_rule website = profile_text;
    website.max_chars = ACCOUNT_WEBSITE_MAX;
    if (field_text(a, fields, "website", &website, &s, e) == FIELD_GIVEN) {
        if (!*s || account_valid_website(s)) {
            v->website = s;
            c->set |= PF_WEBSITE;
        } else {
            err_field(e, "website", "invalid", "Enter a valid http or https URL.");
        }
    }

    read_image(fields, "avatar", PF_AVATAR, uploads, nuploads, c, e);
    read_image(fields, "cover", PF_COVER, uploads, nuploads, c, e);
}

/* Copies the fields of c->set from c->v into u. */
static void apply_profile(const struct profile_change *c, struct user *u)
{
    const struct user *v = &c->v;
    if (c->set & PF_REAL_NAME)
        u->real_name = v->real_name;
    if (c->set & PF_BIO)
        u->bio = v->bio;
    if (c->set & PF_LOCATION)
        u->location = v->location;
    if (c->set & PF_DESCRIPTION)
        u->description = v->description;
    if (c->set & PF_LOCATION_LL) {
        u->has_location_ll = v->has_location_ll;
        u->location_lat = v->location_lat;
        u->location_lng = v->location_lng;
    }
    if (c->set & PF_POSITION_LL) {
        u->has_position_ll = v->has_position_ll;
        u->position_lat = v->position_lat;
        u->position_lng = v->position_lng;
    }
    if (c->set & PF_BIRTH)
        u->date_of_birth = v->date_of_birth;
    if (c->set & PF_GENDER)
        u->gender = v->gender;
    if (c->set & PF_WEBSITE)
        u->website = v->website;
    if (c->set & PF_AVATAR)
        u->avatar = v->avatar;
    if (c->set & PF_COVER)
        u->cover = v->cover;
}

bool account_update_profile(struct store *st, struct arena *a, const char *media_dir, const struct principal *who,
                            int64_t id, json_t *fields, const struct account_upload *uploads, size_t nuploads,
                            struct err *e)
{
    struct user u;
    if (!account_require_owner(st, a, who, id, &u, e))
        return false;
    if (u.status == USER_BLOCKED)
        return err_forbidden(e, "Blocked users cannot change their profile.");
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    struct profile_change c;
    read_profile(a, fields, uploads, nuploads, &c, e);
    if (err_any(e))
        return false;

    /* files first (slow I/O outside the write lock), removed again on failure */
    if (c.avatar_data && !media_save(a, media_dir, c.avatar_type, c.avatar_data, c.avatar_len, &c.v.avatar, e))
        return false;
    if (c.cover_data && !media_save(a, media_dir, c.cover_type, c.cover_data, c.cover_len, &c.v.cover, e)) {
        media_remove(media_dir, c.v.avatar);
        return false;
    }

    /* read-modify-write under the write lock (and the user's row lock), so
     * concurrent updates of other fields are not lost */
    struct user cur;
    int found = -1;
    bool ok =
        store_begin(st, e) && store_lock_users(st, &id, 1, e) && (found = store_user_get(st, a, id, &cur, e)) >= 0;
    if (ok && (!found || !user_status_active(cur.status)))
        ok = err_not_found(e);
    const char *old_avatar = ok ? cur.avatar : NULL, *old_cover = ok ? cur.cover : NULL;
    if (ok) {
        apply_profile(&c, &cur);
        /* the gallery's primary entry follows the avatar (avatar.h) */
        ok = store_account_profile_write(st, &cur, e) &&
             (!(c.set & PF_AVATAR) || avatar_profile_replace(st, a, id, c.v.avatar, clock_now_us(), e)) &&
             store_commit(st, e);
    }
    if (!ok) {
        store_rollback(st);
        media_remove(media_dir, c.v.avatar);
        media_remove(media_dir, c.v.cover);
        return false;
    }
    if ((c.set & PF_AVATAR) && old_avatar)
        media_remove(media_dir, old_avatar);
    if ((c.set & PF_COVER) && old_cover)
        media_remove(media_dir, old_cover);
    return true;
}

/* ================================================================ */
/* delete                                                           */

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Locks the users related to a deleted one (store_lock_users) in id order,
 * a bounded slice per statement: a user may have any number of them. */
static bool lock_related(struct store *st, int64_t *ids, size_t n, struct err *e)
{
    enum { SLICE = 1000 };
    qsort(ids, n, sizeof *ids, compare_ids);
    for (size_t i = 0; i < n; i += SLICE)
        if (!store_lock_users(st, ids + i, n - i < SLICE ? n - i : SLICE, e))
            return false;
    return true;
}

static void pause_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The hard delete of a marked user: the edges in batches, then the rest
 * (edges made meanwhile, posts, tokens, the tombstone, the mark) in one
 * transaction, then the files. */
static bool purge_finish(struct store *st, struct arena *a, const char *media_dir, int64_t id, struct err *e)
{
    for (;;) {
        int64_t removed = 0;
        if (!store_begin(st, e))
            return false;
        /* the user's lock: no edge of it appears or goes during the batch */
        if (!store_lock_users(st, &id, 1, e) || !store_account_purge_batch(st, id, ACCOUNT_PURGE_BATCH, &removed, e) ||
            !store_commit(st, e))
            return rollback(st);
        if (removed < ACCOUNT_PURGE_BATCH)
            break;
        pause_ms(ACCOUNT_PURGE_PAUSE_MS); /* let waiting writers in */
    }
    if (!store_begin(st, e))
        return false;
    struct user u;
    int found = store_lock_users(st, &id, 1, e) ? store_user_get(st, a, id, &u, e) : -1;
    if (found < 0)
        return rollback(st);
    if (!found || u.status == USER_TOMBSTONE) /* another request finished it */
        return (store_account_purge_unmark(st, id, e) && store_commit(st, e)) || rollback(st);
    int64_t *related = NULL;
    size_t nrelated = 0;
    const char **gallery = NULL;
    size_t ngallery = 0;
    /* the related users' locks before their counters are recomputed: the
     * recount then sees every edge committed before it */
    if (!store_account_related_users(st, a, id, &related, &nrelated, e) || !lock_related(st, related, nrelated, e) ||
        !store_avatar_purge(st, a, id, &gallery, &ngallery, e) || !store_account_hard_delete(st, id, clock_now(), e))
        return rollback(st);
    for (size_t i = 0; i < nrelated; i++)
        if (!store_user_counters_recompute(st, related[i], e))
            return rollback(st);
    if (!store_account_purge_unmark(st, id, e) || !store_commit(st, e))
        return rollback(st);
    media_remove(media_dir, u.avatar);
    media_remove(media_dir, u.cover);
    for (size_t i = 0; i < ngallery; i++)
        media_remove(media_dir, gallery[i]);
    return true;
}

bool account_delete(struct store *st, struct arena *a, const char *media_dir, const struct principal *who, int64_t id,
                    bool hard, struct err *e)
{
    /* checks and changes under one write lock (and the user's row lock):
     * two deletes racing see each other's result */
    if (!store_begin(st, e))
        return false;
    struct user u;
    int found = store_lock_users(st, &id, 1, e) ? store_user_get(st, a, id, &u, e) : -1;
    if (found < 0)
        return rollback(st);
    if (!found || u.status == USER_TOMBSTONE)
        return err_not_found(e) || rollback(st);
    if (who->user_id != id && !principal_is_admin(who))
        return err_forbidden(e, "You can only delete your own account.") || rollback(st);
    if (!hard && u.status == USER_DELETED)
        return err_set(e, ERR_INVALID, "already_deleted", "The user has already been soft deleted.") || rollback(st);

    if (hard) {
        /* the mark makes a crash between batches resumable */
        if (!store_account_purge_mark(st, id, clock_now_us(), e) || !store_commit(st, e))
            return rollback(st);
        return purge_finish(st, a, media_dir, id, e);
    }

    /* the users whose counters count edges with this one: before the edges go */
    int64_t *related = NULL;
    size_t nrelated = 0;
    int64_t now = clock_now();
    if (!store_account_related_users(st, a, id, &related, &nrelated, e) || !lock_related(st, related, nrelated, e) ||
        !store_account_soft_delete(st, id, now, e))
        return rollback(st);
    for (size_t i = 0; i < nrelated; i++)
        if (!store_user_counters_recompute(st, related[i], e))
            return rollback(st);
    if (!store_commit(st, e))
        return rollback(st);
    return true;
}

bool account_purge_resume(struct store *st, const char *media_dir, int *finished, struct err *e)
{
    *finished = 0;
    struct arena *a = arena_new();
    if (!a)
        return err_internal(e);
    int64_t *ids = NULL;
    size_t n = 0;
    bool ok = store_account_purge_pending(st, a, &ids, &n, e);
    for (size_t i = 0; ok && i < n; i++) {
        struct arena *one = arena_new();
        ok = one && purge_finish(st, one, media_dir, ids[i], e);
        arena_free(one);
        *finished += ok;
    }
    arena_free(a);
    if (!ok && !err_any(e))
        err_internal(e);
    return ok;
}

/* ================================================================ */
/* email                                                            */

/* new_email: required, a valid address (trimmed). NULL after a field error. */
static const char *read_new_email(struct arena *a, json_t *fields, struct err *e)
{
    const char *email = required_text(a, fields, "new_email", e);
    if (email && !user_valid_email(email)) {
        err_field(e, "new_email", "invalid", "Enter a valid email address.");
        return NULL;
    }
    return email;
}

bool account_change_email(struct store *st, struct arena *a, const struct principal *who, int64_t id, json_t *fields,
                          const char *client_address, const char **code, struct err *e)
{
    *code = NULL;
    struct user u;
    if (!account_require_owner(st, a, who, id, &u, e))
        return false;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *email = read_new_email(a, fields, e);
    bool confirm = false;
    field_bool(fields, "confirm", &confirm, e);
    if (err_any(e))
        return false;

    if (!store_begin(st, e))
        return false;
    int taken = store_lock_users(st, &id, 1, e) ? store_user_email_taken(st, email, id, e) : -1;
    if (taken < 0)
        return rollback(st);
    if (taken)
        return err_field(e, "new_email", "unique", "A user with that email already exists.") || rollback(st);
    /* a mail to an address the caller chose: counted like recover's */
    if (confirm && !signup_mail_allowed(st, a, client_address, email, true, e))
        return rollback(st);
    if (!confirm) {
        /* the codes mailed to the old address die with it: a reset or
         * verification would otherwise mark the new one verified */
        if (!store_account_set_email(st, id, email, false, e) || !store_email_change_delete(st, id, e) ||
            !store_code_delete_user(st, id, e) || !store_commit(st, e))
            return rollback(st);
        return true;
    }

    char *plain = arena_alloc(a, 2 * ACCOUNT_EMAIL_CODE_BYTES + 1);
    char hash[TOKEN_HASH_HEX + 1];
    token_random_hex(plain, ACCOUNT_EMAIL_CODE_BYTES);
    token_hash_hex(plain, strlen(plain), hash);
    struct email_change c = {.new_email = email,
                             .code_hash = hash,
                             .expires_us = clock_now_us() + (int64_t)ACCOUNT_EMAIL_CODE_TTL_S * 1000000};
    /* the code goes out by mail too, committed with it */
    if (!store_email_change_put(st, id, &c, e) ||
        !signup_mail_enqueue(st, a, "change_email", email, u.username, plain, email,
                             signup_change_email_link(a, id, email, plain), e) ||
        !store_commit(st, e))
        return rollback(st);
    *code = plain;
    return true;
}

/* Ends a failed confirmation: records what happened to the pending change
 * (counted attempt, deletion), commits it, and reports `code` on the
 * validation_code field. Always false. */
static bool confirm_fail(struct store *st, int64_t id, bool drop, bool count, const char *code, const char *message,
                         struct err *e)
{
    struct err io = {0};
    bool ok = (!drop || store_email_change_delete(st, id, &io)) &&
              (!count || store_email_change_count_attempt(st, id, &io)) && store_commit(st, &io);
    if (!ok)
        return err_internal(e) || rollback(st);
    return err_field(e, "validation_code", code, message);
}

bool account_confirm_email(struct store *st, struct arena *a, int64_t id, json_t *fields, struct err *e)
{
    struct user u;
    if (!user_get_visible(st, a, id, &u, e))
        return false;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *email = read_new_email(a, fields, e);
    const char *code = required_text(a, fields, "validation_code", e);
    if (err_any(e))
        return false;

    /* the user's lock: two confirmations count their attempts one after
     * the other */
    if (!store_begin(st, e))
        return false;
    struct email_change c;
    int found = store_lock_users(st, &id, 1, e) ? store_email_change_get(st, a, id, &c, e) : -1;
    if (found < 0)
        return rollback(st);
    if (!found || !user_status_active(u.status))
        return err_field(e, "validation_code", "invalid", "There is no pending email change to confirm.") ||
               rollback(st);
    if (clock_now_us() >= c.expires_us)
        return confirm_fail(st, id, true, false, "expired", "The validation code has expired.", e);

    char hash[TOKEN_HASH_HEX + 1];
    size_t code_len = strlen(code);
    token_hash_hex(code, code_len > ACCOUNT_EMAIL_CODE_MAX ? ACCOUNT_EMAIL_CODE_MAX : code_len, hash);
    bool code_ok = code_len <= ACCOUNT_EMAIL_CODE_MAX && strlen(c.code_hash) == TOKEN_HASH_HEX &&
                   token_equal(hash, c.code_hash, TOKEN_HASH_HEX);
    bool email_ok = !strcmp(text_fold(a, email), text_fold(a, c.new_email));
    if (!code_ok || !email_ok) {
        bool last = c.attempts + 1 >= ACCOUNT_EMAIL_CODE_ATTEMPTS;
        return confirm_fail(st, id, last, !last, "invalid",
                            last ? "Too many wrong attempts: request a new validation code."
                                 : "The validation code or the email address is wrong.",
                            e);
    }
    /* used once, whatever happens next */
    int taken = store_user_email_taken(st, c.new_email, id, e);
    if (taken < 0)
        return rollback(st);
    if (taken) {
        struct err io = {0};
        if (!store_email_change_delete(st, id, &io) || !store_commit(st, &io))
            return err_internal(e) || rollback(st);
        return err_field(e, "new_email", "unique", "A user with that email already exists.");
    }
    if (!store_account_set_email(st, id, c.new_email, true, e) || !store_email_change_delete(st, id, e) ||
        !store_code_delete_user(st, id, e) || !store_commit(st, e))
        return rollback(st);
    return true;
}

/* ================================================================ */
/* password                                                         */

bool account_change_password(struct store *st, struct arena *a, const struct principal *who, int64_t id, json_t *fields,
                             const char *client_address, struct err *e)
{
    struct user u;
    if (!account_require_owner(st, a, who, id, &u, e))
        return false;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *password = field_password(fields, "password", e);
    const char *new_password = field_password(fields, "new_password", e);
    if (err_any(e))
        return false;

    const char *account_key = arena_printf(a, "pwchange:%lld", (long long)id);
    const char *address_key = arena_printf(a, "addr:%s", client_address ? client_address : "-");
    int retry = 0;
    if (!ratelimit_allow(st, account_key, RATELIMIT_ACCOUNT_MAX, &retry))
        return ratelimit_throttled(e, RATELIMIT_ACCOUNT_MAX, retry,
                                   "Too many failed password checks. Try again later.");
    if (!ratelimit_allow(st, address_key, RATELIMIT_ADDRESS_MAX, &retry))
        return ratelimit_throttled(e, RATELIMIT_ADDRESS_MAX, retry,
                                   "Too many failed password checks. Try again later.");
    password_policy_check(new_password, u.username, "new_password", e);
    if (!password_verify(u.password_hash, password)) {
        ratelimit_fail(st, account_key);
        ratelimit_fail(st, address_key);
        err_field(e, "password", "invalid", "Your current password was entered incorrectly.");
    }
    if (err_any(e))
        return false;
    ratelimit_reset(st, account_key);

    char hash[PASSWORD_HASH_MAX];
    if (!password_hash(new_password, hash))
        return err_internal(e);
    /* JWTs carry whole seconds: those issued before this second die */
    if (!store_begin(st, e))
        return false;
    if (!store_lock_users(st, &id, 1, e) || !store_account_set_password(st, id, hash, clock_now(), e) ||
        !store_token_delete_user(st, id, who->token_id, e) || !store_commit(st, e))
        return rollback(st);
    return true;
}
