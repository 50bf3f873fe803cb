-- 005_shared.sql - state every server on the database shares.

-- Failed logins and password checks per key (auth/ratelimit.h), counted in
-- fixed windows. UNLOGGED: no WAL, emptied after a crash of PostgreSQL,
-- which only forgives the failures of one 15-minute window. key_hash is a
-- keyed BLAKE2b of the key (an account or a client network), never the key.
CREATE UNLOGGED TABLE IF NOT EXISTS auth_failures (
    key_hash bytea PRIMARY KEY,
    window_start bigint NOT NULL,
    count integer NOT NULL
);
CREATE INDEX IF NOT EXISTS auth_failures_window ON auth_failures (window_start);

-- Secrets made once and read by every server: the JWT secret when none is
-- configured (jwt_secret), the rate-limit counters' hash key (ratelimit_key).
CREATE TABLE IF NOT EXISTS server_secrets (
    name text PRIMARY KEY,
    value text NOT NULL,
    created_at bigint NOT NULL
);
