-- Self sign-up, email verification, password recovery, and the mail outbox.

-- Single-use codes sent by email: only their hash is kept (BLAKE2b of the
-- code, hex). purpose: 'verify' (a new account's email, 24 h) or 'reset'
-- (a password reset, 1 h). A code dies when used, when it expires (the row
-- is then only garbage) or when its user is hard deleted.
CREATE TABLE account_codes (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    expires_us INTEGER NOT NULL
);
CREATE INDEX account_codes_user ON account_codes (user_id, purpose);

-- Accounts made by self sign-up that may not log in yet: 'unverified' until
-- the email is verified; then 'awaiting_approval' when the community
-- requires it (the user is blocked, status b, until an admin sets status a).
CREATE TABLE account_signups (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('unverified', 'awaiting_approval')),
    created_us INTEGER NOT NULL
);

-- Mail to send, written in the transaction that makes what it carries.
-- kind names the template (src/mail/templates/KIND.*); params is a JSON
-- object of the values it shows, erased once the message is sent. A sender
-- claims a row by moving claimed_until_us past now (one UPDATE; PostgreSQL:
-- the SELECT under it takes FOR UPDATE SKIP LOCKED), so that each message
-- goes out once; a claim that outlives its sender (a crash) expires.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    params TEXT NOT NULL,          -- JSON object
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_us INTEGER NOT NULL,
    claimed_until_us INTEGER NOT NULL DEFAULT 0,
    created_us INTEGER NOT NULL,
    sent_us INTEGER,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_us) WHERE state = 'pending';

INSERT INTO prefs (section, name, value) VALUES
    ('configurations', 'signup_enabled', 'false'),
    ('configurations', 'signup_requires_approval', 'false');
