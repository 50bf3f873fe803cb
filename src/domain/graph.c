/* graph.c - the social graph's rules: follow and hide toggles, the
 * connection state machine with its preconditions (contract §9), counters
 * kept with the edges, relations (connection_status) and the lists.
 *
 * A connection request row lives from `request` until `accept` (deleted,
 * two connection rows created) or `cancel_request` (deleted). `reject`
 * sets rejected_us; `cancel_reject` clears it, so the request is pending
 * again and the rejecter can accept it. At most one request exists
 * between two users: requesting someone who already asked you (even if
 * you rejected it) is `request_received`.
 */
#include "domain/graph.h"

#include "core/clock.h"

const char *graph_status_name(enum graph_status s)
{
    switch (s) {
    case GRAPH_STATUS_FOLLOWED: return "followed";
    case GRAPH_STATUS_CONNECTED: return "connected";
    case GRAPH_STATUS_SENT: return "sent_connection_request";
    case GRAPH_STATUS_RECEIVED: return "received_connection_request";
    case GRAPH_STATUS_NONE: break;
    }
    return NULL;
}

static bool precondition(struct err *e, const char *code, const char *message)
{
    return err_set(e, ERR_INVALID, code, message);
}

/* ================================================================ */
/* actions                                                          */

/* Counter changes of one action: for the caller and for the target. */
struct deltas {
    struct graph_counter_delta me, them;
};

static bool act_follow(struct store *st, int64_t me, int64_t them, int64_t now, struct deltas *d, struct err *e)
{
    int follows = store_graph_follow_exists(st, me, them, e);
    if (follows < 0)
        return false;
    int sign = follows ? -1 : 1;
    d->me.followings = sign;
    d->them.followers = sign;
    return follows ? store_graph_follow_delete(st, me, them, e) : store_graph_follow_insert(st, me, them, now, e);
}

static bool act_hide(struct store *st, int64_t me, int64_t them, int64_t now, struct err *e)
{
    int hides = store_graph_hide_exists(st, me, them, e);
    if (hides < 0)
        return false;
    if (hides)
        return store_graph_hide_delete(st, me, them, e);
    int64_t n = store_graph_hide_count(st, me, e);
    if (n < 0)
        return false;
    if (n >= GRAPH_HIDES_MAX)
        return precondition(e, "limit_reached", "You have hidden the maximum number of users; show one first.");
    return store_graph_hide_insert(st, me, them, now, e);
}

/* The connection actions; `mine` is my request to them, `theirs` theirs
 * to me (found_* tell whether they exist). */
static bool act_connection(struct store *st, enum graph_action act, int64_t me, int64_t them, int64_t now,
                           struct deltas *d, struct err *e)
{
    struct graph_request mine, theirs;
    int connected = store_graph_connected(st, me, them, e);
    int found_mine = connected < 0 ? -1 : store_graph_request_get(st, me, them, &mine, e);
    int found_theirs = found_mine < 0 ? -1 : store_graph_request_get(st, them, me, &theirs, e);
    if (found_theirs < 0)
        return false;
    bool pending_theirs = found_theirs && !theirs.rejected_us;

