-- 003_account: what account deletion needs beyond 002.
-- A hard delete removes every connection row naming the user on either
-- side; 002 indexes connections by user_id only, so the other side would be
-- a full scan. (Named for this subject so that no other migration's index
-- can clash with it.)
CREATE INDEX IF NOT EXISTS account_connections_other ON connections (other_id);
