-- 010_list_levels: fewer levels in list_order_counts (007_list_orders), so
-- that a signup, a deletion or a change of real_name, location or
-- date_joined upserts fewer counts: real_name and location keep the
-- prefixes of 1, 2, 4 and 6 characters (levels 1, 2, 4, 6; 3 and 5 go),
-- date_joined those of 5, 7 and 9 hex digits (levels 1, 2, 3; 11 and 13
-- go: at 9 digits a range is 268 seconds, which few users share). The
-- whole-key levels 7 and 8 stay. The rows of the other levels are exact
-- as they are: the conversion deletes the dropped levels' rows and
-- redefines the view of levels that the trigger and `hearth check` read.
-- The same levels as SQLite's 017_list_levels; list_plan.c descends them.

DELETE FROM list_order_counts WHERE (kind IN (2, 3) AND level IN (3, 5)) OR (kind = 4 AND level IN (4, 5));

CREATE OR REPLACE VIEW list_order_levels (kind, level, len, shift) AS
VALUES
    (2, 1, 1, 0), (2, 2, 2, 0), (2, 4, 4, 0), (2, 6, 6, 0), (2, 7, 0, 16), (2, 8, 0, 8),
    (3, 1, 1, 0), (3, 2, 2, 0), (3, 4, 4, 0), (3, 6, 6, 0), (3, 7, 0, 16), (3, 8, 0, 8),
    (4, 1, 5, 0), (4, 2, 7, 0), (4, 3, 9, 0), (4, 7, 0, 16), (4, 8, 0, 8);
