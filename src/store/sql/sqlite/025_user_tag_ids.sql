-- 025_user_tag_ids: a user's tag ids on the user's row (issue 13).
--
-- users.tag_ids is NULL when the user has no user_tags row, else the
-- user's tag ids in ascending order joined by ',' (e.g. '3,17'): exactly
-- what user_tags holds, tags deleted, inactive or invisible included (the
-- visibility rules stay with the tag objects). A page of users reads each
-- user's row anyway: with the ids on it, the page's tags come from the tag
-- cache by id (sqlite_tag_by_ids), without a probe of user_tags per user.
--
-- Kept by the triggers below in plain SQL (no hearth function), so that
-- writes through sqlite3 keep it too; the foreign keys' cascades (a tag or
-- a user deleted) delete user_tags rows and fire them like any delete.
-- No trigger on users names tag_ids (each is AFTER UPDATE OF other
-- columns), so keeping it sets off nothing else. hearth check compares it
-- with user_tags.
--
-- group_concat over an ordered subquery: an aggregate's subquery with an
-- ORDER BY is not flattened, so the ids come in its order (SQLite 3.40 has
-- no ORDER BY inside an aggregate).

ALTER TABLE users ADD COLUMN tag_ids TEXT;

CREATE TRIGGER user_tag_ids_insert AFTER INSERT ON user_tags
BEGIN
    UPDATE users SET tag_ids = (SELECT group_concat(t.tag_id, ',') FROM (SELECT tag_id FROM user_tags
                                WHERE user_id = NEW.user_id ORDER BY tag_id) t)
    WHERE id = NEW.user_id;
END;

CREATE TRIGGER user_tag_ids_delete AFTER DELETE ON user_tags
BEGIN
    UPDATE users SET tag_ids = (SELECT group_concat(t.tag_id, ',') FROM (SELECT tag_id FROM user_tags
                                WHERE user_id = OLD.user_id ORDER BY tag_id) t)
    WHERE id = OLD.user_id;
END;

CREATE TRIGGER user_tag_ids_update AFTER UPDATE ON user_tags
BEGIN
    UPDATE users SET tag_ids = (SELECT group_concat(t.tag_id, ',') FROM (SELECT tag_id FROM user_tags
                                WHERE user_id = OLD.user_id ORDER BY tag_id) t)
    WHERE id = OLD.user_id;
    UPDATE users SET tag_ids = (SELECT group_concat(t.tag_id, ',') FROM (SELECT tag_id FROM user_tags
                                WHERE user_id = NEW.user_id ORDER BY tag_id) t)
    WHERE id = NEW.user_id AND NEW.user_id <> OLD.user_id;
END;

-- the users who have tags, in one pass over user_tags' primary key
UPDATE users SET tag_ids = g.ids
FROM (SELECT user_id, group_concat(tag_id, ',') AS ids
      FROM (SELECT user_id, tag_id FROM user_tags ORDER BY user_id, tag_id) GROUP BY user_id) AS g
WHERE users.id = g.user_id;
