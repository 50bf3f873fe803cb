-- 009_search_keys: the active users in username order with their ids, read
-- from the index alone: a tag or category page with many members walks it
-- and keeps the members (pg_search.c), without visiting the table.

-- building the index reads every user
SET LOCAL statement_timeout = 0;

CREATE INDEX users_search_by_username ON users (username_fold, id) WHERE status IN ('a', 'b');
