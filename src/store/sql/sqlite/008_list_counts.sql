-- 008_list_counts: maintained counts of visible users (status a or b) for
-- the user list and the followers, followings and connections lists, by key
-- range, so that a page at any offset is found by a short prefix sum and an
-- index range scan instead of counting and walking every row before it
-- (sqlite_list.c).
--
-- The user list:
-- One row per (ordering, level, key range) with the number of visible
-- users whose sort key falls in the range:
--   kind 0 (id):       level 0 key 0 = every visible user;
--                      level 1 key id / 65536; level 2 key id / 256
--   kind 1 (username): level k (1..6) key = the first k bytes of
--                      username_fold (a blob; shorter names: the whole name)
-- Ranges of one level are ordered like their keys, so the users before a
-- range are the sum of the ranges before it. Kept by the triggers below in
-- the transaction of the write; rows that drop to 0 stay (harmless).
-- Plain upserts (ON CONFLICT … DO UPDATE), also valid in PostgreSQL.

CREATE TABLE list_counts (
    kind INTEGER NOT NULL,
    level INTEGER NOT NULL,
    key NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, level, key)
) WITHOUT ROWID;

INSERT INTO list_counts (kind, level, key, n)
SELECT 0, 0, 0, count(*) FROM users WHERE status IN ('a', 'b');
INSERT INTO list_counts (kind, level, key, n)
SELECT 0, 1, id >> 16, count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 16;
INSERT INTO list_counts (kind, level, key, n)
SELECT 0, 2, id >> 8, count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 8;
INSERT INTO list_counts (kind, level, key, n)
SELECT 1, l.level, substr(CAST(u.username_fold AS BLOB), 1, l.level), count(*)
FROM users u, (SELECT 1 AS level UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
               UNION ALL SELECT 6) l
WHERE u.status IN ('a', 'b') GROUP BY 2, 3;

