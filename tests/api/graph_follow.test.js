'use strict';
// Follow mode: the follow toggle, is_followed / is_follower from
// both sides, followers and followings lists (newest first, mutual first),
// connection_status on User objects, Prefer: return=representation, the
// action's failures (self, missing, deleted, blocked) and the counters.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus, expectError, clientError, errorCodes } = h;

describe('graph: follow mode', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  const counters = (id) => g.as(s, null).getUserCounters(id);

  it('follow toggles: follow, then unfollow, with counters on both sides', async () => {
    const [alice, bob] = await g.makeUsers(s, 'ftog', 2);
    assert.equal(await g.as(s, alice).followUser(bob.id), '', 'follow answers 204 with no body');
    assert.deepEqual(await g.as(s, alice).checkUserFollowed(bob.id), { is_followed: true });
    assert.equal((await counters(bob.id)).followers, 1);
    assert.equal((await counters(alice.id)).followings, 1);
    assert.equal((await counters(alice.id)).followers, 0);

    assert.equal(await g.as(s, alice).followUser(bob.id), '', 'the second call unfollows');
    assert.deepEqual(await g.as(s, alice).checkUserFollowed(bob.id), { is_followed: false });
    assert.equal((await counters(bob.id)).followers, 0);
    assert.equal((await counters(alice.id)).followings, 0);
    const list = await g.as(s, null).getUserFollowers(bob.id);
    assert.equal(list.count, 0);
    assert.deepEqual(list.results, []);
  });

  it('is_followed and is_follower answer from both sides', async () => {
    const [alice, bob] = await g.makeUsers(s, 'fis', 2);
    await g.as(s, alice).followUser(bob.id);
    assert.deepEqual(await g.as(s, alice).checkUserFollowed(bob.id), { is_followed: true });
    assert.deepEqual(await g.as(s, alice).checkUserFollower(bob.id), { is_follower: false });
    assert.deepEqual(await g.as(s, bob).checkUserFollowed(alice.id), { is_followed: false });
    assert.deepEqual(await g.as(s, bob).checkUserFollower(alice.id), { is_follower: true });
    // both ways
    await g.as(s, bob).followUser(alice.id);
    assert.deepEqual(await g.as(s, bob).checkUserFollowed(alice.id), { is_followed: true });
    assert.deepEqual(await g.as(s, alice).checkUserFollower(bob.id), { is_follower: true });
    // missing ids are 404, anonymous callers 401
    expectError(await s.api('GET', '/api/v2/user/999999/is_followed/', { token: alice.token }), 404, 'not_found');
    expectError(await s.api('GET', `/api/v2/user/${bob.id}/is_follower/`), 401, 'not_authenticated');
  });

  it('followers and followings list newest edge first, paginated, with counts', async () => {
    const [target, c1, c2, c3] = await g.makeUsers(s, 'flist', 4);
    for (const c of [c1, c2, c3]) await g.as(s, c).followUser(target.id);
    const all = await g.as(s, null).getUserFollowers(target.id);
    assert.equal(all.count, 3);
    assert.deepEqual(g.ids(all), [c3.id, c2.id, c1.id]);
    assert.equal(all.next, null);

    const p1 = await g.as(s, null).getUserFollowers(target.id, { limit: 2 });
    assert.deepEqual(g.ids(p1), [c3.id, c2.id]);
    assert.equal(p1.count, 3);
    assert.ok(p1.next && /offset=2/.test(p1.next) && /limit=2/.test(p1.next), `next: ${p1.next}`);
    const p2 = await g.as(s, null).getUserFollowers(target.id, { limit: 2, offset: 2 });
    assert.deepEqual(g.ids(p2), [c1.id]);
    assert.equal(p2.next, null);
    assert.ok(p2.previous, 'second page has a previous link');

    // followings: c1 follows target, then c2 and c3
    await g.as(s, c1).followUser(c2.id);
    await g.as(s, c1).followUser(c3.id);
    const fw = await g.as(s, null).getUserFollowings(c1.id);
    assert.equal(fw.count, 3);
    assert.deepEqual(g.ids(fw), [c3.id, c2.id, target.id]);
    assert.equal((await counters(c1.id)).followings, 3);

    // a list of a missing user is 404
    expectError(await s.api('GET', '/api/v2/user/987654/followers/'), 404, 'not_found');
    expectError(await s.api('GET', '/api/v2/user/987654/followings/'), 404, 'not_found');
  });

  it('mutual=1 puts users the caller follows first', async () => {
    const [viewer, target, c1, c2, c3] = await g.makeUsers(s, 'fmut', 5);
    for (const c of [c1, c2, c3]) await g.as(s, c).followUser(target.id);
    await g.as(s, viewer).followUser(c1.id); // the oldest follower
    const plain = await g.as(s, viewer).getUserFollowers(target.id);
    assert.deepEqual(g.ids(plain), [c3.id, c2.id, c1.id]);
    const mutual = await g.as(s, viewer).getUserFollowers(target.id, { mutual: 1 });
    assert.deepEqual(g.ids(mutual), [c1.id, c3.id, c2.id]);
    assert.equal(mutual.count, 3);
    // pages across the boundary of the two parts
    const m1 = await g.as(s, viewer).getUserFollowers(target.id, { mutual: 1, limit: 2 });
    assert.deepEqual(g.ids(m1), [c1.id, c3.id]);
    const m2 = await g.as(s, viewer).getUserFollowers(target.id, { mutual: 1, limit: 2, offset: 2 });
    assert.deepEqual(g.ids(m2), [c2.id]);
    assert.equal(mutual.results[0].connection_status, 'followed');
    assert.equal(mutual.results[1].connection_status, null);

    // followings: target follows c1, c2, c3; the viewer follows c1 only
    for (const c of [c1, c2, c3]) await g.as(s, target).followUser(c.id);
    const fw = await g.as(s, viewer).getUserFollowings(target.id, { mutual: true });
    assert.deepEqual(g.ids(fw), [c1.id, c3.id, c2.id]);
    // anonymous: mutual has no meaning and is ignored
    const anon = await g.as(s, null).getUserFollowings(target.id, { mutual: 1 });
    assert.deepEqual(g.ids(anon), [c3.id, c2.id, c1.id]);
  });

  it('connection_status is "followed" on every User the caller sees, null for others, oneself and anonymous', async () => {
    const [alice, bob, carol] = await g.makeUsers(s, 'fstat', 3);
    await g.as(s, alice).followUser(bob.id);
    assert.equal((await g.as(s, alice).getSpecificUser(bob.id)).connection_status, 'followed');
    assert.equal((await g.as(s, alice).getSpecificUser(carol.id)).connection_status, null);
    assert.equal((await g.as(s, alice).getSpecificUser(alice.id)).connection_status, null);
    assert.equal((await g.as(s, bob).getSpecificUser(alice.id)).connection_status, null, 'bob does not follow alice');
    assert.equal((await g.as(s, null).getSpecificUser(bob.id)).connection_status, null);

    // in /user/ (one query for the page) and in followers lists
    const list = await g.as(s, alice).getAllUsers({ limit: 100 });
    const byId = Object.fromEntries(list.results.map((u) => [u.id, u.connection_status]));
    assert.equal(byId[bob.id], 'followed');
    assert.equal(byId[carol.id], null);
    assert.equal(byId[alice.id], null);
    await g.as(s, carol).followUser(alice.id);
    await g.as(s, bob).followUser(alice.id);
    const followers = await g.as(s, alice).getUserFollowers(alice.id);
    const st = Object.fromEntries(followers.results.map((u) => [u.id, u.connection_status]));
    assert.deepEqual(st, { [bob.id]: 'followed', [carol.id]: null });
    // the status endpoint agrees
    assert.deepEqual((await s.api('GET', `/api/v2/user/${bob.id}/connection_status/`, { token: alice.token })).body,
      { connection_status: 'followed' });
    // counters on the User object (follow mode keys only)
    const b = await g.as(s, alice).getSpecificUser(bob.id);
    assert.equal(b.followers_counter, 1);
    assert.equal(b.followings_counter, 1);
    assert.ok(!('connections_counter' in b), 'no friendship counters in follow mode');
  });

  it('Prefer: return=representation answers 200 with the new connection_status', async () => {
    const [alice, bob] = await g.makeUsers(s, 'fpref', 2);
    const hdr = { Prefer: 'return=representation' };
    const r1 = await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token, headers: hdr });
    expectStatus(r1, 200);
    assert.deepEqual(r1.body, { connection_status: 'followed' });
    const r2 = await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token, headers: hdr });
    expectStatus(r2, 200);
    assert.deepEqual(r2.body, { connection_status: null });
    // several preferences in one header, any case
    const r3 = await s.api('POST', `/api/v2/user/${bob.id}/follow/`,
      { token: alice.token, headers: { Prefer: 'respond-async, RETURN=representation; x=1' } });
    expectStatus(r3, 200);
    assert.deepEqual(r3.body, { connection_status: 'followed' });
    // return=minimal: 204
    const r4 = await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: alice.token, headers: { Prefer: 'return=minimal' } });
    expectStatus(r4, 204);
    assert.equal(r4.text, '');
    assert.deepEqual(await g.as(s, alice).checkUserFollowed(bob.id), { is_followed: false });
  });

  it('following oneself is 400 self; missing targets 404; anonymous 401; nothing changes', async () => {
    const [alice] = await g.makeUsers(s, 'fbad', 1);
    const self = await clientError(g.as(s, alice).followUser(alice.id));
    assert.equal(self.response.status, 400);
    assert.deepEqual(errorCodes(self.response.data), ['self']);
    const missing = await clientError(g.as(s, alice).followUser(9999999));
    assert.equal(missing.response.status, 404);
    expectError(await s.api('POST', `/api/v2/user/${alice.id}/follow/`), 401, 'not_authenticated');
    const c = await counters(alice.id);
    assert.equal(c.followers, 0);
    assert.equal(c.followings, 0);
  });

  it('soft- and hard-deleted targets are 404; a blocked caller gets 403', async () => {
    const [alice, gone, erased, blocked] = await g.makeUsers(s, 'fdel', 4);
    g.setStatus(s, gone.id, 'd');
    g.setStatus(s, erased.id, 'u');
    g.setStatus(s, blocked.id, 'b');
    for (const t of [gone, erased]) {
      expectError(await s.api('POST', `/api/v2/user/${t.id}/follow/`, { token: alice.token }), 404, 'not_found');
      expectError(await s.api('POST', `/api/v2/user/${t.id}/hide/`, { token: alice.token }), 404, 'not_found');
    }
    expectError(await s.api('POST', `/api/v2/user/${alice.id}/follow/`, { token: blocked.token }), 403, 'permission_denied');
    expectError(await s.api('POST', `/api/v2/user/${alice.id}/hide/`, { token: blocked.token }), 403, 'permission_denied');
    assert.equal((await counters(alice.id)).followers, 0);
    assert.deepEqual(await g.as(s, blocked).checkUserFollowed(alice.id), { is_followed: false });
    // others may still follow a blocked user (b counts as active)
    await g.as(s, alice).followUser(blocked.id);
    assert.equal((await counters(blocked.id)).followers, 1);
    // a soft-deleted user's profile still answers, and their followers list too
    expectStatus(await s.api('GET', `/api/v2/user/${gone.id}/`), 200);
    expectError(await s.api('GET', `/api/v2/user/${erased.id}/followers/`), 404, 'not_found');
  });

  it('a soft-deleted follower leaves the lists and the counts', async () => {
    const [target, c1, c2] = await g.makeUsers(s, 'fsoft', 3);
    await g.as(s, c1).followUser(target.id);
    await g.as(s, c2).followUser(target.id);
    g.setStatus(s, c1.id, 'd');
    const list = await g.as(s, null).getUserFollowers(target.id);
    assert.deepEqual(g.ids(list), [c2.id]);
    assert.equal(list.count, 1);
    assert.equal((await counters(target.id)).followers, 1);
  });

  it('counters answer the follow-mode shape', async () => {
    const [alice] = await g.makeUsers(s, 'fcnt', 1);
    const c = await g.as(s, null).getUserCounters(alice.id);
    assert.deepEqual(Object.keys(c).sort(), ['categories', 'discussions', 'followers', 'followings', 'posts']);
    expectError(await s.api('GET', '/api/v2/user/4242424/counters/'), 404, 'not_found');
  });
});
