-- 005_search: the indexes behind GET /user/search/ and the text filters of
-- /user/ (contract §3, §7, §8).
--
-- Everything here is derived from users, user_tags and category_follows and
-- kept in sync by the triggers below, so no other code needs to know about
-- it. Only active users (status a or b) are indexed. The search_* SQL
-- functions are hearth's (src/store/sqlite_search_index.c): the database must
-- be written through hearth. Applying this file to a database that has no
-- search_* objects builds them from the base tables; `hearth seed` drops them
-- before a bulk load and re-applies this file afterwards.
--
-- Text is indexed in its folded form (fold(): NFKC, case folded, accents
-- stripped). Field bits: 1 username, 2 real name, 4 location, 8 description.
-- gender: 0 Unspecified, 1 Male, 2 Female, 3 anything else; dob: yyyymmdd;
-- staff: 1 when the user has a role. Carrying them on every index row lets a
-- text, tag or category search filter by gender, age and staff without
-- reading the users rows.

-- Terms of one or two characters match at a word start (contract §3, §9):
-- one row per distinct 1- and 2-character prefix of the word starts of a
-- user, with the rank of contract §3 for that prefix as a term (0 the
-- username is the prefix, 1 the username starts with it, 2 otherwise), so a
-- term's ranked page is one walk of the primary key. One more row holds the
-- first three characters of the username with fields = 0 (it matches no
-- term): the username prefixes of a 3-character term, in id order.
CREATE TABLE search_prefix (
    pfx TEXT NOT NULL,
    rank INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    fields INTEGER NOT NULL,
    gender INTEGER NOT NULL,
    dob INTEGER,
    staff INTEGER NOT NULL,
    PRIMARY KEY (pfx, rank, user_id)
) WITHOUT ROWID;

-- Terms of three or more characters match anywhere: every suffix of at least
-- three characters of every field, cut to 12 characters, one row per distinct
-- suffix and user. A term of 3 to 12 characters matches exactly the rows in
-- [term, term || U+10FFFF); a longer term uses its first 12 characters and is
-- verified against the users row. Field bit 16: this suffix starts the
-- username (so the term is a username prefix: rank 1).
CREATE TABLE search_suffix (
    suffix TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    fields INTEGER NOT NULL,
    gender INTEGER NOT NULL,
    dob INTEGER,
    staff INTEGER NOT NULL,
    PRIMARY KEY (suffix, user_id)
) WITHOUT ROWID;

-- Tag carriers (kind 1, key = tag id) and category followers (kind 2, key =
-- category id) among active users.
CREATE TABLE search_member (
    kind INTEGER NOT NULL,
    key INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    gender INTEGER NOT NULL,
    dob INTEGER,
    staff INTEGER NOT NULL,
    PRIMARY KEY (kind, key, user_id)
) WITHOUT ROWID;

-- Coordinates (position, else location) of active users in units of 1e-7
-- degree (about 1 cm): exact integers, so a bounding box never loses a point
-- to rounding and every distance is computed from the same numbers.
CREATE VIRTUAL TABLE search_geo USING rtree_i32(id, lat_min, lat_max, lng_min, lng_max);

