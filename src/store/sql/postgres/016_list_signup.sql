-- 016_list_signup: the same maintained list counts (002_list_counts,
-- 007_list_orders, 010_list_levels, 014_list_writes) in fewer levels, so
-- that a signup upserts 11 counts instead of 14; the same levels as
-- SQLite's 024_list_signup, which says what the descents read instead:
--
-- 1. the username ordering (list_counts kind 1) keeps the prefixes of 1,
--    2, 4 and 6 characters (levels 1, 2, 4, 6): those of 3 and 5 go
--    (pg_list.c's seek_username);
-- 2. the date_joined ordering (list_order_counts kind 4) loses level 7
--    (the whole key by id >> 16): list_plan.c reads level 8 inside the
--    chosen level-3 range.
--
-- The rows of the other levels are exact as they are.

DELETE FROM list_order_counts WHERE kind = 4 AND level = 7;

DROP VIEW list_order_ranges;
DROP VIEW list_order_levels;

-- 014's levels less (4, 7)
CREATE VIEW list_order_levels (kind, level, len, shift, min_len) AS
VALUES
    (2, 1, 1, 0, 0), (2, 2, 2, 0, 1), (2, 4, 4, 0, 2), (2, 6, 6, 0, 4), (2, 7, 0, 16, 0), (2, 8, 0, 8, 0),
    (2, 9, -1, 16, 0), (2, 10, -1, 8, 0),
    (3, 1, 1, 0, 0), (3, 2, 2, 0, 1), (3, 4, 4, 0, 2), (3, 6, 6, 0, 4), (3, 7, 0, 16, 0), (3, 8, 0, 8, 0),
    (3, 9, -1, 16, 0), (3, 10, -1, 8, 0),
    (4, 1, 5, 0, 0), (4, 2, 7, 0, 5), (4, 3, 9, 0, 7), (4, 8, 0, 8, 0);

-- the ranges every visible user falls in (014's)
CREATE VIEW list_order_ranges (kind, level, prefix, block) AS
SELECT k.kind, l.level,
       CASE WHEN l.len < 0 THEN '' WHEN l.len = 0 THEN k.key ELSE substring(k.key FROM 1 FOR l.len) END,
       CASE WHEN l.shift = 0 THEN 0 ELSE u.id >> l.shift END
FROM users u
CROSS JOIN LATERAL (VALUES (2, u.real_name_fold COLLATE "C"), (3, u.location_fold COLLATE "C"),
                           (4, lpad(to_hex(u.date_joined_us), 16, '0') COLLATE "C")) AS k(kind, key)
JOIN list_order_levels l ON l.kind = k.kind
WHERE u.status IN ('a', 'b') AND (k.kind = 4 OR k.key <> '') AND char_length(k.key) >= l.min_len;

DELETE FROM list_counts WHERE kind = 1 AND level IN (3, 5);

CREATE OR REPLACE FUNCTION list_users_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
            UNION ALL SELECT 1, l, 0, substring(old_name FROM 1 FOR l), -1
                      FROM unnest(ARRAY[1, 2, 4, 6]) l WHERE was
            UNION ALL SELECT 1, l, 0, substring(new_name FROM 1 FOR l), 1
                      FROM unnest(ARRAY[1, 2, 4, 6]) l WHERE is_now
        ) r
        GROUP BY r.kind, r.level, r.key, r.prefix HAVING sum(r.d) <> 0
        ORDER BY r.kind, r.level, r.key, r.prefix
        ON CONFLICT (kind, level, key, prefix) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;