CREATE TRIGGER list_users_insert AFTER INSERT ON users WHEN NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO list_counts (kind, level, key, n) VALUES
        (0, 0, 0, 1), (0, 1, NEW.id >> 16, 1), (0, 2, NEW.id >> 8, 1),
        (1, 1, substr(CAST(NEW.username_fold AS BLOB), 1, 1), 1),
        (1, 2, substr(CAST(NEW.username_fold AS BLOB), 1, 2), 1),
        (1, 3, substr(CAST(NEW.username_fold AS BLOB), 1, 3), 1),
        (1, 4, substr(CAST(NEW.username_fold AS BLOB), 1, 4), 1),
        (1, 5, substr(CAST(NEW.username_fold AS BLOB), 1, 5), 1),
        (1, 6, substr(CAST(NEW.username_fold AS BLOB), 1, 6), 1)
    ON CONFLICT (kind, level, key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_users_delete AFTER DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    INSERT INTO list_counts (kind, level, key, n) VALUES
        (0, 0, 0, -1), (0, 1, OLD.id >> 16, -1), (0, 2, OLD.id >> 8, -1),
        (1, 1, substr(CAST(OLD.username_fold AS BLOB), 1, 1), -1),
        (1, 2, substr(CAST(OLD.username_fold AS BLOB), 1, 2), -1),
        (1, 3, substr(CAST(OLD.username_fold AS BLOB), 1, 3), -1),
        (1, 4, substr(CAST(OLD.username_fold AS BLOB), 1, 4), -1),
        (1, 5, substr(CAST(OLD.username_fold AS BLOB), 1, 5), -1),
        (1, 6, substr(CAST(OLD.username_fold AS BLOB), 1, 6), -1)
    ON CONFLICT (kind, level, key) DO UPDATE SET n = n - 1;
END;

-- a status or username change: the old row leaves, the new one enters
CREATE TRIGGER list_users_leave AFTER UPDATE OF status, username_fold ON users
WHEN OLD.status IN ('a', 'b') AND (NEW.status NOT IN ('a', 'b') OR NEW.username_fold <> OLD.username_fold)
BEGIN
    INSERT INTO list_counts (kind, level, key, n) VALUES
        (0, 0, 0, -1), (0, 1, OLD.id >> 16, -1), (0, 2, OLD.id >> 8, -1),
        (1, 1, substr(CAST(OLD.username_fold AS BLOB), 1, 1), -1),
        (1, 2, substr(CAST(OLD.username_fold AS BLOB), 1, 2), -1),
        (1, 3, substr(CAST(OLD.username_fold AS BLOB), 1, 3), -1),
        (1, 4, substr(CAST(OLD.username_fold AS BLOB), 1, 4), -1),
        (1, 5, substr(CAST(OLD.username_fold AS BLOB), 1, 5), -1),
        (1, 6, substr(CAST(OLD.username_fold AS BLOB), 1, 6), -1)
    ON CONFLICT (kind, level, key) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER list_users_enter AFTER UPDATE OF status, username_fold ON users
WHEN NEW.status IN ('a', 'b') AND (OLD.status NOT IN ('a', 'b') OR NEW.username_fold <> OLD.username_fold)
BEGIN
    INSERT INTO list_counts (kind, level, key, n) VALUES
        (0, 0, 0, 1), (0, 1, NEW.id >> 16, 1), (0, 2, NEW.id >> 8, 1),
        (1, 1, substr(CAST(NEW.username_fold AS BLOB), 1, 1), 1),
        (1, 2, substr(CAST(NEW.username_fold AS BLOB), 1, 2), 1),
        (1, 3, substr(CAST(NEW.username_fold AS BLOB), 1, 3), 1),
        (1, 4, substr(CAST(NEW.username_fold AS BLOB), 1, 4), 1),
        (1, 5, substr(CAST(NEW.username_fold AS BLOB), 1, 5), 1),
        (1, 6, substr(CAST(NEW.username_fold AS BLOB), 1, 6), 1)
    ON CONFLICT (kind, level, key) DO UPDATE SET n = n + 1;
END;

-- The edge lists: list_edge_counts has, per list owner and list (0
-- followers: follows.followed_id owns, follower listed; 1 followings:
-- follows.follower_id owns, followed listed; 2 connections:
-- connections.user_id owns, other_id listed), the number of edges to a
-- visible user per range of created_us: level 1 key created_us >> 40 (about
-- 12.7 days), level 2 >> 32 (about 72 minutes), level 3 >> 24 (about 17
-- seconds); each range holds 256 of the next level's.
--
-- Only long lists have them: an owner's list gets its ranges when its
-- counter (followers_counter, followings_counter, connections_counter)
-- reaches 1000, built from the edges by the trigger on the counter, and
-- keeps them from then on (a level-1 row marks the list as kept). Shorter
-- lists walk at most 1000 edges for any page, and most users' follows then
-- cost no maintenance.
CREATE TABLE list_edge_counts (
    owner INTEGER NOT NULL,
    list INTEGER NOT NULL,
    level INTEGER NOT NULL,
    block INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (owner, list, level, block)
) WITHOUT ROWID;

CREATE VIEW list_edge_levels (level, shift) AS
SELECT 1, 40 UNION ALL SELECT 2, 32 UNION ALL SELECT 3, 24;

-- the ranges every edge to a visible user falls in
CREATE VIEW list_edge_ranges (owner, list, level, block) AS
SELECT e.followed_id, 0, l.level, e.created_us >> l.shift FROM follows e CROSS JOIN users u ON u.id = e.follower_id,
    list_edge_levels l WHERE u.status IN ('a', 'b')
UNION ALL
SELECT e.follower_id, 1, l.level, e.created_us >> l.shift FROM follows e CROSS JOIN users u ON u.id = e.followed_id,
    list_edge_levels l WHERE u.status IN ('a', 'b')
UNION ALL
SELECT e.user_id, 2, l.level, e.created_us >> l.shift FROM connections e CROSS JOIN users u ON u.id = e.other_id,
    list_edge_levels l WHERE u.status IN ('a', 'b');

-- the long lists' ranges, finest level first, each coarser one from the level below it
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT e.followed_id, 0, 3, e.created_us >> 24, count(*) FROM users o CROSS JOIN follows e ON e.followed_id = o.id
CROSS JOIN users u ON u.id = e.follower_id WHERE o.followers_counter >= 1000 AND u.status IN ('a', 'b')
GROUP BY e.followed_id, e.created_us >> 24;
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT e.follower_id, 1, 3, e.created_us >> 24, count(*) FROM users o CROSS JOIN follows e ON e.follower_id = o.id
CROSS JOIN users u ON u.id = e.followed_id WHERE o.followings_counter >= 1000 AND u.status IN ('a', 'b')
GROUP BY e.follower_id, e.created_us >> 24;
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT e.user_id, 2, 3, e.created_us >> 24, count(*) FROM users o CROSS JOIN connections e ON e.user_id = o.id
CROSS JOIN users u ON u.id = e.other_id WHERE o.connections_counter >= 1000 AND u.status IN ('a', 'b')
GROUP BY e.user_id, e.created_us >> 24;
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT owner, list, 2, block >> 8, sum(n) FROM list_edge_counts WHERE level = 3 GROUP BY owner, list, block >> 8;
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT owner, list, 1, block >> 8, sum(n) FROM list_edge_counts WHERE level = 2 GROUP BY owner, list, block >> 8;

-- a list reaching 1000: its ranges from its edges (once)
CREATE TRIGGER list_edge_keep_followers AFTER UPDATE OF followers_counter ON users
WHEN NEW.followers_counter >= 1000 AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = 0
                                                   AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT owner, list, level, block, count(*) FROM list_edge_ranges WHERE owner = NEW.id AND list = 0
    GROUP BY owner, list, level, block;
    -- an empty list is kept too
    INSERT INTO list_edge_counts (owner, list, level, block, n) SELECT NEW.id, 0, 1, 0, 0 WHERE true
    ON CONFLICT (owner, list, level, block) DO NOTHING;
END;

CREATE TRIGGER list_edge_keep_followings AFTER UPDATE OF followings_counter ON users
WHEN NEW.followings_counter >= 1000 AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = 1
                                                    AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT owner, list, level, block, count(*) FROM list_edge_ranges WHERE owner = NEW.id AND list = 1
    GROUP BY owner, list, level, block;
    INSERT INTO list_edge_counts (owner, list, level, block, n) SELECT NEW.id, 1, 1, 0, 0 WHERE true
    ON CONFLICT (owner, list, level, block) DO NOTHING;
END;

CREATE TRIGGER list_edge_keep_connections AFTER UPDATE OF connections_counter ON users
WHEN NEW.connections_counter >= 1000 AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = 2
                                                     AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT owner, list, level, block, count(*) FROM list_edge_ranges WHERE owner = NEW.id AND list = 2
    GROUP BY owner, list, level, block;
    INSERT INTO list_edge_counts (owner, list, level, block, n) SELECT NEW.id, 2, 1, 0, 0 WHERE true
    ON CONFLICT (owner, list, level, block) DO NOTHING;
END;

CREATE TRIGGER list_follows_insert AFTER INSERT ON follows
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.followed_id, 0, l.level, NEW.created_us >> l.shift, 1 FROM list_edge_levels l
    WHERE (SELECT status FROM users WHERE id = NEW.follower_id) IN ('a', 'b')
    AND EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.followed_id AND list = 0 AND level = 1)
    UNION ALL
    SELECT NEW.follower_id, 1, l.level, NEW.created_us >> l.shift, 1 FROM list_edge_levels l
    WHERE (SELECT status FROM users WHERE id = NEW.followed_id) IN ('a', 'b')
    AND EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.follower_id AND list = 1 AND level = 1)
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_follows_delete AFTER DELETE ON follows
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT OLD.followed_id, 0, l.level, OLD.created_us >> l.shift, -1 FROM list_edge_levels l
    WHERE (SELECT status FROM users WHERE id = OLD.follower_id) IN ('a', 'b')
    AND EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.followed_id AND list = 0 AND level = 1)
    UNION ALL
    SELECT OLD.follower_id, 1, l.level, OLD.created_us >> l.shift, -1 FROM list_edge_levels l
    WHERE (SELECT status FROM users WHERE id = OLD.followed_id) IN ('a', 'b')
    AND EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.follower_id AND list = 1 AND level = 1)
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER list_connections_insert AFTER INSERT ON connections
WHEN (SELECT status FROM users WHERE id = NEW.other_id) IN ('a', 'b')
    AND EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.user_id AND list = 2 AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.user_id, 2, l.level, NEW.created_us >> l.shift, 1 FROM list_edge_levels l WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_connections_delete AFTER DELETE ON connections