-- Maintained counts, so that a search with a single condition knows its
-- exact count without counting rows:
--   a  active users;  s  active staff;  x<gender code>;  g  with coordinates
--   d<yyyymmdd>, e<gender code><yyyymmdd>  born that day (of that gender):
--                     an age range alone is a sum over a range of keys
--   c<gender code><staff 0|1><coordinates 0|1><yyyymmdd or 00000000>  the
--                     cube of the per-user conditions: any mix of gender,
--                     age, staff and "has coordinates" is a sum of ranges
--   p<mask>:<prefix>  users with a word starting with the 1-2 character prefix
--   t<mask>:<trigram> users whose text contains the 3-character string
--   m<kind>:<key>     tag carriers, category followers
-- where mask is a field bit, or 3 for "username or real name".
CREATE TABLE search_count (
    key TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;

-- Orderings, walked in index order when a result is large (active users).
CREATE INDEX search_by_username ON users (username_fold) WHERE status IN ('a', 'b');
CREATE INDEX search_by_real_name ON users (real_name_fold) WHERE status IN ('a', 'b');
CREATE INDEX search_by_location ON users (fold(location)) WHERE status IN ('a', 'b');
CREATE INDEX search_by_joined ON users (date_joined_us) WHERE status IN ('a', 'b');
CREATE INDEX search_by_dob ON users (date_of_birth) WHERE status IN ('a', 'b');
CREATE INDEX search_by_staff ON users (id) WHERE role IS NOT NULL AND status IN ('a', 'b');

-- ------------------------------------------------------------ maintenance
-- Each step is an INSTEAD OF INSERT trigger on an empty view, so it is
-- written once and called from the table triggers below as
-- INSERT INTO search_<step> VALUES (...). Removals regenerate the old rows
-- from the old values (the search_*_rows functions are deterministic) and
-- delete them by primary key; a count is decremented only for what exists.

CREATE VIEW search_text_add (id, username_fold, real_name_fold, location, description, gender, date_of_birth, role)
    AS SELECT 0, '', '', '', '', '', NULL, NULL WHERE 0;
CREATE TRIGGER search_text_add INSTEAD OF INSERT ON search_text_add
BEGIN
    INSERT INTO search_prefix (pfx, rank, user_id, fields, gender, dob, staff)
        SELECT substr(j.value, instr(j.value, '|') + 1), CAST(j.value AS INTEGER) / 100, NEW.id, CAST(j.value AS INTEGER) % 100, search_gender(NEW.gender),
               search_dob(NEW.date_of_birth), NEW.role IS NOT NULL
        FROM json_each(search_prefix_rows(NEW.username_fold, NEW.real_name_fold, fold(NEW.location),
                                          fold(NEW.description))) j;
    INSERT INTO search_suffix (suffix, user_id, fields, gender, dob, staff)
        SELECT substr(j.value, instr(j.value, '|') + 1), NEW.id, CAST(j.value AS INTEGER), search_gender(NEW.gender), search_dob(NEW.date_of_birth),
               NEW.role IS NOT NULL
        FROM json_each(search_suffix_rows(NEW.username_fold, NEW.real_name_fold, fold(NEW.location),
                                          fold(NEW.description))) j;
    INSERT INTO search_count (key, n)
        SELECT j.value, 1
        FROM json_each(search_count_keys(NEW.username_fold, NEW.real_name_fold, fold(NEW.location),
                                         fold(NEW.description), search_gender(NEW.gender), NEW.role IS NOT NULL,
                                         search_dob(NEW.date_of_birth))) j
        WHERE true
        ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE VIEW search_text_remove (id, username_fold, real_name_fold, location, description, gender, date_of_birth, role)
    AS SELECT 0, '', '', '', '', '', NULL, NULL WHERE 0;
CREATE TRIGGER search_text_remove INSTEAD OF INSERT ON search_text_remove
BEGIN
    -- the CASTs give the list the key's affinities: without them SQLite
    -- uses only the first key column (and reads every row of a prefix)
    DELETE FROM search_prefix
    WHERE (pfx, rank, user_id) IN (
        SELECT CAST(substr(j.value, instr(j.value, '|') + 1) AS TEXT), CAST(CAST(j.value AS INTEGER) / 100 AS INTEGER),
               CAST(NEW.id AS INTEGER)
        FROM json_each(search_prefix_rows(NEW.username_fold, NEW.real_name_fold, fold(NEW.location),
                                          fold(NEW.description))) j);
    DELETE FROM search_suffix
    WHERE (suffix, user_id) IN (
        SELECT CAST(substr(j.value, instr(j.value, '|') + 1) AS TEXT), CAST(NEW.id AS INTEGER)
        FROM json_each(search_suffix_rows(NEW.username_fold, NEW.real_name_fold, fold(NEW.location),
                                          fold(NEW.description))) j);
    UPDATE search_count SET n = n - 1
    WHERE key IN (
        SELECT j.value
        FROM json_each(search_count_keys(NEW.username_fold, NEW.real_name_fold, fold(NEW.location),
                                         fold(NEW.description), search_gender(NEW.gender), NEW.role IS NOT NULL,
                                         search_dob(NEW.date_of_birth))) j);
END;

-- (id, position_lat, position_lng, location_lat, location_lng). The count
-- follows from the values, not from reading search_geo: an R*Tree cannot be
-- written while a cursor of the same statement reads it.
CREATE VIEW search_geo_add (id, position_lat, position_lng, location_lat, location_lng)
    AS SELECT 0, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER search_geo_add INSTEAD OF INSERT ON search_geo_add
WHEN search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng) IS NOT NULL
BEGIN
    INSERT INTO search_geo (id, lat_min, lat_max, lng_min, lng_max)
        SELECT NEW.id, c.lat, c.lat, c.lng, c.lng
        FROM (SELECT search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng) AS lat,
                     search_user_lng_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng) AS lng) c;
    INSERT INTO search_count (key, n) VALUES ('g', 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE VIEW search_geo_remove (id, position_lat, position_lng, location_lat, location_lng)
    AS SELECT 0, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER search_geo_remove INSTEAD OF INSERT ON search_geo_remove
WHEN search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng) IS NOT NULL
BEGIN
    UPDATE search_count SET n = n - 1 WHERE key = 'g';
    DELETE FROM search_geo WHERE id = NEW.id;
