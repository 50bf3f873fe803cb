-- 008_search_counts: exact counts that do not visit the matching rows, and
-- a GiST index for distance (pg_search*.c).
--
-- search_count holds the same keys as SQLite's (005_search.sql there), over
-- active users (status a or b):
--   a  active users;  s  active staff;  x<gender code>;  g  with coordinates
--   d<yyyymmdd>, e<gender code><yyyymmdd>  born that day (of that gender)
--   c<gender code><staff 0|1><coordinates 0|1><yyyymmdd or 00000000>  the
--                     cube of the per-user conditions
--   p<mask>:<prefix>  users with a word starting with the 1-2 character
--                     prefix (from search_words, which hearth computes)
--   t<mask>:<trigram> users whose folded text contains the 3 characters
--   m1:<tag id>, m2:<category id>  tag carriers, category followers
-- where mask is a field bit (1 username, 2 real name, 4 location, 8
-- description) or 3 for "username or real name"; gender codes are 0
-- unspecified, 1 male, 2 female, 3 anything else.
--
-- The triggers below are PL/pgSQL and SQL only (they read columns hearth
-- wrote), so any client may write the tables. Each writes its changes as
-- one upsert in key order, so concurrent writers take the rows' locks in
-- the same order.

-- filling the counts and building the indexes reads every user
SET LOCAL statement_timeout = 0;

CREATE EXTENSION IF NOT EXISTS cube;

CREATE TABLE search_count (
    key text COLLATE "C" PRIMARY KEY,
    n bigint NOT NULL
);

-- The count keys of one user row (none when it is not active), without
-- its tags and categories. Characters are code points (substr on UTF-8).
CREATE FUNCTION search_user_keys(u users) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH v AS (
        SELECT CASE u.gender WHEN 'Unspecified' THEN 0 WHEN 'Male' THEN 1 WHEN 'Female' THEN 2 ELSE 3 END AS g,
               CASE WHEN u.date_of_birth ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                    THEN replace(u.date_of_birth, '-', '') END AS dob,
               (u.role IS NOT NULL)::int AS s,
               (search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) IS NOT NULL)::int AS geo
        WHERE u.status IN ('a', 'b')
    ), masks (m) AS (VALUES (3), (1), (2), (4), (8))
    SELECT 'a' FROM v
    UNION ALL SELECT 's' FROM v WHERE s = 1
    UNION ALL SELECT 'x' || g FROM v
    UNION ALL SELECT 'g' FROM v WHERE geo = 1
    UNION ALL SELECT 'd' || dob FROM v WHERE dob > '00000000'
    UNION ALL SELECT 'e' || g || dob FROM v WHERE dob > '00000000'
    UNION ALL SELECT 'c' || g || s || geo || coalesce(dob, '00000000') FROM v
    UNION ALL (SELECT DISTINCT 'p' || m || ':' || substr(w, 2)
               FROM v, unnest(u.search_words) w, masks
               WHERE ((1 << (ascii(w) - 49)) & m) <> 0)
    UNION ALL (SELECT DISTINCT 't' || m || ':' || x.t
               FROM v, (SELECT 1 AS f, substr(u.username_fold, i, 3) AS t
                        FROM generate_series(1, char_length(u.username_fold) - 2) i
                        UNION ALL
                        SELECT 2, substr(u.real_name_fold, i, 3)
                        FROM generate_series(1, char_length(u.real_name_fold) - 2) i
                        UNION ALL
                        SELECT 4, substr(u.location_fold, i, 3)
                        FROM generate_series(1, char_length(u.location_fold) - 2) i
                        UNION ALL
                        SELECT 8, substr(u.description_fold, i, 3)
                        FROM generate_series(1, char_length(u.description_fold) - 2) i) x, masks
               WHERE (x.f & m) <> 0)
$$;

-- Every count recomputed from the tables: the rebuild, and the audit's
-- reference (store_search_check).
CREATE VIEW search_count_recount (key, n) AS
    SELECT k, count(*) FROM (
        SELECT search_user_keys(u) AS k FROM users u WHERE u.status IN ('a', 'b')
        UNION ALL
        SELECT 'm1:' || t.tag_id FROM user_tags t JOIN users u ON u.id = t.user_id WHERE u.status IN ('a', 'b')
        UNION ALL
        SELECT 'm2:' || f.category_id FROM category_follows f JOIN users u ON u.id = f.user_id
        WHERE u.status IN ('a', 'b')
    ) x GROUP BY k;

CREATE FUNCTION search_count_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE search_count;
    INSERT INTO search_count (key, n) SELECT key, n FROM search_count_recount ORDER BY key;
$$;

