'use strict';
// Friendship mode: the connection state machine through the
// official client, each action's failing preconditions (contract §9 codes),
// both path forms of the request lists, mark_seen, a rejection invisible to
// the sender, Prefer: return=representation, status batches, connections
// lists and the friendship counters.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus, expectError, expectFieldError, clientError, errorCodes } = h;

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('graph: friendship mode', () => {
  let s;
  before(async () => {
    s = await h.startServer();
    await g.setFollowMode(s, false);
  });
  after(async () => { if (s) await s.stop(); });

  const counters = (id) => g.as(s, null).getUserCounters(id);
  const status = async (viewer, id) => (await s.api('GET', `/api/v2/user/${id}/connection_status/`, { token: viewer.token })).body.connection_status;

  // Sent/received/connections counters of a user as one array.
  async function counts(u) {
    const c = await counters(u.id);
    return [c.connections_counter, c.connection_requests_sent_counter, c.connection_requests_received_counter];
  }

  // Expects an official-client call to fail with status and code.
  async function fails(promise, status, code) {
    const err = await clientError(promise);
    assert.equal(err.response.status, status, `expected ${status}, got ${err.response.status} ${JSON.stringify(err.response.data)}`);
    assert.deepEqual(errorCodes(err.response.data), [code]);
  }

  it('request → accept → remove', async () => {
    const [alice, bob] = await g.makeUsers(s, 'cra', 2);
    assert.equal(await g.as(s, alice).userRequestConnection(bob.id), '');
    assert.equal(await status(alice, bob.id), 'sent_connection_request');
    assert.equal(await status(bob, alice.id), 'received_connection_request');
    assert.deepEqual(await counts(alice), [0, 1, 0]);
    assert.deepEqual(await counts(bob), [0, 0, 1]);

    const received = await g.as(s, bob).getUserConnectionRequests();
    assert.equal(received.count, 1);
    const req = received.results[0];
    assert.equal(typeof req.id, 'number');
    assert.equal(req.from_user.id, alice.id);
    assert.equal(req.from_user.connection_status, 'received_connection_request');
    assert.equal(req.to_user.id, bob.id);
    assert.match(req.created, RFC3339);
    assert.equal(req.rejected, null);
    assert.equal(req.viewed, null);
    const sent = await g.as(s, alice).getUserRequestConnectionsSent();
    assert.equal(sent.count, 1);
    assert.equal(sent.results[0].id, req.id);
    assert.equal(sent.results[0].to_user.id, bob.id);
    assert.equal(sent.results[0].to_user.connection_status, 'sent_connection_request');
    assert.equal(sent.results[0].from_user.id, alice.id);

    assert.equal(await g.as(s, bob).userAcceptRequestConnection(alice.id), '');
    assert.equal(await status(alice, bob.id), 'connected');
    assert.equal(await status(bob, alice.id), 'connected');
    assert.deepEqual(await counts(alice), [1, 0, 0]);
    assert.deepEqual(await counts(bob), [1, 0, 0]);
    assert.equal((await g.as(s, bob).getUserConnectionRequests()).count, 0);
    assert.deepEqual((await g.as(s, alice).getUserRequestConnectionsSent()).results, []);
    assert.deepEqual(g.ids(await g.as(s, null).getUserConnections(alice.id)), [bob.id]);
    assert.deepEqual(g.ids(await g.as(s, null).getUserConnections(bob.id)), [alice.id]);
    assert.deepEqual(await g.as(s, alice).checkUserConnections(bob.id), { is_connection: true });
    assert.deepEqual(await g.as(s, bob).checkUserConnections(alice.id), { is_connection: true });
    assert.equal((await g.as(s, alice).getSpecificUser(bob.id)).connection_status, 'connected');

    assert.equal(await g.as(s, alice).userRemoveConnection(bob.id), '');
    assert.equal(await status(alice, bob.id), null);
    assert.equal(await status(bob, alice.id), null);
    assert.deepEqual(await counts(alice), [0, 0, 0]);
    assert.deepEqual(await counts(bob), [0, 0, 0]);
    assert.deepEqual(await g.as(s, bob).checkUserConnections(alice.id), { is_connection: false });
    assert.equal((await g.as(s, null).getUserConnections(bob.id)).count, 0);
  });

  it('request → reject → cancel_reject → accept; the rejection is invisible to the sender', async () => {
    const [alice, bob] = await g.makeUsers(s, 'crj', 2);
    await g.as(s, alice).userRequestConnection(bob.id);
    assert.equal(await g.as(s, bob).userRejectConnectionRequest(alice.id), '');
    // the rejecter: no status, nothing received
    assert.equal(await status(bob, alice.id), null);
    assert.equal((await g.as(s, bob).getUserConnectionRequests()).count, 0);
    assert.deepEqual(await counts(bob), [0, 0, 0]);
    // the sender: nothing changed from their point of view
    assert.equal(await status(alice, bob.id), 'sent_connection_request');
    const sent = await g.as(s, alice).getUserRequestConnectionsSent();
    assert.equal(sent.count, 1);
    assert.equal(sent.results[0].rejected, null, 'a rejection is not revealed to the sender');
    assert.deepEqual(await counts(alice), [0, 1, 0]);
    const statuses = await g.as(s, alice).getUserConnectionStatuses([bob.id]);
    assert.deepEqual(statuses, { connection_statuses: { [bob.id]: 'sent_connection_request' } });
    // the sender cannot ask again; the rejecter cannot request instead
    await fails(g.as(s, alice).userRequestConnection(bob.id), 400, 'already_requested');
    await fails(g.as(s, bob).userRequestConnection(alice.id), 400, 'request_received');
    // a rejected request cannot be accepted, rejected or marked seen
    await fails(g.as(s, bob).userAcceptRequestConnection(alice.id), 400, 'no_request');
    await fails(g.as(s, bob).userRejectConnectionRequest(alice.id), 400, 'no_request');
    await fails(g.as(s, bob).userMarkSeenConnectionRequest(alice.id), 400, 'no_request');

    assert.equal(await g.as(s, bob).userCancelRejectConnectionRequest(alice.id), '');
    assert.equal(await status(bob, alice.id), 'received_connection_request');
    assert.equal((await g.as(s, bob).getUserConnectionRequests()).count, 1);
    assert.deepEqual(await counts(bob), [0, 0, 1]);
    await fails(g.as(s, bob).userCancelRejectConnectionRequest(alice.id), 400, 'not_rejected');

    assert.equal(await g.as(s, bob).userAcceptRequestConnection(alice.id), '');
    assert.equal(await status(alice, bob.id), 'connected');
    assert.deepEqual(await counts(alice), [1, 0, 0]);
    assert.deepEqual(await counts(bob), [1, 0, 0]);
  });

  it('request → cancel_request, also after a rejection', async () => {
    const [alice, bob] = await g.makeUsers(s, 'crc', 2);
    await g.as(s, alice).userRequestConnection(bob.id);
    assert.equal(await g.as(s, alice).userCancelRequestConnection(bob.id), '');
    assert.equal(await status(alice, bob.id), null);
    assert.equal(await status(bob, alice.id), null);
    assert.deepEqual(await counts(alice), [0, 0, 0]);
    assert.deepEqual(await counts(bob), [0, 0, 0]);
    assert.equal((await g.as(s, bob).getUserConnectionRequests()).count, 0);
    assert.equal((await g.as(s, alice).getUserRequestConnectionsSent()).count, 0);
    await fails(g.as(s, alice).userCancelRequestConnection(bob.id), 400, 'no_request');

    // a rejected request can be withdrawn too; the receiver's counter stays 0
    await g.as(s, alice).userRequestConnection(bob.id);
    await g.as(s, bob).userRejectConnectionRequest(alice.id);
    await g.as(s, alice).userCancelRequestConnection(bob.id);
    assert.deepEqual(await counts(alice), [0, 0, 0]);
    assert.deepEqual(await counts(bob), [0, 0, 0]);
    // and then a new request is possible
    assert.equal(await g.as(s, alice).userRequestConnection(bob.id), '');
    assert.deepEqual(await counts(bob), [0, 0, 1]);
  });

  it('mark_seen sets viewed once, only on a pending request from that user', async () => {
    const [alice, bob, carol] = await g.makeUsers(s, 'cms', 3);
    await g.as(s, alice).userRequestConnection(bob.id);
    assert.equal(await g.as(s, bob).userMarkSeenConnectionRequest(alice.id), '');
    const first = (await g.as(s, bob).getUserConnectionRequests()).results[0];
    assert.match(first.viewed, RFC3339);
    await g.as(s, bob).userMarkSeenConnectionRequest(alice.id);
    const again = (await g.as(s, bob).getUserConnectionRequests()).results[0];
    assert.equal(again.viewed, first.viewed, 'the first view time is kept');
    // the sender sees that it was viewed
    assert.equal((await g.as(s, alice).getUserRequestConnectionsSent()).results[0].viewed, first.viewed);
    // no request from carol; alice cannot mark her own request seen
    await fails(g.as(s, bob).userMarkSeenConnectionRequest(carol.id), 400, 'no_request');
    await fails(g.as(s, alice).userMarkSeenConnectionRequest(bob.id), 400, 'no_request');
    // marking seen does not change counters
    assert.deepEqual(await counts(bob), [0, 0, 1]);
  });

  it('every action fails with its own code when its precondition does not hold, changing nothing', async () => {
    const [alice, bob, carol] = await g.makeUsers(s, 'cpre', 3);
    // nothing between alice and bob
    await fails(g.as(s, alice).userAcceptRequestConnection(bob.id), 400, 'no_request');
    await fails(g.as(s, alice).userRejectConnectionRequest(bob.id), 400, 'no_request');
    await fails(g.as(s, alice).userCancelRejectConnectionRequest(bob.id), 400, 'not_rejected');
    await fails(g.as(s, alice).userCancelRequestConnection(bob.id), 400, 'no_request');
    await fails(g.as(s, alice).userRemoveConnection(bob.id), 400, 'no_connection');
    await fails(g.as(s, alice).userMarkSeenConnectionRequest(bob.id), 400, 'no_request');
    // a pending request from alice to bob
    await g.as(s, alice).userRequestConnection(bob.id);
    await fails(g.as(s, alice).userRequestConnection(bob.id), 400, 'already_requested');
    await fails(g.as(s, bob).userRequestConnection(alice.id), 400, 'request_received');
    await fails(g.as(s, alice).userAcceptRequestConnection(bob.id), 400, 'no_request'); // the sender cannot accept
    await fails(g.as(s, bob).userCancelRejectConnectionRequest(alice.id), 400, 'not_rejected'); // pending, not rejected
    await fails(g.as(s, bob).userCancelRequestConnection(alice.id), 400, 'no_request'); // not bob's request
    await fails(g.as(s, alice).userRemoveConnection(bob.id), 400, 'no_connection');
    assert.deepEqual(await counts(alice), [0, 1, 0]);
    assert.deepEqual(await counts(bob), [0, 0, 1]);
    // connected
    await g.as(s, bob).userAcceptRequestConnection(alice.id);
    await fails(g.as(s, alice).userRequestConnection(bob.id), 400, 'already_connected');
    await fails(g.as(s, bob).userRequestConnection(alice.id), 400, 'already_connected');
    await fails(g.as(s, bob).userAcceptRequestConnection(alice.id), 400, 'already_connected');
    await fails(g.as(s, bob).userRejectConnectionRequest(alice.id), 400, 'no_request');
    assert.deepEqual(await counts(alice), [1, 0, 0]);
    assert.deepEqual(await counts(bob), [1, 0, 0]);
    // oneself, for every action
    const self = [
      (c) => c.userRequestConnection(carol.id), (c) => c.userAcceptRequestConnection(carol.id),
      (c) => c.userRejectConnectionRequest(carol.id), (c) => c.userCancelRejectConnectionRequest(carol.id),
      (c) => c.userCancelRequestConnection(carol.id), (c) => c.userRemoveConnection(carol.id),
      (c) => c.userMarkSeenConnectionRequest(carol.id), (c) => c.showHideUser(carol.id),
    ];
    for (const call of self) await fails(call(g.as(s, carol)), 400, 'self');
    // a missing user, for every action
    const paths = ['request', 'accept', 'reject', 'cancel_reject', 'cancel_request', 'remove'];
    for (const p of paths) {
      expectError(await s.api('POST', `/api/v2/user/8888888/connection/${p}/`, { token: carol.token }), 404, 'not_found');
    }
    expectError(await s.api('POST', '/api/v2/user/8888888/connection_requests/mark_seen/', { token: carol.token }), 404, 'not_found');
    // anonymous
    expectError(await s.api('POST', `/api/v2/user/${alice.id}/connection/request/`), 401, 'not_authenticated');
    assert.deepEqual(await counts(carol), [0, 0, 0]);
  });

  it('a blocked caller cannot request; deleted targets are 404', async () => {
    const [alice, blocked, gone] = await g.makeUsers(s, 'cblk', 3);
    g.setStatus(s, blocked.id, 'b');
    g.setStatus(s, gone.id, 'd');
    expectError(await s.api('POST', `/api/v2/user/${alice.id}/connection/request/`, { token: blocked.token }), 403, 'permission_denied');
    expectError(await s.api('POST', `/api/v2/user/${gone.id}/connection/request/`, { token: alice.token }), 404, 'not_found');
    assert.deepEqual(await counts(alice), [0, 0, 0]);
    // the blocked user can still be requested (b counts as active)
    await g.as(s, alice).userRequestConnection(blocked.id);
    assert.deepEqual(await counts(blocked), [0, 0, 1]);
  });

  it('both path forms of the request lists; another user\'s lists are 403, missing ids 404', async () => {
    const [alice, bob, carol] = await g.makeUsers(s, 'cpath', 3);
    await g.as(s, alice).userRequestConnection(bob.id);
    await g.as(s, carol).userRequestConnection(bob.id);
    const short = await s.api('GET', '/api/v2/user/connection/requests/', { token: bob.token });
    const long = await s.api('GET', `/api/v2/user/${bob.id}/connection/requests/`, { token: bob.token });
    expectStatus(short, 200);
    expectStatus(long, 200);
    assert.deepEqual(long.body.results, short.body.results);
    assert.equal(short.body.count, 2);
    assert.deepEqual(short.body.results.map((r) => r.from_user.id), [carol.id, alice.id], 'newest first');

    const sentShort = await s.api('GET', '/api/v2/user/connection/requests_sent/', { token: alice.token });
    const sentLong = await s.api('GET', `/api/v2/user/${alice.id}/connection/requests_sent/`, { token: alice.token });
    expectStatus(sentLong, 200);
    assert.deepEqual(sentLong.body, sentShort.body);
    assert.equal(sentShort.body.results[0].to_user.id, bob.id);

    // pagination carries limit and offset
    const p = await s.api('GET', '/api/v2/user/connection/requests/?limit=1', { token: bob.token });
    assert.equal(p.body.results.length, 1);
    assert.match(p.body.next, /limit=1/);
    assert.match(p.body.next, /offset=1/);

    expectError(await s.api('GET', `/api/v2/user/${bob.id}/connection/requests/`, { token: alice.token }), 403, 'permission_denied');
    expectError(await s.api('GET', `/api/v2/user/${bob.id}/connection/requests_sent/`, { token: alice.token }), 403, 'permission_denied');
    expectError(await s.api('GET', '/api/v2/user/7777777/connection/requests/', { token: alice.token }), 404, 'not_found');
    expectError(await s.api('GET', '/api/v2/user/connection/requests/'), 401, 'not_authenticated');
    // the User objects inside keep the privacy rules: no email of others
    assert.ok(!('email' in short.body.results[0].from_user));
    assert.ok('email' in short.body.results[0].to_user, 'the caller sees their own email');
  });

  it('Prefer: return=representation answers the new connection_status', async () => {
    const [alice, bob] = await g.makeUsers(s, 'cprf', 2);
    const hdr = { Prefer: 'return=representation' };
    const post = (u, path) => s.api('POST', path, { token: u.token, headers: hdr });
    let r = await post(alice, `/api/v2/user/${bob.id}/connection/request/`);
    expectStatus(r, 200);
    assert.deepEqual(r.body, { connection_status: 'sent_connection_request' });
    r = await post(bob, `/api/v2/user/${alice.id}/connection_requests/mark_seen/`);
    assert.deepEqual(r.body, { connection_status: 'received_connection_request' });
    r = await post(bob, `/api/v2/user/${alice.id}/connection/reject/`);
    assert.deepEqual(r.body, { connection_status: null });
    r = await post(bob, `/api/v2/user/${alice.id}/connection/cancel_reject/`);
    assert.deepEqual(r.body, { connection_status: 'received_connection_request' });
    r = await post(bob, `/api/v2/user/${alice.id}/connection/accept/`);
    expectStatus(r, 200);
    assert.deepEqual(r.body, { connection_status: 'connected' });
    r = await post(alice, `/api/v2/user/${bob.id}/connection/remove/`);
    assert.deepEqual(r.body, { connection_status: null });
    r = await post(alice, `/api/v2/user/${bob.id}/connection/request/`);
    r = await post(alice, `/api/v2/user/${bob.id}/connection/cancel_request/`);
    expectStatus(r, 200);
    assert.deepEqual(r.body, { connection_status: null });
    // errors keep their shape
    r = await post(alice, `/api/v2/user/${bob.id}/connection/remove/`);
    expectError(r, 400, 'no_connection');
  });

  it('statuses for a batch: every id present, unknown and own ids null, at most 100', async () => {
    const [me, conn, sentTo, from, none, gone] = await g.makeUsers(s, 'cbat', 6);
    await g.as(s, me).userRequestConnection(conn.id);
    await g.as(s, conn).userAcceptRequestConnection(me.id);
    await g.as(s, me).userRequestConnection(sentTo.id);
    await g.as(s, from).userRequestConnection(me.id);
    const ask = [conn.id, sentTo.id, from.id, none.id, me.id, 99999999];
    const res = await g.as(s, me).getUserConnectionStatuses(ask);
    assert.deepEqual(res, {
      connection_statuses: {
        [conn.id]: 'connected', [sentTo.id]: 'sent_connection_request', [from.id]: 'received_connection_request',
        [none.id]: null, [me.id]: null, 99999999: null,
      },
    });
    // the same statuses appear on the User objects of a list
    const list = await g.as(s, me).getAllUsers({ limit: 100 });
    const byId = Object.fromEntries(list.results.map((u) => [u.id, u.connection_status]));
    assert.equal(byId[conn.id], 'connected');
    assert.equal(byId[sentTo.id], 'sent_connection_request');
    assert.equal(byId[from.id], 'received_connection_request');
    assert.equal(byId[none.id], null);
    // a soft-deleted user maps to null whatever the edges say
    await g.as(s, gone).userRequestConnection(me.id);
    g.setStatus(s, gone.id, 'd');
    const gr = await g.as(s, me).getUserConnectionStatuses([gone.id]);
    assert.deepEqual(gr.connection_statuses, { [gone.id]: null });
    // a form body with a comma-separated list
    const form = await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, form: { users: `${conn.id},${none.id}` } });
    expectStatus(form, 200);
    assert.deepEqual(form.body.connection_statuses, { [conn.id]: 'connected', [none.id]: null });
    // empty list: empty map
    const empty = await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: { users: [] } });
    assert.deepEqual(empty.body, { connection_statuses: {} });
    // bounds and validation
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expectStatus(await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: { users: hundred } }), 200);
    expectFieldError(await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: { users: [...hundred, 101] } }), 400, 'users', 'max_length');
    expectFieldError(await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: {} }), 400, 'users', 'required');
    expectFieldError(await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: { users: ['x'] } }), 400, 'users', 'invalid');
    expectFieldError(await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: { users: [-3] } }), 400, 'users', 'invalid');
    expectFieldError(await s.api('POST', '/api/v2/user/connection/statuses/', { token: me.token, body: { users: { a: 1 } } }), 400, 'users');
    expectError(await s.api('POST', '/api/v2/user/connection/statuses/', { body: { users: [1] } }), 401, 'not_authenticated');
  });

  it('connections list: newest first, mutual first, paginated, 404 for a missing user', async () => {
    const [hub, a, b, c, viewer] = await g.makeUsers(s, 'clist', 5);
    for (const u of [a, b, c]) {
      await g.as(s, u).userRequestConnection(hub.id);
      await g.as(s, hub).userAcceptRequestConnection(u.id);
    }
    const list = await g.as(s, null).getUserConnections(hub.id);
    assert.equal(list.count, 3);
    assert.deepEqual(g.ids(list), [c.id, b.id, a.id]);
    await g.as(s, viewer).userRequestConnection(a.id);
    await g.as(s, a).userAcceptRequestConnection(viewer.id);
    const mutual = await g.as(s, viewer).getUserConnections(hub.id, { mutual: 1 });
    assert.deepEqual(g.ids(mutual), [a.id, c.id, b.id]);
    assert.equal(mutual.results[0].connection_status, 'connected');
    const page = await g.as(s, null).getUserConnections(hub.id, { limit: 2, offset: 1 });
    assert.deepEqual(g.ids(page), [b.id, a.id]);
    expectError(await s.api('GET', '/api/v2/user/6666666/connections/'), 404, 'not_found');
    // the User objects carry the friendship counters
    const u = await g.as(s, null).getSpecificUser(hub.id);
    assert.equal(u.connections_counter, 3);
    assert.equal(u.connection_requests_sent_counter, 0);
    assert.equal(u.connection_requests_received_counter, 0);
    assert.ok(!('followers_counter' in u));
  });

  it('counters answer the friendship-mode shape', async () => {
    const [alice, bob] = await g.makeUsers(s, 'ccnt', 2);
    await g.as(s, alice).userRequestConnection(bob.id);
    const c = await g.as(s, null).getUserCounters(alice.id);
    assert.deepEqual(Object.keys(c).sort(), ['categories', 'connection_requests_received_counter',
      'connection_requests_sent_counter', 'connections_counter', 'discussions', 'posts']);
    assert.equal(c.connection_requests_sent_counter, 1);
    const r = await s.run(['check']);
    assert.equal(r.code, 0, `hearth check: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /counters: ok/);
  });
});
