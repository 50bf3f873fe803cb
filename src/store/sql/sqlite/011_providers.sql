-- Social login associations (GET/POST/DELETE /api/v2/user/{id}/provider/):
-- the user's account at an external provider. One external account belongs
-- to one user (provider, ext_id); a user has at most one account per
-- provider, as the UI kit shows one row per provider.
CREATE TABLE user_providers (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    profile_url TEXT,
    show_in_profile INTEGER NOT NULL DEFAULT 0,
    metadata TEXT NOT NULL DEFAULT '{}',  -- a JSON object
    created_us INTEGER NOT NULL,
    UNIQUE (provider, ext_id),
    UNIQUE (user_id, provider)
);

-- A hard delete keeps the user row as a tombstone (status u), so the
-- foreign key never cascades: the associations go with the status change,
-- in the same transaction.
CREATE TRIGGER user_providers_hard_delete AFTER UPDATE OF status ON users
WHEN NEW.status = 'u'
BEGIN
    DELETE FROM user_providers WHERE user_id = NEW.id;
END;

-- Sign-in with these providers is not offered by hearth: the UI kit reads
-- the flags and keeps its provider table hidden.
INSERT INTO prefs (section, name, value) VALUES
    ('providers', 'facebook_signin_enabled', 'false'),
    ('providers', 'google_signin_enabled', 'false'),
    ('providers', 'twitter_signin_enabled', 'false'),
    ('providers', 'linkedin_signin_enabled', 'false');
