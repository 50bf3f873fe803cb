'use strict';
// Posts, discussions and the user feed (contract §8, schemas/post.md,
// discussion.md, feed.md): creation through the official client's
// FeedObjectService, reading back through UserService.getUserFeed, category
// and title validation, the HTML sanitiser on the wire, delete permissions,
// content availability, hidden and deleted authors, and exact counters.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./harness');
const sc = require('@selfcommunity/api-services');

const { expectStatus, expectError, expectFieldError, clientError } = h;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const COMMON_KEYS = ['id', 'type', 'categories', 'media_type', 'medias', 'location', 'poll', 'last_activity_at',
  'author', 'added_at', 'html', 'summary', 'deleted', 'collapsed', 'comment_count', 'share_count', 'vote_count',
  'voted', 'flag_count', 'addressing'];
const DISCUSSION_KEYS = ['title', 'slug', 'view_count', 'follower_count'];

// Checks a Post or Discussion object and its honest empty values.
function checkContribution(o, type) {
  const ctx = JSON.stringify(o);
  for (const k of COMMON_KEYS) assert.ok(k in o, `${type} lacks ${k}: ${ctx}`);
  for (const k of DISCUSSION_KEYS) assert.equal(k in o, type === 'discussion', `${k} on a ${type}: ${ctx}`);
  assert.equal(o.type, type);
  assert.ok(Number.isInteger(o.id) && o.id > 0);
  assert.ok(Array.isArray(o.categories) && o.categories.length > 0);
  for (const c of o.categories) {
    for (const k of ['id', 'name', 'slug', 'active', 'deleted', 'lastmod_datetime']) assert.ok(k in c, `category lacks ${k}: ${ctx}`);
  }
  assert.match(o.added_at, RFC3339);
  assert.match(o.last_activity_at, RFC3339);
  assert.deepEqual(o.medias, []);
  assert.deepEqual(o.addressing, []);
  assert.equal(o.poll, null);
  assert.equal(o.location, null);
  for (const k of ['comment_count', 'share_count', 'vote_count', 'flag_count']) assert.equal(o[k], 0);
  assert.equal(o.voted, false);
  assert.equal(o.collapsed, false);
  assert.equal(typeof o.html, 'string');
  assert.equal(typeof o.summary, 'string');
  assert.equal(typeof o.author, 'object');
  for (const k of ['id', 'username', 'posts_counter', 'discussions_counter', 'categories_counter']) {
    assert.ok(k in o.author, `author lacks ${k}: ${ctx}`);
  }
}

