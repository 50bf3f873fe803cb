'use strict';
// Deleting users: DELETE /api/v2/user/{id}/[?hard=1] (contract §7 and the
// four state rules of user-api.md). The graph tables may be filled by
// another subject's endpoints; here edges are inserted with the sqlite3
// command-line tool so that hard delete and the counters can be checked
// against the database itself.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const { expectStatus, expectError, expectOAuthError, clientError, signJWT, nowS } = h;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a7e3c5d80000000049454e44ae426082', 'hex');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const COUNTERS = ['followers_counter', 'followings_counter', 'connections_counter',
  'connection_requests_sent_counter', 'connection_requests_received_counter'];

describe('delete (DELETE /user/{id}/)', () => {
  let s;
  let db;
  let seq = 0;

  before(async () => {
    s = await h.startServer();
    db = path.join(s.dir, 'hearth.db');
  });
  after(async () => { if (s) await s.stop(); });

  function sql(query) {
    return s.sql(query, { json: true });
  }
  const scalar = (query) => Object.values(sql(query)[0])[0];

  async function newUser(prefix, extra = {}) {
    seq += 1;
    const username = `${prefix}${seq}`;
    const password = 'Pa55-word!';
    const u = await s.createUser({ username, password, email: `${username}@example.com`, ...extra });
    const token = (await s.login(username, password)).access_token;
    return { ...u, username, password, token };
  }

  const del = (id, token, hard) => s.api('DELETE', `/api/v2/user/${id}/${hard === undefined ? '' : `?hard=${hard}`}`, { token });
  const getUser = (id) => s.api('GET', `/api/v2/user/${id}/`, { token: s.admin.token });
  const counters = (id) => sql(`SELECT ${COUNTERS.join(', ')} FROM users WHERE id = ${id}`)[0];

  // U follows X and X follows U; X follows Y; U and Y are connected; U asked
  // Z; W asked U; U hides X and X hides U. Counters set as the graph
  // subject would keep them.
  async function graphAround(u) {
    const x = await newUser('x');
    const y = await newUser('y');
    const z = await newUser('z');
    const w = await newUser('w');
    const t = Date.now() * 1000;
    sql(`INSERT INTO follows VALUES (${u.id}, ${x.id}, ${t}), (${x.id}, ${u.id}, ${t}), (${x.id}, ${y.id}, ${t});
         INSERT INTO connections VALUES (${u.id}, ${y.id}, ${t}), (${y.id}, ${u.id}, ${t});
         INSERT INTO connection_requests (from_user_id, to_user_id, created_us) VALUES (${u.id}, ${z.id}, ${t}), (${w.id}, ${u.id}, ${t});
         INSERT INTO hides VALUES (${u.id}, ${x.id}, ${t}), (${x.id}, ${u.id}, ${t});
         UPDATE users SET followers_counter = 1, followings_counter = 1, connections_counter = 1,
           connection_requests_sent_counter = 1, connection_requests_received_counter = 1 WHERE id = ${u.id};
         UPDATE users SET followers_counter = 1, followings_counter = 2 WHERE id = ${x.id};
         UPDATE users SET followers_counter = 1, connections_counter = 1 WHERE id = ${y.id};
         UPDATE users SET connection_requests_received_counter = 1 WHERE id = ${z.id};
         UPDATE users SET connection_requests_sent_counter = 1 WHERE id = ${w.id};`);
    return { x, y, z, w };
  }

  // Content of every other kind: settings, a pending email change, tags, a
  // category follow, a post in a category, uploaded avatar and cover.
  async function contentOf(u) {
    const t = Date.now() * 1000;
    expectStatus(await s.api('PATCH', `/api/v2/user/${u.id}/settings/`, { token: u.token, body: { qa_frequency: 0 } }), 200);
    expectStatus(await s.api('PATCH', `/api/v2/user/${u.id}/change_email/`, { token: u.token, body: { new_email: `pending-${u.username}@example.com`, confirm: true } }), 200);
    const r = await s.api('PATCH', `/api/v2/user/${u.id}/`, {
      token: u.token,
      multipart: { avatar: new File([PNG], 'a.png'), cover: new File([GIF], 'c.gif'), real_name: 'Real Name', bio: 'bio', location: 'Rome', location_lat_lng: '41.9,12.5', position_lat_lng: '1,2', date_of_birth: '1990-01-01', description: 'desc', gender: 'Male', website: 'https://example.com' },
    });
    expectStatus(r, 200);
    sql(`INSERT INTO tags (name, created_us) VALUES ('tag-${u.id}', ${t});
         INSERT INTO user_tags VALUES (${u.id}, (SELECT id FROM tags WHERE name = 'tag-${u.id}'));
         INSERT INTO categories (name, slug, lastmod_us) VALUES ('cat-${u.id}', 'cat-${u.id}', ${t});
         INSERT INTO category_follows VALUES (${u.id}, (SELECT id FROM categories WHERE name = 'cat-${u.id}'), ${t});
         INSERT INTO posts (type, author_id, html, summary, added_us, last_activity_us) VALUES ('post', ${u.id}, '<p>hi</p>', 'hi', ${t}, ${t});
         INSERT INTO post_categories VALUES ((SELECT max(id) FROM posts), (SELECT id FROM categories WHERE name = 'cat-${u.id}'));
         UPDATE users SET posts_counter = 1, categories_counter = 1 WHERE id = ${u.id};`);
    return { avatar: r.body.avatar.split('/media/')[1], cover: r.body.cover.split('/media/')[1] };
  }

  // Rows naming the user in every table but users.
  function rowsOf(id) {
    return {
      follows: scalar(`SELECT count(*) FROM follows WHERE follower_id = ${id} OR followed_id = ${id}`),
      connections: scalar(`SELECT count(*) FROM connections WHERE user_id = ${id} OR other_id = ${id}`),
      connection_requests: scalar(`SELECT count(*) FROM connection_requests WHERE from_user_id = ${id} OR to_user_id = ${id}`),
      hides: scalar(`SELECT count(*) FROM hides WHERE user_id = ${id} OR hidden_id = ${id}`),
      user_tags: scalar(`SELECT count(*) FROM user_tags WHERE user_id = ${id}`),
      category_follows: scalar(`SELECT count(*) FROM category_follows WHERE user_id = ${id}`),
      posts: scalar(`SELECT count(*) FROM posts WHERE author_id = ${id}`),
      post_categories: scalar(`SELECT count(*) FROM post_categories WHERE post_id IN (SELECT id FROM posts WHERE author_id = ${id})`),
      user_settings: scalar(`SELECT count(*) FROM user_settings WHERE user_id = ${id}`),
      email_changes: scalar(`SELECT count(*) FROM email_changes WHERE user_id = ${id}`),
      oauth_tokens: scalar(`SELECT count(*) FROM oauth_tokens WHERE user_id = ${id}`),
    };
  }

  const listIds = async (query = '') => {
    const r = await s.api('GET', `/api/v2/user/?limit=100${query}`, { token: s.admin.token });
    expectStatus(r, 200);
    return r.body.results.map((u) => u.id);
  };

  describe('soft delete', () => {
    it('own account: status d, hidden from lists, edges and posts kept, tokens revoked, related counters drop', async () => {
      const u = await newUser('soft', { ext_id: 5001 });
      const { x, y, z, w } = await graphAround(u);
      const files = await contentOf(u);
      const jwt = await s.token(u.id);
      expectStatus(await s.api('GET', '/api/v2/user/me/', { token: jwt }), 200);
      // the user list's search and autocomplete are user search (pg_pending.js)
      const search = !h.pgPending('account_delete.test.js search');
      if (search) assert.ok((await listIds(`&search=${u.username}`)).includes(u.id));

      const c = h.client(s.base, u.token);
      assert.equal(await c.UserService.userDelete(u.id), '');

      const r = await getUser(u.id);
      expectStatus(r, 200);
      assert.equal(r.body.status, 'd');
      assert.equal(r.body.real_name, 'Real Name', 'a soft delete keeps the profile');
      assert.ok(!(await listIds()).includes(u.id), 'gone from /user/');
      if (search) {
        assert.ok(!(await listIds(`&search=${u.username}`)).includes(u.id), 'gone from search');
        const ac = await s.api('GET', `/api/v2/user/autocomplete/?search=${u.username}`, { token: s.admin.token });
        assert.ok(!ac.body.results.some((v) => v.id === u.id), 'gone from autocomplete');
      }

      // every token of the user is dead, OAuth and JWT, old and new
      expectError(await s.api('GET', '/api/v2/user/me/', { token: u.token }), 401, 'authentication_failed');
      expectError(await s.api('GET', '/api/v2/user/me/', { token: jwt }), 401, 'authentication_failed');
      expectError(await s.api('GET', '/api/v2/user/me/', { token: await s.token(u.id) }), 401);
      const fresh = signJWT({ token_type: 'access', user_id: u.id, iat: nowS() + 5, exp: nowS() + 3600, jti: 'x' }, s.secret);
      expectError(await s.api('GET', '/api/v2/user/me/', { token: fresh }), 401);
      expectOAuthError(await s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username: u.username, password: u.password, client_id: s.clientId } }), 400, 'invalid_grant');

      // edges, posts and files stay; tokens and the pending email change go
      const rows = rowsOf(u.id);
      assert.deepEqual(rows, { follows: 2, connections: 2, connection_requests: 2, hides: 2, user_tags: 1, category_follows: 1, posts: 1, post_categories: 1, user_settings: 1, email_changes: 0, oauth_tokens: 0 });
      assert.ok(fs.existsSync(path.join(s.dir, 'media', files.avatar)));

      // counters of related users count only active users now
      assert.deepEqual(counters(x.id), { followers_counter: 0, followings_counter: 1, connections_counter: 0, connection_requests_sent_counter: 0, connection_requests_received_counter: 0 });
      assert.deepEqual(counters(y.id), { followers_counter: 1, followings_counter: 0, connections_counter: 0, connection_requests_sent_counter: 0, connection_requests_received_counter: 0 });
      assert.equal(counters(z.id).connection_requests_received_counter, 0);
      assert.equal(counters(w.id).connection_requests_sent_counter, 0);
      const xr = await getUser(x.id);
      assert.equal(xr.body.followers_counter, 0);
      assert.equal(xr.body.followings_counter, 1);
    });

    it('a soft-deleted username, email and ext_id stay reserved', async () => {
      const u = await newUser('keep', { ext_id: 5002 });
      expectStatus(await del(u.id, u.token), 204);
      for (const [body, field] of [
        [{ username: u.username }, 'username'],
        [{ username: u.username.toUpperCase() }, 'username'],
        [{ username: 'other-keep', email: u.email }, 'email'],
        [{ username: 'other-keep2', ext_id: 5002 }, 'ext_id'],
      ]) {
        const r = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body });
        h.expectFieldError(r, 400, field, 'unique');
      }
    });

    it('soft on soft is 400 already_deleted; hard on soft performs the hard delete', async () => {
      const u = await newUser('twice');
      expectStatus(await del(u.id, u.token), 204);
      expectError(await del(u.id, s.admin.token), 400, 'already_deleted');
      expectError(await del(u.id, s.admin.token, 0), 400, 'already_deleted');
      assert.equal((await getUser(u.id)).body.status, 'd');
      expectStatus(await del(u.id, s.admin.token, 1), 204);
      expectError(await getUser(u.id), 404, 'not_found');
      assert.equal(scalar(`SELECT status FROM users WHERE id = ${u.id}`), 'u');
    });

    it('an admin deletes someone else (official client, soft then hard)', async () => {
      const u = await newUser('victim');
      const c = h.client(s.base, s.admin.token);
      assert.equal(await c.UserService.userDelete(u.id), '');
      assert.equal((await getUser(u.id)).body.status, 'd');
      expectError(await s.api('GET', '/api/v2/user/me/', { token: u.token }), 401);
      assert.equal(await c.UserService.userDelete(u.id, 1), '');
      expectStatus(await getUser(u.id), 404);
    });

    it('hard=0 or any other value than a true one is a soft delete', async () => {
      const u = await newUser('zero');
      expectStatus(await del(u.id, u.token, 0), 204);
      assert.equal((await getUser(u.id)).body.status, 'd');
      const v = await newUser('word');
      expectStatus(await del(v.id, v.token, 'maybe'), 204);
      assert.equal((await getUser(v.id)).body.status, 'd');
    });
  });

  describe('hard delete', () => {
    it('removes every row and file of the user but the tombstone, and fixes related counters', async () => {
      const u = await newUser('hard', { ext_id: 6001 });
      const { x, y, z, w } = await graphAround(u);
      const files = await contentOf(u);
      // a post by someone else in the same category must survive
      sql(`INSERT INTO posts (type, author_id, html, summary, added_us, last_activity_us) VALUES ('discussion', ${x.id}, 'x', 'x', 1, 1);
           INSERT INTO post_categories VALUES ((SELECT max(id) FROM posts), (SELECT id FROM categories WHERE name = 'cat-${u.id}'));`);
      const second = (await s.login(u.username, u.password)).access_token;
      const jwt = await s.token(u.id);
      for (const t of [u.token, second, jwt]) {
        expectStatus(await s.api('GET', '/api/v2/user/me/', { token: t }), 200);
      }
      const mediaBefore = fs.readdirSync(path.join(s.dir, 'media'));
      assert.ok(mediaBefore.includes(files.avatar) && mediaBefore.includes(files.cover));

      const c = h.client(s.base, u.token);
      assert.equal(await c.UserService.userDelete(u.id, 1), '');

      expectError(await getUser(u.id), 404, 'not_found');
      for (const t of [u.token, second, jwt]) {
        expectError(await s.api('GET', '/api/v2/user/me/', { token: t }), 401, 'authentication_failed');
      }
      assert.deepEqual(rowsOf(u.id), { follows: 0, connections: 0, connection_requests: 0, hides: 0, user_tags: 0, category_follows: 0, posts: 0, post_categories: 0, user_settings: 0, email_changes: 0, oauth_tokens: 0 });
      const row = sql(`SELECT * FROM users WHERE id = ${u.id}`)[0];
      assert.equal(row.status, 'u');
      assert.equal(row.username, u.username, 'the tombstone keeps its username');
      for (const k of ['email', 'email_fold', 'password_hash', 'ext_id', 'avatar', 'cover', 'date_of_birth', 'location_lat', 'location_lng', 'position_lat', 'position_lng', 'role']) {
        assert.equal(row[k], null, `${k} must be cleared`);
      }
      for (const k of ['real_name', 'real_name_fold', 'bio', 'location', 'description', 'website']) {
        assert.equal(row[k], '', `${k} must be cleared`);
      }
      for (const k of [...COUNTERS, 'posts_counter', 'discussions_counter', 'categories_counter', 'reputation', 'email_isvalid']) {
        assert.equal(row[k], 0, `${k} must be 0`);
      }
      // the files are gone, and only they
      const mediaAfter = fs.readdirSync(path.join(s.dir, 'media'));
      assert.deepEqual(mediaAfter.sort(), mediaBefore.filter((f) => f !== files.avatar && f !== files.cover).sort());
      expectStatus(await s.api('GET', `/media/${files.avatar}`), 404);

      // other users' data stays; their counters follow the invariant
      assert.equal(scalar(`SELECT count(*) FROM posts WHERE author_id = ${x.id}`), 1);
      assert.equal(scalar(`SELECT count(*) FROM post_categories WHERE post_id IN (SELECT id FROM posts WHERE author_id = ${x.id})`), 1);
      assert.equal(scalar(`SELECT count(*) FROM follows WHERE follower_id = ${x.id} AND followed_id = ${y.id}`), 1);
      assert.deepEqual(counters(x.id), { followers_counter: 0, followings_counter: 1, connections_counter: 0, connection_requests_sent_counter: 0, connection_requests_received_counter: 0 });
      assert.equal(counters(y.id).connections_counter, 0);
      assert.equal(counters(y.id).followers_counter, 1);
      assert.equal(counters(z.id).connection_requests_received_counter, 0);
      assert.equal(counters(w.id).connection_requests_sent_counter, 0);
    });

    it('username, email and ext_id are released: a new user can take them', async () => {
      const u = await newUser('reuse', { ext_id: 6002 });
      expectStatus(await del(u.id, u.token, 1), 204);
      const r = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: u.username, email: u.email.toUpperCase(), ext_id: 6002, password: 'N3w-owner!' } });
      expectStatus(r, 201);
      assert.notEqual(r.body.id, u.id);
      const login = await s.login(u.username, 'N3w-owner!');
      const me = await s.api('GET', '/api/v2/user/me/', { token: login.access_token });
      assert.equal(me.body.id, r.body.id);
      expectStatus(await getUser(u.id), 404, 'the tombstone stays hidden');
    });

    it('soft on hard and hard on hard are 404', async () => {
      const u = await newUser('gone');
      expectStatus(await del(u.id, u.token, 1), 204);
      expectError(await del(u.id, s.admin.token), 404, 'not_found');
      expectError(await del(u.id, s.admin.token, 1), 404, 'not_found');
      const c = h.client(s.base, s.admin.token);
      assert.equal((await clientError(c.UserService.userDelete(u.id, 1))).response.status, 404);
    });

    it('hard on an active user by an admin; the admin keeps working', async () => {
      const u = await newUser('byadmin');
      expectStatus(await del(u.id, s.admin.token, 'true'), 204);
      expectStatus(await getUser(u.id), 404);
      expectStatus(await s.api('GET', '/api/v2/user/me/', { token: s.admin.token }), 200);
    });
  });

  describe('who may delete', () => {
    it('another user gets 403, soft or hard, and nothing changes', async () => {
      const a = await newUser('actor');
      const b = await newUser('target');
      for (const hard of [undefined, 1]) {
        expectError(await del(b.id, a.token, hard), 403, 'permission_denied');
      }
      const c = h.client(s.base, a.token);
      assert.equal((await clientError(c.UserService.userDelete(b.id, 1))).response.status, 403);
      expectStatus(await s.api('GET', '/api/v2/user/me/', { token: b.token }), 200);
      assert.equal(scalar(`SELECT status FROM users WHERE id = ${b.id}`), 'a');
    });

    it('anonymous is 401, a missing id is 404 (before any ownership check)', async () => {
      const a = await newUser('nobody');
      expectError(await del(a.id), 401, 'not_authenticated');
      expectError(await del(999999, a.token), 404, 'not_found');
      expectError(await del(999999, a.token, 1), 404);
    });
  });
});
