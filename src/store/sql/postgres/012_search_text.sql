-- 012_search_text: a narrow copy of what a name search with attributes
-- reads (pg_search.c): one row per active user (status a or b) with its
-- gender, birth date, staff flag and both folded names in one column,
--   names = username_fold || E'\n' || real_name_fold,
-- so `user=term` (username or real name contains the term) is one LIKE
-- on one trigram GIN: a term without a newline matches names exactly when
-- it matches one of the two (no match can span the newline at byte ulen
-- + 1), and the username is the first ulen bytes (the exact username and
-- username prefixes of the ranking). The
-- candidates of a term are rechecked on these short rows, filled in
-- (gender, birth date) order, instead of on the users table's wide rows,
-- and a (gender, birth date) btree narrows them before any row is read.
--
-- Kept by a PL/pgSQL trigger from the columns hearth writes, in the same
-- transaction as the write, so any client may write users.

-- filling the table and building its indexes reads every user
SET LOCAL statement_timeout = 0;

CREATE TABLE search_text (
    id bigint PRIMARY KEY,
    gender text NOT NULL,
    date_of_birth text COLLATE "C",
    staff boolean NOT NULL,
    names text COLLATE "C" NOT NULL,
    ulen int NOT NULL -- octet_length(username_fold): where the username ends in names
);

-- Every row made again from users (the seed, --reindex): the indexes are
-- dropped for the load and built once after it, sorted.
CREATE FUNCTION search_text_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP INDEX IF EXISTS search_text_names_trgm;
    DROP INDEX IF EXISTS search_text_gender_dob;
    TRUNCATE search_text;
    INSERT INTO search_text (id, gender, date_of_birth, staff, names, ulen)
    SELECT id, gender, date_of_birth, role IS NOT NULL, username_fold || E'\n' || real_name_fold,
           octet_length(username_fold)
    FROM users WHERE status IN ('a', 'b') ORDER BY gender, date_of_birth COLLATE "C", id;
    CREATE INDEX search_text_names_trgm ON search_text USING gin (names gin_trgm_ops) WITH (fastupdate = off);
    CREATE INDEX search_text_gender_dob ON search_text (gender, date_of_birth);
    ANALYZE search_text;
END
$$;

-- A user row written: its row put, or taken out when it is not active.
CREATE FUNCTION search_text_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.status NOT IN ('a', 'b') THEN
        DELETE FROM search_text WHERE id = OLD.id;
    ELSE
        INSERT INTO search_text AS s (id, gender, date_of_birth, staff, names, ulen)
        VALUES (NEW.id, NEW.gender, NEW.date_of_birth, NEW.role IS NOT NULL,
                NEW.username_fold || E'\n' || NEW.real_name_fold, octet_length(NEW.username_fold))
        ON CONFLICT (id) DO UPDATE SET gender = excluded.gender, date_of_birth = excluded.date_of_birth,
                                       staff = excluded.staff, names = excluded.names, ulen = excluded.ulen;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_text_user_insert AFTER INSERT ON users FOR EACH ROW
    WHEN (NEW.status IN ('a', 'b'))
    EXECUTE FUNCTION search_text_user();
CREATE TRIGGER search_text_user_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b')) AND
          (OLD.status IN ('a', 'b'), OLD.username_fold, OLD.real_name_fold, OLD.gender, OLD.date_of_birth,
           OLD.role IS NULL)
          IS DISTINCT FROM
          (NEW.status IN ('a', 'b'), NEW.username_fold, NEW.real_name_fold, NEW.gender, NEW.date_of_birth,
           NEW.role IS NULL))
    EXECUTE FUNCTION search_text_user();
CREATE TRIGGER search_text_user_delete AFTER DELETE ON users FOR EACH ROW
    WHEN (OLD.status IN ('a', 'b'))
    EXECUTE FUNCTION search_text_user();

SELECT search_text_rebuild();