-- A user row written: its old keys out, its new keys in (only the
-- difference is written). When it becomes active or stops being active,
-- its tags and categories follow; a deleted row is handled before the
-- delete, while its tags and follows still exist (the cascaded deletes
-- then find no active user and change nothing).
CREATE FUNCTION search_count_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    member int := 0;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status IN ('a', 'b') THEN
        member := member - 1;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status IN ('a', 'b') THEN
        member := member + 1;
    END IF;
    INSERT INTO search_count AS c (key, n)
    SELECT k, sum(d) FROM (
        SELECT k, -1 AS d FROM search_user_keys(CASE WHEN TG_OP <> 'INSERT' THEN OLD END) k
        UNION ALL
        SELECT k, 1 FROM search_user_keys(CASE WHEN TG_OP <> 'DELETE' THEN NEW END) k
        UNION ALL
        SELECT 'm1:' || t.tag_id, member FROM user_tags t WHERE member <> 0 AND t.user_id = OLD.id
        UNION ALL
        SELECT 'm2:' || f.category_id, member FROM category_follows f WHERE member <> 0 AND f.user_id = OLD.id
    ) x GROUP BY k HAVING sum(d) <> 0 ORDER BY k
    ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_count_user_insert AFTER INSERT ON users FOR EACH ROW
    WHEN (NEW.status IN ('a', 'b'))
    EXECUTE FUNCTION search_count_user();
CREATE TRIGGER search_count_user_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b')) AND
          (OLD.status, OLD.search_words, OLD.username_fold, OLD.real_name_fold, OLD.location_fold,
           OLD.description_fold, OLD.gender, OLD.date_of_birth, OLD.role IS NULL, OLD.position_lat, OLD.position_lng,
           OLD.location_lat, OLD.location_lng)
          IS DISTINCT FROM
          (NEW.status, NEW.search_words, NEW.username_fold, NEW.real_name_fold, NEW.location_fold,
           NEW.description_fold, NEW.gender, NEW.date_of_birth, NEW.role IS NULL, NEW.position_lat, NEW.position_lng,
           NEW.location_lat, NEW.location_lng))
    EXECUTE FUNCTION search_count_user();
CREATE TRIGGER search_count_user_delete BEFORE DELETE ON users FOR EACH ROW
    WHEN (OLD.status IN ('a', 'b'))
    EXECUTE FUNCTION search_count_user();

-- A tag or category follow added or removed, counted if its user is active.
-- The user row is locked (shared) first, so a concurrent status change
-- waits or is waited for, and exactly one of the two counts the link.
CREATE FUNCTION search_count_member() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    link record;
    k text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        link := NEW;
    ELSE
        link := OLD;
    END IF;
    IF TG_TABLE_NAME = 'user_tags' THEN
        k := 'm1:' || link.tag_id;
    ELSE
        k := 'm2:' || link.category_id;
    END IF;
    PERFORM 1 FROM users WHERE id = link.user_id AND status IN ('a', 'b') FOR SHARE;
    IF FOUND THEN
        INSERT INTO search_count AS c (key, n) VALUES (k, CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END)
        ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_count_tag AFTER INSERT OR DELETE ON user_tags FOR EACH ROW
    EXECUTE FUNCTION search_count_member();
CREATE TRIGGER search_count_category AFTER INSERT OR DELETE ON category_follows FOR EACH ROW
    EXECUTE FUNCTION search_count_member();

SELECT search_count_rebuild();

-- ---- distance ----
-- A user's search point on the unit sphere (x, y, z) from its 1e-7 degree
-- coordinates: the chord between two points grows with the great-circle
-- distance, so the GiST's nearest-first order (<->) is distance order,
-- and a radius is a cube around the origin (cube_enlarge by the chord).
CREATE FUNCTION search_point(lat bigint, lng bigint) RETURNS cube
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT cube(ARRAY[cos(p) * cos(l), cos(p) * sin(l), sin(p)])
    FROM (SELECT lat::double precision / 10000000 * (pi() / 180) AS p,
                 lng::double precision / 10000000 * (pi() / 180) AS l) v
$$;

DROP INDEX users_search_geo;
CREATE INDEX users_search_point ON users USING gist (
    search_point(search_lat_e7(position_lat, position_lng, location_lat, location_lng),
                 search_lng_e7(position_lat, position_lng, location_lat, location_lng)))
    WHERE status IN ('a', 'b');

-- The username's first one, two and three characters with the id: the
-- usernames that start with a short term, in id order (a ranked page
-- walks them and stops).
CREATE INDEX users_search_username_start1 ON users ((left(username_fold, 1)), id) WHERE status IN ('a', 'b');
CREATE INDEX users_search_username_start2 ON users ((left(username_fold, 2)), id) WHERE status IN ('a', 'b');
CREATE INDEX users_search_username_start3 ON users ((left(username_fold, 3)), id) WHERE status IN ('a', 'b');
