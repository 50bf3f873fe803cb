-- 021_list_costs: the same maintained list counts (008_list_counts,
-- 016_list_orders, 017_list_levels) for less work per write, and an index
-- for the id ordering's seek.
--
-- 1. A follow or unfollow touches list_edge_counts only for a kept list
--    (1000 edges or more), which most lists are not. The triggers of 008
--    tested that inside their INSERT … SELECT, which reads list_edge_counts
--    while writing it, so SQLite copied the SELECT's rows into a temporary
--    table first, for every follow. The test is now each trigger's WHEN
--    (one trigger per list): most follows run no trigger body at all.
--
--    The triggers that start keeping a list when its counter reaches 1000
--    run (their WHEN) on every counter update, that is on every follow:
--    SQLite allocates and clears each trigger's frame, sized by its whole
--    program, before the WHEN. Their bodies read the one list they build
--    instead of every list of the view list_edge_ranges: smaller programs.
--
-- 2. The order counts' triggers joined the user's keys with the view of
--    levels (both compound SELECTs: SQLite materialized both, per write);
--    the levels are now a table, read by its key per ordering, so a write
--    runs no temporary table. The update trigger's WHEN skips updates that
--    change no key and no visibility (a profile update writes every
--    column).
--
-- 3. A key shorter than a prefix level's parent prefix (min_len) gets no
--    row at that level: the descent (list_plan.c) stops at the first level
--    longer than the key and never reads the deeper ones, and no range of
--    a longer parent prefix holds a shorter key. An empty real_name or
--    location (every signup's) now counts at its first level and its two
--    whole-key levels only: 3 rows instead of 6.
--
-- 4. The id ordering's seek ends walking at most 256 ids (list_counts'
--    level 2) to the one at its offset, and read each one's row for its
--    status; list_by_id holds the visible ids with their status (the
--    walk reads the index alone, as list_by_username's of 017; sqlite_list.c
--    names it).
--
-- The counts do not change but for the rows of 3, which go; `hearth check`
-- compares them with list_order_ranges, redefined with the same rule.

DROP TRIGGER list_follows_insert;
DROP TRIGGER list_follows_delete;

CREATE TRIGGER list_followers_insert AFTER INSERT ON follows
WHEN EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.followed_id AND list = 0 AND level = 1)
    AND (SELECT status FROM users WHERE id = NEW.follower_id) IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.followed_id, 0, level, NEW.created_us >> shift, 1 FROM list_edge_levels WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_followings_insert AFTER INSERT ON follows
WHEN EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.follower_id AND list = 1 AND level = 1)
    AND (SELECT status FROM users WHERE id = NEW.followed_id) IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.follower_id, 1, level, NEW.created_us >> shift, 1 FROM list_edge_levels WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_followers_delete AFTER DELETE ON follows
WHEN EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.followed_id AND list = 0 AND level = 1)
    AND (SELECT status FROM users WHERE id = OLD.follower_id) IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT OLD.followed_id, 0, level, OLD.created_us >> shift, -1 FROM list_edge_levels WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER list_followings_delete AFTER DELETE ON follows
WHEN EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.follower_id AND list = 1 AND level = 1)
    AND (SELECT status FROM users WHERE id = OLD.followed_id) IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT OLD.follower_id, 1, level, OLD.created_us >> shift, -1 FROM list_edge_levels WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n - 1;
END;

DROP TRIGGER list_edge_keep_followers;
DROP TRIGGER list_edge_keep_followings;
DROP TRIGGER list_edge_keep_connections;

CREATE TRIGGER list_edge_keep_followers AFTER UPDATE OF followers_counter ON users
WHEN NEW.followers_counter >= 1000 AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = 0
                                                   AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.id, 0, l.level, e.created_us >> l.shift, count(*) FROM follows e CROSS JOIN users u
    ON u.id = e.follower_id, list_edge_levels l WHERE e.followed_id = NEW.id AND u.status IN ('a', 'b')
    GROUP BY 3, 4;
    -- an empty list is kept too
    INSERT INTO list_edge_counts (owner, list, level, block, n) SELECT NEW.id, 0, 1, 0, 0 WHERE true
    ON CONFLICT (owner, list, level, block) DO NOTHING;
END;

CREATE TRIGGER list_edge_keep_followings AFTER UPDATE OF followings_counter ON users
WHEN NEW.followings_counter >= 1000 AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = 1
                                                    AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.id, 1, l.level, e.created_us >> l.shift, count(*) FROM follows e CROSS JOIN users u
    ON u.id = e.followed_id, list_edge_levels l WHERE e.follower_id = NEW.id AND u.status IN ('a', 'b')
    GROUP BY 3, 4;
    INSERT INTO list_edge_counts (owner, list, level, block, n) SELECT NEW.id, 1, 1, 0, 0 WHERE true
    ON CONFLICT (owner, list, level, block) DO NOTHING;
END;

CREATE TRIGGER list_edge_keep_connections AFTER UPDATE OF connections_counter ON users
WHEN NEW.connections_counter >= 1000 AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = 2
                                                     AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.id, 2, l.level, e.created_us >> l.shift, count(*) FROM connections e CROSS JOIN users u
    ON u.id = e.other_id, list_edge_levels l WHERE e.user_id = NEW.id AND u.status IN ('a', 'b')
    GROUP BY 3, 4;
    INSERT INTO list_edge_counts (owner, list, level, block, n) SELECT NEW.id, 2, 1, 0, 0 WHERE true
    ON CONFLICT (owner, list, level, block) DO NOTHING;
END;

DROP TRIGGER list_orders_insert;
DROP TRIGGER list_orders_delete;
DROP TRIGGER list_orders_update;
DROP VIEW list_order_ranges;
DROP VIEW list_order_levels;

