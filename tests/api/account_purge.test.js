'use strict';
// Hard deletes of users with many edges: done in batches (several
// transactions), with every counter equal to what the edges give at the end,
// and finished by `hearth check --fix` or the next server start when one was
// interrupted (a row left in account_purges).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus } = h;

const EDGE_TABLES = [
  ['follows', 'follower_id', 'followed_id'],
  ['connections', 'user_id', 'other_id'],
  ['connection_requests', 'from_user_id', 'to_user_id'],
  ['hides', 'user_id', 'hidden_id'],
];

describe('hard deletes of users with many edges', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  let seq = 0;
  // A user with n followers (some soft-deleted), following half of them,
  // with sent and received connection requests (some rejected) and hides
  // both ways; counters set from the edges. Returns the user's id.
  async function bigUser(n) {
    seq += 1;
    const u = await s.createUser({ username: `big${seq}`, password: 'B1g!pass-long' });
    const prefix = `fan${seq}_`;
    s.sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
      INSERT INTO users (username, username_fold, date_joined_us) SELECT '${prefix}' || i, '${prefix}' || i, 1 FROM k`);
    const fans = `(SELECT id FROM users WHERE username LIKE '${prefix}%')`;
    const fansFrom = `${fans} AS fan`; // PostgreSQL names every subquery in FROM
    s.sql(`INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, ${u.id}, id FROM ${fansFrom};
      INSERT INTO follows (follower_id, followed_id, created_us) SELECT ${u.id}, id, id FROM ${fansFrom} WHERE id % 2 = 0;
      INSERT INTO connections (user_id, other_id, created_us) SELECT ${u.id}, id, id FROM ${fansFrom} WHERE id % 7 = 0;
      INSERT INTO connections (user_id, other_id, created_us) SELECT id, ${u.id}, id FROM ${fansFrom} WHERE id % 7 = 0;
      INSERT INTO connection_requests (from_user_id, to_user_id, created_us, rejected_us)
        SELECT ${u.id}, id, id, CASE WHEN id % 3 = 0 THEN id END FROM ${fansFrom} WHERE id % 5 = 1;
      INSERT INTO connection_requests (from_user_id, to_user_id, created_us, rejected_us)
        SELECT id, ${u.id}, id, CASE WHEN id % 3 = 0 THEN id END FROM ${fansFrom} WHERE id % 5 = 2;
      INSERT INTO hides (user_id, hidden_id, created_us) SELECT ${u.id}, id, id FROM ${fansFrom} WHERE id % 11 = 0;
      INSERT INTO hides (user_id, hidden_id, created_us) SELECT id, ${u.id}, id FROM ${fansFrom} WHERE id % 13 = 0;
      UPDATE users SET status = 'd' WHERE id IN ${fans} AND id % 17 = 0;`);
    s.sql(`UPDATE users SET
      followers_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.follower_id WHERE f.followed_id = users.id AND o.status IN ('a', 'b')),
      followings_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.followed_id WHERE f.follower_id = users.id AND o.status IN ('a', 'b')),
      connections_counter = (SELECT count(*) FROM connections c JOIN users o ON o.id = c.other_id WHERE c.user_id = users.id AND o.status IN ('a', 'b')),
      connection_requests_sent_counter = (SELECT count(*) FROM connection_requests r JOIN users o ON o.id = r.to_user_id WHERE r.from_user_id = users.id AND o.status IN ('a', 'b')),
      connection_requests_received_counter = (SELECT count(*) FROM connection_requests r JOIN users o ON o.id = r.from_user_id WHERE r.to_user_id = users.id AND r.rejected_us IS NULL AND o.status IN ('a', 'b'))
      WHERE id = ${u.id} OR id IN ${fans}`);
    await checkClean('before');
    assert.equal(Number(s.sql(`SELECT followers_counter FROM users WHERE id = ${u.id}`)) > 250, true);
    return u.id;
  }

  async function checkClean(what) {
    const r = await s.run(['check']);
    assert.equal(r.code, 0, `hearth check ${what}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /counters: ok/);
    assert.doesNotMatch(r.stdout, /hard deletes/);
  }

  function expectGone(id) {
    for (const [table, a, b] of EDGE_TABLES) {
      assert.equal(s.sql(`SELECT count(*) FROM ${table} WHERE ${a} = ${id} OR ${b} = ${id}`), '0', `${table} of ${id}`);
    }
    assert.equal(s.sql(`SELECT status FROM users WHERE id = ${id}`), 'u');
    assert.equal(s.sql('SELECT count(*) FROM account_purges'), '0');
  }

  it('a hard delete of a user with 700 followers and other edges leaves every counter right', async () => {
    const id = await bigUser(700);
    const fan = s.sql(`SELECT id FROM users WHERE username LIKE 'fan${seq}_%' AND status = 'a' AND id % 2 = 0 LIMIT 1`);
    const before = await s.api('GET', `/api/v2/user/${fan}/`, { token: s.admin.token });
    expectStatus(before, 200);
    assert.equal(before.body.followers_counter, 1);
    assert.equal(before.body.followings_counter, 1);
    expectStatus(await s.api('DELETE', `/api/v2/user/${id}/?hard=1`, { token: s.admin.token }), 204);
    expectStatus(await s.api('GET', `/api/v2/user/${id}/`, { token: s.admin.token }), 404);
    expectGone(id);
    const after = await s.api('GET', `/api/v2/user/${fan}/`, { token: s.admin.token });
    assert.equal(after.body.followers_counter, 0);
    assert.equal(after.body.followings_counter, 0);
    await checkClean('after the delete');
  });

  it('an interrupted hard delete is reported by check and finished by check --fix', async () => {
    const id = await bigUser(400);
    s.sql(`INSERT INTO account_purges (user_id, started_us) VALUES (${id}, 1)`);
    const report = await s.run(['check']);
    assert.equal(report.code, 1, report.stdout);
    assert.match(report.stdout, /hard deletes: 1 interrupted/);
    const fixed = await s.run(['check', '--fix']);
    assert.equal(fixed.code, 0, `${fixed.stdout}${fixed.stderr}`);
    assert.match(fixed.stdout, /hard deletes: 1 interrupted one finished/);
    assert.match(fixed.stdout, /counters: ok/);
    expectGone(id);
    expectStatus(await s.api('GET', `/api/v2/user/${id}/`, { token: s.admin.token }), 404);
    await checkClean('after check --fix');
  });

  it('the next server start finishes an interrupted hard delete before it listens', async () => {
    const id = await bigUser(300);
    s.sql(`INSERT INTO account_purges (user_id, started_us) VALUES (${id}, 1)`);
    const out = await s.startSecondServer();
    assert.match(out, /finished 1 interrupted hard delete/);
    expectGone(id);
    await checkClean('after the restart');
  });

  it('a hard delete repeated while one is marked finishes it (no 404 for a half-deleted user)', async () => {
    const id = await bigUser(300);
    s.sql(`INSERT INTO account_purges (user_id, started_us) VALUES (${id}, 1)`);
    expectStatus(await s.api('DELETE', `/api/v2/user/${id}/?hard=1`, { token: s.admin.token }), 204);
    expectGone(id);
    await checkClean('after the repeated delete');
  });
});