END;

-- the cube key of search_count (maintained apart from the texts, so that
-- a new position does not re-index a user's texts)
CREATE VIEW search_cube_add (gender, role, date_of_birth, position_lat, position_lng, location_lat, location_lng)
    AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER search_cube_add INSTEAD OF INSERT ON search_cube_add
BEGIN
    INSERT INTO search_count (key, n)
        VALUES (search_cube_key(search_gender(NEW.gender), NEW.role IS NOT NULL,
                                search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat,
                                                   NEW.location_lng) IS NOT NULL,
                                search_dob(NEW.date_of_birth)), 1)
        ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE VIEW search_cube_remove (gender, role, date_of_birth, position_lat, position_lng, location_lat, location_lng)
    AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER search_cube_remove INSTEAD OF INSERT ON search_cube_remove
BEGIN
    UPDATE search_count SET n = n - 1
    WHERE key = search_cube_key(search_gender(NEW.gender), NEW.role IS NOT NULL,
                                search_user_lat_e7(NEW.position_lat, NEW.position_lng, NEW.location_lat,
                                                   NEW.location_lng) IS NOT NULL,
                                search_dob(NEW.date_of_birth));
END;

-- one membership (kind 1 tag, 2 category), if the user is active
CREATE VIEW search_member_add (kind, key, user_id) AS SELECT 0, 0, 0 WHERE 0;
CREATE TRIGGER search_member_add INSTEAD OF INSERT ON search_member_add
BEGIN
    INSERT INTO search_count (key, n)
        SELECT 'm' || NEW.kind || ':' || NEW.key, 1
        WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.user_id AND u.status IN ('a', 'b'))
          AND NOT EXISTS (SELECT 1 FROM search_member
                          WHERE kind = NEW.kind AND key = NEW.key AND user_id = NEW.user_id)
        ON CONFLICT (key) DO UPDATE SET n = n + 1;
    INSERT OR IGNORE INTO search_member (kind, key, user_id, gender, dob, staff)
        SELECT NEW.kind, NEW.key, u.id, search_gender(u.gender), search_dob(u.date_of_birth), u.role IS NOT NULL
        FROM users u WHERE u.id = NEW.user_id AND u.status IN ('a', 'b');
END;

