-- 019_search_keys: the orderings a search walks, read from their index
-- alone. A walk in username, real name or join date order tests each index
-- entry (against a bitmap of matches, or by a probe of search_member); with
-- the status in the entry it no longer reads every users row to check it
-- (SQLite does not take the partial index's WHERE as checked). The ties of
-- a real name or a join date stay in id order (the id before the status).
-- The username order is list_by_username (017): usernames are unique, so
-- (username_fold, status) is already in (username_fold, id) order.

DROP INDEX search_by_username;
DROP INDEX search_by_real_name;
CREATE INDEX search_by_real_name ON users (real_name_fold, id, status) WHERE status IN ('a', 'b');
DROP INDEX search_by_joined;
CREATE INDEX search_by_joined ON users (date_joined_us, id, status) WHERE status IN ('a', 'b');
