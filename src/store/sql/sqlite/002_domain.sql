-- 002_domain: the tables of the account, graph, tags/categories and posts
-- subjects, created together so every subject (and hard delete) can rely on
-- them. Times in microseconds (*_us). A hard-deleted user keeps its row as a
-- tombstone, so ON DELETE CASCADE rarely fires: deletes are explicit.

-- account: notification settings (schemas/userSettings.md) and pending
-- email changes (contract §7)
CREATE TABLE user_settings (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    qa_frequency INTEGER NOT NULL DEFAULT -1,
    email_notification_not_qa INTEGER NOT NULL DEFAULT 1,
    interests_frequency INTEGER NOT NULL DEFAULT -1,
    engagement_frequency INTEGER NOT NULL DEFAULT 1,
    mobile_notifications_scmty INTEGER NOT NULL DEFAULT 1,
    show_toast_notifications INTEGER NOT NULL DEFAULT 1,
    toast_notifications_emit_sound INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE email_changes (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_us INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);

-- graph: follows, friendship requests and connections, hides
CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followed_id)
) WITHOUT ROWID;
CREATE INDEX follows_followed ON follows (followed_id, created_us);
CREATE INDEX follows_follower ON follows (follower_id, created_us);

CREATE TABLE connection_requests (
    id INTEGER PRIMARY KEY,
    from_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    rejected_us INTEGER,
    viewed_us INTEGER,
    UNIQUE (from_user_id, to_user_id)
);
CREATE INDEX connection_requests_to ON connection_requests (to_user_id, created_us);

-- one row per direction: (a, b) and (b, a)
CREATE TABLE connections (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (user_id, other_id)
) WITHOUT ROWID;
CREATE INDEX connections_user_created ON connections (user_id, created_us);

CREATE TABLE hides (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hidden_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (user_id, hidden_id)
) WITHOUT ROWID;
CREATE INDEX hides_hidden ON hides (hidden_id);

-- tags (schemas/tag.md)
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL DEFAULT 'user' CHECK (type IN ('user', 'category')),
    name TEXT NOT NULL,
    description TEXT,
    color TEXT NOT NULL DEFAULT '#3B3B3B',
    visible INTEGER NOT NULL DEFAULT 1,
    active INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_us INTEGER NOT NULL,
    UNIQUE (type, name)
);

CREATE TABLE user_tags (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX user_tags_tag ON user_tags (tag_id, user_id);

-- categories (schemas/category.md)
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    "order" INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL UNIQUE,
    name_synonyms TEXT,
    slug TEXT NOT NULL UNIQUE,
    slogan TEXT,
    html_info TEXT,
    seo_title TEXT,
    seo_description TEXT,
    auto_follow TEXT NOT NULL DEFAULT 'none' CHECK (auto_follow IN ('none', 'default', 'forced')),
    active INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    emotional_image_position INTEGER NOT NULL DEFAULT 50,
    stream_order_by TEXT NOT NULL DEFAULT 'recent' CHECK (stream_order_by IN ('recent', 'last_activity')),
    lastmod_us INTEGER NOT NULL
);

CREATE TABLE category_follows (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (user_id, category_id)
) WITHOUT ROWID;
CREATE INDEX category_follows_category ON category_follows (category_id, user_id);

-- posts and discussions (schemas/post.md, discussion.md)
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('post', 'discussion')),
    author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT,
    slug TEXT,
    html TEXT NOT NULL,
    summary TEXT NOT NULL,
    added_us INTEGER NOT NULL,
    last_activity_us INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_author ON posts (author_id, added_us);

CREATE TABLE post_categories (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, category_id)
) WITHOUT ROWID;
CREATE INDEX post_categories_category ON post_categories (category_id, post_id);
