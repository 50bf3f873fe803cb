-- 016_list_orders: maintained counts of visible users (status a or b) by
-- key range for the user list's orderings real_name, location and
-- date_joined (either direction), so that their pages at any offset seek
-- (list_plan.c explains the levels and the descent) instead of walking
-- OFFSET rows. The orderings' keys, as the composed query sorts them
-- (ORDER BY key, id; key DESC, id for the descending forms):
--   kind 2 real_name_fold, kind 3 fold(location), kind 4 date_joined_us
--   written as 16 hex digits (printf('%016x')), which order as the number.
-- Kept by the triggers below in the transaction of the write; rows that
-- drop to 0 stay (harmless). The same table, levels and keys as
-- PostgreSQL's 007_list_orders.

CREATE TABLE list_order_counts (
    kind INTEGER NOT NULL,
    level INTEGER NOT NULL,
    prefix TEXT NOT NULL,
    block INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, level, prefix, block)
) WITHOUT ROWID;

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
SELECT k.kind, l.level, CASE WHEN l.len = 0 THEN k.key ELSE substr(k.key, 1, l.len) END,
           CASE WHEN l.shift = 0 THEN 0 ELSE k.id >> l.shift END
FROM (SELECT id, 2 AS kind, real_name_fold AS key FROM users WHERE status IN ('a', 'b')
      UNION ALL SELECT id, 3, fold(location) FROM users WHERE status IN ('a', 'b')
      UNION ALL SELECT id, 4, printf('%016x', date_joined_us) FROM users WHERE status IN ('a', 'b')) k
JOIN list_order_levels l ON l.kind = k.kind;

INSERT INTO list_order_counts (kind, level, prefix, block, n)
SELECT kind, level, prefix, block, count(*) FROM list_order_ranges GROUP BY kind, level, prefix, block;

CREATE TRIGGER list_orders_insert AFTER INSERT ON users WHEN NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT k.kind, l.level, CASE WHEN l.len = 0 THEN k.key ELSE substr(k.key, 1, l.len) END,
           CASE WHEN l.shift = 0 THEN 0 ELSE NEW.id >> l.shift END, 1
    FROM (SELECT 2 AS kind, NEW.real_name_fold AS key UNION ALL SELECT 3, fold(NEW.location)
          UNION ALL SELECT 4, printf('%016x', NEW.date_joined_us)) k
    JOIN list_order_levels l ON l.kind = k.kind WHERE true
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_orders_delete AFTER DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT k.kind, l.level, CASE WHEN l.len = 0 THEN k.key ELSE substr(k.key, 1, l.len) END,
           CASE WHEN l.shift = 0 THEN 0 ELSE OLD.id >> l.shift END, -1
    FROM (SELECT 2 AS kind, OLD.real_name_fold AS key UNION ALL SELECT 3, fold(OLD.location)
          UNION ALL SELECT 4, printf('%016x', OLD.date_joined_us)) k
    JOIN list_order_levels l ON l.kind = k.kind WHERE true
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n - 1;
END;

-- a change of visibility or of a key: the old key's ranges lose the user,
-- the new key's gain it (only the orderings whose key changed, unless the
-- visibility did)
CREATE TRIGGER list_orders_update AFTER UPDATE OF status, real_name_fold, location, date_joined_us ON users
WHEN OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO list_order_counts (kind, level, prefix, block, n)
    SELECT k.kind, l.level, CASE WHEN l.len = 0 THEN k.key ELSE substr(k.key, 1, l.len) END,
           CASE WHEN l.shift = 0 THEN 0 ELSE NEW.id >> l.shift END, k.d
    FROM (SELECT 2 AS kind, OLD.real_name_fold AS key, -1 AS d, OLD.real_name_fold IS NOT NEW.real_name_fold AS changed
          UNION ALL SELECT 2, NEW.real_name_fold, 1, OLD.real_name_fold IS NOT NEW.real_name_fold
          UNION ALL SELECT 3, fold(OLD.location), -1, OLD.location IS NOT NEW.location
          UNION ALL SELECT 3, fold(NEW.location), 1, OLD.location IS NOT NEW.location
          UNION ALL SELECT 4, printf('%016x', OLD.date_joined_us), -1, OLD.date_joined_us IS NOT NEW.date_joined_us
          UNION ALL SELECT 4, printf('%016x', NEW.date_joined_us), 1, OLD.date_joined_us IS NOT NEW.date_joined_us) k
    JOIN list_order_levels l ON l.kind = k.kind
    WHERE (k.d < 0 AND OLD.status IN ('a', 'b') AND (NEW.status NOT IN ('a', 'b') OR k.changed))
       OR (k.d > 0 AND NEW.status IN ('a', 'b') AND (OLD.status NOT IN ('a', 'b') OR k.changed))
    ON CONFLICT (kind, level, prefix, block) DO UPDATE SET n = n + excluded.n;
END;