-- ---- radius counts: users per grid cell ----
-- search_cell holds, for every cell of three grids over the 1e-7 degree
-- search coordinates (0.01, 0.1 and 1 degree a side), the active users
-- whose point lies in it. key = level * 10^10 + row * 10^5 + column,
-- level 1, 2, 3 the grid of 10^(4 + level) units a side, row and column
-- floor(lat_e7 / side) and floor(lng_e7 / side) (|column| < 5 * 10^4, so
-- keys are distinct). A radius count (pg_search_geo.c) adds the cells
-- inside the circle and checks the users of the 0.01-degree cells on
-- its edge one by one (users_search_cell), with search_km as ever.
CREATE FUNCTION search_cell(lvl int, lat bigint, lng bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT lvl * 10000000000::bigint + floor(lat::double precision / (10::double precision ^ (4 + lvl)))::bigint * 100000
           + floor(lng::double precision / (10::double precision ^ (4 + lvl)))::bigint
$$;

CREATE TABLE search_cell (
    key bigint PRIMARY KEY,
    n bigint NOT NULL
);

-- The cells of a user row (none when it is not active or has no point).
CREATE FUNCTION search_user_cells(u users) RETURNS SETOF bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT search_cell(l, v.lat, v.lng)
    FROM (SELECT search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) AS lat,
                 search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) AS lng
          WHERE u.status IN ('a', 'b')) v, generate_series(1, 3) l
    WHERE v.lat IS NOT NULL
$$;

CREATE VIEW search_cell_recount (key, n) AS
    SELECT c, count(*) FROM users u, search_user_cells(u) c WHERE u.status IN ('a', 'b') GROUP BY c;

CREATE FUNCTION search_cell_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE search_cell;
    INSERT INTO search_cell (key, n) SELECT key, n FROM search_cell_recount ORDER BY key;
$$;

-- A user row written: its old cells -1, its new ones +1, the difference
-- written as one upsert in key order (as search_count's).
CREATE FUNCTION search_cell_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_cell AS c (key, n)
    SELECT k, sum(d) FROM (
        SELECT k, -1 AS d FROM search_user_cells(CASE WHEN TG_OP <> 'INSERT' THEN OLD END) k
        UNION ALL
        SELECT k, 1 FROM search_user_cells(CASE WHEN TG_OP <> 'DELETE' THEN NEW END) k
    ) x GROUP BY k HAVING sum(d) <> 0 ORDER BY k
    ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_cell_user_insert AFTER INSERT ON users FOR EACH ROW
    WHEN (NEW.status IN ('a', 'b'))
    EXECUTE FUNCTION search_cell_user();
CREATE TRIGGER search_cell_user_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b')) AND
          (OLD.status IN ('a', 'b'), OLD.position_lat, OLD.position_lng, OLD.location_lat, OLD.location_lng)
          IS DISTINCT FROM
          (NEW.status IN ('a', 'b'), NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng))
    EXECUTE FUNCTION search_cell_user();
CREATE TRIGGER search_cell_user_delete AFTER DELETE ON users FOR EACH ROW
    WHEN (OLD.status IN ('a', 'b'))
    EXECUTE FUNCTION search_cell_user();

SELECT search_cell_rebuild();

CREATE INDEX users_search_cell ON users (search_cell(1, search_lat_e7(position_lat, position_lng, location_lat, location_lng),
                                                     search_lng_e7(position_lat, position_lng, location_lat, location_lng)))
    WHERE status IN ('a', 'b');
ANALYZE search_cell;

-- search_km without a point is NULL, as 006_search.sql says: least()
-- skipped the NULL that a missing coordinate makes of the haversine's
-- sum and gave asin(1), half the circumference (20015.114). The callers
-- test for a point first, so no answer changes. float8smaller is least()
-- of two float8 that keeps NULL (the same comparison; for equal values
-- both give the same bits), so every distance stays the same double and
-- the function is still inlined.
CREATE OR REPLACE FUNCTION search_km(lat1 bigint, lng1 bigint, lat2 bigint, lng2 bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor(2 * 6371.0088::double precision * asin(sqrt(float8smaller(1::double precision,
               sin((lat2::double precision / 10000000 * (pi() / 180) - lat1::double precision / 10000000 * (pi() / 180)) / 2)
               * sin((lat2::double precision / 10000000 * (pi() / 180) - lat1::double precision / 10000000 * (pi() / 180)) / 2)
               + cos(lat1::double precision / 10000000 * (pi() / 180)) * cos(lat2::double precision / 10000000 * (pi() / 180))
               * sin((lng2 - lng1)::double precision / 10000000 * (pi() / 180) / 2)
               * sin((lng2 - lng1)::double precision / 10000000 * (pi() / 180) / 2)))) * 1000 + 0.5) / 1000
$$;