    switch (act) {
    case GRAPH_REQUEST:
        if (connected)
            return precondition(e, "already_connected", "You are already connected with this user.");
        if (found_mine)
            return precondition(e, "already_requested", "You have already sent a connection request to this user.");
        if (found_theirs)
            return precondition(e, "request_received",
                                pending_theirs ? "This user has already sent you a connection request: accept it "
                                                 "instead."
                                               : "This user has already sent you a connection request, which you "
                                                 "rejected: cancel the rejection and accept it instead.");
        d->me.requests_sent = 1;
        d->them.requests_received = 1;
        return store_graph_request_insert(st, me, them, now, e);

    case GRAPH_ACCEPT:
        if (connected)
            return precondition(e, "already_connected", "You are already connected with this user.");
        if (!pending_theirs)
            return precondition(e, "no_request", "There is no pending connection request from this user.");
        d->them.requests_sent = -1;
        d->me.requests_received = -1;
        d->me.connections = 1;
        d->them.connections = 1;
        return store_graph_request_delete(st, theirs.id, e) && store_graph_connection_insert(st, me, them, now, e);

    case GRAPH_REJECT:
        if (!pending_theirs)
            return precondition(e, "no_request", "There is no pending connection request from this user.");
        /* the sender keeps counting it (§9: a rejection is not revealed) */
        d->me.requests_received = -1;
        return store_graph_request_set_rejected(st, theirs.id, now, e);

    case GRAPH_CANCEL_REJECT:
        if (!found_theirs || !theirs.rejected_us)
            return precondition(e, "not_rejected", "You have not rejected a connection request from this user.");
        d->me.requests_received = 1;
        return store_graph_request_set_rejected(st, theirs.id, 0, e);

    case GRAPH_CANCEL_REQUEST:
        if (!found_mine)
            return precondition(e, "no_request", "You have no connection request to this user to cancel.");
        d->me.requests_sent = -1;
        if (!mine.rejected_us)
            d->them.requests_received = -1;
        return store_graph_request_delete(st, mine.id, e);

    case GRAPH_REMOVE:
        if (!connected)
            return precondition(e, "no_connection", "You are not connected with this user.");
        d->me.connections = -1;
        d->them.connections = -1;
        return store_graph_connection_delete(st, me, them, e);

    case GRAPH_MARK_SEEN:
        if (!pending_theirs)
            return precondition(e, "no_request", "There is no pending connection request from this user.");
        return store_graph_request_set_viewed(st, theirs.id, now, e);

    case GRAPH_FOLLOW:
    case GRAPH_HIDE: break;
    }
    return err_internal(e);
}

static bool delta_zero(const struct graph_counter_delta *d)
{
    return !d->followers && !d->followings && !d->connections && !d->requests_sent && !d->requests_received;
}

bool graph_act(struct store *st, const struct principal *who, int64_t target, enum graph_action act, struct err *e)
{
    int64_t me = who->user_id;
    if (!me)
        return err_set(e, ERR_UNAUTHENTICATED, "not_authenticated", "Authentication credentials were not provided.");
    if (!store_begin(st, e))
        return false;
    /* Both users are locked before anything is read (PostgreSQL; SQLite's
     * single writer already serializes): two actions on the same pair, or
     * two hides by the same user (count, then insert), run one after the
     * other, so edges, counters and the hide limit stay exact. */
    const int64_t pair[2] = {me, target};
    if (!store_lock_users(st, pair, 2, e))
        goto fail;
    /* Statuses are read inside the write transaction: a concurrent soft
     * delete cannot slip between the check and the counter change. */
    enum user_status my_status, their_status;
    if (!store_graph_statuses(st, me, target, &my_status, &their_status, e))
        goto fail;
    if (!user_status_active(their_status)) {
        err_not_found(e);
        goto fail;
    }
    if (!user_status_active(my_status)) {
        err_set(e, ERR_UNAUTHENTICATED, "authentication_failed", "This account is no longer active.");
        goto fail;
    }
    if (my_status == USER_BLOCKED) {
        err_forbidden(e, "Blocked users cannot change their connections.");
        goto fail;
    }
    if (target == me) {
        precondition(e, "self", "You cannot do this to yourself.");
        goto fail;
    }
    struct deltas d = {0};
    int64_t now = clock_now_us();
    bool ok;
    if (act == GRAPH_FOLLOW)
        ok = act_follow(st, me, target, now, &d, e);
    else if (act == GRAPH_HIDE)
        ok = act_hide(st, me, target, now, e);
    else
        ok = act_connection(st, act, me, target, now, &d, e);
    if (!ok)
        goto fail;
    if ((!delta_zero(&d.me) && !store_graph_counters_add(st, me, &d.me, e)) ||
        (!delta_zero(&d.them) && !store_graph_counters_add(st, target, &d.them, e)))
        goto fail;
    return store_commit(st, e);
fail:
    store_rollback(st);
    return false;
}

/* ================================================================ */
/* relations                                                        */

/* The status a set of relation kinds gives in the community's mode. */
static enum graph_status status_from_kinds(unsigned kinds, bool follow_mode)
{
    if (follow_mode)
        return (kinds & (1u << GRAPH_REL_FOLLOWS)) ? GRAPH_STATUS_FOLLOWED : GRAPH_STATUS_NONE;
    if (kinds & (1u << GRAPH_REL_CONNECTED))
        return GRAPH_STATUS_CONNECTED;
    if (kinds & (1u << GRAPH_REL_SENT))
        return GRAPH_STATUS_SENT;
    if (kinds & (1u << GRAPH_REL_RECEIVED))
        return GRAPH_STATUS_RECEIVED;
    return GRAPH_STATUS_NONE;
}

