/* portable_sql.h - SQL text that both backends run as written (SQLite and
 * PostgreSQL agree on every word of it), kept once here so the two cannot
 * drift apart. Only src/store includes this header. */
#ifndef HEARTH_STORE_PORTABLE_SQL_H
#define HEARTH_STORE_PORTABLE_SQL_H

/* ---- suggestions (sqlite_suggestion.c, pg_suggestion.c) ---- */

/* A user X may be suggested to the viewer $1 when X is approved (status
 * a), is not the viewer, neither hides the other, and (follow mode) the
 * viewer does not follow X, or (friendship mode) they are not connected and
 * no connection request exists between them, either way, pending or
 * rejected. Each condition is a primary-key or unique-index probe. */
#define NOT_HIDDEN_EITHER_WAY(x)                                                     \
    "NOT EXISTS (SELECT 1 FROM hides sh WHERE sh.user_id = $1 AND sh.hidden_id = " x \
    ") AND NOT EXISTS (SELECT 1 FROM hides sh WHERE sh.user_id = " x " AND sh.hidden_id = $1)"
#define SUGGESTABLE_FOLLOW(x)                                                                             \
    x " <> $1 AND NOT EXISTS (SELECT 1 FROM follows sf WHERE sf.follower_id = $1 AND sf.followed_id = " x \
      ") AND " NOT_HIDDEN_EITHER_WAY(x)
#define SUGGESTABLE_FRIEND(x)                                                                                    \
    x " <> $1 AND NOT EXISTS (SELECT 1 FROM connections sc WHERE sc.user_id = $1 AND sc.other_id = " x           \
      ") AND NOT EXISTS (SELECT 1 FROM connection_requests sr WHERE sr.from_user_id = $1 AND sr.to_user_id = " x \
      ") AND NOT EXISTS (SELECT 1 FROM connection_requests sr WHERE sr.from_user_id = " x                        \
      " AND sr.to_user_id = $1) AND " NOT_HIDDEN_EITHER_WAY(x)

/* The same users as a set, for counting the approved users that may not
 * be suggested: the viewer and everyone the viewer relates to. */
#define RELATED_HIDES \
    " UNION SELECT hidden_id FROM hides WHERE user_id = $1 UNION SELECT user_id FROM hides WHERE hidden_id = $1"
#define RELATED_FOLLOW "SELECT $1 UNION SELECT followed_id FROM follows WHERE follower_id = $1" RELATED_HIDES
#define RELATED_FRIEND                                                                                      \
    "SELECT $1 UNION SELECT other_id FROM connections WHERE user_id = $1 UNION SELECT to_user_id FROM "     \
    "connection_requests WHERE from_user_id = $1 UNION SELECT from_user_id FROM connection_requests WHERE " \
    "to_user_id = $1" RELATED_HIDES

/* ---- a hard delete (sqlite_account.c, pg_account.c) ---- */

/* Every row of the core schema that names user $1, one statement each;
 * post_categories before posts (the foreign keys would cascade, but being
 * explicit keeps this list the one place to read). */
#define USER_ROW_DELETES                                                                                      \
    "DELETE FROM follows WHERE follower_id = $1 OR followed_id = $1",                                         \
        "DELETE FROM connections WHERE user_id = $1 OR other_id = $1",                                        \
        "DELETE FROM connection_requests WHERE from_user_id = $1 OR to_user_id = $1",                         \
        "DELETE FROM hides WHERE user_id = $1 OR hidden_id = $1", "DELETE FROM user_tags WHERE user_id = $1", \
        "DELETE FROM category_follows WHERE user_id = $1",                                                    \
        "DELETE FROM post_categories WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)",           \
        "DELETE FROM posts WHERE author_id = $1", "DELETE FROM user_settings WHERE user_id = $1",             \
        "DELETE FROM email_changes WHERE user_id = $1", "DELETE FROM oauth_tokens WHERE user_id = $1"

#endif
