-- 002_list_counts: maintained counts of visible users (status a or b) for
-- the user list and the followers, followings and connections lists, by key
-- range, so that a page at any offset is found by a short prefix sum and an
-- index range scan instead of counting and walking every row before it
-- (pg_list.c). The PostgreSQL form of SQLite's 008_list_counts.
--
-- Also the indexes of the user list's orderings (visible users only).

CREATE INDEX IF NOT EXISTS list_by_username ON users (username_fold COLLATE "C") WHERE status IN ('a', 'b');
CREATE INDEX IF NOT EXISTS list_by_real_name ON users (real_name_fold COLLATE "C", id) WHERE status IN ('a', 'b');
CREATE INDEX IF NOT EXISTS list_by_location ON users (location_fold COLLATE "C", id) WHERE status IN ('a', 'b');
CREATE INDEX IF NOT EXISTS list_by_joined ON users (date_joined_us, id) WHERE status IN ('a', 'b');

-- The user list:
-- One row per (ordering, level, key range) with the number of visible
-- users whose sort key falls in the range:
--   kind 0 (id):       level 0 key 0 = every visible user;
--                      level 1 key id >> 16; level 2 key id >> 8 (prefix '')
--   kind 1 (username): level k (1..6) prefix = the first k characters of
--                      username_fold (shorter names: the whole name; key 0)
-- (SQLite keys its username ranges by the first k bytes; characters keep
-- every key valid text and order the ranges the same way, bytewise.)
-- Ranges of one level are ordered like their keys, so the users before a
-- range are the sum of the ranges before it. Kept by the triggers below in
-- the transaction of the write, by upserts that add to n (exact under
-- concurrent writers); rows that drop to 0 stay (harmless).
CREATE TABLE list_counts (
    kind integer NOT NULL,
    level integer NOT NULL,
    key bigint NOT NULL,
    prefix text COLLATE "C" NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (kind, level, key, prefix)
);

INSERT INTO list_counts (kind, level, key, prefix, n)
SELECT 0, 0, 0, '', count(*) FROM users WHERE status IN ('a', 'b');
INSERT INTO list_counts (kind, level, key, prefix, n)
SELECT 0, 1, id >> 16, '', count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 16;
INSERT INTO list_counts (kind, level, key, prefix, n)
SELECT 0, 2, id >> 8, '', count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 8;
INSERT INTO list_counts (kind, level, key, prefix, n)
SELECT 1, l.level, 0, substring(u.username_fold FROM 1 FOR l.level), count(*)
FROM users u CROSS JOIN generate_series(1, 6) AS l(level)
WHERE u.status IN ('a', 'b') GROUP BY 2, 4;

-- One statement per change: the id ranges when the user becomes visible or
-- stops being visible, the username ranges of the old and the new name
-- when visibility or the name changes (a rename's shared prefixes cancel
-- out). Rows are taken in key order, so two writers cannot deadlock here.
CREATE FUNCTION list_users_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := false;
    is_now boolean := false;
    old_name text;
    new_name text;
    uid bigint;
    d_id bigint := 0;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was := OLD.status IN ('a', 'b');
        old_name := OLD.username_fold;
        uid := OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_now := NEW.status IN ('a', 'b');
        new_name := NEW.username_fold;
        uid := NEW.id;
    END IF;
    IF was AND NOT is_now THEN
        d_id := -1;
    ELSIF is_now AND NOT was THEN
        d_id := 1;
    END IF;
    IF NOT (was AND is_now AND old_name = new_name) THEN
        INSERT INTO list_counts AS c (kind, level, key, prefix, n)
        SELECT r.kind, r.level, r.key, r.prefix, sum(r.d) FROM (
            SELECT 0 AS kind, 0 AS level, 0::bigint AS key, ''::text COLLATE "C" AS prefix, d_id AS d
            WHERE d_id <> 0
            UNION ALL SELECT 0, 1, uid >> 16, '', d_id WHERE d_id <> 0
            UNION ALL SELECT 0, 2, uid >> 8, '', d_id WHERE d_id <> 0
            UNION ALL SELECT 1, l, 0, substring(old_name FROM 1 FOR l), -1 FROM generate_series(1, 6) l WHERE was
            UNION ALL SELECT 1, l, 0, substring(new_name FROM 1 FOR l), 1 FROM generate_series(1, 6) l WHERE is_now
        ) r
        GROUP BY r.kind, r.level, r.key, r.prefix HAVING sum(r.d) <> 0
        ORDER BY r.kind, r.level, r.key, r.prefix
        ON CONFLICT (kind, level, key, prefix) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER list_users_insert AFTER INSERT ON users
