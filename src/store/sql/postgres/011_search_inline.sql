-- 011_search_inline: the search's per-row SQL functions written so that
-- PostgreSQL inlines them into the statements and index expressions that
-- call them, instead of calling them once per row (a call of a SQL
-- function runs its own little executor).
--
-- PostgreSQL inlines a SQL function whose body is one SELECT of one
-- expression without FROM; a STRICT one only if every construct of the
-- body is strict (so cube(cube(cube(x), y), z), not cube(ARRAY[x, y, z]));
-- and, where an argument appears more than once in the body, only if that
-- argument costs at most 10 operators. search_point and search_km use
-- their arguments several times, and their arguments are search_lat_e7
-- and search_lng_e7: those now round once, after choosing the value (7
-- operators instead of 14), so they are cheap enough.
--
-- Every function returns what it returned before, bit for bit: the same
-- operations in the same order on the same values (006_search.sql,
-- 008_search_counts.sql), so the indexes over them stay valid and the
-- distance a radius compares is still the one C prints. search_km keeps
-- its answer without a point (least() ignores the NULL: 20015.114).

CREATE OR REPLACE FUNCTION search_lat_e7(plat double precision, plng double precision, llat double precision,
                                         llng double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT search_e7(CASE WHEN plat IS NOT NULL AND plng IS NOT NULL THEN plat
                          WHEN llat IS NOT NULL AND llng IS NOT NULL THEN llat END)
$$;
CREATE OR REPLACE FUNCTION search_lng_e7(plat double precision, plng double precision, llat double precision,
                                         llng double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT search_e7(CASE WHEN plat IS NOT NULL AND plng IS NOT NULL THEN plng
                          WHEN llat IS NOT NULL AND llng IS NOT NULL THEN llng END)
$$;

-- p = lat::double precision / 10000000 * (pi() / 180), l the same of lng:
-- (cos(p) * cos(l), cos(p) * sin(l), sin(p)).
CREATE OR REPLACE FUNCTION search_point(lat bigint, lng bigint) RETURNS cube
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT cube(cube(cube(cos(lat::double precision / 10000000 * (pi() / 180))
                          * cos(lng::double precision / 10000000 * (pi() / 180))),
                     cos(lat::double precision / 10000000 * (pi() / 180))
                     * sin(lng::double precision / 10000000 * (pi() / 180))),
                sin(lat::double precision / 10000000 * (pi() / 180)))
$$;

-- p1, p2 the latitudes in radians as above, dp = p2 - p1, dl = (lng2 -
-- lng1) in radians: floor(2 R asin(sqrt(least(1, sin(dp / 2) sin(dp / 2)
-- + cos(p1) cos(p2) sin(dl / 2) sin(dl / 2)))) * 1000 + 0.5) / 1000.
CREATE OR REPLACE FUNCTION search_km(lat1 bigint, lng1 bigint, lat2 bigint, lng2 bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor(2 * 6371.0088::double precision * asin(sqrt(least(1::double precision,
               sin((lat2::double precision / 10000000 * (pi() / 180) - lat1::double precision / 10000000 * (pi() / 180)) / 2)
               * sin((lat2::double precision / 10000000 * (pi() / 180) - lat1::double precision / 10000000 * (pi() / 180)) / 2)
               + cos(lat1::double precision / 10000000 * (pi() / 180)) * cos(lat2::double precision / 10000000 * (pi() / 180))
               * sin((lng2 - lng1)::double precision / 10000000 * (pi() / 180) / 2)
               * sin((lng2 - lng1)::double precision / 10000000 * (pi() / 180) / 2)))) * 1000 + 0.5) / 1000
$$;
