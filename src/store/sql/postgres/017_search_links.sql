-- 017_search_links: one statement per step of a distance page or a
-- radius count, and tag pages in username order read from one index.
--
-- search_radius_count and search_near_points are the statements of
-- pg_search_geo.c, each with its own setting: the planner, which cannot
-- tell how few points a cell range holds, would otherwise read every
-- point rather than the ranges through the primary keys (the statements
-- used to be wrapped in two SET LOCAL round trips each).
--
-- search_tag_member holds (tag, folded username, id) of every active
-- user's tags (status a or b), so the first page of a tag in username
-- order reads offset + limit entries of one index, not the tag's members
-- or a walk of every user (pg_search.c). Kept by PL/pgSQL triggers on
-- user_tags and users in the same transaction as the write, so any client
-- may write them.

-- filling the table and building its indexes reads every tag link
SET LOCAL statement_timeout = 0;

-- Each is PL/pgSQL, so its statements are planned once per connection
-- (a generic plan: the search's force_custom_plan would plan them, and
-- their inlined haversines, at every call, longer than they run).

-- The exact count of the active users within `r_km` of (o_lat, o_lng):
-- the users of the search_cell ranges [ilo, ihi] (cells wholly inside),
-- and of the points of the 0.01-degree cell ranges [elo, ehi] (on the
-- edge) that are within it; less the users `viewer` hides and `excluded`
-- among them. hidden: how many users the viewer hides, anywhere.
CREATE FUNCTION search_radius_count(ilo bigint[], ihi bigint[], elo bigint[], ehi bigint[], o_lat bigint,
                                    o_lng bigint, r_km double precision, viewer bigint, excluded bigint,
                                    OUT n bigint, OUT hidden bigint)
LANGUAGE plpgsql STABLE SET enable_seqscan = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    SELECT coalesce(sum(c.n), 0) INTO n FROM unnest(ilo, ihi) r(lo, hi)
    JOIN search_cell c ON c.key BETWEEN r.lo AND r.hi;
    n := n + (SELECT coalesce(sum(g.n), 0) FROM unnest(elo, ehi) r(lo, hi)
              JOIN search_geo_point g ON g.cell BETWEEN r.lo AND r.hi
              WHERE g.n > 0 AND search_km(o_lat, o_lng, g.lat, g.lng) <= r_km);
    n := n - (SELECT count(*) FROM users u
              WHERE u.id = ANY(ARRAY(SELECT h.hidden_id FROM hides h WHERE h.user_id = viewer
                                     UNION ALL SELECT excluded))
                AND u.status IN ('a', 'b')
                AND search_km(o_lat, o_lng,
                              search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng),
                              search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng)) <= r_km);
    hidden := (SELECT count(*) FROM hides h WHERE h.user_id = viewer);
END
$$;

-- The points of search_geo_point in the 0.01-degree cell ranges [c_lo, c_hi]
-- whose distance from (o_lat, o_lng) is more than `beyond` and at most
-- `r_km` (a ring of a distance page), with their users and that distance.
CREATE FUNCTION search_near_points(c_lo bigint[], c_hi bigint[], o_lat bigint, o_lng bigint, r_km double precision,
                                   beyond double precision)
RETURNS TABLE (lat bigint, lng bigint, n bigint, km double precision)
LANGUAGE plpgsql STABLE SET enable_seqscan = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT p.lat, p.lng, p.n, p.km
    FROM (SELECT g.lat, g.lng, g.n, search_km(o_lat, o_lng, g.lat, g.lng) AS km
          FROM unnest(c_lo, c_hi) r(lo, hi) JOIN search_geo_point g ON g.cell BETWEEN r.lo AND r.hi
          WHERE g.n > 0 OFFSET 0) p
    WHERE p.km <= r_km AND p.km > beyond;
END
$$;

-- The first `need` active users in id order at each point (p_lat[i],
-- p_lng[i]) (users_search_at, 015_search_geo.sql), but `excluded` and
-- the users `viewer` hides, with their distance from (o_lat, o_lng).
CREATE FUNCTION search_near_users(p_lat bigint[], p_lng bigint[], o_lat bigint, o_lng bigint, excluded bigint,
                                  viewer bigint, need bigint)
RETURNS TABLE (id bigint, km double precision)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT u.id, search_km(o_lat, o_lng, p.lat, p.lng) FROM unnest(p_lat, p_lng) p(lat, lng)
    CROSS JOIN LATERAL (
        SELECT u.id FROM users u
        WHERE u.status IN ('a', 'b')
          AND search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) = p.lat
          AND search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng) = p.lng
          AND u.id <> excluded
          AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = viewer AND h.hidden_id = u.id)
        ORDER BY u.id LIMIT need) u;
END
$$;

-- ---- tag members in username order ----

CREATE TABLE search_tag_member (
    tag_id bigint NOT NULL,
    username_fold text COLLATE "C" NOT NULL,
    user_id bigint NOT NULL,
    PRIMARY KEY (tag_id, username_fold, user_id)
);
CREATE INDEX search_tag_member_user ON search_tag_member (user_id, tag_id);

CREATE VIEW search_tag_member_recount (tag_id, username_fold, user_id) AS
    SELECT t.tag_id, u.username_fold, u.id FROM user_tags t JOIN users u ON u.id = t.user_id
    WHERE u.status IN ('a', 'b');

CREATE FUNCTION search_tag_member_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE search_tag_member;
    INSERT INTO search_tag_member (tag_id, username_fold, user_id)
    SELECT * FROM search_tag_member_recount ORDER BY 1, 2, 3;
$$;

-- A tag given or taken: the user's entry, when the user is active (its
-- row locked as search_count_member locks it, so a status written at the
-- same time waits for this transaction or is seen by it).
CREATE FUNCTION search_tag_member_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_tag_member (tag_id, username_fold, user_id)
        SELECT NEW.tag_id, u.username_fold, u.id FROM users u
        WHERE u.id = NEW.user_id AND u.status IN ('a', 'b') FOR SHARE
        ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM search_tag_member WHERE user_id = OLD.user_id AND tag_id = OLD.tag_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_tag_member_link AFTER INSERT OR DELETE ON user_tags FOR EACH ROW
    EXECUTE FUNCTION search_tag_member_link();

-- A user's status or username written: its entries again, in tag order.
CREATE FUNCTION search_tag_member_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_tag_member WHERE user_id = OLD.id;
    IF TG_OP = 'UPDATE' AND NEW.status IN ('a', 'b') THEN
        INSERT INTO search_tag_member (tag_id, username_fold, user_id)
        SELECT t.tag_id, NEW.username_fold, NEW.id FROM user_tags t WHERE t.user_id = NEW.id ORDER BY t.tag_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_tag_member_user_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.status IN ('a', 'b')) IS DISTINCT FROM (NEW.status IN ('a', 'b')) OR
          (NEW.status IN ('a', 'b') AND OLD.username_fold IS DISTINCT FROM NEW.username_fold))
    EXECUTE FUNCTION search_tag_member_user();
CREATE TRIGGER search_tag_member_user_delete AFTER DELETE ON users FOR EACH ROW
    WHEN (OLD.status IN ('a', 'b'))
    EXECUTE FUNCTION search_tag_member_user();

SELECT search_tag_member_rebuild();
ANALYZE search_tag_member;
