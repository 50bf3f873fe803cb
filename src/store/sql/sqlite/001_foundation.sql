-- 001_foundation: users, OAuth clients and tokens, preferences.
-- Times are integers: *_us in microseconds, *_at/expires in seconds, UTC.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_fold TEXT NOT NULL,
    email TEXT,
    email_fold TEXT,
    email_isvalid INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    real_name TEXT NOT NULL DEFAULT '',
    real_name_fold TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    location_lat REAL,
    location_lng REAL,
    position_lat REAL,
    position_lng REAL,
    date_of_birth TEXT,
    description TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL DEFAULT 'Unspecified',
    status TEXT NOT NULL DEFAULT 'a' CHECK (status IN ('a', 'b', 'd', 'u')),
    website TEXT NOT NULL DEFAULT '',
    avatar TEXT,
    cover TEXT,
    ext_id INTEGER,
    reputation INTEGER NOT NULL DEFAULT 0,
    role TEXT CHECK (role IS NULL OR role IN ('admin', 'moderator', 'editor')),
    date_joined_us INTEGER NOT NULL,
    -- JWTs issued (iat) before this second are rejected (password change)
    tokens_valid_after INTEGER NOT NULL DEFAULT 0,
    followers_counter INTEGER NOT NULL DEFAULT 0,
    followings_counter INTEGER NOT NULL DEFAULT 0,
    connections_counter INTEGER NOT NULL DEFAULT 0,
    connection_requests_sent_counter INTEGER NOT NULL DEFAULT 0,
    connection_requests_received_counter INTEGER NOT NULL DEFAULT 0,
    posts_counter INTEGER NOT NULL DEFAULT 0,
    discussions_counter INTEGER NOT NULL DEFAULT 0,
    categories_counter INTEGER NOT NULL DEFAULT 0
);

-- Hard-deleted users (u) release their username, email and ext_id.
CREATE UNIQUE INDEX users_username_fold ON users (username_fold) WHERE status <> 'u';
CREATE UNIQUE INDEX users_email_fold ON users (email_fold) WHERE email_fold IS NOT NULL AND status <> 'u';
CREATE UNIQUE INDEX users_ext_id ON users (ext_id) WHERE ext_id IS NOT NULL AND status <> 'u';
CREATE INDEX users_real_name_fold ON users (real_name_fold);

CREATE TABLE oauth_clients (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT,            -- NULL for public clients
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- One row per issued access/refresh pair; revoking deletes the row.
CREATE TABLE oauth_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    access_hash TEXT NOT NULL UNIQUE,
    refresh_hash TEXT NOT NULL UNIQUE,
    access_expires INTEGER NOT NULL,
    refresh_expires INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id);

CREATE TABLE prefs (
    id INTEGER PRIMARY KEY,
    section TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,          -- JSON
    UNIQUE (section, name)
);

INSERT INTO prefs (section, name, value) VALUES
    ('configurations', 'follow_enabled', 'true'),
    ('configurations', 'connection_enabled', 'true'),
    ('configurations', 'content_availability', 'true'),
    ('configurations', 'post_type_enabled', 'true'),
    ('configurations', 'discussion_type_enabled', 'true'),
    ('configurations', 'category_follow_enabled', 'true'),
    ('configurations', 'people_search_enabled', 'true'),
    ('configurations', 'user_metadata_definition', '"{}"'),
    ('images', 'user_default_cover', '""'),
    ('staff', 'staff_badge_icon', '""'),
    ('staff', 'staff_badge_label', '"Staff"'),
    ('addons', 'private_messages_enabled', 'false');
