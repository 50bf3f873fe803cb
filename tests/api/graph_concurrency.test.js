'use strict';
// Counters under concurrency: 200 follow/unfollow toggles from 20
// parallel clients leave every counter equal to the edges, and `hearth
// check` agrees; the same for a burst of connection requests and accepts,
// and for 20 clients acting on the connections of the same four users;
// `hearth check` reports a counter that does not match its edges; and
// parallel hides by one user never pass the hide limit. On
// PostgreSQL (make test's second run) this is the concurrency test of the
// locking rule: no 5xx, counters equal edges.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus } = h;

const CLIENTS = 20;
const TOGGLES = 200;
const TARGETS = 3; // few targets: many toggles meet on the same rows

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x;
  };
}

describe('graph: counters under concurrency', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('200 follow/unfollow toggles from 20 parallel clients leave exact counters; hearth check is clean', async () => {
    await g.setFollowMode(s, true);
    const clients = await g.makeUsers(s, 'conc', CLIENTS);
    const targets = await g.makeUsers(s, 'tgt', TARGETS);
    const next = rng(20240611);
    // each client's sequence of targets; pairs toggled an odd number of times end followed
    const plans = clients.map(() => []);
    for (let i = 0; i < TOGGLES; i++) plans[i % CLIENTS].push(targets[next() % TARGETS]);
    const parity = new Map();
    plans.forEach((plan, c) => plan.forEach((t) => {
      const k = `${clients[c].id}:${t.id}`;
      parity.set(k, !parity.get(k));
    }));

    // Each client runs its plan in two concurrent lanes, so the same pair
    // is sometimes toggled twice at once: only atomic toggles end at the
    // parity computed above, whatever the interleaving.
    const statuses = [];
    const lane = async (c, plan) => {
      for (const t of plan) {
        const r = await s.api('POST', `/api/v2/user/${t.id}/follow/`, { token: clients[c].token });
        statuses.push(r.status);
      }
    };
    await Promise.all(plans.map((plan, c) => Promise.all([
      lane(c, plan.filter((_, i) => i % 2 === 0)),
      lane(c, plan.filter((_, i) => i % 2 === 1)),
    ])));
    assert.equal(statuses.length, TOGGLES);
    assert.deepEqual([...new Set(statuses)], [204], 'every toggle succeeded');

    for (const t of targets) {
      const expected = clients.filter((c) => parity.get(`${c.id}:${t.id}`)).map((c) => c.id).sort((a, b) => a - b);
      const counters = await g.as(s, null).getUserCounters(t.id);
      assert.equal(counters.followers, expected.length, `followers of ${t.username}`);
      const list = await g.as(s, null).getUserFollowers(t.id, { limit: 100 });
      assert.equal(list.count, expected.length);
      assert.deepEqual(g.ids(list).sort((a, b) => a - b), expected);
    }
    for (const c of clients) {
      const expected = targets.filter((t) => parity.get(`${c.id}:${t.id}`)).length;
      assert.equal((await g.as(s, null).getUserCounters(c.id)).followings, expected, `followings of ${c.username}`);
    }
    const check = await s.run(['check']);
    assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
    assert.equal(check.stdout.trim(), 'counters: ok');
  });

  it('a burst of parallel connection requests and accepts keeps the counters exact', async () => {
    await g.setFollowMode(s, false);
    const hub = (await g.makeUsers(s, 'hub', 1))[0];
    const askers = await g.makeUsers(s, 'ask', CLIENTS);
    const sent = await Promise.all(askers.map((u) => s.api('POST', `/api/v2/user/${hub.id}/connection/request/`, { token: u.token })));
    sent.forEach((r) => expectStatus(r, 204));
    let c = await g.as(s, null).getUserCounters(hub.id);
    assert.equal(c.connection_requests_received_counter, CLIENTS);
    // accept half, reject a quarter, in parallel; the rest stay pending
    const accept = askers.slice(0, CLIENTS / 2);
    const reject = askers.slice(CLIENTS / 2, (3 * CLIENTS) / 4);
    const acts = await Promise.all([
      ...accept.map((u) => s.api('POST', `/api/v2/user/${u.id}/connection/accept/`, { token: hub.token })),
      ...reject.map((u) => s.api('POST', `/api/v2/user/${u.id}/connection/reject/`, { token: hub.token })),
      // the same accepts again, racing: exactly one of each pair wins
      ...accept.map((u) => s.api('POST', `/api/v2/user/${u.id}/connection/accept/`, { token: hub.token })),
    ]);
    const ok = acts.filter((r) => r.status === 204).length;
    const refused = acts.filter((r) => r.status === 400);
    assert.equal(ok, accept.length + reject.length, 'each accept and reject succeeded once');
    assert.equal(refused.length, accept.length);
    refused.forEach((r) => assert.ok(['already_connected', 'no_request'].includes(h.errorCodes(r.body)[0])));
    c = await g.as(s, null).getUserCounters(hub.id);
    assert.equal(c.connections_counter, accept.length);
    assert.equal(c.connection_requests_received_counter, CLIENTS - accept.length - reject.length);
    for (const u of reject) {
      assert.equal((await g.as(s, null).getUserCounters(u.id)).connection_requests_sent_counter, 1, 'a rejected request still counts for its sender');
    }
    const check = await s.run(['check']);
    assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
  });

  it('20 parallel clients requesting, accepting, rejecting, cancelling and removing connections among a few users: no 5xx, exact counters, hearth check clean', async () => {
    await g.setFollowMode(s, false);
    const people = await g.makeUsers(s, 'ring', 4); // few users: every pair is hit many times at once
    const next = rng(20261206);
    const ACTIONS = ['request', 'accept', 'reject', 'cancel_request', 'remove'];
    const statuses = [];
    const lane = async () => {
      for (let i = 0; i < 12; i++) {
        const a = people[next() % people.length];
        let b = people[next() % people.length];
        if (b === a) b = people[(people.indexOf(a) + 1) % people.length];
        const action = ACTIONS[next() % ACTIONS.length];
        const r = await s.api('POST', `/api/v2/user/${b.id}/connection/${action}/`, { token: a.token });
        statuses.push(`${action} ${r.status}`);
        assert.ok(r.status < 500, `${action}: ${h.show(r)}`);
        if (r.status !== 204) h.expectError(r, 400);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, lane));
    assert.equal(statuses.length, CLIENTS * 12);
    assert.ok(statuses.some((x) => x.endsWith(' 204')), `some actions succeeded: ${statuses.join(', ')}`);
    // the counters agree with the lists they count
    for (const u of people) {
      const c = await g.as(s, null).getUserCounters(u.id);
      const conns = await s.api('GET', `/api/v2/user/${u.id}/connections/?limit=100`, { token: u.token });
      expectStatus(conns, 200);
      assert.equal(c.connections_counter, conns.body.count, `connections of ${u.username}`);
      const received = await s.api('GET', '/api/v2/user/connection/requests/?limit=100', { token: u.token });
      expectStatus(received, 200);
      assert.equal(c.connection_requests_received_counter, received.body.count, `requests to ${u.username}`);
    }
    const check = await s.run(['check']);
    assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
    assert.equal(check.stdout.trim(), 'counters: ok');
  });

  it('hearth check reports a counter that differs from its edges and exits 1', async () => {
    const [u] = await g.makeUsers(s, 'drift', 1);
    g.sql(s, `UPDATE users SET followers_counter = followers_counter + 7 WHERE id = ${u.id};`);
    const check = await s.run(['check']);
    assert.equal(check.code, 1);
    assert.match(check.stdout, new RegExp(`user ${u.id}: followers_counter is 7, the edges give 0`));
    assert.match(check.stdout, /counters: 1 difference/);
    g.sql(s, `UPDATE users SET followers_counter = 0 WHERE id = ${u.id};`);
    assert.equal((await s.run(['check'])).code, 0);
  });

  it('hearth check finds a drift in each of the eight counters, on the user it drifted on', async () => {
    const [u, v] = await g.makeUsers(s, 'drift8', 2);
    // real edges on u, so a drift is told from a true count that is not 0
    expectStatus(await s.api('POST', `/api/v2/user/${u.id}/connection/request/`, { token: v.token }), 204);
    const columns = ['followers_counter', 'followings_counter', 'connections_counter', 'connection_requests_sent_counter',
      'connection_requests_received_counter', 'posts_counter', 'discussions_counter', 'categories_counter'];
    for (const col of columns) {
      const stored = Number(g.sql(s, `SELECT ${col} FROM users WHERE id = ${u.id};`));
      g.sql(s, `UPDATE users SET ${col} = ${col} + 3 WHERE id = ${u.id};`);
      const check = await s.run(['check']);
      assert.equal(check.code, 1, `${col}: ${check.stdout}`);
      assert.match(check.stdout, new RegExp(`user ${u.id}: ${col} is ${stored + 3}, the edges give ${stored}`));
      assert.match(check.stdout, /counters: 1 difference/, col);
      g.sql(s, `UPDATE users SET ${col} = ${stored} WHERE id = ${u.id};`);
    }
    assert.equal((await s.run(['check'])).code, 0);
  });

  it('parallel hides near the limit: exactly the room left succeeds, the others are limit_reached', async () => {
    const LIMIT = 10000; // GRAPH_HIDES_MAX
    const ROOM = 2;
    const [me] = await g.makeUsers(s, 'hider', 1);
    const targets = await g.makeUsers(s, 'hidee', CLIENTS);
    // LIMIT - ROOM hides of users made in SQL (status u: no list, no search row)
    g.sql(s, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${LIMIT - ROOM}) `
      + 'INSERT INTO users (username, username_fold, status, date_joined_us) '
      + `SELECT 'gone' || i, 'gone' || i, 'u', 0 FROM n;`);
    g.sql(s, `INSERT INTO hides (user_id, hidden_id, created_us) SELECT ${me.id}, id, 0 FROM users WHERE username LIKE 'gone%';`);
    assert.equal(Number(g.sql(s, `SELECT count(*) FROM hides WHERE user_id = ${me.id};`)), LIMIT - ROOM);
    const rs = await Promise.all(targets.map((t) => s.api('POST', `/api/v2/user/${t.id}/hide/`, { token: me.token })));
    const ok = rs.filter((r) => r.status === 204).length;
    const refused = rs.filter((r) => r.status === 400);
    assert.equal(ok, ROOM, `statuses: ${rs.map((r) => r.status).join(',')}`);
    assert.equal(refused.length, CLIENTS - ROOM);
    refused.forEach((r) => assert.deepEqual(h.errorCodes(r.body), ['limit_reached']));
    assert.equal(Number(g.sql(s, `SELECT count(*) FROM hides WHERE user_id = ${me.id};`)), LIMIT);
    // the active users hidden are the ones that succeeded
    assert.equal((await g.as(s, me).getHiddenUsersId()).length, ROOM);
  });
});
