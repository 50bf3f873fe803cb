-- 014_list_writes: the same maintained list counts (002_list_counts,
-- 007_list_orders, 010_list_levels) for fewer rows per write; the same
-- levels and rows as SQLite's 022_list_writes.
--
-- 1. The empty real_name and location (every signup's) get no rows in
--    list_order_counts. The users with an empty key are, in either
--    direction, one run ordered by id: its count is every visible user
--    (list_counts' kind 0) less the users with a non-empty key (the sum of
--    the ordering's level-1 ranges), and its id blocks those of list_counts
--    (levels 1 and 2: id >> 16, id >> 8) less the users with a non-empty key
--    in them, which two new levels count: 9 (id >> 16) and 10 (id >> 8),
--    prefix '' (len -1). list_plan.c derives the empty key's ranges in its
--    descent.
--
-- 2. A key shorter than a prefix level's parent prefix (min_len) gets no
--    row at that level, as in SQLite since 021_list_costs: the descent
--    stops at the first level longer than the key and never reads the
--    deeper ones.
--
-- 3. list_edge_keep runs only when a counter crosses 1000 upwards (its
--    function builds a list once, when it is not kept yet); it ran for
--    every counter update of a user with a long list.

DROP TRIGGER list_edge_keep ON users;
CREATE TRIGGER list_edge_keep AFTER UPDATE OF followers_counter, followings_counter, connections_counter ON users
FOR EACH ROW WHEN ((NEW.followers_counter >= 1000 AND OLD.followers_counter < 1000)
                   OR (NEW.followings_counter >= 1000 AND OLD.followings_counter < 1000)
                   OR (NEW.connections_counter >= 1000 AND OLD.connections_counter < 1000))
EXECUTE FUNCTION list_edge_keep();

DROP VIEW list_order_ranges;
DROP VIEW list_order_levels;

-- the levels of each ordering: prefix = the first len characters of the
-- key (len 0: the whole key, -1: ''), block = id >> shift (shift 0: 0);
-- min_len the length of the parent prefix level: a shorter key has no row
CREATE VIEW list_order_levels (kind, level, len, shift, min_len) AS
VALUES
    (2, 1, 1, 0, 0), (2, 2, 2, 0, 1), (2, 4, 4, 0, 2), (2, 6, 6, 0, 4), (2, 7, 0, 16, 0), (2, 8, 0, 8, 0),
    (2, 9, -1, 16, 0), (2, 10, -1, 8, 0),
    (3, 1, 1, 0, 0), (3, 2, 2, 0, 1), (3, 4, 4, 0, 2), (3, 6, 6, 0, 4), (3, 7, 0, 16, 0), (3, 8, 0, 8, 0),
    (3, 9, -1, 16, 0), (3, 10, -1, 8, 0),
    (4, 1, 5, 0, 0), (4, 2, 7, 0, 5), (4, 3, 9, 0, 7), (4, 7, 0, 16, 0), (4, 8, 0, 8, 0);

-- the ranges every visible user falls in (an empty real_name or location:
-- none)
CREATE VIEW list_order_ranges (kind, level, prefix, block) AS
SELECT k.kind, l.level,
       CASE WHEN l.len < 0 THEN '' WHEN l.len = 0 THEN k.key ELSE substring(k.key FROM 1 FOR l.len) END,
       CASE WHEN l.shift = 0 THEN 0 ELSE u.id >> l.shift END
FROM users u
CROSS JOIN LATERAL (VALUES (2, u.real_name_fold COLLATE "C"), (3, u.location_fold COLLATE "C"),
                           (4, lpad(to_hex(u.date_joined_us), 16, '0') COLLATE "C")) AS k(kind, key)
JOIN list_order_levels l ON l.kind = k.kind
WHERE u.status IN ('a', 'b') AND (k.kind = 4 OR k.key <> '') AND char_length(k.key) >= l.min_len;

-- the rows the rules above no longer keep, and levels 9 and 10
DELETE FROM list_order_counts c WHERE c.kind IN (2, 3) AND (c.prefix = '' OR (c.level IN (2, 4, 6)
    AND char_length(c.prefix) < CASE c.level WHEN 2 THEN 1 WHEN 4 THEN 2 ELSE 4 END));
INSERT INTO list_order_counts (kind, level, prefix, block, n)
SELECT kind, level, prefix, block, count(*) FROM list_order_ranges WHERE kind IN (2, 3) AND level IN (9, 10)
GROUP BY kind, level, prefix, block;

-- One statement per change: the old keys' ranges lose the user, the new
-- keys' gain it; what did not change cancels out (levels 9 and 10 between
-- two non-empty keys too).
CREATE OR REPLACE FUNCTION list_orders_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := false;
    is_now boolean := false;
    uid bigint;
    old_keys text[];
    new_keys text[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was := OLD.status IN ('a', 'b');
        uid := OLD.id;
        old_keys := ARRAY[OLD.real_name_fold, OLD.location_fold, lpad(to_hex(OLD.date_joined_us), 16, '0')];
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_now := NEW.status IN ('a', 'b');
        uid := NEW.id;
        new_keys := ARRAY[NEW.real_name_fold, NEW.location_fold, lpad(to_hex(NEW.date_joined_us), 16, '0')];
    END IF;
    INSERT INTO list_order_counts AS c (kind, level, prefix, block, n)
    SELECT r.kind, r.level, r.prefix, r.block, sum(r.d) FROM (
        SELECT k.kind, l.level,
               CASE WHEN l.len < 0 THEN '' WHEN l.len = 0 THEN k.key ELSE substring(k.key FROM 1 FOR l.len) END
                   COLLATE "C" AS prefix,
               CASE WHEN l.shift = 0 THEN 0 ELSE uid >> l.shift END AS block, k.d
        FROM (SELECT i + 1 AS kind, old_keys[i] AS key, -1 AS d FROM generate_series(1, 3) i WHERE was
              UNION ALL SELECT i + 1, new_keys[i], 1 FROM generate_series(1, 3) i WHERE is_now) k
        JOIN list_order_levels l ON l.kind = k.kind
        WHERE (k.kind = 4 OR k.key <> '') AND char_length(k.key) >= l.min_len
    ) r
    GROUP BY r.kind, r.level, r.prefix, r.block HAVING sum(r.d) <> 0
    ORDER BY r.kind, r.level, r.prefix, r.block
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;
