-- 023_search_attrs: the names' suffixes keyed with gender and birth date, so
-- that a name term with a gender or an age range (`user=maria&gender=Female
-- &age=30-45`) counts and collects its matches from index ranges that hold
-- only them, instead of reading every suffix row of the term (73,000 rows for
-- `maria` at 1,000,000 users) and checking the attributes on each.
--
-- One row per user and distinct head: every suffix of at least three
-- characters of the folded username and real name, cut to five characters
-- (search_name_rows(u, r), src/store/sqlite_search_index.c), with the field
-- bits of 005's search_suffix (1 username, 2 real name, 16 the username's
-- start: the term's rank 1). A term of three to five characters matches
-- exactly the rows whose head starts with it; within one head the rows of a
-- gender and a birth date range are one range of the primary key, so the
-- engine reads the distinct heads of the term (one seek each) and those
-- ranges. gender and staff as in 005; dob is yyyymmdd, 0 without a birth
-- date (a primary key column of a WITHOUT ROWID table cannot be NULL; an age
-- range never includes 0). Active users only (status a or b).
--
-- Kept by two more triggers on 005's search_text_add/search_text_remove
-- views, which every change of a name, gender, birth date, role or status
-- goes through, in the same statement; `hearth seed` re-applies this file
-- after 005.

CREATE TABLE search_name (
    head TEXT NOT NULL,
    gender INTEGER NOT NULL,
    dob INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    fields INTEGER NOT NULL,
    staff INTEGER NOT NULL,
    PRIMARY KEY (head, gender, dob, user_id)
) WITHOUT ROWID;

CREATE TRIGGER search_name_add INSTEAD OF INSERT ON search_text_add
BEGIN
    INSERT INTO search_name (head, gender, dob, user_id, fields, staff)
        SELECT substr(j.value, instr(j.value, '|') + 1), search_gender(NEW.gender),
               coalesce(search_dob(NEW.date_of_birth), 0), NEW.id, CAST(j.value AS INTEGER), NEW.role IS NOT NULL
        FROM json_each(search_name_rows(NEW.username_fold, NEW.real_name_fold)) j;
END;

CREATE TRIGGER search_name_remove INSTEAD OF INSERT ON search_text_remove
BEGIN
    -- the CASTs give the list the key's affinities (see 005)
    DELETE FROM search_name
    WHERE (head, gender, dob, user_id) IN (
        SELECT CAST(substr(j.value, instr(j.value, '|') + 1) AS TEXT), CAST(search_gender(NEW.gender) AS INTEGER),
               CAST(coalesce(search_dob(NEW.date_of_birth), 0) AS INTEGER), CAST(NEW.id AS INTEGER)
        FROM json_each(search_name_rows(NEW.username_fold, NEW.real_name_fold)) j);
END;

INSERT INTO search_name (head, gender, dob, user_id, fields, staff)
    SELECT substr(j.value, instr(j.value, '|') + 1), search_gender(u.gender), coalesce(search_dob(u.date_of_birth), 0),
           u.id, CAST(j.value AS INTEGER), u.role IS NOT NULL
    FROM users u, json_each(search_name_rows(u.username_fold, u.real_name_fold)) j
    WHERE u.status IN ('a', 'b')
    ORDER BY 1, 2, 3, 4;