FOR EACH ROW WHEN (NEW.status IN ('a', 'b')) EXECUTE FUNCTION list_users_change();
CREATE TRIGGER list_users_update AFTER UPDATE OF status, username_fold ON users
FOR EACH ROW WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b'))
                   AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.username_fold IS DISTINCT FROM NEW.username_fold))
EXECUTE FUNCTION list_users_change();
CREATE TRIGGER list_users_delete AFTER DELETE ON users
FOR EACH ROW WHEN (OLD.status IN ('a', 'b')) EXECUTE FUNCTION list_users_change();

-- The edge lists: list_edge_counts has, per list owner and list (0
-- followers: follows.followed_id owns, follower listed; 1 followings:
-- follows.follower_id owns, followed listed; 2 connections:
-- connections.user_id owns, other_id listed), the number of edges to a
-- visible user per range of created_us: level 1 block created_us >> 40
-- (about 12.7 days), level 2 >> 32 (about 72 minutes), level 3 >> 24 (about
-- 17 seconds); each range holds 256 of the next level's.
--
-- Only long lists have them: an owner's list gets its ranges when its
-- counter (followers_counter, followings_counter, connections_counter)
-- reaches 1000, built from the edges by the trigger on the counter, and
-- keeps them from then on (a level-1 row marks the list as kept). Shorter
-- lists walk at most 1000 edges for any page, and most users' follows then
-- cost no maintenance.
--
-- Exact under concurrent writers (READ COMMITTED): the ranges change by
-- upserts that add to n, and what a trigger reads before writing (a
-- listed user's status, whether a list is kept, the edges of a list being
-- built) is behind row locks on the users concerned (FOR SHARE), so a
-- concurrent status change or build commits before the read or after the
-- write. Writers that lock their users first (store_lock_users) already
-- hold stronger locks; the others may meet a deadlock, which PostgreSQL
-- detects and the request layer retries.
CREATE TABLE list_edge_counts (
    owner bigint NOT NULL,
    list integer NOT NULL,
    level integer NOT NULL,
    block bigint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (owner, list, level, block)
);

CREATE VIEW list_edge_levels (level, shift) AS
SELECT 1, 40 UNION ALL SELECT 2, 32 UNION ALL SELECT 3, 24;

-- the ranges every edge to a visible user falls in
CREATE VIEW list_edge_ranges (owner, list, level, block) AS
SELECT e.followed_id, 0, l.level, e.created_us >> l.shift FROM follows e JOIN users u ON u.id = e.follower_id
    CROSS JOIN list_edge_levels l WHERE u.status IN ('a', 'b')
UNION ALL
SELECT e.follower_id, 1, l.level, e.created_us >> l.shift FROM follows e JOIN users u ON u.id = e.followed_id
    CROSS JOIN list_edge_levels l WHERE u.status IN ('a', 'b')
UNION ALL
SELECT e.user_id, 2, l.level, e.created_us >> l.shift FROM connections e JOIN users u ON u.id = e.other_id
    CROSS JOIN list_edge_levels l WHERE u.status IN ('a', 'b');

-- the long lists' ranges (a database that already has users)
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT r.owner, r.list, r.level, r.block, count(*) FROM list_edge_ranges r JOIN users o ON o.id = r.owner
WHERE (r.list = 0 AND o.followers_counter >= 1000) OR (r.list = 1 AND o.followings_counter >= 1000)
   OR (r.list = 2 AND o.connections_counter >= 1000)
