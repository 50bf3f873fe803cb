-- 013_list_by_id: the id ordering's seek ends walking at most 256 ids
-- (list_counts' level 2) to the one at its offset; with the visible ids in
-- an index of their own the walk need not read each row for its status
-- (as sqlite/021_list_costs.sql).
CREATE INDEX IF NOT EXISTS list_by_id ON users (id) WHERE status IN ('a', 'b');
