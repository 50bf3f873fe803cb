-- 022_list_writes: the same maintained list counts (008_list_counts,
-- 016_list_orders, 017_list_levels, 021_list_costs) for fewer rows and
-- trigger runs per write.
--
-- 1. The empty real_name and location (every signup's) get no rows in
--    list_order_counts. The users with an empty key are, in either
--    direction, one run ordered by id: its count is every visible user
--    (list_counts' kind 0) less the users with a non-empty key (the sum of
--    the ordering's level-1 ranges), and its id blocks those of list_counts
--    (levels 1 and 2: id >> 16, id >> 8) less the users with a non-empty key
--    in them, which two new levels count: 9 (id >> 16) and 10 (id >> 8),
--    prefix '' (list_order_levels.len -1). A signup then upserts no order
--    count for real_name and location (6 before); a user whose real_name or
--    location becomes non-empty, or empty, moves one row of level 9 and one
--    of level 10; a change between two non-empty keys moves none of them.
--    list_plan.c derives the empty key's ranges in its descent.
--
-- 2. The edge lists' triggers ran a frame each (SQLite allocates and
--    clears a trigger's frame, sized by its whole program, before its
--    WHEN): the three that start keeping a list when its counter reaches
--    1000 on every counter update (every follow updates both users'
--    counters, and the update names all of them: six frames a follow,
--    65 K instructions of a follow's 94 K of maintenance at 100,000
--    users), and one per list on every follow and unfollow. Now one
--    trigger on the counters, whose WHEN reads only the row (a counter
--    crossing 1000 upwards) and whose body only queues the user
--    (list_edge_keep_queue, whose trigger builds the lists), and one
--    trigger per follow and unfollow for both lists, whose body only
--    queues the change of a kept list (list_edge_delta, whose trigger
--    applies it): small programs, small frames. The build and the changes
--    are the same statements as before; the queues stay empty. A list is
--    kept from the update that takes its counter to 1000 on, as before
--    (the counters move only by updates; `hearth check` reports a long
--    list that is not kept).

DROP TRIGGER list_edge_keep_followers;
DROP TRIGGER list_edge_keep_followings;
DROP TRIGGER list_edge_keep_connections;
DROP TRIGGER list_followers_insert;
DROP TRIGGER list_followings_insert;
DROP TRIGGER list_followers_delete;
DROP TRIGGER list_followings_delete;

CREATE TABLE list_edge_keep_queue (owner INTEGER NOT NULL);

CREATE TRIGGER list_edge_keep AFTER UPDATE OF followers_counter, followings_counter, connections_counter ON users
WHEN (NEW.followers_counter >= 1000 AND OLD.followers_counter < 1000)
    OR (NEW.followings_counter >= 1000 AND OLD.followings_counter < 1000)
    OR (NEW.connections_counter >= 1000 AND OLD.connections_counter < 1000)
BEGIN
    INSERT INTO list_edge_keep_queue (owner) VALUES (NEW.id);
END;

-- a list of 1000 or more not kept yet: its ranges from its edges (once)
CREATE TRIGGER list_edge_keep_build AFTER INSERT ON list_edge_keep_queue
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.owner, 0, l.level, e.created_us >> l.shift, count(*) FROM follows e CROSS JOIN users u
    ON u.id = e.follower_id, list_edge_levels l
    WHERE (SELECT followers_counter FROM users WHERE id = NEW.owner) >= 1000
    AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.owner AND list = 0 AND level = 1)
    AND e.followed_id = NEW.owner AND u.status IN ('a', 'b')
    GROUP BY 3, 4;
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.owner, 1, l.level, e.created_us >> l.shift, count(*) FROM follows e CROSS JOIN users u
    ON u.id = e.followed_id, list_edge_levels l
    WHERE (SELECT followings_counter FROM users WHERE id = NEW.owner) >= 1000
    AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.owner AND list = 1 AND level = 1)
    AND e.follower_id = NEW.owner AND u.status IN ('a', 'b')
    GROUP BY 3, 4;
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.owner, 2, l.level, e.created_us >> l.shift, count(*) FROM connections e CROSS JOIN users u
    ON u.id = e.other_id, list_edge_levels l
    WHERE (SELECT connections_counter FROM users WHERE id = NEW.owner) >= 1000
    AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.owner AND list = 2 AND level = 1)
    AND e.user_id = NEW.owner AND u.status IN ('a', 'b')
    GROUP BY 3, 4;
    -- an empty list is kept too
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.owner, l.list, 1, 0, 0 FROM users o CROSS JOIN (SELECT 0 AS list UNION ALL SELECT 1 UNION ALL SELECT 2) l
    WHERE o.id = NEW.owner AND CASE l.list WHEN 0 THEN o.followers_counter WHEN 1 THEN o.followings_counter
                                           ELSE o.connections_counter END >= 1000
    ON CONFLICT (owner, list, level, block) DO NOTHING;
    DELETE FROM list_edge_keep_queue;
