'use strict';
// Deleting a user with a real social graph, built through the API: edges
// gone after a hard delete, every other user's counters corrected, soft
// delete hiding the user from lists while keeping the edges, and
// `hearth check` clean afterwards (account lifecycle and graph together).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

async function counters(s, user) {
  const r = await s.api('GET', `/api/v2/user/${user.id}/`, { token: s.admin.token });
  h.expectStatus(r, 200, `GET user ${user.id}`);
  return r.body;
}

async function del(s, user, hard) {
  const r = await s.api('DELETE', `/api/v2/user/${user.id}/${hard ? '?hard=1' : ''}`, { token: s.admin.token });
  h.expectStatus(r, 204, `delete ${user.id}`);
}

async function checkClean(s) {
  const r = await s.run(['check']);
  assert.equal(r.code, 0, `hearth check: ${r.stdout}${r.stderr}`);
}

describe('deleting a user with relations', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('follow mode: soft delete hides and decrements, hard delete removes the edges', async () => {
    const [gone, fan, idol, watcher] = await g.makeUsers(s, 'fdel', 4);
    await g.as(s, fan).followUser(gone.id);
    await g.as(s, gone).followUser(idol.id);
    await g.as(s, watcher).showHideUser(gone.id);
    assert.equal((await counters(s, fan)).followings_counter, 1);
    assert.equal((await counters(s, idol)).followers_counter, 1);

    await del(s, gone, false);
    assert.equal((await counters(s, fan)).followings_counter, 0, 'soft delete decrements the follower');
    assert.equal((await counters(s, idol)).followers_counter, 0, 'soft delete decrements the followed');
    const page = await g.as(s, fan).getUserFollowings(fan.id);
    assert.deepEqual(g.ids(page), [], 'a soft-deleted user leaves the lists');
    assert.equal(g.sql(s, `SELECT count(*) FROM follows WHERE follower_id = ${gone.id} OR followed_id = ${gone.id};`).trim(), '2',
      'soft delete keeps the edges');
    await checkClean(s);

    await del(s, gone, true);
    assert.equal(g.sql(s, `SELECT count(*) FROM follows WHERE follower_id = ${gone.id} OR followed_id = ${gone.id};`).trim(), '0');
    assert.equal(g.sql(s, `SELECT count(*) FROM hides WHERE user_id = ${gone.id} OR hidden_id = ${gone.id};`).trim(), '0');
    assert.equal((await counters(s, fan)).followings_counter, 0);
    assert.equal((await counters(s, idol)).followers_counter, 0);
    const hidden = await g.as(s, watcher).getHiddenUsersId();
    assert.deepEqual(hidden, [], 'the hide of a hard-deleted user is gone');
    h.expectStatus(await s.api('GET', `/api/v2/user/${gone.id}/`), 404);
    await checkClean(s);
  });

  it('friendship mode: hard delete of an active user fixes every other side', async () => {
    await g.setFollowMode(s, false);
    try {
      const [gone, friend, asked, asker, rejecter] = await g.makeUsers(s, 'cdel', 5);
      await g.as(s, gone).userRequestConnection(friend.id);
      await g.as(s, friend).userAcceptRequestConnection(gone.id);
      await g.as(s, gone).userRequestConnection(asked.id);
      await g.as(s, asker).userRequestConnection(gone.id);
      await g.as(s, rejecter).userRequestConnection(gone.id);
      await g.as(s, gone).userRejectConnectionRequest(rejecter.id);

      assert.equal((await counters(s, friend)).connections_counter, 1);
      assert.equal((await counters(s, asked)).connection_requests_received_counter, 1);
      assert.equal((await counters(s, asker)).connection_requests_sent_counter, 1);
      assert.equal((await counters(s, rejecter)).connection_requests_sent_counter, 1, 'a rejection is invisible to the sender');

      await del(s, gone, true);
      const after = {
        friend: await counters(s, friend), asked: await counters(s, asked),
        asker: await counters(s, asker), rejecter: await counters(s, rejecter),
      };
      assert.equal(after.friend.connections_counter, 0);
      assert.equal(after.asked.connection_requests_received_counter, 0);
      assert.equal(after.asker.connection_requests_sent_counter, 0);
      assert.equal(after.rejecter.connection_requests_sent_counter, 0);
      assert.equal(g.sql(s, `SELECT (SELECT count(*) FROM connections WHERE user_id = ${gone.id} OR other_id = ${gone.id})
        + (SELECT count(*) FROM connection_requests WHERE from_user_id = ${gone.id} OR to_user_id = ${gone.id});`).trim(), '0');
      const conns = await g.as(s, friend).getUserConnections(friend.id);
      assert.equal(conns.count, 0);
      const sent = await g.as(s, asker).getUserRequestConnectionsSent();
      assert.equal(sent.count, 0);
      await checkClean(s);
    } finally {
      await g.setFollowMode(s, true);
    }
  });
});