GROUP BY r.owner, r.list, r.level, r.block;
INSERT INTO list_edge_counts (owner, list, level, block, n)
SELECT o.id, l.list, 1, 0, 0 FROM users o
CROSS JOIN (VALUES (0), (1), (2)) AS l(list)
WHERE (l.list = 0 AND o.followers_counter >= 1000) OR (l.list = 1 AND o.followings_counter >= 1000)
   OR (l.list = 2 AND o.connections_counter >= 1000)
ON CONFLICT (owner, list, level, block) DO NOTHING;

-- a list reaching 1000: its ranges from its edges (once)
CREATE FUNCTION list_edge_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counters bigint[] := ARRAY[NEW.followers_counter, NEW.followings_counter, NEW.connections_counter];
BEGIN
    FOR i IN 0 .. 2 LOOP
        IF counters[i + 1] >= 1000
           AND NOT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = NEW.id AND list = i AND level = 1) THEN
            -- the listed users' rows: a concurrent status change of one of
            -- them commits before the count (which then sees it) or waits
            -- until this list is kept (and then updates it)
            IF i = 0 THEN
                PERFORM 1 FROM follows e JOIN users u ON u.id = e.follower_id WHERE e.followed_id = NEW.id
                ORDER BY u.id FOR SHARE OF u;
            ELSIF i = 1 THEN
                PERFORM 1 FROM follows e JOIN users u ON u.id = e.followed_id WHERE e.follower_id = NEW.id
                ORDER BY u.id FOR SHARE OF u;
            ELSE
                PERFORM 1 FROM connections e JOIN users u ON u.id = e.other_id WHERE e.user_id = NEW.id
                ORDER BY u.id FOR SHARE OF u;
            END IF;
            INSERT INTO list_edge_counts (owner, list, level, block, n)
            SELECT r.owner, r.list, r.level, r.block, count(*) FROM list_edge_ranges r
            WHERE r.owner = NEW.id AND r.list = i
            GROUP BY r.owner, r.list, r.level, r.block;
            -- an empty list is kept too
            INSERT INTO list_edge_counts (owner, list, level, block, n) VALUES (NEW.id, i, 1, 0, 0)
            ON CONFLICT (owner, list, level, block) DO NOTHING;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER list_edge_keep AFTER UPDATE OF followers_counter, followings_counter, connections_counter ON users
FOR EACH ROW WHEN (NEW.followers_counter >= 1000 OR NEW.followings_counter >= 1000
                   OR NEW.connections_counter >= 1000)
EXECUTE FUNCTION list_edge_keep();

-- An edge added or removed: the ranges of the kept lists it is in (to a
-- visible user). Both users' rows are locked first (FOR SHARE; a no-op
-- under the stronger lock store_lock_users already took), so a
-- concurrent status change of either, or a build of either's list
-- (list_edge_keep), commits before what this reads or after what it
-- writes. Most lists are not kept: then one lookup is all.
CREATE FUNCTION list_follows_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r follows%ROWTYPE;
    d bigint;
    kept_followers boolean;
    kept_followings boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        r := NEW;
        d := 1;
    ELSE
        r := OLD;
        d := -1;
    END IF;
    PERFORM 1 FROM users WHERE id IN (r.follower_id, r.followed_id) ORDER BY id FOR SHARE;
    SELECT EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = r.followed_id AND list = 0 AND level = 1),
           EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = r.follower_id AND list = 1 AND level = 1)
    INTO kept_followers, kept_followings;
    IF kept_followers THEN
        IF (SELECT status FROM users WHERE id = r.follower_id) IN ('a', 'b') THEN
            INSERT INTO list_edge_counts AS c (owner, list, level, block, n)
            SELECT r.followed_id, 0, l.level, r.created_us >> l.shift, d FROM list_edge_levels l ORDER BY l.level
            ON CONFLICT (owner, list, level, block) DO UPDATE SET n = c.n + excluded.n;
        END IF;
    END IF;
    IF kept_followings THEN
        IF (SELECT status FROM users WHERE id = r.followed_id) IN ('a', 'b') THEN
            INSERT INTO list_edge_counts AS c (owner, list, level, block, n)
            SELECT r.follower_id, 1, l.level, r.created_us >> l.shift, d FROM list_edge_levels l ORDER BY l.level
            ON CONFLICT (owner, list, level, block) DO UPDATE SET n = c.n + excluded.n;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER list_follows_change AFTER INSERT OR DELETE ON follows
