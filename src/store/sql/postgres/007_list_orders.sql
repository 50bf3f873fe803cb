-- 007_list_orders: maintained counts of visible users (status a or b) by
-- key range for the user list's orderings real_name, location and
-- date_joined (either direction), so that their pages at any offset seek
-- (list_plan.c explains the levels and the descent) instead of walking
-- OFFSET rows. The PostgreSQL form of SQLite's 016_list_orders, with the
-- same table, levels and keys: kind 2 real_name_fold, kind 3 location_fold,
-- kind 4 date_joined_us as 16 hex digits (ordered as the number); text
-- compared bytewise (COLLATE "C"), prefixes in characters as SQLite's
-- substr. The orderings' indexes are 002_list_counts' list_by_real_name,
-- list_by_location and list_by_joined.
--
-- Kept by the trigger below in the transaction of the write, by upserts
-- that add to n (exact under concurrent writers), rows taken in key order;
-- rows that drop to 0 stay (harmless).
CREATE TABLE list_order_counts (
    kind integer NOT NULL,
    level integer NOT NULL,
    prefix text COLLATE "C" NOT NULL,
    block bigint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (kind, level, prefix, block)
);

-- the levels of each ordering: prefix = the first len characters of the
-- key (len 0: the whole key), block = id >> shift (shift 0: 0)
CREATE VIEW list_order_levels (kind, level, len, shift) AS
VALUES
    (2, 1, 1, 0), (2, 2, 2, 0), (2, 3, 3, 0), (2, 4, 4, 0), (2, 5, 5, 0), (2, 6, 6, 0), (2, 7, 0, 16),
    (2, 8, 0, 8), (3, 1, 1, 0), (3, 2, 2, 0), (3, 3, 3, 0), (3, 4, 4, 0), (3, 5, 5, 0), (3, 6, 6, 0),
    (3, 7, 0, 16), (3, 8, 0, 8), (4, 1, 5, 0), (4, 2, 7, 0), (4, 3, 9, 0), (4, 4, 11, 0), (4, 5, 13, 0),
    (4, 7, 0, 16), (4, 8, 0, 8);

-- the ranges every visible user falls in
CREATE VIEW list_order_ranges (kind, level, prefix, block) AS
SELECT k.kind, l.level, CASE WHEN l.len = 0 THEN k.key ELSE substring(k.key FROM 1 FOR l.len) END,
       CASE WHEN l.shift = 0 THEN 0 ELSE u.id >> l.shift END
FROM users u
CROSS JOIN LATERAL (VALUES (2, u.real_name_fold COLLATE "C"), (3, u.location_fold COLLATE "C"),
                           (4, lpad(to_hex(u.date_joined_us), 16, '0') COLLATE "C")) AS k(kind, key)
JOIN list_order_levels l ON l.kind = k.kind
WHERE u.status IN ('a', 'b');

INSERT INTO list_order_counts (kind, level, prefix, block, n)
SELECT kind, level, prefix, block, count(*) FROM list_order_ranges GROUP BY kind, level, prefix, block;

-- One statement per change: the old keys' ranges lose the user, the new
-- keys' gain it; what did not change cancels out.
CREATE FUNCTION list_orders_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
               CASE WHEN l.len = 0 THEN k.key ELSE substring(k.key FROM 1 FOR l.len) END COLLATE "C" AS prefix,
               CASE WHEN l.shift = 0 THEN 0 ELSE uid >> l.shift END AS block, k.d
        FROM (SELECT i + 1 AS kind, old_keys[i] AS key, -1 AS d FROM generate_series(1, 3) i WHERE was
              UNION ALL SELECT i + 1, new_keys[i], 1 FROM generate_series(1, 3) i WHERE is_now) k
        JOIN list_order_levels l ON l.kind = k.kind
    ) r
    GROUP BY r.kind, r.level, r.prefix, r.block HAVING sum(r.d) <> 0
    ORDER BY r.kind, r.level, r.prefix, r.block
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER list_orders_insert AFTER INSERT ON users
FOR EACH ROW WHEN (NEW.status IN ('a', 'b')) EXECUTE FUNCTION list_orders_change();
CREATE TRIGGER list_orders_update AFTER UPDATE OF status, real_name_fold, location, location_fold, date_joined_us
ON users
FOR EACH ROW WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b'))
                   AND (OLD.status IS DISTINCT FROM NEW.status
                        OR OLD.real_name_fold IS DISTINCT FROM NEW.real_name_fold
                        OR OLD.location_fold IS DISTINCT FROM NEW.location_fold
                        OR OLD.date_joined_us IS DISTINCT FROM NEW.date_joined_us))
EXECUTE FUNCTION list_orders_change();
CREATE TRIGGER list_orders_delete AFTER DELETE ON users
FOR EACH ROW WHEN (OLD.status IN ('a', 'b')) EXECUTE FUNCTION list_orders_change();