-- the levels of each ordering (017's): prefix = the first len characters
-- of the key (len 0: the whole key), block = id >> shift (shift 0: 0);
-- min_len the length of the parent prefix level (0 for the first level
-- and the whole-key ones): a shorter key has no row at this level
CREATE TABLE list_order_levels (
    kind INTEGER NOT NULL,
    level INTEGER NOT NULL,
    len INTEGER NOT NULL,
    shift INTEGER NOT NULL,
    min_len INTEGER NOT NULL,
    PRIMARY KEY (kind, level)
) WITHOUT ROWID;

INSERT INTO list_order_levels (kind, level, len, shift, min_len) VALUES
    (2, 1, 1, 0, 0), (2, 2, 2, 0, 1), (2, 4, 4, 0, 2), (2, 6, 6, 0, 4), (2, 7, 0, 16, 0), (2, 8, 0, 8, 0),
    (3, 1, 1, 0, 0), (3, 2, 2, 0, 1), (3, 4, 4, 0, 2), (3, 6, 6, 0, 4), (3, 7, 0, 16, 0), (3, 8, 0, 8, 0),
    (4, 1, 5, 0, 0), (4, 2, 7, 0, 5), (4, 3, 9, 0, 7), (4, 7, 0, 16, 0), (4, 8, 0, 8, 0);

-- the ranges every visible user falls in
CREATE VIEW list_order_ranges (kind, level, prefix, block) AS
SELECT k.kind, l.level, CASE WHEN l.len = 0 THEN k.key ELSE substr(k.key, 1, l.len) END,
           CASE WHEN l.shift = 0 THEN 0 ELSE k.id >> l.shift END
FROM (SELECT id, 2 AS kind, real_name_fold AS key FROM users WHERE status IN ('a', 'b')
      UNION ALL SELECT id, 3, fold(location) FROM users WHERE status IN ('a', 'b')
      UNION ALL SELECT id, 4, printf('%016x', date_joined_us) FROM users WHERE status IN ('a', 'b')) k
JOIN list_order_levels l ON l.kind = k.kind
WHERE length(k.key) >= l.min_len;

DELETE FROM list_order_counts
WHERE kind IN (2, 3) AND level IN (2, 4, 6) AND length(prefix) < CASE level WHEN 2 THEN 1 WHEN 4 THEN 2 ELSE 4 END;

-- One user's rows of the three orderings: each ordering reads its levels
-- by their key (no temporary table).
CREATE TRIGGER list_orders_insert AFTER INSERT ON users WHEN NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT kind, level, CASE WHEN len = 0 THEN NEW.real_name_fold ELSE substr(NEW.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 2 AND length(NEW.real_name_fold) >= min_len
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN fold(NEW.location) ELSE substr(fold(NEW.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 3 AND length(fold(NEW.location)) >= min_len
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
    SELECT kind, level, CASE WHEN len = 0 THEN OLD.real_name_fold ELSE substr(OLD.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE OLD.id >> shift END, -1
    FROM list_order_levels WHERE kind = 2 AND length(OLD.real_name_fold) >= min_len
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN fold(OLD.location) ELSE substr(fold(OLD.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE OLD.id >> shift END, -1
    FROM list_order_levels WHERE kind = 3 AND length(fold(OLD.location)) >= min_len
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN printf('%016x', OLD.date_joined_us)
                             ELSE substr(printf('%016x', OLD.date_joined_us), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE OLD.id >> shift END, -1
    FROM list_order_levels WHERE kind = 4
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n - 1;
END;

-- a change of visibility or of a key: the old key's rows lose the user, the
-- new key's gain it (only the orderings whose key changed, unless the
-- visibility did); nothing for an update that changes neither
CREATE TRIGGER list_orders_update AFTER UPDATE OF status, real_name_fold, location, date_joined_us ON users
WHEN (OLD.status IN ('a', 'b')) <> (NEW.status IN ('a', 'b'))
    OR (NEW.status IN ('a', 'b') AND (OLD.real_name_fold IS NOT NEW.real_name_fold OR OLD.location IS NOT NEW.location
                                      OR OLD.date_joined_us IS NOT NEW.date_joined_us))
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT kind, level, CASE WHEN len = 0 THEN OLD.real_name_fold ELSE substr(OLD.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, -1
    FROM list_order_levels WHERE kind = 2 AND length(OLD.real_name_fold) >= min_len AND OLD.status IN ('a', 'b')
    AND (NEW.status NOT IN ('a', 'b') OR OLD.real_name_fold IS NOT NEW.real_name_fold)
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN NEW.real_name_fold ELSE substr(NEW.real_name_fold, 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 2 AND length(NEW.real_name_fold) >= min_len AND NEW.status IN ('a', 'b')
    AND (OLD.status NOT IN ('a', 'b') OR OLD.real_name_fold IS NOT NEW.real_name_fold)
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN fold(OLD.location) ELSE substr(fold(OLD.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, -1
    FROM list_order_levels WHERE kind = 3 AND length(fold(OLD.location)) >= min_len AND OLD.status IN ('a', 'b')
    AND (NEW.status NOT IN ('a', 'b') OR OLD.location IS NOT NEW.location)
    UNION ALL
    SELECT kind, level, CASE WHEN len = 0 THEN fold(NEW.location) ELSE substr(fold(NEW.location), 1, len) END,
           CASE WHEN shift = 0 THEN 0 ELSE NEW.id >> shift END, 1
    FROM list_order_levels WHERE kind = 3 AND length(fold(NEW.location)) >= min_len AND NEW.status IN ('a', 'b')
    AND (OLD.status NOT IN ('a', 'b') OR OLD.location IS NOT NEW.location)
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

CREATE INDEX list_by_id ON users (id, status) WHERE status IN ('a', 'b');
