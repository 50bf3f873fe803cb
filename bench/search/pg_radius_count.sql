-- pg_radius_count.sql: one radius count (50 km around a seeded city, at 1M
-- users 16,758 users) three ways, six rounds interleaved: with search_km
-- called ("call"), with its body written out ("inline", as pg_search.c
-- wrote it before 011_search_inline.sql), and with the GiST's cube alone
-- ("cube", the floor). Read the best time of each:
--   psql "$URL" -X -f bench/search/pg_radius_count.sql 2>&1 | awk '/^(call|inline|cube)$/ {k=$1}
--     /^Time:/ && k {if (!(k in m) || $2 < m[k]) m[k] = $2; k = ""} END {for (k in m) print k, m[k], "ms"}'
\timing on
SET max_parallel_workers_per_gather = 0; SET jit = off;
\set L 'search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng)'
\set G 'search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng)'
\set W 'FROM users u WHERE u.status IN (''a'', ''b'') AND ' :L ' IS NOT NULL AND search_point(' :L ', ' :G ') <@ cube_enlarge(''(0.621852399571725, -0.0030589748070104922, 0.78312849253492089)''::cube, 0.007848031547947332, 3)'
\set K '(floor(2 * 6371.0088::double precision * asin(sqrt(least(1::double precision, sin((' :L '::double precision / 10000000 * (pi() / 180) - 515479165::double precision / 10000000 * (pi() / 180)) / 2) * sin((' :L '::double precision / 10000000 * (pi() / 180) - 515479165::double precision / 10000000 * (pi() / 180)) / 2) + cos(515479165::double precision / 10000000 * (pi() / 180)) * cos(' :L '::double precision / 10000000 * (pi() / 180)) * sin(((' :G ' - -2818433)::double precision / 10000000 * (pi() / 180)) / 2) * sin(((' :G ' - -2818433)::double precision / 10000000 * (pi() / 180)) / 2)))) * 1000 + 0.5) / 1000)'
\echo call
SELECT count(*) :W AND search_km(515479165, -2818433, :L, :G) <= 50;
\echo inline
SELECT count(*) :W AND :K <= 50;
\echo cube
SELECT count(*) :W;
\echo call
SELECT count(*) :W AND search_km(515479165, -2818433, :L, :G) <= 50;
\echo inline
SELECT count(*) :W AND :K <= 50;
\echo cube
SELECT count(*) :W;
\echo call
SELECT count(*) :W AND search_km(515479165, -2818433, :L, :G) <= 50;
\echo inline
SELECT count(*) :W AND :K <= 50;
\echo cube
SELECT count(*) :W;
\echo call
SELECT count(*) :W AND search_km(515479165, -2818433, :L, :G) <= 50;
\echo inline
SELECT count(*) :W AND :K <= 50;
\echo cube
SELECT count(*) :W;
\echo call
SELECT count(*) :W AND search_km(515479165, -2818433, :L, :G) <= 50;
\echo inline
SELECT count(*) :W AND :K <= 50;
\echo cube
SELECT count(*) :W;
\echo call
SELECT count(*) :W AND search_km(515479165, -2818433, :L, :G) <= 50;
\echo inline
SELECT count(*) :W AND :K <= 50;
\echo cube
SELECT count(*) :W;
