-- 015_suggestion: the indexes behind GET /suggestion/user/
-- (sqlite_suggestion.c).
--
-- After the friends of friends, suggestions list every other approved user
-- (status a) by the community mode's popularity counter, most first, then
-- id. These partial indexes hold that order, so a page walks them from the
-- top (its offset plus its length, plus the few users it leaves out) and
-- never sorts or scans the users table.
CREATE INDEX suggestion_by_followers ON users (followers_counter DESC, id) WHERE status = 'a';
CREATE INDEX suggestion_by_connections ON users (connections_counter DESC, id) WHERE status = 'a';

-- Blocked users are left out of suggestions; they are few, so this index
-- counts them at once, and the approved users are the visible users of
-- list_counts (008) minus them.
CREATE INDEX suggestion_blocked ON users (id) WHERE status = 'b';
