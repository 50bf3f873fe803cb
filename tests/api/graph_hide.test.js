'use strict';
// Hiding users (contract §7, §9): the hide toggle, is_hidden and
// is_hidden_by from both sides, hidden_users and hidden_users_id, and the
// hidden user's absence from the hider's /user/, autocomplete, followers,
// followings and connections lists (while GET /user/{hidden}/ still answers).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus, expectError, clientError, errorCodes } = h;

describe('graph: hiding users', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('hide toggles; is_hidden and is_hidden_by answer from both sides', async () => {
    const [alice, bob] = await g.makeUsers(s, 'htog', 2);
    assert.equal(await g.as(s, alice).showHideUser(bob.id), '');
    assert.deepEqual(await g.as(s, alice).checkUserHidden(bob.id), { is_hidden: true });
    assert.deepEqual(await g.as(s, alice).checkUserHiddenBy(bob.id), { is_hidden_by: false });
    assert.deepEqual(await g.as(s, bob).checkUserHidden(alice.id), { is_hidden: false });
    assert.deepEqual(await g.as(s, bob).checkUserHiddenBy(alice.id), { is_hidden_by: true });
    assert.deepEqual(await g.as(s, alice).getHiddenUsersId(), [bob.id]);

    assert.equal(await g.as(s, alice).showHideUser(bob.id), '', 'the second call shows the user again');
    assert.deepEqual(await g.as(s, alice).checkUserHidden(bob.id), { is_hidden: false });
    assert.deepEqual(await g.as(s, bob).checkUserHiddenBy(alice.id), { is_hidden_by: false });
    assert.deepEqual(await g.as(s, alice).getHiddenUsersId(), []);
    assert.equal((await g.as(s, alice).getHiddenUsers()).count, 0);
  });

  it('hidden_users lists newest first with pagination; hidden_users_id is a plain array', async () => {
    const [me, a, b, c] = await g.makeUsers(s, 'hlist', 4);
    for (const u of [a, b, c]) await g.as(s, me).showHideUser(u.id);
    const all = await g.as(s, me).getHiddenUsers();
    assert.equal(all.count, 3);
    assert.deepEqual(g.ids(all), [c.id, b.id, a.id]);
    assert.equal(all.results[0].username, c.username);
    const page = await g.as(s, me).getHiddenUsers({ limit: 1, offset: 1 });
    assert.deepEqual(g.ids(page), [b.id]);
    assert.match(page.next, /offset=2/);
    assert.deepEqual(await g.as(s, me).getHiddenUsersId(), [c.id, b.id, a.id]);
    // another user's hides are not mine
    assert.deepEqual(await g.as(s, a).getHiddenUsersId(), []);
    expectError(await s.api('GET', '/api/v2/user/hidden_users/'), 401, 'not_authenticated');
    expectError(await s.api('GET', '/api/v2/user/hidden_users_id/'), 401, 'not_authenticated');
  });

  it('hiding oneself is 400 self, a missing user 404, anonymous 401', async () => {
    const [me] = await g.makeUsers(s, 'hbad', 1);
    const err = await clientError(g.as(s, me).showHideUser(me.id));
    assert.equal(err.response.status, 400);
    assert.deepEqual(errorCodes(err.response.data), ['self']);
    expectError(await s.api('POST', '/api/v2/user/5555555/hide/', { token: me.token }), 404, 'not_found');
    expectError(await s.api('GET', '/api/v2/user/5555555/is_hidden/', { token: me.token }), 404, 'not_found');
    expectError(await s.api('GET', '/api/v2/user/5555555/is_hidden_by/', { token: me.token }), 404, 'not_found');
    expectError(await s.api('POST', `/api/v2/user/${me.id}/hide/`), 401, 'not_authenticated');
    assert.deepEqual(await g.as(s, me).getHiddenUsersId(), []);
  });

  it('a hidden user disappears from the hider\'s /user/ and autocomplete, not from others\'', async () => {
    const [me, other, hidden] = await g.makeUsers(s, 'hul', 3);
    await g.as(s, me).showHideUser(hidden.id);
    const mine = await g.as(s, me).getAllUsers({ limit: 100, username: 'hul' });
    assert.ok(!g.ids(mine).includes(hidden.id), 'hidden user left out of /user/');
    assert.ok(g.ids(mine).includes(other.id));
    const theirs = await g.as(s, other).getAllUsers({ limit: 100, username: 'hul' });
    assert.ok(g.ids(theirs).includes(hidden.id), 'others still see the user');
    assert.equal(theirs.count, mine.count + 1);

    const ac = await g.as(s, me).userAutocomplete({ search: hidden.username });
    assert.ok(!ac.results.some((u) => u.id === hidden.id), 'hidden user left out of autocomplete');
    const acOther = await g.as(s, other).userAutocomplete({ search: hidden.username });
    assert.ok(acOther.results.some((u) => u.id === hidden.id));

    // the profile still answers, so the hider can unhide
    const profile = await g.as(s, me).getSpecificUser(hidden.id);
    assert.equal(profile.id, hidden.id);
    await g.as(s, me).showHideUser(hidden.id);
    assert.ok(g.ids(await g.as(s, me).getAllUsers({ limit: 100, username: 'hul' })).includes(hidden.id));
  });

  it('a hidden user disappears from the hider\'s followers and followings lists, with counts', async () => {
    await g.setFollowMode(s, true);
    const [viewer, target, h1, h2] = await g.makeUsers(s, 'hfol', 4);
    await g.as(s, h1).followUser(target.id);
    await g.as(s, h2).followUser(target.id);
    await g.as(s, target).followUser(h1.id);
    await g.as(s, target).followUser(h2.id);
    await g.as(s, viewer).showHideUser(h1.id);

    const followers = await g.as(s, viewer).getUserFollowers(target.id);
    assert.deepEqual(g.ids(followers), [h2.id]);
    assert.equal(followers.count, 1);
    const followings = await g.as(s, viewer).getUserFollowings(target.id);
    assert.deepEqual(g.ids(followings), [h2.id]);
    assert.equal(followings.count, 1);
    // mutual keeps the filter
    const mutual = await g.as(s, viewer).getUserFollowers(target.id, { mutual: 1 });
    assert.deepEqual(g.ids(mutual), [h2.id]);
    // others and anonymous callers see both
    assert.equal((await g.as(s, null).getUserFollowers(target.id)).count, 2);
    assert.deepEqual(g.ids(await g.as(s, h2).getUserFollowings(target.id)), [h2.id, h1.id]);
    // the hider's own followers too
    await g.as(s, h1).followUser(viewer.id);
    assert.equal((await g.as(s, viewer).getUserFollowers(viewer.id)).count, 0);
    assert.equal((await g.as(s, null).getUserFollowers(viewer.id)).count, 1);
  });

  it('a hidden user disappears from the hider\'s connections lists', async () => {
    await g.setFollowMode(s, false);
    try {
      const [viewer, hub, h1, h2] = await g.makeUsers(s, 'hcon', 4);
      for (const u of [h1, h2]) {
        await g.as(s, u).userRequestConnection(hub.id);
        await g.as(s, hub).userAcceptRequestConnection(u.id);
      }
      await g.as(s, viewer).showHideUser(h2.id);
      const list = await g.as(s, viewer).getUserConnections(hub.id);
      assert.deepEqual(g.ids(list), [h1.id]);
      assert.equal(list.count, 1);
      assert.deepEqual(g.ids(await g.as(s, null).getUserConnections(hub.id)), [h2.id, h1.id]);
      // hiding does not touch the connection itself
      assert.deepEqual(await g.as(s, hub).checkUserConnections(h2.id), { is_connection: true });
      expectStatus(await s.api('GET', `/api/v2/user/${h2.id}/`, { token: viewer.token }), 200);
    } finally {
      await g.setFollowMode(s, true);
    }
  });
});
