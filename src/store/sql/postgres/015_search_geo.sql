-- 015_search_geo: the nearest users of a distance page read point by
-- point, not all the users who tie at the page's last distance.
--
-- search_geo_point holds every distinct search point of the active users
-- (status a or b) with how many users it has, keyed by its 0.01-degree
-- cell (search_cell(1, ...), 012_search_text.sql) then its coordinates,
-- so the points of a few cells are one range each. A distance page
-- (pg_search_geo.c) takes the points of the cells around the origin,
-- nearest first, until they hold the page, then each point's users in
-- id order from users_search_at (lat, lng, id): a city centre that
-- thousands of users share gives its first ids, not all of them.
--
-- Kept by a PL/pgSQL trigger from the columns hearth writes, in the same
-- transaction as the write, so any client may write users.

-- filling the table and building the index reads every user
SET LOCAL statement_timeout = 0;

CREATE INDEX users_search_at ON users (search_lat_e7(position_lat, position_lng, location_lat, location_lng),
                                        search_lng_e7(position_lat, position_lng, location_lat, location_lng), id)
    WHERE status IN ('a', 'b');

CREATE TABLE search_geo_point (
    cell bigint NOT NULL, -- search_cell(1, lat, lng)
    lat bigint NOT NULL,
    lng bigint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (cell, lat, lng)
);

-- The point of a user row, with its cell (none when it is not active or
-- has no point).
CREATE FUNCTION search_user_point(u users, OUT cell bigint, OUT lat bigint, OUT lng bigint) RETURNS SETOF record
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT search_cell(1, v.lat, v.lng), v.lat, v.lng
    FROM (SELECT search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) AS lat,
                 search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) AS lng
          WHERE u.status IN ('a', 'b')) v
    WHERE v.lat IS NOT NULL
$$;

CREATE VIEW search_geo_point_recount (cell, lat, lng, n) AS
    SELECT p.cell, p.lat, p.lng, count(*) FROM users u, search_user_point(u) p
    WHERE u.status IN ('a', 'b') GROUP BY p.cell, p.lat, p.lng;

CREATE FUNCTION search_geo_point_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE search_geo_point;
    INSERT INTO search_geo_point (cell, lat, lng, n) SELECT * FROM search_geo_point_recount ORDER BY 1, 2, 3;
$$;

-- A user row written: its old point -1, its new one +1, as one upsert in
-- key order (as search_cell's).
CREATE FUNCTION search_geo_point_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_geo_point AS g (cell, lat, lng, n)
    SELECT cell, lat, lng, sum(d) FROM (
        SELECT p.cell, p.lat, p.lng, -1 AS d FROM search_user_point(CASE WHEN TG_OP <> 'INSERT' THEN OLD END) p
        UNION ALL
        SELECT p.cell, p.lat, p.lng, 1 FROM search_user_point(CASE WHEN TG_OP <> 'DELETE' THEN NEW END) p
    ) x GROUP BY cell, lat, lng HAVING sum(d) <> 0 ORDER BY cell, lat, lng
    ON CONFLICT (cell, lat, lng) DO UPDATE SET n = g.n + excluded.n;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_geo_point_user_insert AFTER INSERT ON users FOR EACH ROW
    WHEN (NEW.status IN ('a', 'b'))
    EXECUTE FUNCTION search_geo_point_user();
CREATE TRIGGER search_geo_point_user_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b')) AND
          (OLD.status IN ('a', 'b'), OLD.position_lat, OLD.position_lng, OLD.location_lat, OLD.location_lng)
          IS DISTINCT FROM
          (NEW.status IN ('a', 'b'), NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng))
    EXECUTE FUNCTION search_geo_point_user();
CREATE TRIGGER search_geo_point_user_delete AFTER DELETE ON users FOR EACH ROW
    WHEN (OLD.status IN ('a', 'b'))
    EXECUTE FUNCTION search_geo_point_user();

SELECT search_geo_point_rebuild();
ANALYZE search_geo_point;