// The hostile inputs and what must come out (domain/html.h's allow-list).
const HOSTILE = [
  ['<p>Hello <script>alert(1)</script>world</p>', '<p>Hello world</p>', 'Hello world'],
  ['<img src="https://img.example/a.png" onerror="alert(1)" alt="a">', '<img src="https://img.example/a.png" alt="a">', ''],
  ['<img src=x onerror=alert(1)>text', 'text', 'text'],
  ['<a href="javascript:alert(1)">click</a>', 'click', 'click'],
  ['<a href=" javascript:alert(1)">x</a><a href="java&#x09;script:alert(1)">y</a><a href="JaVaScRiPt:alert(1)">z</a>', 'xyz', 'xyz'],
  ['<a href="https://ok.example/?a=1&b=2" onclick="x()" target="_top">ok</a>', '<a href="https://ok.example/?a=1&amp;b=2" rel="nofollow noopener">ok</a>', 'ok'],
  ['<a href="mailto:me@example.com">mail</a>', '<a href="mailto:me@example.com" rel="nofollow noopener">mail</a>', 'mail'],
  ['<p>unclosed <b>bold <i>both', '<p>unclosed <b>bold <i>both</i></b></p>', 'unclosed bold both'],
  ['<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="x"><style>p{color:red}</style>safe', 'safe', 'safe'],
  ['<svg><script>alert(1)</script><circle onload="alert(1)"/></svg><math><mtext>m</mtext></math>after', 'after', 'after'],
  ['<div onmouseover="x()" style="color:red">a</div><div>b</div>', 'a<br>b', 'a b'],
  ['<!-- secret --><p>c</p>', '<p>c</p>', 'c'],
  ['&lt;script&gt;alert(1)&lt;/script&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
  ['<p title="x" class="y" id="z">attrs</p>', '<p>attrs</p>', 'attrs'],
  ['<scr<script>ipt>alert(1)</script>', 'ipt&gt;alert(1)', 'ipt>alert(1)'],
  // parsed without scripting, the attribute holds the "tags"; noscript goes with all it holds
  ['<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>ok', '', ''],
  ['<p>a</p><textarea><img src=x onerror=alert(1)></textarea><select><option>o</option></select>b', '<p>a</p>b', 'a b'],
  ['<p>' + '<b>'.repeat(40) + 'deep' + '</b>'.repeat(40) + '</p>',
    '<p>' + '<b>'.repeat(31) + 'deep' + '</b>'.repeat(31) + '</p>', 'deep'],
];

describe('posts, discussions and the user feed', () => {
  let s;
  let alice; let bob; let carol;
  let aliceToken; let bobToken; let carolToken;
  let cat; let cat2;
  let seq = 0;

  const db = () => path.join(s.dir, 'hearth.db');
  const sql = (query) => s.sql(query);
  const as = (token) => { sc.http.setBasePortal(s.base); if (token) sc.http.setAuthorizeToken(token); else sc.http.setAuthorizeToken(); };
  const setPref = async (key, value) => expectStatus(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { [key]: value } }), 200);
  const createPost = (token, body) => s.api('POST', '/api/v2/post/', { token, body });
  const createDiscussion = (token, body) => s.api('POST', '/api/v2/discussion/', { token, body });
  const feed = (id, token, q = '') => s.api('GET', `/api/v2/user/${id}/feed/${q}`, { token });
  const user = async (id) => (await s.api('GET', `/api/v2/user/${id}/`, { token: s.admin.token })).body;
  // "stored,actual" for a counter: the user row and the posts table
  const counter = (id, type) => sql(`SELECT ${type}s_counter || ',' || (SELECT count(*) FROM posts WHERE author_id = ${id} AND type = '${type}' AND deleted = 0) FROM users WHERE id = ${id}`);

  async function newUser(name) {
    const u = await s.createUser({ username: `${name}${++seq}` });
    return { ...u, token: await s.token(u.id) };
  }

  async function newCategory(extra = {}) {
    const r = await s.api('POST', '/api/v2/category/', { token: s.admin.token, body: { name: `Cat ${++seq}`, ...extra } });
    expectStatus(r, 201);
    return r.body;
  }

  async function post(token, text = `<p>post ${++seq}</p>`) {
    const r = await createPost(token, { text, categories: [cat.id] });
    expectStatus(r, 201);
    return r.body;
  }

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice' });
    bob = await s.createUser({ username: 'bob' });
    carol = await s.createUser({ username: 'carol' });
    aliceToken = await s.token(alice.id);
    bobToken = await s.token(bob.id);
    carolToken = await s.token(carol.id);
    cat = await newCategory({ name: 'General' });
    cat2 = await newCategory({ name: 'News', order: -1 });
  });
  after(async () => { if (s) await s.stop(); });

  describe('create and read back through the feed (official client)', () => {
    it('a post and a discussion are created (201) and listed newest first by getUserFeed', async () => {
      as(aliceToken);
      const p = await sc.FeedObjectService.createFeedObject('post', { text: '<p>Hello <b>world</b></p>', categories: [cat.id, cat2.id] });
      checkContribution(p, 'post');
      assert.equal(p.html, '<p>Hello <b>world</b></p>');
      assert.equal(p.summary, 'Hello world');
      assert.deepEqual(p.categories.map((c) => c.id), [cat2.id, cat.id], 'Category objects, by order');
      assert.equal(p.author.id, alice.id);
      assert.equal(p.author.posts_counter, 1);
      assert.equal(p.deleted, false);

      const d = await sc.FeedObjectService.createFeedObject('discussion', { title: '  Où est la gare ?  ', text: '<p>Asking</p>', categories: [String(cat.id)] });
      checkContribution(d, 'discussion');
      assert.equal(d.title, 'Où est la gare ?', 'trimmed');
      assert.equal(d.slug, 'ou-est-la-gare');
      assert.equal(d.author.discussions_counter, 1);
      assert.equal(d.view_count, 0);

      // read back through the feed
      const page = await sc.UserService.getUserFeed(alice.id);
      assert.equal(page.count, 2);
      assert.equal(page.next, null);
      assert.deepEqual(page.results.map((i) => i.type), ['discussion', 'post']);
      const [di, pi] = page.results;
      assert.deepEqual(Object.keys(di).sort(), ['discussion', 'has_boost', 'seen_by_id', 'type']);
      assert.deepEqual(di.seen_by_id, []);
      assert.equal(di.has_boost, false);
      checkContribution(di.discussion, 'discussion');
      checkContribution(pi.post, 'post');
      assert.equal(di.discussion.id, d.id);
      assert.equal(pi.post.id, p.id);
      assert.equal(pi.post.html, p.html);
      assert.deepEqual(pi.post.categories, p.categories);
      assert.equal(di.discussion.title, d.title);

      // and one at a time
      const again = await sc.FeedObjectService.getSpecificFeedObject('discussion', d.id);
      assert.equal(again.id, d.id);
      assert.equal(again.html, '<p>Asking</p>');
      assert.equal(counter(alice.id, 'post'), '1,1');
      assert.equal(counter(alice.id, 'discussion'), '1,1');
    });

    it('the feed is paginated with absolute next/previous links', async () => {
      const u = await newUser('pager');
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await post(u.token)).id);
      as(u.token);
      const first = await sc.UserService.getUserFeed(u.id, { limit: 2 });
      assert.equal(first.count, 5);
      assert.deepEqual(first.results.map((i) => i.post.id), [ids[4], ids[3]]);
      assert.match(first.next, /^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/user\/\d+\/feed\/\?limit=2&offset=2$/);
      const second = (await s.api('GET', first.next, { token: u.token })).body;
      assert.deepEqual(second.results.map((i) => i.post.id), [ids[2], ids[1]]);
      assert.ok(second.previous);
      const last = await sc.UserService.getUserFeed(u.id, { limit: 2, offset: 4 });
      assert.deepEqual(last.results.map((i) => i.post.id), [ids[0]]);
      assert.equal(last.next, null);
    });

    it('form and multipart bodies work, categories as "1,2"', async () => {
      const f = await s.api('POST', '/api/v2/discussion/', { token: bobToken, form: { title: 'Form', text: 'plain <i>text</i>', categories: `${cat.id},${cat2.id}` } });
      expectStatus(f, 201);
      assert.equal(f.body.categories.length, 2);
      assert.equal(f.body.html, 'plain <i>text</i>');
      const m = await s.api('POST', '/api/v2/post/', { token: bobToken, multipart: { text: 'multi', categories: String(cat.id) } });
      expectStatus(m, 201);
      assert.equal(m.body.summary, 'multi');
    });
  });

  describe('validation', () => {
    it('categories: required, empty, unknown, deleted or inactive, malformed, too many; nothing created', async () => {
      const u = await newUser('validator');
      expectFieldError(await createPost(u.token, { text: 'x' }), 400, 'categories', 'required');
      expectFieldError(await createPost(u.token, { text: 'x', categories: [] }), 400, 'categories', 'empty');
      expectFieldError(await createPost(u.token, { text: 'x', categories: [999999] }), 400, 'categories', 'does_not_exist');
      const gone = await newCategory();
      expectStatus(await s.api('DELETE', `/api/v2/category/${gone.id}/`, { token: s.admin.token }), 204);
      expectFieldError(await createPost(u.token, { text: 'x', categories: [cat.id, gone.id] }), 400, 'categories', 'does_not_exist');
      const inactive = await newCategory({ active: false });
      expectFieldError(await createDiscussion(u.token, { title: 't', categories: [inactive.id] }), 400, 'categories', 'does_not_exist');
      expectFieldError(await createPost(u.token, { text: 'x', categories: ['abc'] }), 400, 'categories', 'invalid');
      expectFieldError(await createPost(u.token, { text: 'x', categories: [0] }), 400, 'categories', 'invalid');
      expectFieldError(await createPost(u.token, { text: 'x', categories: { id: cat.id } }), 400, 'categories', 'invalid');
      const many = Array.from({ length: 21 }, (_, i) => i + 1);
      expectFieldError(await createPost(u.token, { text: 'x', categories: many }), 400, 'categories', 'max_length');
      // duplicates are one
      const dup = await createPost(u.token, { text: 'x', categories: [cat.id, cat.id, String(cat.id)] });
      expectStatus(dup, 201);
      assert.equal(dup.body.categories.length, 1);
      assert.equal((await feed(u.id, u.token)).body.count, 1, 'only the valid one was created');
      assert.equal(counter(u.id, 'post'), '1,1');
      assert.equal(counter(u.id, 'discussion'), '0,0');
    });

    it('discussion title: required, blank, 255 characters at most, one line; post text: required and not blank', async () => {
      const u = await newUser('titler');
      expectFieldError(await createDiscussion(u.token, { text: 'x', categories: [cat.id] }), 400, 'title', 'required');
      expectFieldError(await createDiscussion(u.token, { title: '   ', categories: [cat.id] }), 400, 'title', 'blank');
      expectFieldError(await createDiscussion(u.token, { title: 'é'.repeat(256), categories: [cat.id] }), 400, 'title', 'max_length');
      expectFieldError(await createDiscussion(u.token, { title: 'two\nlines', categories: [cat.id] }), 400, 'title', 'invalid');
      expectFieldError(await createDiscussion(u.token, { title: 42, categories: [cat.id] }), 400, 'title', 'invalid');
      const ok = await createDiscussion(u.token, { title: 'é'.repeat(255), categories: [cat.id] });
      expectStatus(ok, 201);
      assert.equal(ok.body.html, '', 'a discussion may have no text');
      expectFieldError(await createPost(u.token, { categories: [cat.id] }), 400, 'text', 'required');
      expectFieldError(await createPost(u.token, { text: '<script>alert(1)</script>  ', categories: [cat.id] }), 400, 'text', 'blank');
      expectFieldError(await createPost(u.token, { text: ['x'], categories: [cat.id] }), 400, 'text', 'invalid');
      const img = await createPost(u.token, { text: '<img src="https://img.example/x.png">', categories: [cat.id] });
      expectStatus(img, 201, 'an image alone is content');
      assert.equal(counter(u.id, 'discussion'), '1,1');
      assert.equal(counter(u.id, 'post'), '1,1');
    });

    it('anonymous callers get 401; a blocked user 403', async () => {
      expectError(await createPost(null, { text: 'x', categories: [cat.id] }), 401, 'not_authenticated');
      const u = await newUser('blocked');
      sql(`UPDATE users SET status = 'b' WHERE id = ${u.id}`);
      expectError(await createPost(u.token, { text: 'x', categories: [cat.id] }), 403, 'permission_denied');
      assert.equal(sql(`SELECT count(*) FROM posts WHERE author_id = ${u.id}`), '0');
    });

    it('post_type_enabled / discussion_type_enabled = false: 403 mode_disabled for that type only', async () => {
      const u = await newUser('moder');
      await setPref('configurations.post_type_enabled', false);
      try {
        as(u.token);
        const err = await clientError(sc.FeedObjectService.createFeedObject('post', { text: 'x', categories: [cat.id] }));
        assert.equal(err.response.status, 403);
        assert.equal(err.response.data.errors[0].code, 'mode_disabled');
        expectStatus(await createDiscussion(u.token, { title: 'still fine', categories: [cat.id] }), 201);
      } finally {
        await setPref('configurations.post_type_enabled', true);
      }
      await setPref('configurations.discussion_type_enabled', false);
      try {
        expectError(await createDiscussion(u.token, { title: 't', categories: [cat.id] }), 403, 'mode_disabled');
        expectStatus(await createPost(u.token, { text: 'fine', categories: [cat.id] }), 201);
      } finally {
        await setPref('configurations.discussion_type_enabled', true);
      }
      assert.equal(counter(u.id, 'post'), '1,1');
      assert.equal(counter(u.id, 'discussion'), '1,1');
    });
  });

  describe('the HTML sanitiser on the wire', () => {
    for (const [input, html, summary] of HOSTILE) {
      it(`sanitises ${JSON.stringify(input).slice(0, 70)}`, async () => {
        const r = await createDiscussion(carolToken, { title: 'hostile', text: input, categories: [cat.id] });
        expectStatus(r, 201);
        assert.equal(r.body.html, html);
        assert.equal(r.body.summary, summary);
        // stored as sanitised
        assert.equal(sql(`SELECT html FROM posts WHERE id = ${r.body.id}`), html);
      });
    }

    it('more than 64 KiB of HTML is 400 max_length; at the limit it is accepted', async () => {
      const big = 'a'.repeat(64 * 1024);
      expectFieldError(await createPost(carolToken, { text: big + 'b', categories: [cat.id] }), 400, 'text', 'max_length');
      const ok = await createPost(carolToken, { text: big, categories: [cat.id] });
      expectStatus(ok, 201);
      assert.equal(ok.body.summary.length, 500, 'the summary is cut at 500 characters');
    });

    it('invalid UTF-8 is 400, whatever the encoding', async () => {
      const before = sql(`SELECT count(*) FROM posts WHERE author_id = ${carol.id}`);
      const bytes = Buffer.concat([Buffer.from(`{"categories":[${cat.id}],"text":"bad `), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const r = await s.api('POST', '/api/v2/post/', { token: carolToken, body: bytes, headers: { 'Content-Type': 'application/json' } });
      expectStatus(r, 400);
      const f = await s.api('POST', '/api/v2/post/', { token: carolToken, body: `categories=${cat.id}&text=%C3%28`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expectStatus(f, 400);
      const nul = await createPost(carolToken, { text: 'a\u0000b', categories: [cat.id] });
      expectStatus(nul, 400);
      assert.equal(sql(`SELECT count(*) FROM posts WHERE author_id = ${carol.id}`), before);
    });

    it('too many tags is 400 invalid', async () => {
      expectFieldError(await createPost(carolToken, { text: '<b>x</b>'.repeat(4097), categories: [cat.id] }), 400, 'text', 'invalid');
    });
  });

  describe('delete', () => {
    it('another user gets 403 and nothing changes; the author deletes (204), softly', async () => {
      const u = await newUser('deleter');
      const p = await post(u.token);
      as(bobToken);
      const err = await clientError(sc.FeedObjectService.deleteFeedObject('post', p.id));
      assert.equal(err.response.status, 403);
      assert.equal((await feed(u.id, bobToken)).body.count, 1);
      assert.equal(counter(u.id, 'post'), '1,1');

      as(u.token);
      assert.equal(await sc.FeedObjectService.deleteFeedObject('post', p.id), '');
      // gone from the feed and the counter
      const f = await feed(u.id, bobToken);
      assert.equal(f.body.count, 0);
      assert.deepEqual(f.body.results, []);
      assert.equal((await user(u.id)).posts_counter, 0);
      assert.equal(counter(u.id, 'post'), '0,0');
      // soft: the author still reads it, marked deleted; others get 404
      const mine = await sc.FeedObjectService.getSpecificFeedObject('post', p.id);
      assert.equal(mine.deleted, true);
      expectError(await s.api('GET', `/api/v2/post/${p.id}/`, { token: bobToken }), 404, 'not_found');
      expectError(await s.api('GET', `/api/v2/post/${p.id}/`), 404, 'not_found');
      assert.equal(sql(`SELECT deleted FROM posts WHERE id = ${p.id}`), '1');
      // twice: 400; by a stranger: 404 (it is gone for them)
      expectError(await s.api('DELETE', `/api/v2/post/${p.id}/`, { token: u.token }), 400, 'already_deleted');
      expectError(await s.api('DELETE', `/api/v2/post/${p.id}/`, { token: bobToken }), 404, 'not_found');
      assert.equal(counter(u.id, 'post'), '0,0');
    });

    it('an admin may delete anyone\'s discussion; the author\'s counter follows', async () => {
      const u = await newUser('victim');
      const d = await createDiscussion(u.token, { title: 'x', categories: [cat.id] });
      expectStatus(d, 201);
      assert.equal((await user(u.id)).discussions_counter, 1);
      expectStatus(await s.api('DELETE', `/api/v2/discussion/${d.body.id}/`, { token: s.admin.token }), 204);
      assert.equal((await user(u.id)).discussions_counter, 0);
      assert.equal(counter(u.id, 'discussion'), '0,0');
      const seen = await s.api('GET', `/api/v2/discussion/${d.body.id}/`, { token: s.admin.token });
      expectStatus(seen, 200);
      assert.equal(seen.body.deleted, true);
    });

    it('missing ids, the other type and anonymous callers', async () => {
      const p = await post(aliceToken);
      expectError(await s.api('DELETE', '/api/v2/post/999999/', { token: bobToken }), 404, 'not_found');
      expectError(await s.api('DELETE', `/api/v2/discussion/${p.id}/`, { token: aliceToken }), 404, 'not_found');
      expectError(await s.api('GET', `/api/v2/discussion/${p.id}/`, { token: aliceToken }), 404, 'not_found');
      expectError(await s.api('DELETE', `/api/v2/post/${p.id}/`), 401, 'not_authenticated');
      expectStatus(await s.api('GET', `/api/v2/post/${p.id}/`, { token: bobToken }), 200);
    });

    it('a blocked author cannot delete (403)', async () => {
      const u = await newUser('blockedauthor');
      const p = await post(u.token);
      sql(`UPDATE users SET status = 'b' WHERE id = ${u.id}`);
      expectError(await s.api('DELETE', `/api/v2/post/${p.id}/`, { token: u.token }), 403, 'permission_denied');
      assert.equal(counter(u.id, 'post'), '1,1');
    });
  });

  describe('who sees a feed', () => {
    it('content_availability: anonymous callers allowed when true, 401 when false', async () => {
      const u = await newUser('public');
      const p = await post(u.token);
      as(null);
      assert.equal((await sc.UserService.getUserFeed(u.id)).count, 1);
      expectStatus(await s.api('GET', `/api/v2/post/${p.id}/`), 200);
      await setPref('configurations.content_availability', false);
      try {
        const err = await clientError(sc.UserService.getUserFeed(u.id));
        assert.equal(err.response.status, 401);
        assert.equal(err.response.data.errors[0].code, 'not_authenticated');
        expectError(await s.api('GET', `/api/v2/post/${p.id}/`), 401, 'not_authenticated');
        const authed = await feed(u.id, bobToken);
        expectStatus(authed, 200);
        assert.equal(authed.body.count, 1);
      } finally {
        await setPref('configurations.content_availability', true);
      }
      expectStatus(await feed(u.id), 200);
    });

    it('a caller who hid the author gets an empty feed; others still see it', async () => {
      const u = await newUser('hidden');
      await post(u.token);
      as(bobToken);
      await sc.UserService.showHideUser(u.id); // hide (a toggle)
      assert.equal(sql(`SELECT count(*) FROM hides WHERE user_id = ${bob.id} AND hidden_id = ${u.id}`), '1');
      const mine = await sc.UserService.getUserFeed(u.id);
      assert.equal(mine.count, 0);
      assert.deepEqual(mine.results, []);
      assert.equal((await feed(u.id, carolToken)).body.count, 1);
      assert.equal((await feed(u.id)).body.count, 1);
      await sc.UserService.showHideUser(u.id); // unhide
      assert.equal((await feed(u.id, bobToken)).body.count, 1);
    });

    it('a soft-deleted author\'s posts stay listed; a hard-deleted author\'s feed is 404 and the posts are gone', async () => {
      const u = await newUser('leaver');
      const p = await post(u.token);
      as(u.token);
      await sc.UserService.userDelete(u.id); // soft, by themselves
      const f = await feed(u.id, bobToken);
      expectStatus(f, 200);
      assert.equal(f.body.count, 1);
      assert.equal(f.body.results[0].post.id, p.id);
      assert.equal(f.body.results[0].post.author.status, 'd');
      expectStatus(await s.api('GET', `/api/v2/post/${p.id}/`, { token: bobToken }), 200);
      expectStatus(await s.api('DELETE', `/api/v2/user/${u.id}/?hard=1`, { token: s.admin.token }), 204);
      expectError(await feed(u.id, bobToken), 404, 'not_found');
      expectError(await s.api('GET', `/api/v2/post/${p.id}/`, { token: bobToken }), 404, 'not_found');
      assert.equal(sql(`SELECT count(*) FROM posts WHERE author_id = ${u.id}`), '0');
    });

    it('posts of a hard-deleted author are 404 even if rows remain', async () => {
      const u = await newUser('tombstone');
      const p = await post(u.token);
      sql(`UPDATE users SET status = 'u' WHERE id = ${u.id}`);
      expectError(await feed(u.id, bobToken), 404, 'not_found');
      expectError(await s.api('GET', `/api/v2/post/${p.id}/`, { token: s.admin.token }), 404, 'not_found');
      expectError(await s.api('DELETE', `/api/v2/post/${p.id}/`, { token: s.admin.token }), 404, 'not_found');
    });

    it('a missing user is 404', async () => {
      expectError(await feed(999999, bobToken), 404, 'not_found');
    });
  });

  describe('counters', () => {
    it('posts_counter and discussions_counter stay exact through creates, deletes and failures', async () => {
      const u = await newUser('counted');
      const posts = [];
      for (let i = 0; i < 3; i++) posts.push(await post(u.token));
      const ds = [];
      for (let i = 0; i < 2; i++) {
        const r = await createDiscussion(u.token, { title: `d${i}`, categories: [cat.id] });
        expectStatus(r, 201);
        ds.push(r.body);
      }
      expectStatus(await createPost(u.token, { text: 'x', categories: [999999] }), 400);
      expectStatus(await s.api('DELETE', `/api/v2/post/${posts[1].id}/`, { token: u.token }), 204);
      expectStatus(await s.api('DELETE', `/api/v2/post/${posts[1].id}/`, { token: u.token }), 400);
      expectStatus(await s.api('DELETE', `/api/v2/discussion/${ds[0].id}/`, { token: s.admin.token }), 204);
      const me = await user(u.id);
      assert.equal(me.posts_counter, 2);
      assert.equal(me.discussions_counter, 1);
      assert.equal(counter(u.id, 'post'), '2,2');
      assert.equal(counter(u.id, 'discussion'), '1,1');
      as(u.token);
      const page = await sc.UserService.getUserFeed(u.id);
      assert.equal(page.count, 3);
      assert.deepEqual(page.results.map((i) => i[i.type].id), [ds[1].id, posts[2].id, posts[0].id]);
      assert.equal(page.results[0].discussion.author.posts_counter, 2);
      // every stored counter agrees with the edges (hearth check)
      const check = await s.run(['check']);
      assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
    });
  });
});
