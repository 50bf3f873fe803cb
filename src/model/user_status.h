/* user_status.h - the states of an account (contract §7). The values are
 * the letters the database stores in users.status, so SQL keeps writing
 * 'a', 'b', 'd', 'u' and C code names them. */
#ifndef HEARTH_MODEL_USER_STATUS_H
#define HEARTH_MODEL_USER_STATUS_H

#include <stdbool.h>

enum user_status {
    USER_NONE = '\0',     /* no such user (a lookup found nothing) */
    USER_ACTIVE = 'a',    /* approved: the ordinary state */
    USER_BLOCKED = 'b',   /* blocked by an admin: can read, cannot write */
    USER_DELETED = 'd',   /* soft deleted: hidden, edges kept, restorable */
    USER_TOMBSTONE = 'u', /* hard deleted: a row kept only for its id */
};

/* Active users are the ones counters, lists and search show. */
static inline bool user_status_active(enum user_status s) { return s == USER_ACTIVE || s == USER_BLOCKED; }

#endif
