-- 007_list_counts: maintained counts of visible users (status a or b) for
-- the user list, by key range, so that a page at any offset is found by a
-- short prefix sum and an index range scan instead of counting and walking
-- every row before it (sqlite_list.c).
--
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
