-- 018_ranked_walk: the head of a lone term's relevance page in one
-- statement with plans kept per connection.
--
-- A term of 1-3 characters alone (hides and exclude aside) with many
-- matches ranks the exact username first, then the usernames that start
-- with the term, each in id order (pg_search.c, ranked_page). Both walk a
-- username index (users_username_fold, users_search_username_start1..3)
-- whatever the term, yet as statements of their own they were planned at
-- every request, longer than they ran, over two round trips. Here they are
-- PL/pgSQL, so each branch keeps a generic plan per connection.

-- The ids of the active user whose folded username is `term` (at most
-- one), then of up to `lim` less that many whose folded username starts
-- with `term` (its first `n` characters, 1 to 3) and is not `term`, each
-- part in id order; with `words` (a term of 1-2 characters: its word-start
-- elements of the username and real name, search_words), only the users
-- that match it there; never `excluded` nor a user `viewer` hides.
CREATE FUNCTION search_ranked_head(term text, words text[], n int, viewer bigint, excluded bigint, lim bigint)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    got bigint;
BEGIN
    RETURN QUERY
    SELECT u.id FROM users u
    WHERE u.status IN ('a', 'b') AND u.username_fold = term AND (words IS NULL OR u.search_words && words)
      AND u.id <> excluded AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = viewer AND h.hidden_id = u.id)
    ORDER BY u.id LIMIT 1;
    GET DIAGNOSTICS got = ROW_COUNT;
    IF lim - got <= 0 THEN
        RETURN;
    END IF;
    IF n = 1 THEN
        RETURN QUERY
        SELECT u.id FROM users u
        WHERE u.status IN ('a', 'b') AND left(u.username_fold, 1) = term AND u.username_fold <> term
          AND (words IS NULL OR u.search_words && words) AND u.id <> excluded
          AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = viewer AND h.hidden_id = u.id)
        ORDER BY u.id LIMIT lim - got;
    ELSIF n = 2 THEN
        RETURN QUERY
        SELECT u.id FROM users u
        WHERE u.status IN ('a', 'b') AND left(u.username_fold, 2) = term AND u.username_fold <> term
          AND (words IS NULL OR u.search_words && words) AND u.id <> excluded
          AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = viewer AND h.hidden_id = u.id)
        ORDER BY u.id LIMIT lim - got;
    ELSIF n = 3 THEN
        RETURN QUERY
        SELECT u.id FROM users u
        WHERE u.status IN ('a', 'b') AND left(u.username_fold, 3) = term AND u.username_fold <> term
          AND (words IS NULL OR u.search_words && words) AND u.id <> excluded
          AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = viewer AND h.hidden_id = u.id)
        ORDER BY u.id LIMIT lim - got;
    END IF;
END
$$;
