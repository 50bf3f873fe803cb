-- pg_inline_check.sql: the search functions of 011_search_inline.sql give
-- the same values, bit for bit, as the definitions they replaced
-- (006_search.sql, 008_search_counts.sql), so the indexes built over the
-- old ones stay valid. Run on a migrated hearth database:
--   psql "$URL" -X -v ON_ERROR_STOP=1 -f bench/search/pg_inline_check.sql
-- It compares every user's point and distance from two origins, the
-- distance from nine origins (poles, antimeridian, ...) for a fifth of
-- them and every point near a pole or the antimeridian, and the same for
-- a grid of generated coordinates (poles, +-180, half-e7 roundings,
-- NULLs); every "diff" is 0. Since 012_search_text.sql, search_km is NULL
-- without a point (the old definition gave 20015.114 there), so a NULL
-- from search_km counts as the same when the old value came from a
-- missing point; "km_null_without_point" must equal "without_point".
-- The old definitions are rebuilt as temporary functions; nothing is kept.
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 0;

CREATE FUNCTION pg_temp.old_e7(d double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT (sign(d) * floor(abs(d) * 10000000 + 0.5))::bigint
$$;
CREATE FUNCTION pg_temp.old_lat_e7(plat double precision, plng double precision, llat double precision,
                                   llng double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN plat IS NOT NULL AND plng IS NOT NULL THEN pg_temp.old_e7(plat)
                WHEN llat IS NOT NULL AND llng IS NOT NULL THEN pg_temp.old_e7(llat) END
$$;
CREATE FUNCTION pg_temp.old_lng_e7(plat double precision, plng double precision, llat double precision,
                                   llng double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN plat IS NOT NULL AND plng IS NOT NULL THEN pg_temp.old_e7(plng)
                WHEN llat IS NOT NULL AND llng IS NOT NULL THEN pg_temp.old_e7(llng) END
$$;
CREATE FUNCTION pg_temp.old_point(lat bigint, lng bigint) RETURNS cube
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT cube(ARRAY[cos(p) * cos(l), cos(p) * sin(l), sin(p)])
    FROM (SELECT lat::double precision / 10000000 * (pi() / 180) AS p,
                 lng::double precision / 10000000 * (pi() / 180) AS l) v
$$;
CREATE FUNCTION pg_temp.old_km(lat1 bigint, lng1 bigint, lat2 bigint, lng2 bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    SELECT floor(2 * 6371.0088::double precision * asin(sqrt(least(1::double precision,
               sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)))) * 1000 + 0.5) / 1000
    FROM (SELECT lat1::double precision / 10000000 * (pi() / 180) AS p1,
                 lat2::double precision / 10000000 * (pi() / 180) AS p2,
                 lat2::double precision / 10000000 * (pi() / 180) - lat1::double precision / 10000000 * (pi() / 180) AS dp,
                 (lng2 - lng1)::double precision / 10000000 * (pi() / 180) AS dl) v
$$;
-- the same cube, byte for byte: dimensions, point flag, size, coordinates
CREATE FUNCTION pg_temp.same_cube(a cube, b cube) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT (a IS NULL AND b IS NULL) OR (cube_dim(a) = cube_dim(b) AND cube_is_point(a) = cube_is_point(b)
        AND pg_column_size(a) = pg_column_size(b)
        AND float8send(cube_ll_coord(a, 1)) = float8send(cube_ll_coord(b, 1))
        AND float8send(cube_ll_coord(a, 2)) = float8send(cube_ll_coord(b, 2))
        AND float8send(cube_ll_coord(a, 3)) = float8send(cube_ll_coord(b, 3))
        AND float8send(cube_ur_coord(a, 3)) = float8send(cube_ur_coord(b, 3)))
$$;

CREATE TEMP TABLE pts (n bigserial, plat double precision, plng double precision, llat double precision, llng double precision);
INSERT INTO pts (plat, plng, llat, llng) SELECT position_lat, position_lng, location_lat, location_lng FROM users;
INSERT INTO pts (plat, plng, llat, llng)
SELECT CASE WHEN i % 4 <> 0 THEN (i % 181) - 90 + (i % 7) * 1e-8 * (1 - 2 * (i % 2)) END,
       CASE WHEN i % 4 <> 1 THEN (i % 361) - 180 - (i % 5) * 5e-8 END,
       CASE WHEN i % 3 <> 0 THEN (i % 181) - 90.00000005 END,
       CASE WHEN i % 5 <> 0 THEN 180 - (i % 361) + 0.00000005 END
FROM generate_series(1, 20000) i;
INSERT INTO pts (plat, plng, llat, llng) VALUES (90, 0, NULL, NULL), (-90, 180, NULL, NULL), (0, 180, NULL, NULL), (0, -180, NULL, NULL),
    (89.9999999, 179.9999999, NULL, NULL), (-89.99999995, -179.99999995, NULL, NULL), (0, 0, NULL, NULL),
    (NULL, 5, 1, 2), (1e-8, -1e-8, NULL, NULL), (45.00000005, -45.00000005, NULL, NULL), (NULL, NULL, NULL, NULL);
CREATE TEMP TABLE origins (la, ln) AS
VALUES (900000000::bigint, 0::bigint), (-900000000, 1800000000), (0, 1800000000), (0, -1800000000),
    (899999999, -1799999999), (0, 0), (452345678, 123456789), (-337777777, -1799999990), (1, -1);

SELECT count(*) AS points,
       count(*) FILTER (WHERE pg_temp.old_lat_e7(plat, plng, llat, llng) IS DISTINCT FROM search_lat_e7(plat, plng, llat, llng)
                           OR pg_temp.old_lng_e7(plat, plng, llat, llng) IS DISTINCT FROM search_lng_e7(plat, plng, llat, llng)) AS diff_e7,
       count(*) FILTER (WHERE NOT pg_temp.same_cube(
           pg_temp.old_point(pg_temp.old_lat_e7(plat, plng, llat, llng), pg_temp.old_lng_e7(plat, plng, llat, llng)),
           search_point(search_lat_e7(plat, plng, llat, llng), search_lng_e7(plat, plng, llat, llng)))) AS diff_point
FROM pts;

SELECT count(*) AS distances,
       count(*) FILTER (WHERE float8send(pg_temp.old_km(o.la, o.ln, pg_temp.old_lat_e7(plat, plng, llat, llng),
                                                        pg_temp.old_lng_e7(plat, plng, llat, llng)))
                              IS DISTINCT FROM
                              float8send(search_km(o.la, o.ln, search_lat_e7(plat, plng, llat, llng),
                                                   search_lng_e7(plat, plng, llat, llng)))
                              AND search_lat_e7(plat, plng, llat, llng) IS NOT NULL) AS diff_km,
       count(*) FILTER (WHERE search_lat_e7(plat, plng, llat, llng) IS NULL) AS without_point,
       count(*) FILTER (WHERE search_km(o.la, o.ln, search_lat_e7(plat, plng, llat, llng),
                                        search_lng_e7(plat, plng, llat, llng)) IS NULL) AS km_null_without_point
FROM pts, origins o
WHERE pts.n % 5 = 0 OR pts.plat IS NULL OR abs(pts.plat) >= 89 OR abs(pts.plng) >= 179;

-- the origin as a run-time parameter (a generic plan: not folded at planning)
PREPARE km_at(bigint, bigint) AS
SELECT count(*) AS distances,
       count(*) FILTER (WHERE float8send(pg_temp.old_km($1, $2, pg_temp.old_lat_e7(plat, plng, llat, llng),
                                                        pg_temp.old_lng_e7(plat, plng, llat, llng)))
                              IS DISTINCT FROM
                              float8send(search_km($1, $2, search_lat_e7(plat, plng, llat, llng),
                                                   search_lng_e7(plat, plng, llat, llng)))
                              AND search_lat_e7(plat, plng, llat, llng) IS NOT NULL) AS diff_km_param,
       count(*) FILTER (WHERE search_lat_e7(plat, plng, llat, llng) IS NULL) AS without_point,
       count(*) FILTER (WHERE search_km($1, $2, search_lat_e7(plat, plng, llat, llng),
                                        search_lng_e7(plat, plng, llat, llng)) IS NULL) AS km_null_without_point
FROM pts;
SET plan_cache_mode = force_generic_plan;
EXECUTE km_at(515479165, -2818433);
EXECUTE km_at(-900000000, 1800000000);