FOR EACH ROW EXECUTE FUNCTION list_follows_change();

CREATE FUNCTION list_connections_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r connections%ROWTYPE;
    d bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        r := NEW;
        d := 1;
    ELSE
        r := OLD;
        d := -1;
    END IF;
    PERFORM 1 FROM users WHERE id IN (r.user_id, r.other_id) ORDER BY id FOR SHARE; -- as for follows
    IF EXISTS (SELECT 1 FROM list_edge_counts WHERE owner = r.user_id AND list = 2 AND level = 1) THEN
        IF (SELECT status FROM users WHERE id = r.other_id) IN ('a', 'b') THEN
            INSERT INTO list_edge_counts AS c (owner, list, level, block, n)
            SELECT r.user_id, 2, l.level, r.created_us >> l.shift, d FROM list_edge_levels l ORDER BY l.level
            ON CONFLICT (owner, list, level, block) DO UPDATE SET n = c.n + excluded.n;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER list_connections_change AFTER INSERT OR DELETE ON connections
FOR EACH ROW EXECUTE FUNCTION list_connections_change();

-- A user who stops or starts being visible leaves or enters the kept lists
-- of everyone related to them (as the counters do, in the same
-- transaction). A deleted row is handled before the delete, while its
-- edges still exist; the cascaded edge deletes then find no visible user
-- and change nothing.
CREATE FUNCTION list_users_edges_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    uid bigint;
    d bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        uid := OLD.id;
        d := -1;
    ELSIF NEW.status IN ('a', 'b') THEN
        uid := NEW.id;
        d := 1;
    ELSE
        uid := NEW.id;
        d := -1;
    END IF;
    INSERT INTO list_edge_counts AS c (owner, list, level, block, n)
    SELECT x.owner, x.list, x.level, x.block, sum(x.d) FROM (
        SELECT e.followed_id AS owner, 0 AS list, l.level, e.created_us >> l.shift AS block, d
        FROM follows e CROSS JOIN list_edge_levels l
        WHERE e.follower_id = uid
          AND EXISTS (SELECT 1 FROM list_edge_counts k WHERE k.owner = e.followed_id AND k.list = 0 AND k.level = 1)
        UNION ALL
        SELECT e.follower_id, 1, l.level, e.created_us >> l.shift, d FROM follows e CROSS JOIN list_edge_levels l
        WHERE e.followed_id = uid
          AND EXISTS (SELECT 1 FROM list_edge_counts k WHERE k.owner = e.follower_id AND k.list = 1 AND k.level = 1)
        UNION ALL
        SELECT e.user_id, 2, l.level, e.created_us >> l.shift, d FROM connections e CROSS JOIN list_edge_levels l
        WHERE e.other_id = uid
          AND EXISTS (SELECT 1 FROM list_edge_counts k WHERE k.owner = e.user_id AND k.list = 2 AND k.level = 1)
    ) x
    GROUP BY x.owner, x.list, x.level, x.block
    ORDER BY x.owner, x.list, x.level, x.block
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = c.n + excluded.n;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER list_users_edges_change AFTER UPDATE OF status ON users
FOR EACH ROW WHEN ((OLD.status IN ('a', 'b')) IS DISTINCT FROM (NEW.status IN ('a', 'b')))
EXECUTE FUNCTION list_users_edges_change();
CREATE TRIGGER list_users_edges_delete BEFORE DELETE ON users
FOR EACH ROW WHEN (OLD.status IN ('a', 'b')) EXECUTE FUNCTION list_users_edges_change();
