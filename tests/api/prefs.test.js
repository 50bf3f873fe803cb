'use strict';
// Dynamic preferences: listing, reading, searching, admin PATCH, the CLI
// (contract §6, §9).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectJSONType } = h;

const REQUIRED = {
  'configurations.follow_enabled': true,
  'configurations.content_availability': true,
  'configurations.post_type_enabled': true,
  'configurations.discussion_type_enabled': true,
};

describe('preferences', () => {
  let s;
  let alice;
  let aliceTok;
  let rows; // the initial full list
  const key = (p) => `${p.section}.${p.name}`;
  const find = (list, k) => list.find((p) => key(p) === k);

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret' });
    aliceTok = await s.token(alice.id);
  });
  after(async () => { if (s) await s.stop(); });

  async function all() {
    const res = await s.api('GET', '/api/v2/dynamic_preference/');
    expectStatus(res, 200);
    return res.body.results;
  }
  async function value(k) {
    const p = find(await all(), k);
    assert.ok(p, `no preference ${k}`);
    return p.value;
  }
  async function cliGet(k) {
    const r = await s.run(['pref', 'get', k]);
    assert.equal(r.code, 0, `pref get ${k}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim());
  }

  it('getAllPreferences() returns every row in one page, booleans as JSON booleans', async () => {
    const c = h.client(s.base); // public: no token
    const page = await c.PreferenceService.getAllPreferences();
    for (const k of ['count', 'next', 'previous', 'results']) assert.ok(k in page, `page lacks ${k}`);
    assert.ok(Array.isArray(page.results));
    assert.equal(page.count, page.results.length, 'all rows in the first page');
    assert.equal(page.next, null);
    assert.equal(page.previous, null);
    rows = page.results;
    const ids = new Set();
    for (const p of rows) {
      assert.ok(Number.isInteger(p.id), `id: ${JSON.stringify(p)}`);
      assert.equal(typeof p.section, 'string');
      assert.equal(typeof p.name, 'string');
      assert.ok('value' in p, `value: ${JSON.stringify(p)}`);
      assert.ok(!ids.has(p.id), `duplicate id ${p.id}`);
      ids.add(p.id);
    }
    for (const [k, v] of Object.entries(REQUIRED)) {
      const p = find(rows, k);
      assert.ok(p, `missing ${k}`);
      assert.equal(p.value, v, `${k} must be JSON ${v}, got ${JSON.stringify(p.value)}`);
    }
    const res = await s.api('GET', '/api/v2/dynamic_preference/');
    expectJSONType(res);
  });

  it('a large limit still returns everything; limit=undefined is ignored', async () => {
    for (const q of ['?limit=1000', '?limit=undefined', '?limit=500&offset=0']) {
      const res = await s.api('GET', `/api/v2/dynamic_preference/${q}`);
      expectStatus(res, 200, q);
      assert.equal(res.body.results.length, rows.length, q);
    }
  });

  it('getSpecificPreference(id) returns the row; an unknown id is 404', async () => {
    const c = h.client(s.base);
    const fe = find(rows, 'configurations.follow_enabled');
    const p = await c.PreferenceService.getSpecificPreference(fe.id);
    assert.deepEqual(p, fe);
    const res = await s.api('GET', '/api/v2/dynamic_preference/999999/');
    expectError(res, 404, 'not_found');
    expectStatus(await s.api('GET', '/api/v2/dynamic_preference/abc/'), 404);
  });

  it("searchPreferences('follow_enabled') finds configurations.follow_enabled", async () => {
    const c = h.client(s.base);
    const page = await c.PreferenceService.searchPreferences('follow_enabled');
    assert.ok(Array.isArray(page.results));
    const p = find(page.results, 'configurations.follow_enabled');
    assert.ok(p, `search results: ${JSON.stringify(page.results.map(key))}`);
    assert.equal(p.value, true);
    assert.ok(page.results.length < rows.length, 'search filters the rows');
    for (const r of page.results) {
      assert.ok(JSON.stringify(r).toLowerCase().includes('follow_enabled'), `${key(r)} does not match the search`);
    }
    const none = await c.PreferenceService.searchPreferences('no_such_preference_anywhere');
    assert.equal(none.results.length, 0);
  });

  it('admin PATCH {"configurations.follow_enabled": false} answers the updated rows; the next GET sees it', async () => {
    const fe = find(rows, 'configurations.follow_enabled');
    const res = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'configurations.follow_enabled': false } });
    expectStatus(res, 200);
    expectJSONType(res);
    assert.ok(Array.isArray(res.body), `reply must be an array: ${res.text}`);
    assert.equal(res.body.length, 1);
    assert.equal(res.body[0].id, fe.id);
    assert.equal(key(res.body[0]), 'configurations.follow_enabled');
    assert.equal(res.body[0].value, false);

    const one = await s.api('GET', `/api/v2/dynamic_preference/${fe.id}/`);
    expectStatus(one, 200);
    assert.equal(one.body.value, false);
    assert.equal(await value('configurations.follow_enabled'), false);
    assert.equal(await cliGet('configurations.follow_enabled'), false);
    // the mode switch is visible on the next request
    const me = await s.api('GET', '/api/v2/user/me/', { token: aliceTok });
    assert.ok('connections_counter' in me.body && !('followers_counter' in me.body), 'friendship mode counters');

    // the short form {"name": value} works too; several keys at once
    const back = await s.api('PATCH', '/api/v2/dynamic_preference/', {
      token: s.admin.token, body: { follow_enabled: true, 'configurations.content_availability': true },
    });
    expectStatus(back, 200);
    assert.ok(Array.isArray(back.body));
    assert.deepEqual(new Set(back.body.map(key)), new Set(['configurations.follow_enabled', 'configurations.content_availability']));
    assert.equal(await value('configurations.follow_enabled'), true);
  });

  it('updatePreferences through the official client', async () => {
    const c = h.client(s.base, s.admin.token);
    const r = await c.PreferenceService.updatePreferences({ 'configurations.post_type_enabled': false });
    assert.ok(Array.isArray(r));
    assert.equal(r[0].value, false);
    assert.equal(await value('configurations.post_type_enabled'), false);
    await c.PreferenceService.updatePreferences({ 'configurations.post_type_enabled': true });
    assert.equal(await value('configurations.post_type_enabled'), true);
  });

  it('PATCH by a non-admin is 403, anonymous is 401; nothing changes', async () => {
    expectError(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: aliceTok, body: { 'configurations.follow_enabled': false } }), 403, 'permission_denied');
    expectError(await s.api('PATCH', '/api/v2/dynamic_preference/', { body: { 'configurations.follow_enabled': false } }), 401, 'not_authenticated');
    assert.equal(await value('configurations.follow_enabled'), true);
  });

  it('an unknown key or a wrong type is 400 and nothing changes', async () => {
    const before_ = await all();
    const bad = [
      { 'configurations.no_such_key': true },
      { no_such_key_at_all: 1 },
      { 'configurations.follow_enabled': false, 'configurations.no_such_key': true },
      { 'configurations.follow_enabled': 'banana' },
      { 'configurations.follow_enabled': { a: 1 } },
      { 'configurations.follow_enabled': [true] },
      { 'configurations.content_availability': false, 'configurations.follow_enabled': 'banana' },
    ];
    for (const body of bad) {
      const res = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body });
      expectError(res, 400);
      assert.deepEqual(await all(), before_, `state changed after ${JSON.stringify(body)}`);
    }
    expectError(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: '[1,2]', headers: { 'Content-Type': 'application/json' } }), 400);
    expectError(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: '{"configurations.follow_enabled": fal', headers: { 'Content-Type': 'application/json' } }), 400);
    assert.deepEqual(await all(), before_);
  });

  it('`hearth pref get/set` from the CLI; the next request sees the change', async () => {
    assert.equal(await cliGet('configurations.follow_enabled'), true);
    let r = await s.run(['pref', 'set', 'configurations.follow_enabled', 'false']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await value('configurations.follow_enabled'), false);
    assert.equal(await cliGet('configurations.follow_enabled'), false);
    const c = h.client(s.base);
    const page = await c.PreferenceService.searchPreferences('follow_enabled');
    assert.equal(find(page.results, 'configurations.follow_enabled').value, false);

    r = await s.run(['pref', 'set', 'configurations.follow_enabled', 'true']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await value('configurations.follow_enabled'), true);

    // a wrong type or an unknown key fails and changes nothing
    const snapshot = await all();
    r = await s.run(['pref', 'set', 'configurations.follow_enabled', 'banana']);
    assert.notEqual(r.code, 0, 'pref set with a wrong type must fail');
    r = await s.run(['pref', 'set', 'configurations.no_such_key', 'true']);
    assert.notEqual(r.code, 0, 'pref set of an unknown key must fail');
    r = await s.run(['pref', 'get', 'configurations.no_such_key']);
    assert.notEqual(r.code, 0, 'pref get of an unknown key must fail');
    assert.deepEqual(await all(), snapshot);
  });

  it('content_availability=false leaves GET /user/{id}/ public', async () => {
    const r = await s.run(['pref', 'set', 'configurations.content_availability', 'false']);
    assert.equal(r.code, 0, r.stderr);
    try {
      assert.equal(await value('configurations.content_availability'), false);
      const res = await s.api('GET', `/api/v2/user/${alice.id}/`);
      expectStatus(res, 200);
      assert.equal(res.body.username, 'alice');
    } finally {
      const back = await s.run(['pref', 'set', 'configurations.content_availability', 'true']);
      assert.equal(back.code, 0, back.stderr);
    }
  });
});