CREATE VIEW search_member_remove (kind, key, user_id) AS SELECT 0, 0, 0 WHERE 0;
CREATE TRIGGER search_member_remove INSTEAD OF INSERT ON search_member_remove
BEGIN
    UPDATE search_count SET n = n - 1
    WHERE key = 'm' || NEW.kind || ':' || NEW.key
      AND EXISTS (SELECT 1 FROM search_member WHERE kind = NEW.kind AND key = NEW.key AND user_id = NEW.user_id);
    DELETE FROM search_member WHERE kind = NEW.kind AND key = NEW.key AND user_id = NEW.user_id;
END;

-- every membership of one user (on status and attribute changes)
CREATE VIEW search_members_add (user_id) AS SELECT 0 WHERE 0;
CREATE TRIGGER search_members_add INSTEAD OF INSERT ON search_members_add
BEGIN
    INSERT INTO search_member_add (kind, key, user_id)
        SELECT 1, tag_id, user_id FROM user_tags WHERE user_id = NEW.user_id
        UNION ALL
        SELECT 2, category_id, user_id FROM category_follows WHERE user_id = NEW.user_id;
END;

CREATE VIEW search_members_remove (user_id) AS SELECT 0 WHERE 0;
CREATE TRIGGER search_members_remove INSTEAD OF INSERT ON search_members_remove
BEGIN
    INSERT INTO search_member_remove (kind, key, user_id)
        SELECT 1, tag_id, user_id FROM user_tags WHERE user_id = NEW.user_id
        UNION ALL
        SELECT 2, category_id, user_id FROM category_follows WHERE user_id = NEW.user_id;
END;

-- ---------------------------------------------------------------- triggers

CREATE TRIGGER search_users_insert AFTER INSERT ON users WHEN NEW.status IN ('a', 'b')
BEGIN
    INSERT INTO search_text_add VALUES (NEW.id, NEW.username_fold, NEW.real_name_fold, NEW.location,
                                        NEW.description, NEW.gender, NEW.date_of_birth, NEW.role);
    INSERT INTO search_geo_add VALUES (NEW.id, NEW.position_lat, NEW.position_lng, NEW.location_lat,
                                       NEW.location_lng);
    INSERT INTO search_members_add VALUES (NEW.id);
    INSERT INTO search_cube_add VALUES (NEW.gender, NEW.role, NEW.date_of_birth, NEW.position_lat, NEW.position_lng,
                                        NEW.location_lat, NEW.location_lng);
END;

CREATE TRIGGER search_users_delete AFTER DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    INSERT INTO search_cube_remove VALUES (OLD.gender, OLD.role, OLD.date_of_birth, OLD.position_lat, OLD.position_lng,
                                           OLD.location_lat, OLD.location_lng);
    INSERT INTO search_text_remove VALUES (OLD.id, OLD.username_fold, OLD.real_name_fold, OLD.location,
                                           OLD.description, OLD.gender, OLD.date_of_birth, OLD.role);
    INSERT INTO search_geo_remove VALUES (OLD.id, OLD.position_lat, OLD.position_lng, OLD.location_lat,
                                          OLD.location_lng);
    INSERT INTO search_members_remove VALUES (OLD.id);
END;

-- texts, attributes and status -> prefixes, suffixes, text counts
CREATE TRIGGER search_users_text AFTER UPDATE OF username_fold, real_name_fold, location, description, gender,
    date_of_birth, role, status ON users
