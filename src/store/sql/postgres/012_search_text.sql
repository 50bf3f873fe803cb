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
