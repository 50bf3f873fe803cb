-- 024_list_username: fewer levels of the username ordering in list_counts
-- (008_list_counts), so that a signup, a deletion or a change of username
-- or visibility upserts fewer counts: the prefixes of 1, 2, 4 and 6 bytes
-- stay (levels 1, 2, 4, 6), those of 3 and 5 go, as real_name's and
-- location's went in 017_list_levels. A signup upserted 14 counts (9 in
-- list_counts, 5 date_joined ones), each a B-tree upsert and most a page
-- of its own in the commit (about 16,000 instructions and 1,000 of the
-- 3,000 bytes a signup's maintenance writes to the WAL, at 100,000
-- users); now 12. The descent (sqlite_list.c, pg_list.c seek_username)
-- reads a level-4 range's rows inside the chosen level-2 range and a
-- level-6 one's inside the level-4 range: at 1,000,000 seeded users at
-- most 156 (8.5 on average) and 185 (5.6) rows, against 29 + 31 and
-- 31 + 34 with the two levels. The rows of the other levels are exact as
-- they are (a key is still the first `level` bytes, a shorter name whole).
-- The same levels as PostgreSQL's 016_list_username.

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
