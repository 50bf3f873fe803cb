-- 009_ui_prefs: what SelfCommunity's UI kit reads at start, and the
-- category fields its widgets show.
--
-- Preferences: the url templates (the kit ignores their values; they are
-- SelfCommunity's defaults), the application name and the theme colours
-- (CSS colours, checked on every change: domain/colour.h). Rows an older
-- database already has keep their values.
INSERT INTO prefs (section, name, value) VALUES
    ('configurations', 'url_template_post', '"/post/{id}/{slug}"'),
    ('configurations', 'url_template_discussion', '"/discussion/{id}/{slug}"'),
    ('configurations', 'url_template_status', '"/status/{id}/{slug}"'),
    ('configurations', 'url_template_comment',
     '"/{contribution_type}/{contribution_id}/{contribution_slug}?comment={id}"'),
    ('configurations', 'url_template_category', '"/category/{slug}"'),
    ('configurations', 'url_template_categories_list', '"/categories"'),
    ('configurations', 'url_template_profile', '"/u/{username}"'),
    ('configurations', 'url_template_profile_settings', '"/settings"'),
    ('configurations', 'url_template_notifications', '"/notifications"'),
    ('configurations', 'url_template_private_message', '"/messages"'),
    ('configurations', 'url_template_incubator', '"/incubator/{id}"'),
    ('configurations', 'url_template_live_stream', '"/live/{id}"'),
    ('text', 'application_name', '"hearth"'),
    ('colors', 'colorprimary', '"#1976d2"'),
    ('colors', 'colorsecondary', '"#9c27b0"'),
    ('colors', 'navbarback', '"#ffffff"'),
    ('colors', 'colorback', '"#f5f5f5"'),
    ('colors', 'font_color', '"#212121"'),
    ('colors', 'font_color_secondary', '"#757575"'),
    ('configurations', 'user_metadata_definition', '"{}"'),
    ('images', 'user_default_cover', '""')
ON CONFLICT (section, name) DO NOTHING;

-- Categories: whether only staff may post in one (recorded; hearth's posts
-- do not act on it yet), and the number of its followers who are active
-- users (status a or b), as the users' counters count (store.h). Kept by
-- the triggers below in the transaction of every write that moves it;
-- `hearth check` recomputes and compares it.
ALTER TABLE categories ADD COLUMN content_only_staff INTEGER NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN followers_counter INTEGER NOT NULL DEFAULT 0;

UPDATE categories SET followers_counter = (
    SELECT count(*) FROM category_follows f CROSS JOIN users u ON u.id = f.user_id
    WHERE f.category_id = categories.id AND u.status IN ('a', 'b'));

CREATE TRIGGER category_followers_insert AFTER INSERT ON category_follows
WHEN (SELECT status FROM users WHERE id = NEW.user_id) IN ('a', 'b')
BEGIN
    UPDATE categories SET followers_counter = followers_counter + 1 WHERE id = NEW.category_id;
END;

CREATE TRIGGER category_followers_delete AFTER DELETE ON category_follows
WHEN (SELECT status FROM users WHERE id = OLD.user_id) IN ('a', 'b')
BEGIN
    UPDATE categories SET followers_counter = followers_counter - 1 WHERE id = OLD.category_id;
END;

CREATE TRIGGER category_followers_update AFTER UPDATE OF user_id, category_id ON category_follows
BEGIN
    UPDATE categories SET followers_counter = followers_counter - 1
    WHERE id = OLD.category_id AND (SELECT status FROM users WHERE id = OLD.user_id) IN ('a', 'b');
    UPDATE categories SET followers_counter = followers_counter + 1
    WHERE id = NEW.category_id AND (SELECT status FROM users WHERE id = NEW.user_id) IN ('a', 'b');
END;

-- a follower who stops or starts being active leaves or enters the counts
CREATE TRIGGER category_followers_user_leave AFTER UPDATE OF status ON users
WHEN OLD.status IN ('a', 'b') AND NEW.status NOT IN ('a', 'b')
BEGIN
    UPDATE categories SET followers_counter = followers_counter - 1
    WHERE id IN (SELECT category_id FROM category_follows WHERE user_id = OLD.id);
END;

CREATE TRIGGER category_followers_user_enter AFTER UPDATE OF status ON users
WHEN NEW.status IN ('a', 'b') AND OLD.status NOT IN ('a', 'b')
BEGIN
    UPDATE categories SET followers_counter = followers_counter + 1
    WHERE id IN (SELECT category_id FROM category_follows WHERE user_id = NEW.id);
END;

-- a deleted user row: before the delete, while its follows exist (the
-- cascaded deletes then find no user and change nothing)
CREATE TRIGGER category_followers_user_delete BEFORE DELETE ON users WHEN OLD.status IN ('a', 'b')
BEGIN
    UPDATE categories SET followers_counter = followers_counter - 1
    WHERE id IN (SELECT category_id FROM category_follows WHERE user_id = OLD.id);
END;
