-- 016_list_username: fewer levels of the username ordering in list_counts
-- (002_list_counts): the prefixes of 1, 2, 4 and 6 characters stay
-- (levels 1, 2, 4, 6), those of 3 and 5 go, so that a signup, a deletion
-- or a change of username or visibility upserts two counts fewer; the
-- same levels as SQLite's 024_list_username (which says what the descent,
-- pg_list.c's seek_username, reads instead). The rows of the other levels
-- are exact as they are.

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
