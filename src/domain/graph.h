/* graph.h - the social graph's rules (contract §5-§9): following, the
 * friendship connection state machine, hiding, the caller's relation to a
 * user (connection_status) and the lists.
 *
 * Every action runs in one write transaction (BEGIN IMMEDIATE) that
 * re-reads both users' statuses, checks the preconditions, changes the
 * edge and the counters of both users together, so counters stay exact
 * under concurrency. Mode checks (follow vs friendship) are the routes'
 * (ROUTE_FOLLOW_MODE, ROUTE_FRIEND_MODE); everything else is here.
 */
#ifndef HEARTH_DOMAIN_GRAPH_H
#define HEARTH_DOMAIN_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"
#include "store/store.h"

enum {
    GRAPH_STATUS_BATCH_MAX = 100, /* ids per POST /user/connection/statuses/ (contract §9) */
    GRAPH_HIDES_MAX = 10000,      /* hides per user: bounds GET /user/hidden_users_id/, an unpaginated array */
};

/* The caller's relation to a user, as `connection_status` names it. */
enum graph_status {
    GRAPH_STATUS_NONE,     /* JSON null */
    GRAPH_STATUS_FOLLOWED, /* follow mode: the caller follows them */
    GRAPH_STATUS_CONNECTED,
    GRAPH_STATUS_SENT,     /* a request from the caller, pending or rejected (§9) */
    GRAPH_STATUS_RECEIVED, /* a pending request from them */
};

/* "followed", "connected", ... or NULL for GRAPH_STATUS_NONE. */
const char *graph_status_name(enum graph_status s);

enum graph_action {
    GRAPH_FOLLOW,         /* toggle */
    GRAPH_HIDE,           /* toggle */
    GRAPH_REQUEST,        /* request a connection */
    GRAPH_ACCEPT,         /* accept their pending request */
    GRAPH_REJECT,         /* reject their pending request */
    GRAPH_CANCEL_REJECT,  /* undo my rejection: their request is pending again */
    GRAPH_CANCEL_REQUEST, /* withdraw my request (pending or rejected) */
    GRAPH_REMOVE,         /* remove a connection */
    GRAPH_MARK_SEEN,      /* mark their pending request as viewed */
};

/* Performs `act` by `who` on user `target`. Errors: 404 target missing,
 * soft or hard deleted (code not_found); 403 a blocked caller
 * (permission_denied); 400 `self` on oneself; 400 with the contract §9
 * precondition codes (already_connected, already_requested,
 * request_received, no_request, not_rejected, no_connection); 400
 * limit_reached beyond GRAPH_HIDES_MAX hides. */
bool graph_act(struct store *st, const struct principal *who, int64_t target, enum graph_action act, struct err *e);

/* The caller's relation to many users, loaded in one query. */
struct graph_relations {
    int n;
    const int64_t *ids;
    const enum graph_status *status;
};

/* Loads the relations of `viewer_id` (0: anonymous, all NONE) to ids[0..n)
 * for the community's mode. Own, unknown and inactive ids are NONE. */
bool graph_relations_load(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids,
                          int n, struct graph_relations *out, struct err *e);

/* The status loaded for `id`; false if `id` was not among the ids. */
bool graph_relations_find(const struct graph_relations *r, int64_t id, enum graph_status *out);

/* One relation (a load of one id). */
bool graph_status_of(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, int64_t id,
                     enum graph_status *out, struct err *e);

/* Yes/no questions about two users (404 if `other` is missing or hard
 * deleted). A relation with an inactive (soft-deleted) user is false. */
enum graph_question {
    GRAPH_IS_FOLLOWED,   /* do I follow other */
    GRAPH_IS_FOLLOWER,   /* does other follow me */
    GRAPH_IS_CONNECTION, /* are we connected */
    GRAPH_IS_HIDDEN,     /* have I hidden other */
    GRAPH_IS_HIDDEN_BY,  /* has other hidden me */
};
bool graph_ask(struct store *st, struct arena *a, int64_t me, int64_t other, enum graph_question q, bool *answer,
               struct err *e);

/* A list of users (store_graph_user_list) after checking that its owner
 * exists (404 if missing or hard deleted). */
bool graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *q, struct user_page *out,
                     struct err *e);

/* The connection requests of `owner` as `who` may see them: only the
 * owner (403 otherwise; 404 first when the owner does not exist). The
 * rejection time of sent requests is never revealed (§9). */
bool graph_request_list(struct store *st, struct arena *a, const struct principal *who, int64_t owner, bool sent,
                        int limit, int offset, struct graph_request_page *out, struct err *e);

/* The ids of the active users `who` hides, newest first. */
bool graph_hidden_ids(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, int *n, struct err *e);

#endif
