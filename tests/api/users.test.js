'use strict';
// Users: the User object and its privacy rules, lists (pagination,
// filtering, ordering, search ranking), missing users, and SSO signup/signin
// (contract §3, §5, §9).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, expectJSONType, show } = h;

const BASE_KEYS = ['id', 'username', 'real_name', 'date_joined', 'bio', 'location', 'location_lat_lng',
  'date_of_birth', 'description', 'gender', 'status', 'website', 'avatar', 'cover', 'ext_id', 'tags',
  'reputation', 'connection_status', 'posts_counter', 'discussions_counter', 'categories_counter'];
const PRIVATE_KEYS = ['email', 'email_isvalid', 'position_lat_lng'];
const FOLLOW_KEYS = ['followers_counter', 'followings_counter'];
const FRIEND_KEYS = ['connections_counter', 'connection_requests_sent_counter', 'connection_requests_received_counter'];
const PERMISSION_KEYS = ['upload_video', 'create_contribute', 'create_poll', 'locate_post', 'create_post',
  'create_post_with_category', 'follow_user', 'request_connection', 'accept_connection'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function strOrNull(v) { return v === null || typeof v === 'string'; }

// Checks a User object against contract §5.
// priv: whether the private keys must be present (true) or absent (false).
function checkUser(u, { priv, mode = 'follow', where = '' } = {}) {
  const ctx = `${where} user ${JSON.stringify(u)}`;
  assert.ok(u && typeof u === 'object', `not an object: ${ctx}`);
  for (const k of BASE_KEYS) assert.ok(k in u, `missing key ${k} in ${ctx}`);
  for (const k of PRIVATE_KEYS) {
    if (priv) assert.ok(k in u, `private key ${k} must be present in ${ctx}`);
    else assert.ok(!(k in u), `private key ${k} must be absent in ${ctx}`);
  }
  const present = mode === 'follow' ? FOLLOW_KEYS : FRIEND_KEYS;
  const absent = mode === 'follow' ? FRIEND_KEYS : FOLLOW_KEYS;
  for (const k of present) {
    assert.ok(k in u, `${mode} mode counter ${k} missing in ${ctx}`);
    assert.ok(Number.isInteger(u[k]) && u[k] >= 0, `${k} must be a non-negative integer in ${ctx}`);
  }
  for (const k of absent) assert.ok(!(k in u), `counter ${k} must be absent in ${mode} mode: ${ctx}`);
  for (const k of ['posts_counter', 'discussions_counter', 'categories_counter']) {
    assert.ok(Number.isInteger(u[k]) && u[k] >= 0, `${k} must be a non-negative integer in ${ctx}`);
  }
  assert.ok(Number.isInteger(u.id) && u.id > 0, `id: ${ctx}`);
  assert.equal(typeof u.username, 'string');
  assert.match(u.date_joined, RFC3339, `date_joined must be RFC 3339 UTC: ${ctx}`);
  for (const k of ['real_name', 'bio', 'location', 'description', 'website', 'location_lat_lng', 'date_of_birth']) {
    assert.ok(strOrNull(u[k]), `${k} must be a string or null: ${ctx}`);
  }
  assert.ok(['Male', 'Female', 'Unspecified'].includes(u.gender), `gender: ${ctx}`);
  assert.ok(['a', 'b', 'd'].includes(u.status), `status: ${ctx}`);
  assert.ok(u.avatar === null || /^https?:\/\//.test(u.avatar), `avatar must be an absolute URL or null: ${ctx}`);
  assert.ok(u.cover === null || /^https?:\/\//.test(u.cover), `cover must be an absolute URL or null: ${ctx}`);
  assert.ok(u.ext_id === null || Number.isInteger(u.ext_id), `ext_id must be an integer or null: ${ctx}`);
  assert.ok(Array.isArray(u.tags), `tags must be an array: ${ctx}`);
  assert.ok(Number.isInteger(u.reputation), `reputation: ${ctx}`);
  assert.ok(strOrNull(u.connection_status), `connection_status: ${ctx}`);
  if (priv) {
    assert.equal(typeof u.email_isvalid, 'boolean', `email_isvalid: ${ctx}`);
    assert.ok(strOrNull(u.email), `email: ${ctx}`);
    assert.ok(strOrNull(u.position_lat_lng), `position_lat_lng: ${ctx}`);
  }
}

function checkPage(body, where = '') {
  assert.ok(body && typeof body === 'object', `${where}: not a page`);
  for (const k of ['count', 'next', 'previous', 'results']) assert.ok(k in body, `${where}: page lacks ${k}`);
  assert.ok(Number.isInteger(body.count), `${where}: count`);
  assert.ok(Array.isArray(body.results), `${where}: results`);
  assert.ok(body.next === null || typeof body.next === 'string', `${where}: next`);
  assert.ok(body.previous === null || typeof body.previous === 'string', `${where}: previous`);
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

describe('users', () => {
  let s;
  let alice;
  let bob;
  let aliceTok;
  let bobTok;
  const known = new Map(); // username -> id, every active user
  const FRUIT = ['mango', 'mangosteen', 'bigmango', 'xmangox', 'kiwi_gold'];
  const PG = Array.from({ length: 45 }, (_, i) => `pg${String(i + 1).padStart(2, '0')}`);

  async function create(spec) {
    const u = await s.createUser(spec);
    known.set(u.username, u.id);
    return u;
  }

  async function patchMe(id, token, body) {
    return s.api('PATCH', `/api/v2/user/${id}/`, { token, body });
  }

  before(async () => {
    s = await h.startServer();
    known.set('admin', s.admin.id);
    alice = await create({ username: 'alice', password: 'Al1ce-secret', email: 'alice@example.com', ext_id: 1001 });
    bob = await create({ username: 'bob', password: 'B0b-secret!', email: 'bob@example.com' });
    aliceTok = await s.token(alice.id);
    bobTok = await s.token(bob.id);
    for (const name of FRUIT) await create({ username: name });
    for (const name of PG) await create({ username: name });

    expectStatus(await patchMe(alice.id, aliceTok, { real_name: 'Zoe Quartz', gender: 'Female' }), 200, 'PATCH alice');
    expectStatus(await patchMe(bob.id, bobTok, { real_name: 'Aqua Marine', gender: 'Male' }), 200, 'PATCH bob');
  });
  after(async () => { if (s) await s.stop(); });

  const list = (query, token = s.admin.token) => s.api('GET', `/api/v2/user/${query ? '?' + query : ''}`, { token });

  async function walk(startQuery, limit) {
    const pages = [];
    let res = await list(startQuery);
    expectStatus(res, 200);
    pages.push({ res, url: new URL(`/api/v2/user/?${startQuery}`, s.base) });
    while (res.body.next) {
      assert.ok(pages.length < 200, 'next chain does not end');
      const url = new URL(res.body.next);
      res = await s.api('GET', res.body.next, { token: s.admin.token });
      expectStatus(res, 200, `GET ${url}`);
      pages.push({ res, url });
    }
    return pages;
  }

  describe('pagination', () => {
    it('count and absolute next/previous URLs carrying limit, offset and the other parameters', { skip: h.pgPending('users.test.js: count and absolute next/previous URLs carrying limit, offset and the other parameters') }, async () => {
      const res = await list('username=pg&limit=10&offset=10');
      expectStatus(res, 200);
      expectJSONType(res);
      checkPage(res.body);
      assert.equal(res.body.count, 45);
      assert.equal(res.body.results.length, 10);
      const next = new URL(res.body.next);
      assert.ok(res.body.next.startsWith(s.base + '/'), `next must start with ${s.base}: ${res.body.next}`);
      assert.equal(next.pathname, '/api/v2/user/');
      assert.equal(next.searchParams.get('limit'), '10');
      assert.equal(next.searchParams.get('offset'), '20');
      assert.equal(next.searchParams.get('username'), 'pg');
      assert.ok(res.body.previous.startsWith(s.base + '/'), `previous must start with ${s.base}: ${res.body.previous}`);
      const prev = new URL(res.body.previous);
      assert.equal(prev.pathname, '/api/v2/user/');
      assert.equal(prev.searchParams.get('limit'), '10');
      // DRF drops offset when it would be 0; the contract says links carry it: accept both for 0.
      assert.ok([null, '0'].includes(prev.searchParams.get('offset')), `previous offset: ${res.body.previous}`);
      assert.equal(prev.searchParams.get('username'), 'pg');

      const mid = await list('username=pg&limit=10&offset=20');
      const prev2 = new URL(mid.body.previous);
      assert.equal(prev2.searchParams.get('offset'), '10');
      assert.equal(prev2.searchParams.get('limit'), '10');

      const first = await list('username=pg&limit=10');
      assert.equal(first.body.previous, null, 'first page has no previous');
      const last = await list('username=pg&limit=10&offset=40');
      assert.equal(last.body.results.length, 5);
      assert.equal(last.body.next, null, 'last page has no next');
      const beyond = await list('username=pg&limit=10&offset=100');
      expectStatus(beyond, 200);
      assert.equal(beyond.body.count, 45);
      assert.deepEqual(beyond.body.results, []);
      assert.equal(beyond.body.next, null);
    });

    it('next keeps the request path as received (no trailing slash)', { skip: h.pgPending('users.test.js: next keeps the request path as received (no trailing slash)') }, async () => {
      const res = await s.api('GET', '/api/v2/user?username=pg&limit=5', { token: s.admin.token });
      expectStatus(res, 200);
      assert.equal(res.body.count, 45);
      const next = new URL(res.body.next);
      assert.equal(next.pathname, '/api/v2/user');
      assert.equal(next.searchParams.get('offset'), '5');
    });

    it('walking next with ordering=-username gives the 45 users once each, descending', { skip: h.pgPending('users.test.js: walking next with ordering=-username gives the 45 users once each, descending') }, async () => {
      const pages = await walk('username=pg&ordering=-username&limit=7');
      const names = [];
      pages.forEach(({ res }, i) => {
        checkPage(res.body, `page ${i}`);
        assert.equal(res.body.count, 45, `page ${i} count`);
        if (res.body.next) {
          const n = new URL(res.body.next);
          assert.equal(n.origin, s.base);
          assert.equal(n.searchParams.get('ordering'), '-username');
          assert.equal(n.searchParams.get('username'), 'pg');
          assert.equal(n.searchParams.get('limit'), '7');
          assert.equal(n.searchParams.get('offset'), String((i + 1) * 7));
        }
        if (i > 0) {
          const p = new URL(res.body.previous);
          assert.equal(p.searchParams.get('ordering'), '-username');
          assert.equal(p.searchParams.get('limit'), '7');
        }
        for (const u of res.body.results) names.push(u.username);
      });
      assert.equal(pages.length, 7);
      assert.deepEqual(names, [...PG].sort(cmp).reverse());
    });

    it('walking every user with ordering=-username: no overlap, no gap', async () => {
      const pages = await walk('ordering=-username&limit=9');
      const names = pages.flatMap(({ res }) => res.body.results.map((u) => u.username));
      const expected = [...known.keys()].map((n) => n.toLowerCase()).sort(cmp).reverse();
      assert.equal(new Set(names).size, names.length, 'a user appears twice');
      assert.deepEqual(names.map((n) => n.toLowerCase()), expected);
      for (const { res } of pages) assert.equal(res.body.count, known.size);
    });

    it('default ordering is id', async () => {
      const res = await list('limit=100');
      expectStatus(res, 200);
      const ids = res.body.results.map((u) => u.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
      assert.equal(res.body.count, known.size);
      assert.equal(ids.length, known.size);
      assert.deepEqual(new Set(ids), new Set(known.values()));
    });

    it('limit=undefined, limit=-5, limit=abc and limit=0 fall back to the default 20', async () => {
      for (const q of ['limit=undefined', 'limit=-5', 'limit=abc', 'limit=0', '']) {
        const res = await list(q);
        expectStatus(res, 200, q);
        assert.equal(res.body.results.length, 20, `${q}: ${res.body.results.length} results`);
        const n = new URL(res.body.next);
        assert.equal(n.searchParams.get('limit'), '20', `${q}: next ${res.body.next}`);
        assert.equal(n.searchParams.get('offset'), '20', `${q}: next ${res.body.next}`);
      }
    });

    it('invalid or undefined offset falls back to 0', async () => {
      const base = await list('limit=5');
      for (const q of ['limit=5&offset=undefined', 'limit=5&offset=-3', 'limit=5&offset=xyz']) {
        const res = await list(q);
        expectStatus(res, 200, q);
        assert.deepEqual(res.body.results.map((u) => u.id), base.body.results.map((u) => u.id), q);
      }
    });

    it('a query parameter with the literal value undefined is absent', async () => {
      const res = await list('limit=5&search=undefined&username=undefined&gender=undefined&ordering=undefined');
      expectStatus(res, 200);
      assert.equal(res.body.count, known.size);
    });

    it('getAllUsers through the official client', async () => {
      const c = h.client(s.base, s.admin.token);
      const all = await c.UserService.getAllUsers();
      checkPage(all);
      assert.equal(all.count, known.size);
      assert.equal(all.results.length, 20);
      // the client sends unset optional parameters as the literal "undefined"
      const page = await c.UserService.getAllUsers({ limit: 5, offset: 5, search: undefined });
      assert.equal(page.count, known.size);
      assert.deepEqual(page.results.map((u) => u.id), all.results.slice(5, 10).map((u) => u.id));
      // follow next the way the widgets do
      const more = await c.http.request({ url: page.next, method: 'GET' });
      assert.equal(more.status, 200);
      assert.deepEqual(more.data.results.map((u) => u.id), all.results.slice(10, 15).map((u) => u.id));
      for (const u of page.results) checkUser(u, { priv: true, where: 'admin list' });
    });
  });

  describe('filters and search', () => {
    const names = (res) => res.body.results.map((u) => u.username);

    it('username is a case-insensitive contains filter', { skip: h.pgPending('users.test.js: username is a case-insensitive contains filter') }, async () => {
      const res = await list('username=MANGO');
      expectStatus(res, 200);
      assert.equal(res.body.count, 4);
      assert.deepEqual(new Set(names(res)), new Set(['mango', 'mangosteen', 'bigmango', 'xmangox']));
    });

    it('a username term of one or two characters matches the start of a word', { skip: h.pgPending('users.test.js: a username term of one or two characters matches the start of a word') }, async () => {
      let res = await list('username=ma');
      expectStatus(res, 200);
      assert.deepEqual(new Set(names(res)), new Set(['mango', 'mangosteen']));
      res = await list('username=go');
      assert.deepEqual(names(res), ['kiwi_gold'], 'only kiwi_gold has a word starting with "go"');
      res = await list('username=x');
      assert.deepEqual(names(res), ['xmangox']);
    });

    it('a filter matching nothing is an empty page', { skip: h.pgPending('users.test.js: a filter matching nothing is an empty page') }, async () => {
      const res = await list('username=zzzz');
      expectStatus(res, 200);
      assert.deepEqual(res.body, { count: 0, next: null, previous: null, results: [] });
    });

    it('search ranks exact username first, then prefix, then contains', { skip: h.pgPending('users.test.js: search ranks exact username first, then prefix, then contains') }, async () => {
      const res = await list('search=mango');
      expectStatus(res, 200);
      assert.equal(res.body.count, 4);
      const n = names(res);
      assert.equal(n[0], 'mango', `exact match first: ${n}`);
      assert.equal(n[1], 'mangosteen', `prefix match second: ${n}`);
      assert.deepEqual(new Set(n.slice(2)), new Set(['bigmango', 'xmangox']));
    });

    it('search with ordering uses the ordering', { skip: h.pgPending('users.test.js: search with ordering uses the ordering') }, async () => {
      const res = await list('search=mango&ordering=-username');
      expectStatus(res, 200);
      assert.deepEqual(names(res), ['xmangox', 'mangosteen', 'mango', 'bigmango']);
    });

    it('real_name filter: contains, and word start for short terms', { skip: h.pgPending('users.test.js: real_name filter: contains, and word start for short terms') }, async (t) => {
      let res = await list('real_name=quartz');
      assert.deepEqual(names(res), ['alice']);
      res = await list('real_name=qu');
      assert.deepEqual(names(res), ['alice'], '"qu" starts a word only in "Zoe Quartz", not in "Aqua"');
      res = await list('real_name=ma');
      assert.deepEqual(names(res), ['bob']);
      res = await list('real_name=AQUA');
      assert.deepEqual(names(res), ['bob']);
    });

    it('gender filter is exact', async (t) => {
      let res = await list('gender=Female');
      assert.deepEqual(names(res), ['alice']);
      res = await list('gender=Male');
      assert.deepEqual(names(res), ['bob']);
      res = await list('gender=Unspecified&limit=100');
      assert.equal(res.body.count, known.size - 2);
    });

    it('search also matches the real name', { skip: h.pgPending('users.test.js: search also matches the real name') }, async (t) => {
      const res = await list('search=quartz');
      assert.deepEqual(names(res), ['alice']);
    });
  });

  describe('the User object and privacy', () => {
    it('/user/me/ has every key, the private ones, role and permission', async () => {
      const res = await s.api('GET', '/api/v2/user/me/', { token: aliceTok });
      expectStatus(res, 200);
      expectJSONType(res);
      const u = res.body;
      checkUser(u, { priv: true, where: '/user/me/' });
      assert.equal(u.id, alice.id);
      assert.equal(u.username, 'alice');
      assert.equal(u.email, 'alice@example.com');
      assert.equal(u.ext_id, 1001);
      assert.equal(u.status, 'a');
      assert.equal(u.connection_status, null, 'connection_status is null for oneself');
      assert.ok('role' in u, '/user/me/ has role');
      assert.equal(u.role, null);
      assert.ok(u.permission && typeof u.permission === 'object', '/user/me/ has permission');
      for (const k of PERMISSION_KEYS) assert.equal(typeof u.permission[k], 'boolean', `permission.${k}`);
      assert.equal(u.followers_counter, 0);
      assert.equal(u.followings_counter, 0);
      assert.equal(u.avatar, null);
    });

    it('/user/me/ of the admin has role admin', async () => {
      const res = await s.api('GET', '/api/v2/user/me/', { token: s.admin.token });
      expectStatus(res, 200);
      checkUser(res.body, { priv: true });
      assert.equal(res.body.role, 'admin');
      assert.equal(res.body.email, 'admin@example.com');
    });

    it('private fields: present for oneself and admins, absent for others and anonymous', async () => {
      let res = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: aliceTok });
      expectStatus(res, 200);
      checkUser(res.body, { priv: true, where: 'own' });
      assert.equal(res.body.email, 'alice@example.com');

      res = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: s.admin.token });
      expectStatus(res, 200);
      checkUser(res.body, { priv: true, where: 'admin view' });
      assert.equal(res.body.email, 'alice@example.com');

      res = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: bobTok });
      expectStatus(res, 200);
      checkUser(res.body, { priv: false, where: "another user's view" });
      assert.equal(res.body.username, 'alice');
      assert.equal(res.body.connection_status, null);

      res = await s.api('GET', `/api/v2/user/${alice.id}/`);
      expectStatus(res, 200);
      checkUser(res.body, { priv: false, where: 'anonymous view' });
      assert.equal(res.body.connection_status, null);
    });

    it('private fields in lists follow the same rule', { skip: h.pgPending('users.test.js: private fields in lists follow the same rule') }, async () => {
      let res = await list('username=alice', bobTok);
      expectStatus(res, 200);
      assert.equal(res.body.results.length, 1);
      checkUser(res.body.results[0], { priv: false, where: 'bob lists alice' });
      res = await list('username=bob', bobTok);
      checkUser(res.body.results[0], { priv: true, where: 'bob lists himself' });
      res = await list('username=alice', s.admin.token);
      checkUser(res.body.results[0], { priv: true, where: 'admin lists alice' });
      assert.equal(res.body.results[0].email, 'alice@example.com');
      res = await list('limit=100', bobTok);
      for (const u of res.body.results) checkUser(u, { priv: u.id === bob.id, where: 'bob lists all' });
    });

    it('getCurrentUser, getSpecificUser, getCurrentUserPermission through the official client', async () => {
      const c = h.client(s.base, aliceTok);
      const me = await c.UserService.getCurrentUser();
      assert.equal(me.id, alice.id);
      checkUser(me, { priv: true });
      const other = await c.UserService.getSpecificUser(bob.id);
      assert.equal(other.id, bob.id);
      checkUser(other, { priv: false });
      const own = await c.UserService.getSpecificUser(alice.id);
      checkUser(own, { priv: true });
      const perm = await c.UserService.getCurrentUserPermission();
      assert.ok(perm && typeof perm === 'object', `permission: ${JSON.stringify(perm)}`);
      for (const k of PERMISSION_KEYS) assert.equal(typeof perm[k], 'boolean', `permission.${k}`);
      const res = await s.api('GET', '/api/v2/user/me/permission/', { token: aliceTok });
      expectStatus(res, 200);
      assert.deepEqual(res.body, perm);
      expectError(await s.api('GET', '/api/v2/user/me/permission/'), 401, 'not_authenticated');
    });

    it('userAutocomplete through the official client', { skip: h.pgPending('users.test.js: userAutocomplete through the official client') }, async () => {
      const c = h.client(s.base, aliceTok);
      const page = await c.UserService.userAutocomplete({ search: 'mango' });
      checkPage(page, 'autocomplete');
      assert.ok(page.results.length >= 1);
      const usernames = new Set(page.results.map((u) => u.username));
      assert.ok(usernames.has('mango'), `autocomplete for mango: ${[...usernames]}`);
      for (const u of page.results) {
        assert.deepEqual(Object.keys(u).sort(), ['avatar', 'ext_id', 'id', 'real_name', 'username'], JSON.stringify(u));
        assert.ok(u.username.toLowerCase().includes('mango'), JSON.stringify(u));
      }
    });

    it('after `hearth pref set configurations.follow_enabled false` the connection counters replace the follow counters', async () => {
      const r = await s.run(['pref', 'set', 'configurations.follow_enabled', 'false']);
      assert.equal(r.code, 0, `pref set failed: ${r.stderr}`);
      try {
        let res = await s.api('GET', '/api/v2/user/me/', { token: aliceTok });
        expectStatus(res, 200);
        checkUser(res.body, { priv: true, mode: 'friend', where: 'me, friendship mode' });
        res = await s.api('GET', `/api/v2/user/${bob.id}/`, { token: aliceTok });
        checkUser(res.body, { priv: false, mode: 'friend', where: 'other, friendship mode' });
        res = await s.api('GET', `/api/v2/user/${bob.id}/`);
        checkUser(res.body, { priv: false, mode: 'friend', where: 'anonymous, friendship mode' });
        res = await list('limit=5', aliceTok);
        for (const u of res.body.results) checkUser(u, { priv: u.id === alice.id, mode: 'friend', where: 'list, friendship mode' });
      } finally {
        const back = await s.run(['pref', 'set', 'configurations.follow_enabled', 'true']);
        assert.equal(back.code, 0, `pref set failed: ${back.stderr}`);
      }
      const res = await s.api('GET', '/api/v2/user/me/', { token: aliceTok });
      checkUser(res.body, { priv: true, mode: 'follow', where: 'back in follow mode' });
    });
  });

  describe('missing users', () => {
    it('an unknown id is 404 not_found', async () => {
      let res = await s.api('GET', '/api/v2/user/999999/');
      expectError(res, 404, 'not_found');
      expectJSONType(res);
      res = await s.api('GET', '/api/v2/user/999999/', { token: s.admin.token });
      expectError(res, 404, 'not_found');
    });

    it('non-numeric and out-of-range ids are 404', async () => {
      for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999999', '%20']) {
        const res = await s.api('GET', `/api/v2/user/${id}/`);
        expectStatus(res, 404, `/user/${id}/`);
        h.expectErrorShape(res);
      }
    });
  });

  describe('SSO signup and signin', () => {
    const signup = (body, token = s.admin.token) => s.api('POST', '/api/v2/sso/signup/', { token, body });

    async function countUsername(name) {
      // on PostgreSQL the list's text filter is user search, which comes later: count the rows
      if (h.pg) return Number(s.sql(`SELECT count(*) FROM users WHERE lower(username) = lower('${name.replace(/'/g, "''")}')`));
      const r = await list(`username=${encodeURIComponent(name)}&limit=100`);
      return r.body.results.filter((u) => u.username.toLowerCase() === name.toLowerCase()).length;
    }

    it('anonymous signup is 401, a non-admin is 403', async () => {
      expectError(await signup({ username: 'eve1' }, null), 401, 'not_authenticated');
      expectError(await signup({ username: 'eve2' }, aliceTok), 403, 'permission_denied');
      assert.equal(await countUsername('eve1'), 0);
      assert.equal(await countUsername('eve2'), 0);
    });

    it('replies 201 {id, ext_id, username, email, role, tags}; the new user can log in', async () => {
      const res = await signup({ username: 'carol', email: 'carol@example.com', password: 'Car0l!pass', ext_id: 4242, role: 'moderator' });
      expectStatus(res, 201);
      expectJSONType(res);
      const b = res.body;
      for (const k of ['id', 'ext_id', 'username', 'email', 'role', 'tags']) assert.ok(k in b, `signup reply lacks ${k}: ${res.text}`);
      assert.ok(Number.isInteger(b.id));
      assert.equal(b.ext_id, 4242);
      assert.equal(b.username, 'carol');
      assert.equal(b.email, 'carol@example.com');
      assert.equal(b.role, 'moderator');
      assert.deepEqual(b.tags, []);
      known.set('carol', b.id);

      const u = await s.api('GET', `/api/v2/user/${b.id}/`);
      expectStatus(u, 200);
      assert.equal(u.body.username, 'carol');
      assert.equal(u.body.ext_id, 4242);

      const t = await s.login('carol', 'Car0l!pass');
      const me = await s.api('GET', '/api/v2/user/me/', { token: t.access_token });
      expectStatus(me, 200);
      assert.equal(me.body.id, b.id);
      assert.equal(me.body.role, 'moderator');
    });

    it('a minimal signup has ext_id and role null', async () => {
      const res = await signup({ username: 'dave' });
      expectStatus(res, 201);
      assert.equal(res.body.username, 'dave');
      assert.equal(res.body.ext_id, null);
      assert.equal(res.body.role, null);
      assert.deepEqual(res.body.tags, []);
      known.set('dave', res.body.id);
    });

    it('a duplicate username, in any case, is 400 username unique', async () => {
      for (const name of ['alice', 'ALICE', 'Alice']) {
        expectFieldError(await signup({ username: name, email: `${name}-x@example.com` }), 400, 'username', 'unique');
      }
      assert.equal(await countUsername('alice'), 1);
    });

    it('a duplicate email, in any case, is 400 email unique', async () => {
      expectFieldError(await signup({ username: 'alice2', email: 'alice@example.com' }), 400, 'email', 'unique');
      expectFieldError(await signup({ username: 'alice3', email: 'ALICE@Example.COM' }), 400, 'email', 'unique');
      assert.equal(await countUsername('alice2'), 0);
      assert.equal(await countUsername('alice3'), 0);
    });

    it('a duplicate ext_id is 400', async () => {
      const res = await signup({ username: 'frank', ext_id: 1001 });
      expectFieldError(res, 400, 'ext_id');
      assert.equal(await countUsername('frank'), 0);
    });

    it('bad usernames are 400 on username', async () => {
      for (const name of ['bad name', 'bad!', 'ünï', 'a.b', 'x@y', '', 'a'.repeat(256)]) {
        expectFieldError(await signup({ username: name }), 400, 'username');
      }
      expectFieldError(await signup({ email: 'nousername@example.com' }), 400, 'username');
      const ok = await signup({ username: 'A_b-9' });
      expectStatus(ok, 201);
      known.set('A_b-9', ok.body.id);
      const long = await signup({ username: 'l'.repeat(255) });
      expectStatus(long, 201, '255 characters are allowed');
      known.set('l'.repeat(255), long.body.id);
    });

    it('weak passwords are 400 on password', async () => {
      const weak = [
        ['weak1', 'Sh0rt!x'], // 7 characters
        ['weak2', 'alllowercaseletters'], // one class
        ['weak3', 'lowerUPPERonly'], // two classes
        ['weak4', '12345678'],
        ['Weak5_pass', 'Weak5_pass'], // equal to the username
        ['weak6', 'Aa1!' + 'x'.repeat(125)], // 129 characters
      ];
      for (const [username, password] of weak) {
        expectFieldError(await signup({ username, password }), 400, 'password');
        assert.equal(await countUsername(username), 0, `${username} must not be created`);
      }
      const ok = await signup({ username: 'strong1', password: 'lowerUPPER1' });
      expectStatus(ok, 201, 'three classes, 11 characters');
      known.set('strong1', ok.body.id);
    });

    it('an invalid email, role or ext_id is 400 on that field', async () => {
      expectFieldError(await signup({ username: 'gina1', email: 'not-an-email' }), 400, 'email');
      expectFieldError(await signup({ username: 'gina2', role: 'superuser' }), 400, 'role');
      expectFieldError(await signup({ username: 'gina3', ext_id: 'abc' }), 400, 'ext_id');
    });

    it('SSOService.SignIn() answers {id, ext_id, username, role, tags}', async () => {
      const c = h.client(s.base, aliceTok);
      const r = await c.SSOService.SignIn();
      for (const k of ['id', 'ext_id', 'username', 'role', 'tags']) assert.ok(k in r, `signin reply lacks ${k}: ${JSON.stringify(r)}`);
      assert.equal(r.id, alice.id);
      assert.equal(r.ext_id, 1001);
      assert.equal(r.username, 'alice');
      assert.equal(r.role, null);
      assert.deepEqual(r.tags, []);
      c.http.setAuthorizeToken(s.admin.token);
      const a = await c.SSOService.SignIn();
      assert.equal(a.id, s.admin.id);
      assert.equal(a.role, 'admin');
      c.http.setAuthorizeToken();
      const err = await h.clientError(c.SSOService.SignIn());
      assert.equal(err.response.status, 401);
      assert.deepEqual(c.formatHttpErrorCode(err), { error: 'not_authenticated' });
    });

    it('SSOService.SignUp() as admin works, and formatHttpErrorCode reads the field errors', async () => {
      const c = h.client(s.base, s.admin.token);
      const r = await c.SSOService.SignUp({ username: 'henry', email: 'henry@example.com', password: 'Henry-pass1' });
      assert.equal(r.username, 'henry');
      known.set('henry', r.id);
      const err = await h.clientError(c.SSOService.SignUp({ username: 'HENRY', email: 'henry2@example.com' }));
      assert.equal(err.response.status, 400);
      const codes = c.formatHttpErrorCode(err);
      assert.ok(codes.usernameError, `formatHttpErrorCode: ${JSON.stringify(codes)}`);
    });
  });

  describe('limit clamping (runs last: adds users)', () => {
    it('limit=1000 clamps to 100', async () => {
      let i = 0;
      while (known.size < 130) {
        await create({ username: `zz${String(i++).padStart(3, '0')}` });
      }
      const res = await list('limit=1000');
      expectStatus(res, 200);
      assert.equal(res.body.count, known.size);
      assert.equal(res.body.results.length, 100);
      const n = new URL(res.body.next);
      assert.equal(n.searchParams.get('limit'), '100');
      assert.equal(n.searchParams.get('offset'), '100');
      const rest = await s.api('GET', res.body.next, { token: s.admin.token });
      expectStatus(rest, 200);
      assert.equal(rest.body.results.length, known.size - 100);
      assert.equal(rest.body.next, null);
      const all = [...res.body.results, ...rest.body.results].map((u) => u.id);
      assert.deepEqual(new Set(all), new Set(known.values()));
    });
  });
});