WHEN (OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b'))
 AND (OLD.status IS NOT NEW.status OR OLD.username_fold IS NOT NEW.username_fold
      OR OLD.real_name_fold IS NOT NEW.real_name_fold OR OLD.location IS NOT NEW.location
      OR OLD.description IS NOT NEW.description OR OLD.gender IS NOT NEW.gender
      OR OLD.date_of_birth IS NOT NEW.date_of_birth OR (OLD.role IS NULL) IS NOT (NEW.role IS NULL))
BEGIN
    INSERT INTO search_text_remove
        SELECT OLD.id, OLD.username_fold, OLD.real_name_fold, OLD.location, OLD.description, OLD.gender,
               OLD.date_of_birth, OLD.role
        WHERE OLD.status IN ('a', 'b');
    INSERT INTO search_text_add
        SELECT NEW.id, NEW.username_fold, NEW.real_name_fold, NEW.location, NEW.description, NEW.gender,
               NEW.date_of_birth, NEW.role
        WHERE NEW.status IN ('a', 'b');
END;

-- status and coordinates -> search_geo
CREATE TRIGGER search_users_geo AFTER UPDATE OF status, location_lat, location_lng, position_lat, position_lng
    ON users
WHEN (OLD.status IN ('a', 'b')) IS NOT (NEW.status IN ('a', 'b'))
  OR (NEW.status IN ('a', 'b')
      AND (OLD.location_lat IS NOT NEW.location_lat OR OLD.location_lng IS NOT NEW.location_lng
           OR OLD.position_lat IS NOT NEW.position_lat OR OLD.position_lng IS NOT NEW.position_lng))
BEGIN
    INSERT INTO search_geo_remove
        SELECT OLD.id, OLD.position_lat, OLD.position_lng, OLD.location_lat, OLD.location_lng
        WHERE OLD.status IN ('a', 'b');
    INSERT INTO search_geo_add
        SELECT NEW.id, NEW.position_lat, NEW.position_lng, NEW.location_lat, NEW.location_lng
        WHERE NEW.status IN ('a', 'b');
END;

-- status, attributes and coordinates -> the cube key
CREATE TRIGGER search_users_cube AFTER UPDATE OF status, gender, date_of_birth, role, location_lat, location_lng,
    position_lat, position_lng ON users
WHEN (OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b'))
 AND ((OLD.status IN ('a', 'b')) IS NOT (NEW.status IN ('a', 'b')) OR OLD.gender IS NOT NEW.gender
      OR OLD.date_of_birth IS NOT NEW.date_of_birth OR (OLD.role IS NULL) IS NOT (NEW.role IS NULL)
      OR OLD.location_lat IS NOT NEW.location_lat OR OLD.location_lng IS NOT NEW.location_lng
      OR OLD.position_lat IS NOT NEW.position_lat OR OLD.position_lng IS NOT NEW.position_lng)
BEGIN
    INSERT INTO search_cube_remove
        SELECT OLD.gender, OLD.role, OLD.date_of_birth, OLD.position_lat, OLD.position_lng, OLD.location_lat,
               OLD.location_lng
        WHERE OLD.status IN ('a', 'b');
    INSERT INTO search_cube_add
        SELECT NEW.gender, NEW.role, NEW.date_of_birth, NEW.position_lat, NEW.position_lng, NEW.location_lat,
               NEW.location_lng
        WHERE NEW.status IN ('a', 'b');
END;

-- status and attributes -> search_member
CREATE TRIGGER search_users_members AFTER UPDATE OF status, gender, date_of_birth, role ON users
WHEN (OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b'))
 AND ((OLD.status IN ('a', 'b')) IS NOT (NEW.status IN ('a', 'b')) OR OLD.gender IS NOT NEW.gender
      OR OLD.date_of_birth IS NOT NEW.date_of_birth OR (OLD.role IS NULL) IS NOT (NEW.role IS NULL))
BEGIN
    INSERT INTO search_members_remove SELECT OLD.id WHERE OLD.status IN ('a', 'b');
    INSERT INTO search_members_add SELECT NEW.id WHERE NEW.status IN ('a', 'b');
END;

CREATE TRIGGER search_user_tags_insert AFTER INSERT ON user_tags
BEGIN
    INSERT INTO search_member_add VALUES (1, NEW.tag_id, NEW.user_id);
END;
CREATE TRIGGER search_user_tags_delete AFTER DELETE ON user_tags
BEGIN
    INSERT INTO search_member_remove VALUES (1, OLD.tag_id, OLD.user_id);
END;
CREATE TRIGGER search_user_tags_update AFTER UPDATE ON user_tags
BEGIN
    INSERT INTO search_member_remove VALUES (1, OLD.tag_id, OLD.user_id);
    INSERT INTO search_member_add VALUES (1, NEW.tag_id, NEW.user_id);
END;

CREATE TRIGGER search_category_follows_insert AFTER INSERT ON category_follows
BEGIN
    INSERT INTO search_member_add VALUES (2, NEW.category_id, NEW.user_id);
END;
CREATE TRIGGER search_category_follows_delete AFTER DELETE ON category_follows
BEGIN
    INSERT INTO search_member_remove VALUES (2, OLD.category_id, OLD.user_id);
END;
CREATE TRIGGER search_category_follows_update AFTER UPDATE ON category_follows
BEGIN
    INSERT INTO search_member_remove VALUES (2, OLD.category_id, OLD.user_id);
    INSERT INTO search_member_add VALUES (2, NEW.category_id, NEW.user_id);
END;

-- ------------------------------------------------- build from existing rows
-- Sorted inserts: each index is written in key order.

INSERT INTO search_prefix (pfx, rank, user_id, fields, gender, dob, staff)
    SELECT substr(j.value, instr(j.value, '|') + 1), CAST(j.value AS INTEGER) / 100, u.id, CAST(j.value AS INTEGER) % 100, search_gender(u.gender), search_dob(u.date_of_birth),
           u.role IS NOT NULL
    FROM users u, json_each(search_prefix_rows(u.username_fold, u.real_name_fold, fold(u.location),
                                               fold(u.description))) j
    WHERE u.status IN ('a', 'b')
    ORDER BY 1, 2, 3;

INSERT INTO search_suffix (suffix, user_id, fields, gender, dob, staff)
    SELECT substr(j.value, instr(j.value, '|') + 1), u.id, CAST(j.value AS INTEGER), search_gender(u.gender), search_dob(u.date_of_birth),
           u.role IS NOT NULL
    FROM users u, json_each(search_suffix_rows(u.username_fold, u.real_name_fold, fold(u.location),
                                               fold(u.description))) j
    WHERE u.status IN ('a', 'b')
    ORDER BY 1, 2;

INSERT INTO search_member (kind, key, user_id, gender, dob, staff)
    SELECT m.kind, m.key, u.id, search_gender(u.gender), search_dob(u.date_of_birth), u.role IS NOT NULL
    FROM (SELECT 1 AS kind, tag_id AS key, user_id FROM user_tags
          UNION ALL
          SELECT 2, category_id, user_id FROM category_follows) m
    JOIN users u ON u.id = m.user_id
    WHERE u.status IN ('a', 'b')
    ORDER BY 1, 2, 3;

INSERT INTO search_geo (id, lat_min, lat_max, lng_min, lng_max)
    SELECT id, lat, lat, lng, lng
    FROM (SELECT id, search_user_lat_e7(position_lat, position_lng, location_lat, location_lng) AS lat,
                 search_user_lng_e7(position_lat, position_lng, location_lat, location_lng) AS lng
          FROM users WHERE status IN ('a', 'b'))
    WHERE lat IS NOT NULL;

-- search_count_all: the aggregate of search_count_keys, [[key, n], ...]
INSERT INTO search_count (key, n)
    SELECT j.value ->> 0, j.value ->> 1
    FROM json_each((SELECT search_count_all(username_fold, real_name_fold, fold(location), fold(description),
                                            search_gender(gender), role IS NOT NULL, search_dob(date_of_birth))
                    FROM users WHERE status IN ('a', 'b'))) j;
INSERT INTO search_count (key, n) SELECT 'g', count(*) FROM search_geo;
INSERT INTO search_count (key, n)
    SELECT search_cube_key(search_gender(gender), role IS NOT NULL,
                           search_user_lat_e7(position_lat, position_lng, location_lat, location_lng) IS NOT NULL,
                           search_dob(date_of_birth)), count(*)
    FROM users WHERE status IN ('a', 'b') GROUP BY 1;
INSERT INTO search_count (key, n)
    SELECT 'm' || kind || ':' || key, count(*) FROM search_member GROUP BY kind, key;
