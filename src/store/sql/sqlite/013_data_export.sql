-- 013_data_export: the personal data export (GET/POST /api/v2/udp/). One
-- row per user: the newest request and where its archive stands. The
-- archive itself is a zip file under <data_dir>/exports/ whose name
-- (file_name, 32 random hex digits and ".zip") is chosen when the build
-- starts, so no other user can guess it; a file no row names is removed by
-- the worker's sweep (domain/data_export.c).
--
-- status: 'pending' (waiting for the worker), 'running' (being built),
-- 'ready' (file_name holds the whole archive), 'failed' (error says why).
-- Times are microseconds since the epoch; NULL while not reached.
CREATE TABLE data_exports (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'ready', 'failed')),
    requested_us INTEGER NOT NULL,
    started_us INTEGER,
    completed_us INTEGER,
    downloaded_us INTEGER,
    file_name TEXT,
    size_bytes INTEGER,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- the scheme://host the request came to, so that the links in the
    -- archive (avatar URLs) are the ones the user sees
    base_url TEXT NOT NULL DEFAULT ''
);

-- the worker takes the oldest pending request first
CREATE INDEX data_exports_queue ON data_exports (status, requested_us);

-- A hard delete (the row becomes a tombstone, status 'u') takes the export
-- with it in the same transaction; the file, no longer named by any row,
-- goes at the worker's next sweep.
CREATE TRIGGER data_exports_tombstone AFTER UPDATE OF status ON users
WHEN NEW.status = 'u'
BEGIN
    DELETE FROM data_exports WHERE user_id = NEW.id;
END;
