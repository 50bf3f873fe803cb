'use strict';
// Preferences are cached by every server thread: a change made by another
// process (`hearth sql`, `hearth pref set`) or through the API is seen by the
// next request on every thread.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

describe('preference cache', () => {
  let s;
  let alice;
  let tok;

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret' });
    tok = await s.token(alice.id);
  });
  after(async () => s && s.stop());

  // Enough requests, each on a new connection, that every HTTP thread serves some.
  async function statuses(n = 12) {
    const out = new Set();
    for (let i = 0; i < n; i++) out.add((await s.api('GET', '/api/v2/user/1/is_followed/', { token: tok })).status);
    return [...out];
  }

  it('a change written with plain SQL by another process is seen at once by every thread', async () => {
    assert.deepEqual(await statuses(), [200]); // every thread has cached follow mode on
    s.sql("UPDATE prefs SET value = 'false' WHERE section = 'configurations' AND name = 'follow_enabled'");
    assert.deepEqual(await statuses(), [403]);
    s.sql("UPDATE prefs SET value = 'true' WHERE section = 'configurations' AND name = 'follow_enabled'");
    assert.deepEqual(await statuses(), [200]);
  });

  it('a change through the API is seen by the next request on every thread', async () => {
    const r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
      token: s.admin.token, body: { 'configurations.follow_enabled': false },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(await statuses(), [403]);
    const back = await s.api('PATCH', '/api/v2/dynamic_preference/', {
      token: s.admin.token, body: { 'configurations.follow_enabled': true },
    });
    assert.equal(back.status, 200);
    assert.deepEqual(await statuses(), [200]);
  });
});
