-- Hard deletes of users with many edges run in bounded batches, each its
-- own transaction (other writers wait at most one batch). A row here marks
-- a hard delete that has begun and not finished: the server finishes it at
-- its next start (and `hearth check --fix` does), so a crash between
-- batches never leaves a half-deleted user for good.
CREATE TABLE account_purges (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    started_us INTEGER NOT NULL
);
