-- 024_list_signup: the same maintained list counts (008_list_counts,
-- 016_list_orders, 017_list_levels, 021_list_costs, 022_list_writes) in
-- fewer levels, so that a signup upserts 11 counts instead of 14 (each a
-- B-tree upsert, most of them a page of their own in the commit; about
-- 16,000 instructions each in a server's signup at 100,000 users).
--
-- 1. The username ordering (list_counts kind 1) keeps the prefixes of 1,
--    2, 4 and 6 bytes (levels 1, 2, 4, 6); those of 3 and 5 go, as
--    real_name's and location's went in 017_list_levels. A signup, a
--    deletion and a change of username or visibility upsert two counts
--    fewer. The descent (sqlite_list.c, pg_list.c seek_username) reads a
--    level-4 range's rows inside the chosen level-2 range and then a
--    level-6 one's inside the level-4 range: at 1,000,000 seeded users at
--    most 156 (8.5 on average) and 185 (5.6) rows, where the two levels
--    read at most 29 + 31 and 31 + 34.
--
-- 2. The date_joined ordering (list_order_counts kind 4) loses level 7
--    (the whole key by id >> 16): the descent (list_plan.c) reads level 8
--    (the whole key by id >> 8) inside the chosen level-3 range (9 hex
--    digits, 268 seconds) directly. At 1,000,000 seeded users a level-3
--    range holds at most 9 keys (1.7 on average) and levels 7 and 8 had
--    the same rows but for ties; a key shared by m users has m / 256
--    level-8 rows at most (a bulk import of one date_joined: 3,907 rows
--    per million users, read by a seek inside it, where level 7 read 16
--    and then 256). A signup, a deletion and a change of date_joined or
--    visibility upsert one count fewer.
--
-- The rows of the other levels are exact as they are (a key is still the
-- first `level` bytes, a shorter name whole). The same levels as
-- PostgreSQL's 016_list_signup.

DELETE FROM list_order_counts WHERE kind = 4 AND level = 7;
DELETE FROM list_order_levels WHERE kind = 4 AND level = 7;

DELETE FROM list_counts WHERE kind = 1 AND level IN (3, 5);

DROP TRIGGER list_users_insert;
DROP TRIGGER list_users_delete;
DROP TRIGGER list_users_leave;
DROP TRIGGER list_users_enter;

CREATE TRIGGER list_users_insert AFTER INSERT ON users WHEN NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO list_counts (kind, level, key, n) VALUES
        (0, 0, 0, 1), (0, 1, NEW.id >> 16, 1), (0, 2, NEW.id >> 8, 1),
        (1, 1, substr(CAST(NEW.username_fold AS BLOB), 1, 1), 1),
        (1, 2, substr(CAST(NEW.username_fold AS BLOB), 1, 2), 1),
        (1, 4, substr(CAST(NEW.username_fold AS BLOB), 1, 4), 1),
        (1, 6, substr(CAST(NEW.username_fold AS BLOB), 1, 6), 1)
    ON CONFLICT (kind, level, key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER list_users_delete AFTER DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    INSERT INTO list_counts (kind, level, key, n) VALUES
        (0, 0, 0, -1), (0, 1, OLD.id >> 16, -1), (0, 2, OLD.id >> 8, -1),
        (1, 1, substr(CAST(OLD.username_fold AS BLOB), 1, 1), -1),
        (1, 2, substr(CAST(OLD.username_fold AS BLOB), 1, 2), -1),
        (1, 4, substr(CAST(OLD.username_fold AS BLOB), 1, 4), -1),
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
        (1, 4, substr(CAST(OLD.username_fold AS BLOB), 1, 4), -1),
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
        (1, 4, substr(CAST(NEW.username_fold AS BLOB), 1, 4), 1),
        (1, 6, substr(CAST(NEW.username_fold AS BLOB), 1, 6), 1)
    ON CONFLICT (kind, level, key) DO UPDATE SET n = n + 1;
END;
