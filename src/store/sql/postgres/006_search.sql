-- 006_search: user search on PostgreSQL (pg_search*.c), over indexes the
-- database maintains itself: no side tables, no triggers.
--
-- Folding stays in C (text_fold): the four *_fold columns of users, and
-- search_words, the words' starts written by hearth wherever it writes
-- those columns (pg_search_words): every 1- and 2-character prefix at a
-- word start (contract §3: after a character that is not a letter, mark
-- or digit, as utf8proc classifies it), each led by its field's digit
-- (1 username, 2 real name, 3 location, 4 description), sorted bytewise.
-- A term of one or two characters matches through it (GIN, exact); a
-- longer one through pg_trgm on the folded columns (LIKE, rechecked).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE users ADD COLUMN search_words text[] COLLATE "C" NOT NULL DEFAULT '{}';

-- Only active users are ever found (status a or b). fastupdate off: a
-- write updates the index at once, so no pending list (which only VACUUM
-- empties) ever makes a search read more, or the planner shun the index.
CREATE INDEX users_search_words ON users USING gin (search_words) WITH (fastupdate = off)
    WHERE status IN ('a', 'b');
CREATE INDEX users_search_username_trgm ON users USING gin (username_fold gin_trgm_ops) WITH (fastupdate = off)
    WHERE status IN ('a', 'b');
CREATE INDEX users_search_real_name_trgm ON users USING gin (real_name_fold gin_trgm_ops) WITH (fastupdate = off)
    WHERE status IN ('a', 'b');
CREATE INDEX users_search_location_trgm ON users USING gin (location_fold gin_trgm_ops) WITH (fastupdate = off)
    WHERE status IN ('a', 'b');
CREATE INDEX users_search_description_trgm ON users USING gin (description_fold gin_trgm_ops)
    WITH (fastupdate = off) WHERE status IN ('a', 'b');

-- search_e7(degrees): fixed point, 1e-7 degree, rounded half away from
-- zero as geo_e7 (llround).
CREATE FUNCTION search_e7(d double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (sign(d) * floor(abs(d) * 10000000 + 0.5))::bigint
$$;

-- A user's search coordinates in 1e-7 degree: the position when both its
-- values are set, else the location; NULL when neither is.
CREATE FUNCTION search_lat_e7(plat double precision, plng double precision, llat double precision,
                              llng double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN plat IS NOT NULL AND plng IS NOT NULL THEN search_e7(plat)
                WHEN llat IS NOT NULL AND llng IS NOT NULL THEN search_e7(llat) END
$$;
CREATE FUNCTION search_lng_e7(plat double precision, plng double precision, llat double precision,
                              llng double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN plat IS NOT NULL AND plng IS NOT NULL THEN search_e7(plng)
                WHEN llat IS NOT NULL AND llng IS NOT NULL THEN search_e7(llng) END
$$;

-- search_km(lat0, lng0, lat, lng): geo_distance_e7 then geo_round_km, the
-- same operations in the same order on the same libm, so the distance a
-- radius compares is the one C prints (haversine, radius 6371.0088 km,
-- rounded to the metre half away from zero). NULL without a point.
CREATE FUNCTION search_km(lat1 bigint, lng1 bigint, lat2 bigint, lng2 bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor(2 * 6371.0088::double precision * asin(sqrt(least(1::double precision,
               sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)))) * 1000 + 0.5) / 1000
    FROM (SELECT lat1::double precision / 10000000 * (pi() / 180) AS p1,
                 lat2::double precision / 10000000 * (pi() / 180) AS p2,
                 lat2::double precision / 10000000 * (pi() / 180) - lat1::double precision / 10000000 * (pi() / 180) AS dp,
                 (lng2 - lng1)::double precision / 10000000 * (pi() / 180) AS dl) v
$$;

-- The geo filter's bounding box (geo_bbox_e7) and ages run on these; the
-- walks of the other orderings use the list_by_* indexes (001_schema.sql).
CREATE INDEX users_search_geo ON users (search_lat_e7(position_lat, position_lng, location_lat, location_lng),
                                        search_lng_e7(position_lat, position_lng, location_lat, location_lng))
    WHERE status IN ('a', 'b');
CREATE INDEX users_search_dob ON users (date_of_birth COLLATE "C") WHERE status IN ('a', 'b');