END;

CREATE TABLE list_edge_delta (
    owner INTEGER NOT NULL,
    list INTEGER NOT NULL,
    created_us INTEGER NOT NULL,
    d INTEGER NOT NULL
);

-- an edge of a kept list came or went: its ranges
CREATE TRIGGER list_edge_delta_apply AFTER INSERT ON list_edge_delta
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.owner, NEW.list, level, NEW.created_us >> shift, NEW.d FROM list_edge_levels WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + excluded.n;
    DELETE FROM list_edge_delta;
END;

-- a follow or unfollow: the followed user's followers and the follower's
-- followings, when kept (and the user listed is visible)
CREATE TRIGGER list_follows_insert AFTER INSERT ON follows
WHEN EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.followed_id AND list = 0 AND level = 1)
    OR EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.follower_id AND list = 1 AND level = 1)
BEGIN
    INSERT INTO list_edge_delta (owner, list, created_us, d)
    SELECT NEW.followed_id, 0, NEW.created_us, 1
    WHERE EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.followed_id AND list = 0 AND level = 1)
    AND (SELECT status FROM users WHERE id = NEW.follower_id) IN ('a', 'b')
    UNION ALL
    SELECT NEW.follower_id, 1, NEW.created_us, 1
    WHERE EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.follower_id AND list = 1 AND level = 1)
    AND (SELECT status FROM users WHERE id = NEW.followed_id) IN ('a', 'b');
END;

CREATE TRIGGER list_follows_delete AFTER DELETE ON follows
WHEN EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.followed_id AND list = 0 AND level = 1)
    OR EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.follower_id AND list = 1 AND level = 1)
BEGIN
    INSERT INTO list_edge_delta (owner, list, created_us, d)
    SELECT OLD.followed_id, 0, OLD.created_us, -1
    WHERE EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.followed_id AND list = 0 AND level = 1)
    AND (SELECT status FROM users WHERE id = OLD.follower_id) IN ('a', 'b')
    UNION ALL
    SELECT OLD.follower_id, 1, OLD.created_us, -1
    WHERE EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.follower_id AND list = 1 AND level = 1)
    AND (SELECT status FROM users WHERE id = OLD.followed_id) IN ('a', 'b');
END;

DROP TRIGGER list_orders_insert;
DROP TRIGGER list_orders_delete;
DROP TRIGGER list_orders_update;
DROP VIEW list_order_ranges;

-- levels 9 and 10: the users with a non-empty key per id block, prefix ''
INSERT INTO list_order_levels (kind, level, len, shift, min_len) VALUES
    (2, 9, -1, 16, 0), (2, 10, -1, 8, 0), (3, 9, -1, 16, 0), (3, 10, -1, 8, 0);

-- the ranges every visible user falls in (an empty real_name or location:
-- none)
CREATE VIEW list_order_ranges (kind, level, prefix, block) AS
SELECT k.kind, l.level, CASE WHEN l.len < 0 THEN '' WHEN l.len = 0 THEN k.key ELSE substr(k.key, 1, l.len) END,
           CASE WHEN l.shift = 0 THEN 0 ELSE k.id >> l.shift END
FROM (SELECT id, 2 AS kind, real_name_fold AS key FROM users WHERE status IN ('a', 'b') AND real_name_fold <> ''
      UNION ALL SELECT id, 3, fold(location) FROM users WHERE status IN ('a', 'b') AND fold(location) <> ''
      UNION ALL SELECT id, 4, printf('%016x', date_joined_us) FROM users WHERE status IN ('a', 'b')) k
JOIN list_order_levels l ON l.kind = k.kind
WHERE length(k.key) >= l.min_len;

DELETE FROM list_order_counts WHERE kind IN (2, 3) AND prefix = '';
INSERT INTO list_order_counts (kind, level, prefix, block, n)
SELECT kind, level, prefix, block, count(*) FROM list_order_ranges WHERE kind IN (2, 3) AND level IN (9, 10)
GROUP BY kind, level, prefix, block;

