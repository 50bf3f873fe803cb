-- 020_search_cells: maintained counts of geo cells, so that the count of a
-- radius reads the cells inside the circle whole and measures only the
-- points of the cells its edge crosses.
--
-- search_count keys (search_geo_cells(lat_e7, lng_e7), in
-- src/store/sqlite_search_index.c), for the search point of every active
-- user with coordinates (the points of search_geo):
--   q<level><row:6><col:6><path>  the users in that cell. Levels 0 to 3
--            are square cells of 0.16, 0.04, 0.01 and 0.0025 degrees, each
--            4 x 4 cells of the next: row and col are those of the level 0
--            cell (counted from -90 and -180 degrees), path one letter a-p
--            per level below it (the cell within its parent)
--   q4<row:6><col:6><path of 3>:<lat:10><lng:10>  the users at that point
--            (1e-7 degree, from -90 and -180 degrees)
-- A row of level 0 cells is one range of keys; so are a cell's 16 children,
-- and all the points under a cell.
-- search_point lists the same points as search_geo in (lat, lng, id) order:
-- the users a point many share (a city's centre) are read by id, the first
-- ones a page needs, where search_geo gives all of them in no order.
-- Kept by two more triggers on search_geo's maintenance views (005), in
-- the same statement as search_geo itself; `hearth seed` re-applies this
-- file after 005.

CREATE TABLE search_point (
    lat INTEGER NOT NULL,
    lng INTEGER NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (lat, lng, id)
) WITHOUT ROWID;

CREATE TRIGGER search_geo_cells_add INSTEAD OF INSERT ON search_geo_add
WHEN search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng) IS NOT NULL
BEGIN
    INSERT INTO search_count (key, n)
        SELECT j.value, 1
        FROM json_each(search_geo_cells(
                 search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng),
                 search_user_lng_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng))) j
        WHERE true
        ON CONFLICT (key) DO UPDATE SET n = n + 1;
    INSERT INTO search_point (lat, lng, id)
        VALUES (search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng),
                search_user_lng_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng), NEW.id);
END;

CREATE TRIGGER search_geo_cells_remove INSTEAD OF INSERT ON search_geo_remove
WHEN search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng) IS NOT NULL
BEGIN
    UPDATE search_count SET n = n - 1
    WHERE key IN (
        SELECT j.value
        FROM json_each(search_geo_cells(
                 search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng),
                 search_user_lng_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng))) j);
    DELETE FROM search_point
    WHERE lat = search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng)
      AND lng = search_user_lng_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng)
      AND id = NEW.id;
END;

INSERT INTO search_count (key, n)
    SELECT j.value, count(*)
    FROM search_geo d, json_each(search_geo_cells(d.lat_min, d.lng_min)) j
    GROUP BY j.value
    ORDER BY j.value;

INSERT INTO search_point (lat, lng, id) SELECT lat_min, lng_min, id FROM search_geo ORDER BY 1, 2, 3;
