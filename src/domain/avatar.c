/* avatar.c - the avatar gallery rules (see avatar.h): listing, adding,
 * choosing the primary entry, removing, and the profile update's share. */
#include "domain/avatar.h"

#include "core/clock.h"
#include "domain/field.h"
#include "domain/media.h"
#include "domain/user.h"
#include "store/store.h"

/* The caller as a user who may change their gallery. */
static bool require_writer(struct store *st, struct arena *a, const struct principal *who, struct err *e)
{
    struct user u;
    if (!user_get_visible(st, a, who->user_id, &u, e))
        return false;
    if (!user_status_active(u.status))
        return err_not_found(e);
    if (u.status == USER_BLOCKED)
        return err_forbidden(e, "Blocked users cannot change their profile.");
    return true;
}

/* {"avatar_id"}: a positive integer (or its decimal text). */
static bool read_avatar_id(struct arena *a, json_t *body, int64_t *id, struct err *e)
{
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    enum field_read r = field_int(a, body, "avatar_id", 1, INT64_MAX, id, e);
    if (r == FIELD_ABSENT)
        return err_field(e, "avatar_id", FIELD_CODE_REQUIRED, FIELD_MSG_REQUIRED);
    return r == FIELD_GIVEN;
}

static bool gallery_full(struct err *e)
{
    return err_field(e, "avatar", "max_items", "A gallery holds at most 50 avatars: remove one first.");
}

static bool rollback(struct store *st)
{
    store_rollback(st);
    return false;
}

/* ================================================================ */
/* the gallery                                                      */

bool avatar_list(struct store *st, struct arena *a, const struct principal *who, int limit, int offset,
                 struct avatar_page *out, struct err *e)
{
    struct user u;
    if (!user_get_visible(st, a, who->user_id, &u, e))
        return false;
    return store_avatar_list(st, a, who->user_id, limit, offset, &out->items, &out->n, &out->count, e);
}

bool avatar_add(struct store *st, struct arena *a, const char *media_dir, const struct principal *who,
                const unsigned char *data, size_t len, bool given, struct user_avatar *out, struct err *e)
{
    if (!given)
        return err_field(e, "avatar", FIELD_CODE_REQUIRED, "No file was submitted.");
    enum media_type t;
    if (!media_check_upload("avatar", data, len, &t, e) || !require_writer(st, a, who, e))
        return false;
    int64_t count = store_avatar_count(st, who->user_id, e);
    if (count < 0)
        return false;
    if (count >= AVATAR_GALLERY_MAX) /* before writing a file; checked again below */
        return gallery_full(e);

    /* the file first (slow I/O outside the write lock), removed on failure */
    const char *file = NULL;
    if (!media_save(a, media_dir, t, data, len, &file, e))
        return false;
    struct user_avatar primary;
    int64_t id = 0, now = clock_now_us();
    int has_primary = -1;
    /* the status again inside the transaction: a block or delete may have
     * committed while the file was written */
    bool ok = store_begin(st, e) && store_lock_users(st, &who->user_id, 1, e) && require_writer(st, a, who, e) &&
              (count = store_avatar_count(st, who->user_id, e)) >= 0 &&
              (has_primary = store_avatar_primary(st, a, who->user_id, &primary, e)) >= 0;
    if (ok && count >= AVATAR_GALLERY_MAX)
        ok = gallery_full(e);
    ok = ok && store_avatar_insert(st, who->user_id, file, now, &id, e);
    /* the first avatar of a user without one is their avatar */
    if (ok && !has_primary)
        ok = store_avatar_set_primary(st, who->user_id, id, e);
    if (!ok || !store_commit(st, e)) {
        store_rollback(st);
        media_remove(media_dir, file);
        return false;
    }
    *out = (struct user_avatar){
        .id = id, .user_id = who->user_id, .file = file, .primary = !has_primary, .uploaded_us = now};
    return true;
}

bool avatar_set_primary(struct store *st, struct arena *a, const struct principal *who, json_t *body, struct err *e)
{
    int64_t id;
    if (!read_avatar_id(a, body, &id, e) || !require_writer(st, a, who, e))
        return false;
    if (!store_begin(st, e))
        return false;
    if (!store_lock_users(st, &who->user_id, 1, e))
        return rollback(st);
    struct user_avatar v;
    int found = store_avatar_get(st, a, who->user_id, id, &v, e);
    if (found < 0)
        return rollback(st);
    if (!found)
        return err_not_found(e) || rollback(st);
    if (!store_avatar_set_primary(st, who->user_id, id, e) || !store_commit(st, e))
        return rollback(st);
    return true;
}

bool avatar_remove(struct store *st, struct arena *a, const char *media_dir, const struct principal *who, json_t *body,
                   struct err *e)
{
    int64_t id;
    if (!read_avatar_id(a, body, &id, e) || !require_writer(st, a, who, e))
        return false;
    if (!store_begin(st, e))
        return false;
    if (!store_lock_users(st, &who->user_id, 1, e))
        return rollback(st);
    struct user_avatar v, next;
    int found = store_avatar_get(st, a, who->user_id, id, &v, e);
    if (found < 0)
        return rollback(st);
    if (!found)
        return err_not_found(e) || rollback(st);
    if (!store_avatar_delete(st, who->user_id, id, e))
        return rollback(st);
    if (v.primary) {
        /* the newest remaining entry takes its place; none: no avatar */
        int more = store_avatar_newest(st, a, who->user_id, &next, e);
        if (more < 0 || !store_avatar_set_primary(st, who->user_id, more ? next.id : 0, e))
            return rollback(st);
    }
    if (!store_commit(st, e))
        return rollback(st);
    media_remove(media_dir, v.file); /* only now: a rollback keeps the file the row names */
    return true;
}

/* ================================================================ */
/* the profile update                                               */

bool avatar_profile_replace(struct store *st, struct arena *a, int64_t user_id, const char *file, int64_t now_us,
                            struct err *e)
{
    struct user_avatar primary;
    int found = store_avatar_primary(st, a, user_id, &primary, e);
    if (found < 0 || (found && !store_avatar_delete(st, user_id, primary.id, e)))
        return false;
    if (!file)
        return store_avatar_set_primary(st, user_id, 0, e);
    int64_t count = store_avatar_count(st, user_id, e), id = 0;
    if (count < 0)
        return false;
    if (count >= AVATAR_GALLERY_MAX)
        return gallery_full(e);
    return store_avatar_insert(st, user_id, file, now_us, &id, e) && store_avatar_set_primary(st, user_id, id, e);
}