-- One user's rows of the three orderings, each ordering's levels read by
-- their key (no temporary table); an empty key has none.
CREATE TRIGGER list_orders_insert AFTER INSERT ON users WHEN NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN NEW.real_name_fold
                             ELSE substr(NEW.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 2 AND NEW.real_name_fold <> '' AND length(NEW.real_name_fold) >= min_len
    UNION ALL
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN fold(NEW.location)
                             ELSE substr(fold(NEW.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 3 AND NEW.location <> '' AND length(fold(NEW.location)) >= min_len
    AND fold(NEW.location) <> ''
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN printf('%016x', NEW.date_joined_us)
                             ELSE substr(printf('%016x', NEW.date_joined_us), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 4
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_orders_delete AFTER DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN OLD.real_name_fold
                             ELSE substr(OLD.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE OLD.id >> shift END, -1
    FROM list_order_levels WHERE kind = 2 AND OLD.real_name_fold <> '' AND length(OLD.real_name_fold) >= min_len
    UNION ALL
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN fold(OLD.location)
                             ELSE substr(fold(OLD.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE OLD.id >> shift END, -1
    FROM list_order_levels WHERE kind = 3 AND OLD.location <> '' AND length(fold(OLD.location)) >= min_len
    AND fold(OLD.location) <> ''
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN printf('%016x', OLD.date_joined_us)
                             ELSE substr(printf('%016x', OLD.date_joined_us), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE OLD.id >> shift END, -1
    FROM list_order_levels WHERE kind = 4
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n - 1;
END;

-- a change of visibility or of a key: the old key's rows lose the user, the
-- new key's gain it (only the orderings whose key changed, unless the
-- visibility did); the rows of levels 9 and 10 only when the user enters
-- or leaves the visible users with a non-empty key; nothing for an update
-- that changes neither
CREATE TRIGGER list_orders_update AFTER UPDATE OF status, real_name_fold, location, date_joined_us ON users
WHEN (OLD.status IN ('a', 'b')) <> (NEW.status IN ('a', 'b'))
    OR (NEW.status IN ('a', 'b') AND (OLD.real_name_fold IS NOT NEW.real_name_fold OR OLD.location IS NOT NEW.location
                                      OR OLD.date_joined_us IS NOT NEW.date_joined_us))
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN OLD.real_name_fold
                             ELSE substr(OLD.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, -1
    FROM list_order_levels WHERE kind = 2 AND OLD.real_name_fold <> '' AND length(OLD.real_name_fold) >= min_len
    AND OLD.status IN ('a', 'b') AND (NEW.status NOT IN ('a', 'b') OR OLD.real_name_fold IS NOT NEW.real_name_fold)
    AND (len >= 0 OR NEW.status NOT IN ('a', 'b') OR NEW.real_name_fold = '')
    UNION ALL
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN NEW.real_name_fold
                             ELSE substr(NEW.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 2 AND NEW.real_name_fold <> '' AND length(NEW.real_name_fold) >= min_len
    AND NEW.status IN ('a', 'b') AND (OLD.status NOT IN ('a', 'b') OR OLD.real_name_fold IS NOT NEW.real_name_fold)
    AND (len >= 0 OR OLD.status NOT IN ('a', 'b') OR OLD.real_name_fold = '')
    UNION ALL
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN fold(OLD.location)
                             ELSE substr(fold(OLD.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, -1
    FROM list_order_levels WHERE kind = 3 AND OLD.location <> '' AND fold(OLD.location) <> ''
    AND length(fold(OLD.location)) >= min_len
    AND OLD.status IN ('a', 'b') AND (NEW.status NOT IN ('a', 'b') OR OLD.location IS NOT NEW.location)
    AND (len >= 0 OR NEW.status NOT IN ('a', 'b') OR fold(NEW.location) = '')
    UNION ALL
    SELECT kind, level, CASE WHEN len < 0 THEN '' WHEN len = 0 THEN fold(NEW.location)
                             ELSE substr(fold(NEW.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 3 AND NEW.location <> '' AND fold(NEW.location) <> ''
    AND length(fold(NEW.location)) >= min_len
    AND NEW.status IN ('a', 'b') AND (OLD.status NOT IN ('a', 'b') OR OLD.location IS NOT NEW.location)
    AND (len >= 0 OR OLD.status NOT IN ('a', 'b') OR fold(OLD.location) = '')
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN printf('%016x', OLD.date_joined_us)
                             ELSE substr(printf('%016x', OLD.date_joined_us), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, -1
    FROM list_order_levels WHERE kind = 4 AND OLD.status IN ('a', 'b')
    AND (NEW.status NOT IN ('a', 'b') OR OLD.date_joined_us IS NOT NEW.date_joined_us)
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN printf('%016x', NEW.date_joined_us)
                             ELSE substr(printf('%016x', NEW.date_joined_us), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 4 AND NEW.status IN ('a', 'b')
    AND (OLD.status NOT IN ('a', 'b') OR OLD.date_joined_us IS NOT NEW.date_joined_us)
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n + excluded.n;
END;
