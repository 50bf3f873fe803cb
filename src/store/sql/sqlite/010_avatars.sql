-- 010_avatars: each user's avatar gallery. Every image a user uploaded as
-- an avatar is a row; at most one is primary, and users.avatar always
-- holds the primary row's file (NULL when none is primary). Both are
-- written in the same transaction (sqlite_avatar.c).
--
-- The avatar a user already has becomes the primary entry of the gallery.

CREATE TABLE user_avatars (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    file TEXT NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    uploaded_us INTEGER NOT NULL
);

-- a user's gallery, oldest first (ids grow with time)
CREATE INDEX user_avatars_user ON user_avatars (user_id, id);
-- one primary per user
CREATE UNIQUE INDEX user_avatars_primary ON user_avatars (user_id) WHERE is_primary = 1;

INSERT INTO user_avatars (user_id, file, is_primary, uploaded_us)
SELECT id, avatar, 1, CAST(unixepoch() AS INTEGER) * 1000000 FROM users
WHERE avatar IS NOT NULL AND status <> 'u' ORDER BY id;
