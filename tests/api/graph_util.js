'use strict';
// Helpers shared by the graph*.test.js suites: users with tokens,
// the official client acting as one of them, the community mode, and direct
// database edits for states the API cannot produce on this branch (blocked
// and soft-deleted users).

const h = require('./harness');

let seq = 0;

// Creates users named prefix0..prefixN-1 (unique per process) with JWTs.
async function makeUsers(s, prefix, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const u = await s.createUser({ username: `${prefix}${seq++}` });
    out.push({ ...u, token: await s.token(u.id) });
  }
  return out;
}

// The official client's UserService acting as `user` (anonymous if null).
function as(s, user) {
  return h.client(s.base, user ? user.token : undefined).UserService;
}

// follow mode (true) or friendship mode (false), through the preferences API.
async function setFollowMode(s, follow) {
  const r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
    token: s.admin.token, body: { 'configurations.follow_enabled': follow },
  });
  h.expectStatus(r, 200, 'set follow_enabled');
}

async function setPref(s, key, value) {
  const r = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { [key]: value } });
  h.expectStatus(r, 200, `set ${key}`);
}

// Runs SQL on the server's database with the sqlite3 shell (WAL makes this
// safe while the server runs).
function sql(s, text) {
  return s.sql(text);
}

// Sets a user's status directly and recomputes the counters the contract's
// invariant derives from it (an account delete does this itself).
function setStatus(s, userId, status) {
  sql(s, `UPDATE users SET status = '${status}' WHERE id = ${Number(userId)};`);
  // counters of everybody: recompute the invariant's numbers from the edges
  sql(s, `UPDATE users SET
    followers_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.follower_id WHERE f.followed_id = users.id AND o.status IN ('a','b')),
    followings_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.followed_id WHERE f.follower_id = users.id AND o.status IN ('a','b')),
    connections_counter = (SELECT count(*) FROM connections c JOIN users o ON o.id = c.other_id WHERE c.user_id = users.id AND o.status IN ('a','b')),
    connection_requests_sent_counter = (SELECT count(*) FROM connection_requests r JOIN users o ON o.id = r.to_user_id WHERE r.from_user_id = users.id AND o.status IN ('a','b')),
    connection_requests_received_counter = (SELECT count(*) FROM connection_requests r JOIN users o ON o.id = r.from_user_id WHERE r.to_user_id = users.id AND r.rejected_us IS NULL AND o.status IN ('a','b'));`);
}

const ids = (page) => page.results.map((u) => u.id);

module.exports = { makeUsers, as, setFollowMode, setPref, sql, setStatus, ids };
