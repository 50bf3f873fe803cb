-- 020_search_name: the names' heads keyed with gender and birth date, so that
-- a name term with a gender or an age range (`user=maria&gender=Female&age=
-- 30-45`) counts and collects its matches from index ranges that hold only
-- them, instead of rechecking every trigram candidate of the term (73,000
-- users for `maria` at 1,000,000) and testing the attributes on each row
-- (012_search_text.sql). SQLite's search_name (sqlite/023_search_attrs.sql)
-- on PostgreSQL.
--
-- One row per active user (status a or b) and distinct head: every suffix
-- of at least three characters of the folded username and real name, cut to
-- five characters (search_name_heads), with the fields it comes from: 1 the
-- username, 2 the real name, 16 the username's start (the head is the
-- username's first five characters: a term that starts it starts the
-- username, rank 1), 32 the whole username (a username of at most five
-- characters: with 16, a term equal to the head is the username, rank 0).
-- A term of three to five characters matches exactly the rows whose head
-- starts with it; within one head the rows of a gender and a birth date
-- range are one range of search_name_key, read from the index alone
-- (pg_search.c, name_page): the term's distinct heads are walked one seek
-- each, then each head's range. dob is the birth date as the number
-- yyyymmdd that the full scan compares (replace(date_of_birth, '-', '')),
-- 0 without one (an age range never includes 0); staff is role IS NOT NULL.
--
-- Kept by a PL/pgSQL trigger from the columns hearth writes (the folded
-- names are computed in C when hearth writes them), in the same transaction
-- as the write, so any client may write users. A rename deletes the heads
-- that went and inserts the ones that came; a change of gender, birth date,
-- role or status moves every row of the user.

-- filling the table and building its index reads every user
SET LOCAL statement_timeout = 0;

CREATE TABLE search_name (
    head text COLLATE "C" NOT NULL,
    gender text COLLATE "C" NOT NULL,
    dob bigint NOT NULL,
    user_id bigint NOT NULL,
    fields smallint NOT NULL,
    staff boolean NOT NULL
) WITH (autovacuum_vacuum_insert_scale_factor = 0.01);

-- The distinct heads of a folded username and real name with their fields.
CREATE FUNCTION search_name_heads(u text, r text) RETURNS TABLE (head text, fields smallint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT h, bit_or(f)::smallint FROM (
        SELECT substr(u, i, 5) COLLATE "C" AS h,
               CASE WHEN i > 1 THEN 1 WHEN char_length(u) <= 5 THEN 49 ELSE 17 END AS f
        FROM generate_series(1, char_length(u) - 2) i
        UNION ALL
        SELECT substr(r, i, 5) COLLATE "C", 2 FROM generate_series(1, char_length(r) - 2) i) x
    GROUP BY h
$$;

-- A user's birth date as search_name keys it.
CREATE FUNCTION search_name_dob(d text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(replace(d, '-', '')::bigint, 0)
$$;

-- Every row search_name should hold, made from users (the rebuild, the
-- audit of pg_search_check.c).
CREATE VIEW search_name_recount (head, gender, dob, user_id, fields, staff) AS
    SELECT h.head, u.gender COLLATE "C", search_name_dob(u.date_of_birth), u.id, h.fields, u.role IS NOT NULL
    FROM users u, search_name_heads(u.username_fold, u.real_name_fold) h
    WHERE u.status IN ('a', 'b');

-- Every row made again from users (the seed, --reindex): the index is
-- dropped for the load and built once after it, sorted (the rows are not
-- sorted first: reads never visit the heap, and at 1,000,000 users the
-- sort cost 55 of the rebuild's 138 s); the table is vacuumed by the caller
-- when it can (VACUUM cannot run in a transaction), so that index-only
-- scans skip the heap.
CREATE FUNCTION search_name_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP INDEX IF EXISTS search_name_key;
    TRUNCATE search_name;
    INSERT INTO search_name (head, gender, dob, user_id, fields, staff)
    SELECT head, gender, dob, user_id, fields, staff FROM search_name_recount;
    CREATE UNIQUE INDEX search_name_key ON search_name (head, gender, dob, user_id) INCLUDE (fields, staff);
    ANALYZE search_name;
END
$$;

-- A user row written: the rows of its old values that its new ones do not
-- have (all of them when it left the active users or its gender, birth
-- date or role changed) deleted, then the new ones that are missing put.
CREATE FUNCTION search_name_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keep boolean := TG_OP = 'UPDATE' AND NEW.status IN ('a', 'b') AND OLD.gender = NEW.gender
                    AND search_name_dob(OLD.date_of_birth) = search_name_dob(NEW.date_of_birth)
                    AND (OLD.role IS NULL) = (NEW.role IS NULL);
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status IN ('a', 'b') THEN
        DELETE FROM search_name n
        USING search_name_heads(OLD.username_fold, OLD.real_name_fold) o
        WHERE n.head = o.head AND n.gender = OLD.gender COLLATE "C" AND n.dob = search_name_dob(OLD.date_of_birth)
          AND n.user_id = OLD.id
          AND NOT (keep AND (o.head, o.fields) IN (SELECT k.head, k.fields
                                                   FROM search_name_heads(NEW.username_fold, NEW.real_name_fold) k));
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status IN ('a', 'b') THEN
        INSERT INTO search_name (head, gender, dob, user_id, fields, staff)
        SELECT k.head, NEW.gender, search_name_dob(NEW.date_of_birth), NEW.id, k.fields, NEW.role IS NOT NULL
        FROM search_name_heads(NEW.username_fold, NEW.real_name_fold) k
        ORDER BY k.head
        ON CONFLICT (head, gender, dob, user_id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_name_user_insert AFTER INSERT ON users FOR EACH ROW
    WHEN (NEW.status IN ('a', 'b'))
    EXECUTE FUNCTION search_name_user();
CREATE TRIGGER search_name_user_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.status IN ('a', 'b') OR NEW.status IN ('a', 'b')) AND
          (OLD.status IN ('a', 'b'), OLD.username_fold, OLD.real_name_fold, OLD.gender, OLD.date_of_birth,
           OLD.role IS NULL)
          IS DISTINCT FROM
          (NEW.status IN ('a', 'b'), NEW.username_fold, NEW.real_name_fold, NEW.gender, NEW.date_of_birth,
           NEW.role IS NULL))
    EXECUTE FUNCTION search_name_user();
CREATE TRIGGER search_name_user_delete AFTER DELETE ON users FOR EACH ROW
    WHEN (OLD.status IN ('a', 'b'))
    EXECUTE FUNCTION search_name_user();

SET LOCAL maintenance_work_mem = '512MB';
SET LOCAL work_mem = '512MB';
SELECT search_name_rebuild();
