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

-- the users who have tags, in one grouped pass over user_tags
UPDATE users u SET tag_ids = g.ids
FROM (SELECT user_id, string_agg(tag_id::text, ',' ORDER BY tag_id) AS ids FROM user_tags GROUP BY user_id) g
WHERE u.id = g.user_id;
