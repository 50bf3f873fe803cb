-- 026_list_edge_delta: the change of a kept edge list (022_list_writes)
-- goes through a view, not a table. 022 queued it in the table
-- list_edge_delta, whose trigger applied it and emptied the table again:
-- the table's page was left changed by every follow, unfollow, connection
-- and removal touching a kept list (a list of 1000 or more), so each such
-- write committed one more page to the WAL (9.2 pages a follow by a user
-- whose followings are kept, 8.2 without it). An INSERT into a view with an
-- INSTEAD OF trigger runs the same statement and writes no row. The
-- triggers of 022 that queue the changes insert into the same name and stay
-- as they are. `hearth seed` re-applies this file after 022.

DROP TRIGGER list_edge_delta_apply;
DROP TABLE list_edge_delta;

CREATE VIEW list_edge_delta (owner, list, created_us, d) AS SELECT 0, 0, 0, 0 WHERE false;

-- an edge of a kept list came or went: its ranges
CREATE TRIGGER list_edge_delta_apply INSTEAD OF INSERT ON list_edge_delta
BEGIN
    INSERT INTO list_edge_counts (owner, list, level, block, n)
    SELECT NEW.owner, NEW.list, level, NEW.created_us >> shift, NEW.d FROM list_edge_levels WHERE true
    ON CONFLICT (owner, list, level, block) DO UPDATE SET n = n + excluded.n;
END;
