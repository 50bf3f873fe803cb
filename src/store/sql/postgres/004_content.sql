-- 004_content: the personal data export (SQLite's 013_data_export) and the
-- indexes behind GET /suggestion/user/ (SQLite's 015_suggestion), for
-- PostgreSQL (pg_export.c, pg_suggestion.c).

-- The personal data export (GET/POST /api/v2/udp/). One row per user: the
-- newest request and where its archive stands. The archive itself is a zip
-- file under <data_dir>/exports/ whose name (file_name, 32 random hex
-- digits and ".zip") is chosen when the build starts; a file no row names
-- is removed by the worker's sweep (domain/data_export.c).
--
-- status: 'pending' (waiting for the worker), 'running' (being built),
-- 'ready' (file_name holds the whole archive), 'failed' (error says why).
-- Times are microseconds since the epoch; NULL while not reached.
CREATE TABLE data_exports (
    user_id bigint PRIMARY KEY REFERENCES users (id),
    status text NOT NULL CHECK (status IN ('pending', 'running', 'ready', 'failed')),
    requested_us bigint NOT NULL,
    started_us bigint,
    completed_us bigint,
    downloaded_us bigint,
    file_name text COLLATE "C",
    size_bytes bigint,
    error text,
    attempts integer NOT NULL DEFAULT 0,
    -- the scheme://host the request came to, so that the links in the
    -- archive (avatar URLs) are the ones the user sees
    base_url text NOT NULL DEFAULT ''
);

-- the worker takes the oldest pending request first
CREATE INDEX data_exports_queue ON data_exports (status, requested_us);

-- A hard delete (the row becomes a tombstone, status 'u') takes the export
-- with it in the same transaction; the file, no longer named by any row,
-- goes at the worker's next sweep.
CREATE FUNCTION data_exports_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM data_exports WHERE user_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER data_exports_tombstone AFTER UPDATE OF status ON users
FOR EACH ROW WHEN (NEW.status = 'u')
EXECUTE FUNCTION data_exports_tombstone();

-- After the friends of friends, suggestions list every other approved user
-- (status a) by the community mode's popularity counter, most first, then
-- id. These partial indexes hold that order, so a page walks them from the
-- top and never sorts or scans the users table.
CREATE INDEX suggestion_by_followers ON users (followers_counter DESC, id) WHERE status = 'a';
CREATE INDEX suggestion_by_connections ON users (connections_counter DESC, id) WHERE status = 'a';

-- Blocked users are left out of suggestions; they are few, so this index
-- counts them at once, and the approved users are the visible users of
-- list_counts (002) minus them.
CREATE INDEX suggestion_blocked ON users (id) WHERE status = 'b';