bool graph_relations_load(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids,
                          int n, struct graph_relations *out, struct err *e)
{
    enum graph_status *status = arena_alloc(a, sizeof *status * (size_t)(n > 0 ? n : 1));
    out->n = n;
    out->ids = ids;
    out->status = status;
    if (!viewer_id || n <= 0)
        return true;
    struct graph_relation_row *rows;
    int nrows;
    if (!store_graph_relations(st, a, viewer_id, follow_mode, ids, n, &rows, &nrows, e))
        return false;
    unsigned *kinds = arena_alloc(a, sizeof *kinds * (size_t)n);
    /* n and nrows are at most a page (or a status batch): quadratic is fine */
    for (int r = 0; r < nrows; r++)
        for (int i = 0; i < n; i++)
            if (ids[i] == rows[r].user_id)
                kinds[i] |= 1u << rows[r].kind;
    for (int i = 0; i < n; i++)
        status[i] = ids[i] == viewer_id ? GRAPH_STATUS_NONE : status_from_kinds(kinds[i], follow_mode);
    return true;
}

bool graph_relations_find(const struct graph_relations *r, int64_t id, enum graph_status *out)
{
    for (int i = 0; r && i < r->n; i++)
        if (r->ids[i] == id) {
            *out = r->status[i];
            return true;
        }
    return false;
}

bool graph_status_of(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, int64_t id,
                     enum graph_status *out, struct err *e)
{
    struct graph_relations r;
    int64_t *ids = arena_alloc(a, sizeof *ids);
    ids[0] = id;
    if (!graph_relations_load(st, a, viewer_id, follow_mode, ids, 1, &r, e))
        return false;
    *out = r.status[0];
    return true;
}

/* 404 unless the user exists and is not hard deleted; *status set. */
static bool require_user(struct store *st, struct arena *a, int64_t id, enum user_status *status, struct err *e)
{
    struct user u;
    if (!user_get_visible(st, a, id, &u, e))
        return false;
    *status = u.status;
    return true;
}

bool graph_ask(struct store *st, struct arena *a, int64_t me, int64_t other, enum graph_question q, bool *answer,
               struct err *e)
{
    enum user_status status;
    if (!require_user(st, a, other, &status, e))
        return false;
    *answer = false;
    if (!user_status_active(status) || other == me)
        return true;
    int found = -1;
    switch (q) {
    case GRAPH_IS_FOLLOWED: found = store_graph_follow_exists(st, me, other, e); break;
    case GRAPH_IS_FOLLOWER: found = store_graph_follow_exists(st, other, me, e); break;
    case GRAPH_IS_CONNECTION: found = store_graph_connected(st, me, other, e); break;
    case GRAPH_IS_HIDDEN: found = store_graph_hide_exists(st, me, other, e); break;
    case GRAPH_IS_HIDDEN_BY: found = store_graph_hide_exists(st, other, me, e); break;
    }
    if (found < 0)
        return false;
    *answer = found == 1;
    return true;
}

/* ================================================================ */
/* lists                                                            */

bool graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *q, struct user_page *out,
                     struct err *e)
{
    enum user_status status;
    return require_user(st, a, q->user_id, &status, e) && store_graph_user_list(st, a, q, out, e);
}

bool graph_request_list(struct store *st, struct arena *a, const struct principal *who, int64_t owner, bool sent,
                        int limit, int offset, struct graph_request_page *out, struct err *e)
{
    enum user_status status;
    if (!require_user(st, a, owner, &status, e))
        return false;
    if (owner != who->user_id)
        return err_forbidden(e, "You can only list your own connection requests.");
    if (!store_graph_request_list(st, a, owner, sent, limit, offset, out, e))
        return false;
    if (sent)
        for (int i = 0; i < out->n; i++)
            out->items[i].r.rejected_us = 0;
    return true;
}

bool graph_hidden_ids(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, int *n, struct err *e)
{
    return store_graph_hidden_ids(st, a, user_id, GRAPH_HIDES_MAX, ids, n, e);
}
