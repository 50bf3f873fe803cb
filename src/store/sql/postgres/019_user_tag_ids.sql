-- 019_user_tag_ids: a user's tag ids on the user's row (issue 13; the
-- SQLite side is sqlite/025_user_tag_ids.sql).
--
-- users.tag_ids is NULL when the user has no user_tags row, else the
-- user's tag ids in ascending order joined by ',' (e.g. '3,17'): exactly
-- what user_tags holds, tags deleted, inactive or invisible included (the
-- visibility rules stay with the tag objects). A page of users reads each
-- user's row anyway: with the ids on it, the page's tags are read by id
-- (pg_tag_by_ids), without a join through user_tags per user.
--
-- Kept by the trigger below (PL/pgSQL, so psql writes keep it too); the
-- foreign keys' cascades (a tag or a user deleted) delete user_tags rows
-- and fire it like any delete (the update of a user deleted by the same
-- statement finds no row). Every trigger on users UPDATE either names its
-- columns (UPDATE OF ...) or compares columns other than tag_ids in its
-- WHEN, so keeping tag_ids sets off none of them; the column is in no
-- index, so the update can be a HOT one. hearth check compares it with
-- user_tags. The seed (pg_seed.c) writes it in its COPY of users.

-- the backfill below rewrites every tagged user's row: no statement bound
SET LOCAL statement_timeout = 0;

ALTER TABLE users ADD COLUMN tag_ids text;

CREATE FUNCTION user_tag_ids_of(uid bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT string_agg(tag_id::text, ',' ORDER BY tag_id) FROM user_tags WHERE user_id = uid
$$;

CREATE FUNCTION user_tag_ids_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE users SET tag_ids = user_tag_ids_of(OLD.user_id) WHERE id = OLD.user_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.user_id <> OLD.user_id) THEN
        UPDATE users SET tag_ids = user_tag_ids_of(NEW.user_id) WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER user_tag_ids_keep AFTER INSERT OR DELETE OR UPDATE ON user_tags FOR EACH ROW
    EXECUTE FUNCTION user_tag_ids_keep();

-- The search triggers on users UPDATE that name no column (008, 012,
-- 015, 017) have their WHEN compared at every update of a user, the
-- search words' tsvector among them (read out of TOAST): a tag given or
-- taken, which writes tag_ids alone, would pay for it. Each is made again
-- as it stands (pg_get_triggerdef: the same function, WHEN and name, so the
-- same firing order) with the columns its WHEN compares as UPDATE OF's
-- list: no BEFORE UPDATE trigger on users rewrites a column, so an update
-- that sets none of them could not have made its WHEN true.
DO $$
DECLARE
    r record;
    d text;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('search_count_user_update', 'status, search_words, username_fold, real_name_fold, location_fold, description_fold, gender, date_of_birth, role, position_lat, position_lng, location_lat, location_lng'),
        ('search_text_user_update', 'status, username_fold, real_name_fold, gender, date_of_birth, role'),
        ('search_cell_user_update', 'status, position_lat, position_lng, location_lat, location_lng'),
        ('search_geo_point_user_update', 'status, position_lat, position_lng, location_lat, location_lng'),
        ('search_tag_member_user_update', 'status, username_fold')) AS v (name, cols)
    LOOP
        SELECT pg_get_triggerdef(t.oid) INTO d FROM pg_trigger t
        WHERE t.tgrelid = 'users'::regclass AND t.tgname = r.name;
        IF d IS NOT NULL AND position(' AFTER UPDATE ON ' IN d) > 0 THEN
            EXECUTE format('DROP TRIGGER %I ON users', r.name);
            EXECUTE replace(d, ' AFTER UPDATE ON ', ' AFTER UPDATE OF ' || r.cols || ' ON ');
        END IF;
    END LOOP;
END
$$;

-- the users who have tags, in one grouped pass over user_tags
UPDATE users u SET tag_ids = g.ids
FROM (SELECT user_id, string_agg(tag_id::text, ',' ORDER BY tag_id) AS ids FROM user_tags GROUP BY user_id) g
WHERE u.id = g.user_id;
