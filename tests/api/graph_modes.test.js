'use strict';
// Community modes (contract §6): every mode-bound graph endpoint
// answers 403 mode_disabled in the other mode; a switch by the preferences
// API or by `hearth pref set` is seen by the next request; endpoints of both
// modes keep working; content_availability=false closes the graph lists and
// counters to anonymous callers.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus, expectError } = h;

describe('graph: community modes', () => {
  let s;
  let alice;
  let bob;
  before(async () => {
    s = await h.startServer();
    [alice, bob] = await g.makeUsers(s, 'mode', 2);
  });
  after(async () => { if (s) await s.stop(); });

  const followOnly = (id) => [
    ['POST', `/api/v2/user/${id}/follow/`],
    ['GET', `/api/v2/user/${id}/is_followed/`],
    ['GET', `/api/v2/user/${id}/is_follower/`],
  ];
  const friendOnly = (id) => [
    ['GET', `/api/v2/user/${id}/connections/`],
    ['GET', '/api/v2/user/connection/requests/'],
    ['GET', '/api/v2/user/connection/requests_sent/'],
    ['GET', `/api/v2/user/${id}/connection/requests/`],
    ['GET', `/api/v2/user/${id}/connection/requests_sent/`],
    ['POST', `/api/v2/user/${id}/connection/request/`],
    ['POST', `/api/v2/user/${id}/connection/accept/`],
    ['POST', `/api/v2/user/${id}/connection/reject/`],
    ['POST', `/api/v2/user/${id}/connection/cancel_reject/`],
    ['POST', `/api/v2/user/${id}/connection/cancel_request/`],
    ['POST', `/api/v2/user/${id}/connection/remove/`],
    ['POST', `/api/v2/user/${id}/connection_requests/mark_seen/`],
  ];

  it('in follow mode every friendship endpoint is 403 mode_disabled', async () => {
    await g.setFollowMode(s, true);
    for (const [method, path] of friendOnly(bob.id)) {
      expectError(await s.api(method, path, { token: alice.token }), 403, 'mode_disabled');
    }
    // nothing was created by those calls
    const c = await g.as(s, null).getUserCounters(bob.id);
    assert.equal(c.followers, 0);
    // the official client sees the same
    const err = await h.clientError(g.as(s, alice).userRequestConnection(bob.id));
    assert.equal(err.response.status, 403);
    assert.deepEqual(h.errorCodes(err.response.data), ['mode_disabled']);
  });

  it('in friendship mode every follow endpoint is 403 mode_disabled', async () => {
    await g.setFollowMode(s, false);
    for (const [method, path] of followOnly(bob.id)) {
      expectError(await s.api(method, path, { token: alice.token }), 403, 'mode_disabled');
    }
    assert.deepEqual((await s.api('GET', `/api/v2/user/${bob.id}/followers/`)).body.results, []);
  });

  it('a switch by `hearth pref set` takes effect on the next request', async () => {
    await g.setFollowMode(s, false);
    expectError(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token }), 403, 'mode_disabled');
    const r = await s.run(['pref', 'set', 'configurations.follow_enabled', 'true']);
    assert.equal(r.code, 0, r.stderr);
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token }), 204);
    expectError(await s.api('POST', `/api/v2/user/${bob.id}/connection/request/`, { token: alice.token }), 403, 'mode_disabled');
    const back = await s.run(['pref', 'set', 'configurations.follow_enabled', 'false']);
    assert.equal(back.code, 0, back.stderr);
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/connection/request/`, { token: alice.token }), 204);
    expectError(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token }), 403, 'mode_disabled');
    // clean up: cancel the request, switch back and unfollow
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/connection/cancel_request/`, { token: alice.token }), 204);
    await g.setFollowMode(s, true);
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token }), 204);
    assert.deepEqual(await g.as(s, alice).checkUserFollowed(bob.id), { is_followed: false });
  });

  it('followers, followings, is_connection, statuses and counters work in both modes; statuses follow the mode', async () => {
    const [x, y] = await g.makeUsers(s, 'both', 2);
    await g.setFollowMode(s, true);
    await g.as(s, x).followUser(y.id);
    await g.setFollowMode(s, false);
    await g.as(s, x).userRequestConnection(y.id);
    await g.as(s, y).userAcceptRequestConnection(x.id);
    for (const follow of [true, false]) {
      await g.setFollowMode(s, follow);
      assert.deepEqual(g.ids(await g.as(s, null).getUserFollowers(y.id)), [x.id]);
      assert.deepEqual(g.ids(await g.as(s, null).getUserFollowings(x.id)), [y.id]);
      assert.deepEqual(await g.as(s, x).checkUserConnections(y.id), { is_connection: true });
      const st = await g.as(s, x).getUserConnectionStatuses([y.id]);
      assert.deepEqual(st.connection_statuses, { [y.id]: follow ? 'followed' : 'connected' });
      assert.equal((await g.as(s, x).getSpecificUser(y.id)).connection_status, follow ? 'followed' : 'connected');
      const c = await g.as(s, null).getUserCounters(y.id);
      if (follow) assert.equal(c.followers, 1);
      else assert.equal(c.connections_counter, 1);
    }
  });

  it('content_availability=false: anonymous 401 on followers, followings, connections and counters', async () => {
    await g.setFollowMode(s, false);
    await g.setPref(s, 'configurations.content_availability', false);
    try {
      for (const p of ['followers', 'followings', 'connections', 'counters']) {
        expectError(await s.api('GET', `/api/v2/user/${bob.id}/${p}/`), 401, 'not_authenticated');
        expectStatus(await s.api('GET', `/api/v2/user/${bob.id}/${p}/`, { token: alice.token }), 200);
      }
      expectStatus(await s.api('GET', `/api/v2/user/${bob.id}/`), 200); // stays public (§9)
    } finally {
      await g.setPref(s, 'configurations.content_availability', true);
    }
    expectStatus(await s.api('GET', `/api/v2/user/${bob.id}/followers/`), 200);
  });
});