WHEN (SELECT status FROM users WHERE id = OLD.other_id) IN ('a', 'b')
    AND EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = OLD.user_id AND list = 2 AND level = 1)
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT OLD.user_id, 2, l.level, OLD.created_us >> l.shift, -1 FROM list_edge_levels l WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n - 1;
END;

-- A user who stops or starts being visible leaves or enters the kept lists
-- of everyone related to them (as the counters do, in the same
-- transaction). A deleted row is handled before the delete, while its
-- edges still exist; the cascaded edge deletes then find no visible user
-- and change nothing.
CREATE TRIGGER list_users_edges_leave AFTER UPDATE OF status ON users
WHEN OLD.status IN ('a', 'b') AND NEW.status NOT IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT e.followed_id, 0, l.level, e.created_us >> l.shift, -1 FROM follows e, list_edge_levels l
    WHERE e.follower_id = OLD.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.followed_id AND c.list = 0 AND c.level = 1)
    UNION ALL
    SELECT e.follower_id, 1, l.level, e.created_us >> l.shift, -1 FROM follows e, list_edge_levels l
    WHERE e.followed_id = OLD.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.follower_id AND c.list = 1 AND c.level = 1)
    UNION ALL
    SELECT e.user_id, 2, l.level, e.created_us >> l.shift, -1 FROM connections e, list_edge_levels l
    WHERE e.other_id = OLD.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.user_id AND c.list = 2 AND c.level = 1)
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER list_users_edges_enter AFTER UPDATE OF status ON users
WHEN NEW.status IN ('a', 'b') AND OLD.status NOT IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT e.followed_id, 0, l.level, e.created_us >> l.shift, +1 FROM follows e, list_edge_levels l
    WHERE e.follower_id = NEW.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.followed_id AND c.list = 0 AND c.level = 1)
    UNION ALL
    SELECT e.follower_id, 1, l.level, e.created_us >> l.shift, +1 FROM follows e, list_edge_levels l
    WHERE e.followed_id = NEW.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.follower_id AND c.list = 1 AND c.level = 1)
    UNION ALL
    SELECT e.user_id, 2, l.level, e.created_us >> l.shift, +1 FROM connections e, list_edge_levels l
    WHERE e.other_id = NEW.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.user_id AND c.list = 2 AND c.level = 1)
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_users_edges_delete BEFORE DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT e.followed_id, 0, l.level, e.created_us >> l.shift, -1 FROM follows e, list_edge_levels l
    WHERE e.follower_id = OLD.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.followed_id AND c.list = 0 AND c.level = 1)
    UNION ALL
    SELECT e.follower_id, 1, l.level, e.created_us >> l.shift, -1 FROM follows e, list_edge_levels l
    WHERE e.followed_id = OLD.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.follower_id AND c.list = 1 AND c.level = 1)
    UNION ALL
    SELECT e.user_id, 2, l.level, e.created_us >> l.shift, -1 FROM connections e, list_edge_levels l
    WHERE e.other_id = OLD.id AND EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = e.user_id AND c.list = 2 AND c.level = 1)
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n - 1;
END;
