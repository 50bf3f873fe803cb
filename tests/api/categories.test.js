'use strict';
// Categories (contract §8, schemas/category.md): the administrators'
// endpoints and their checks, following (a toggle), /user/{id}/categories/
// and categories_counter on the User — through the official client's
// CategoryService and UserService where it has the call, fetch otherwise.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const sc = require('@selfcommunity/api-services');

const { expectStatus, expectError, expectFieldError, clientError } = h;

const CATEGORY_KEYS = ['id', 'order', 'name', 'name_synonyms', 'slug', 'slogan', 'html_info', 'seo_title',
  'seo_description', 'auto_follow', 'active', 'deleted', 'image_original', 'image_bigger', 'image_big',
  'image_medium', 'image_small', 'emotional_image_original', 'emotional_image_position', 'lastmod_datetime',
  'stream_order_by', 'tags'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function checkCategory(c) {
  for (const k of CATEGORY_KEYS) assert.ok(k in c, `category lacks ${k}: ${JSON.stringify(c)}`);
  assert.ok(Number.isInteger(c.id) && c.id > 0);
  assert.equal(typeof c.name, 'string');
  assert.match(c.slug, /^[-a-zA-Z0-9_]+$/);
  assert.match(c.lastmod_datetime, RFC3339);
  assert.ok(['none', 'default', 'forced'].includes(c.auto_follow));
  assert.ok(['recent', 'last_activity'].includes(c.stream_order_by));
  assert.deepEqual(c.tags, []);
  for (const k of ['image_original', 'image_bigger', 'image_big', 'image_medium', 'image_small', 'emotional_image_original']) {
    assert.equal(c[k], null, `${k} must be null: hearth stores no category images`);
  }
  if (c.deleted) assert.equal(c.active, false, 'a deleted category is never active');
}

describe('categories', () => {
  let s;
  let alice; let bob;
  let aliceToken; let bobToken;
  let seq = 0;

  const sql = (query) => s.sql(query);
  const admin = () => sc.http.setBasePortal(s.base) || sc.http.setAuthorizeToken(s.admin.token);
  const as = (token) => { sc.http.setBasePortal(s.base); if (token) sc.http.setAuthorizeToken(token); else sc.http.setAuthorizeToken(); };
  const uniq = (p) => `${p} ${++seq}`;
  const create = (body) => s.api('POST', '/api/v2/category/', { token: s.admin.token, body });
  const getUser = async (id) => (await s.api('GET', `/api/v2/user/${id}/`, { token: s.admin.token })).body;
  // categories_counter as stored in the user row and as the invariant computes it
  const counterInDb = (id) => sql(`SELECT categories_counter || ',' || (SELECT count(*) FROM category_follows f JOIN categories k ON k.id = f.category_id WHERE f.user_id = ${id} AND k.deleted = 0) FROM users WHERE id = ${id}`);

  async function newCategory(extra = {}) {
    const r = await create({ name: uniq('Cat'), ...extra });
    expectStatus(r, 201);
    return r.body;
  }

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret', email: 'alice@example.com' });
    bob = await s.createUser({ username: 'bob', password: 'B0b-secret!', email: 'bob@example.com' });
    aliceToken = await s.token(alice.id);
    bobToken = await s.token(bob.id);
  });
  after(async () => { if (s) await s.stop(); });

  describe('administration', () => {
    it('an admin creates a category with the official client: 201, every key, generated slug', async () => {
      admin();
      const c = await sc.CategoryService.createCategory({ name: 'Électricité & Gaz', slogan: 'Power', order: 3 });
      checkCategory(c);
      assert.equal(c.name, 'Électricité & Gaz');
      assert.equal(c.slug, 'electricite-gaz');
      assert.equal(c.slogan, 'Power');
      assert.equal(c.order, 3);
      assert.equal(c.active, true);
      assert.equal(c.deleted, false);
      assert.equal(c.auto_follow, 'none');
      assert.equal(c.stream_order_by, 'recent');
      assert.equal(c.emotional_image_position, 50);
      assert.equal(c.name_synonyms, null);
      // stored: it reads back the same
      const again = await sc.CategoryService.getSpecificCategory(c.id);
      assert.deepEqual(again, c);
    });

    it('_GENERATE_ and a taken slug get numbered suffixes; a given slug is kept', async () => {
      const a = await create({ name: 'Garden', slug: '_GENERATE_' });
      expectStatus(a, 201);
      assert.equal(a.body.slug, 'garden');
      const b = await create({ name: 'Garden!', slug: '' });
      expectStatus(b, 201);
      assert.equal(b.body.slug, 'garden-2');
      const c = await create({ name: 'Gardening tips', slug: 'green-Thumbs_1' });
      expectStatus(c, 201);
      assert.equal(c.body.slug, 'green-Thumbs_1');
      const d = await create({ name: '日本語' });
      expectStatus(d, 201);
      assert.equal(d.body.slug, 'category', 'nothing ASCII left: a default slug');
    });

    it('validation: name required, blank, too long, unique (case-insensitive); slug invalid or taken; enums', async () => {
      expectFieldError(await create({ slogan: 'x' }), 400, 'name', 'required');
      expectFieldError(await create({ name: '   ' }), 400, 'name', 'blank');
      expectFieldError(await create({ name: 'x'.repeat(101) }), 400, 'name', 'max_length');
      const taken = await newCategory();
      expectFieldError(await create({ name: taken.name.toUpperCase() }), 400, 'name', 'unique');
      expectFieldError(await create({ name: uniq('Other'), slug: taken.slug.toUpperCase() }), 400, 'slug', 'unique');
      expectFieldError(await create({ name: uniq('Other'), slug: 'has space' }), 400, 'slug', 'invalid');
      expectFieldError(await create({ name: uniq('Other'), auto_follow: 'always' }), 400, 'auto_follow', 'invalid_choice');
      expectFieldError(await create({ name: uniq('Other'), stream_order_by: 'random' }), 400, 'stream_order_by', 'invalid_choice');
      expectFieldError(await create({ name: uniq('Other'), order: 'first' }), 400, 'order', 'invalid');
      expectFieldError(await create({ name: uniq('Other'), emotional_image_position: 101 }), 400, 'emotional_image_position', 'invalid');
      expectFieldError(await create({ name: uniq('Other'), active: 'maybe' }), 400, 'active', 'invalid');
      // nothing was created by the failures
      const list = await s.api('GET', '/api/v2/category/?search=other', { token: s.admin.token });
      expectStatus(list, 200);
      assert.equal(list.body.count, 0);
    });

    it('html_info is sanitised; form bodies work', async () => {
      const r = await s.api('POST', '/api/v2/category/', {
        token: s.admin.token,
        form: { name: uniq('Formed'), html_info: '<p onclick="x()">About <script>alert(1)</script><b>us</b></p>', active: 'False' },
      });
      expectStatus(r, 201);
      assert.equal(r.body.html_info, '<p>About <b>us</b></p>');
      assert.equal(r.body.active, false);
    });

    it('non-admins get 403 and anonymous callers 401 on every admin endpoint; nothing changes', async () => {
      const c = await newCategory();
      as(aliceToken);
      let err = await clientError(sc.CategoryService.createCategory({ name: uniq('Nope') }));
      assert.equal(err.response.status, 403);
      err = await clientError(sc.CategoryService.getAllCategories());
      assert.equal(err.response.status, 403);
      err = await clientError(sc.CategoryService.getSpecificCategory(c.id));
      assert.equal(err.response.status, 403);
      err = await clientError(sc.CategoryService.patchASpecificCategory(c.id, { name: 'Hijacked' }));
      assert.equal(err.response.status, 403);
      err = await clientError(sc.CategoryService.deleteASpecificCategory(c.id));
      assert.equal(err.response.status, 403);
      expectError(await s.api('POST', '/api/v2/category/', { body: { name: 'x' } }), 401, 'not_authenticated');
      expectError(await s.api('GET', `/api/v2/category/${c.id}/`), 401, 'not_authenticated');
      expectError(await s.api('DELETE', `/api/v2/category/${c.id}/`), 401, 'not_authenticated');
      const now = (await s.api('GET', `/api/v2/category/${c.id}/`, { token: s.admin.token })).body;
      assert.equal(now.name, c.name);
      assert.equal(now.deleted, false);
    });

    it('list: paginated, searchable, filtered by active; deleted ones only on request', async () => {
      const a = await newCategory({ name: uniq('Listed alpha') });
      const b = await newCategory({ name: uniq('Listed beta'), active: false });
      const c = await newCategory({ name: uniq('Listed gamma') });
      expectStatus(await s.api('DELETE', `/api/v2/category/${c.id}/`, { token: s.admin.token }), 204);
      admin();
      const page = await sc.CategoryService.getAllCategories({ search: 'listed', limit: 1 });
      assert.equal(page.count, 2);
      assert.equal(page.results.length, 1);
      assert.equal(page.results[0].id, a.id);
      assert.ok(page.next && page.next.includes('offset=1') && page.next.includes('search=listed'));
      const second = await s.api('GET', page.next, { token: s.admin.token });
      assert.deepEqual(second.body.results.map((x) => x.id), [b.id]);
      const inactive = await s.api('GET', '/api/v2/category/?search=LISTED&active=false', { token: s.admin.token });
      assert.deepEqual(inactive.body.results.map((x) => x.id), [b.id]);
      const deleted = await s.api('GET', '/api/v2/category/?search=listed&deleted=true', { token: s.admin.token });
      assert.deepEqual(deleted.body.results.map((x) => x.id), [c.id]);
      const byName = await s.api('GET', '/api/v2/category/?search=listed&ordering=-name', { token: s.admin.token });
      assert.deepEqual(byName.body.results.map((x) => x.id), [b.id, a.id]);
      for (const x of page.results) checkCategory(x);
    });

    it('GET, PATCH and DELETE of a missing category are 404', async () => {
      expectError(await s.api('GET', '/api/v2/category/999999/', { token: s.admin.token }), 404, 'not_found');
      expectError(await s.api('PATCH', '/api/v2/category/999999/', { token: s.admin.token, body: { name: 'x' } }), 404, 'not_found');
      expectError(await s.api('DELETE', '/api/v2/category/999999/', { token: s.admin.token }), 404, 'not_found');
    });

    it('PATCH (official client) changes only the given fields; a rename keeps the slug unless _GENERATE_', async () => {
      const c = await newCategory({ slogan: 'Old', seo_title: 'SEO' });
      admin();
      const p = await sc.CategoryService.patchASpecificCategory(c.id, { name: uniq('Renamed'), slogan: null, auto_follow: 'default' });
      checkCategory(p);
      assert.equal(p.slug, c.slug);
      assert.equal(p.slogan, null);
      assert.equal(p.seo_title, 'SEO');
      assert.equal(p.auto_follow, 'default');
      assert.ok(p.lastmod_datetime >= c.lastmod_datetime);
      const g = await s.api('PATCH', `/api/v2/category/${c.id}/`, { token: s.admin.token, body: { slug: '_GENERATE_' } });
      expectStatus(g, 200);
      assert.match(g.body.slug, /^renamed-\d+$/);
      const other = await newCategory();
      expectFieldError(await s.api('PATCH', `/api/v2/category/${c.id}/`, { token: s.admin.token, body: { name: other.name } }), 400, 'name', 'unique');
      const after = (await s.api('GET', `/api/v2/category/${c.id}/`, { token: s.admin.token })).body;
      assert.equal(after.name, p.name, 'a failed PATCH changes nothing');
    });
  });

  describe('following', () => {
    it('follow toggles; /user/{id}/categories/ and categories_counter follow it', async () => {
      const c1 = await newCategory({ order: 2 });
      const c2 = await newCategory({ order: 1 });
      as(aliceToken);
      assert.equal(await sc.CategoryService.followCategory(c1.id), '', '204, no body');
      await sc.CategoryService.followCategory(c2.id);
      assert.deepEqual(await sc.CategoryService.checkCategoryIsFollowed(c1.id), { is_followed: true });
      const followed = await sc.UserService.getUserFollowedCategories(alice.id);
      assert.ok(Array.isArray(followed), 'a plain array');
      assert.deepEqual(followed.map((c) => c.id), [c2.id, c1.id], 'by order');
      followed.forEach(checkCategory);
      assert.equal((await getUser(alice.id)).categories_counter, 2);
      assert.equal(counterInDb(alice.id), '2,2');

      // second call unfollows
      await sc.CategoryService.followCategory(c1.id);
      assert.deepEqual(await sc.CategoryService.checkCategoryIsFollowed(c1.id), { is_followed: false });
      assert.deepEqual((await sc.UserService.getUserFollowedCategories(alice.id)).map((c) => c.id), [c2.id]);
      assert.equal((await getUser(alice.id)).categories_counter, 1);
      assert.equal(counterInDb(alice.id), '1,1');
      // clean up for the next tests
      await sc.CategoryService.followCategory(c2.id);
      assert.equal((await getUser(alice.id)).categories_counter, 0);
    });

    it('Prefer: return=representation answers the new state', async () => {
      const c = await newCategory();
      const r = await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: bobToken, headers: { Prefer: 'return=representation' } });
      expectStatus(r, 200);
      assert.deepEqual(r.body, { is_followed: true });
      const r2 = await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: bobToken, headers: { Prefer: 'return=representation' } });
      assert.deepEqual(r2.body, { is_followed: false });
    });

    it('missing or deleted categories are 404; inactive ones cannot be followed but can be left; anonymous 401', async () => {
      expectError(await s.api('POST', '/api/v2/category/999999/follow/', { token: aliceToken }), 404, 'not_found');
      const c = await newCategory();
      expectStatus(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: aliceToken }), 204);
      expectStatus(await s.api('PATCH', `/api/v2/category/${c.id}/`, { token: s.admin.token, body: { active: false } }), 200);
      const inactive = await newCategory({ active: false });
      expectError(await s.api('POST', `/api/v2/category/${inactive.id}/follow/`, { token: aliceToken }), 400, 'inactive');
      expectStatus(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: aliceToken }), 204);
      assert.equal((await getUser(alice.id)).categories_counter, 0);
      expectError(await s.api('POST', `/api/v2/category/${c.id}/follow/`), 401, 'not_authenticated');
      const gone = await newCategory();
      expectStatus(await s.api('DELETE', `/api/v2/category/${gone.id}/`, { token: s.admin.token }), 204);
      expectError(await s.api('POST', `/api/v2/category/${gone.id}/follow/`, { token: aliceToken }), 404, 'not_found');
      expectError(await s.api('GET', `/api/v2/category/${gone.id}/is_followed/`, { token: aliceToken }), 404, 'not_found');
    });

    it('configurations.category_follow_enabled = false: 403 mode_disabled, nothing followed', async () => {
      const c = await newCategory();
      const off = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'configurations.category_follow_enabled': false } });
      expectStatus(off, 200);
      try {
        expectError(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: aliceToken }), 403, 'mode_disabled');
      } finally {
        expectStatus(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'configurations.category_follow_enabled': true } }), 200);
      }
      const r = await s.api('GET', `/api/v2/category/${c.id}/is_followed/`, { token: aliceToken });
      assert.deepEqual(r.body, { is_followed: false });
    });

    it('a blocked user cannot follow (403)', async () => {
      const carol = await s.createUser({ username: 'carol' });
      const c = await newCategory();
      sql(`UPDATE users SET status = 'b' WHERE id = ${carol.id}`);
      expectError(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: await s.token(carol.id) }), 403, 'permission_denied');
      assert.equal(sql(`SELECT count(*) FROM category_follows WHERE user_id = ${carol.id}`), '0');
    });

    it('deleting a category drops it from followers\' lists and counters; restoring brings it back', async () => {
      const c = await newCategory();
      const keep = await newCategory();
      for (const t of [aliceToken, bobToken]) {
        expectStatus(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: t }), 204);
      }
      expectStatus(await s.api('POST', `/api/v2/category/${keep.id}/follow/`, { token: aliceToken }), 204);
      assert.equal((await getUser(alice.id)).categories_counter, 2);
      assert.equal((await getUser(bob.id)).categories_counter, 1);

      admin();
      assert.equal(await sc.CategoryService.deleteASpecificCategory(c.id), '');
      const d = await sc.CategoryService.getSpecificCategory(c.id);
      assert.equal(d.deleted, true);
      assert.equal(d.active, false);
      assert.equal((await getUser(alice.id)).categories_counter, 1);
      assert.equal((await getUser(bob.id)).categories_counter, 0);
      assert.equal(counterInDb(alice.id), '1,1');
      assert.equal(counterInDb(bob.id), '0,0');
      assert.deepEqual((await s.api('GET', `/api/v2/user/${alice.id}/categories/`)).body.map((x) => x.id), [keep.id]);
      expectError(await s.api('DELETE', `/api/v2/category/${c.id}/`, { token: s.admin.token }), 400, 'already_deleted');
      assert.equal((await getUser(bob.id)).categories_counter, 0, 'a second delete does not count twice');
      expectFieldError(await s.api('PATCH', `/api/v2/category/${c.id}/`, { token: s.admin.token, body: { active: true } }), 400, 'active', 'invalid');

      const restored = await s.api('PATCH', `/api/v2/category/${c.id}/`, { token: s.admin.token, body: { deleted: false, active: true } });
      expectStatus(restored, 200);
      assert.equal(restored.body.deleted, false);
      assert.equal(restored.body.active, true);
      assert.equal((await getUser(alice.id)).categories_counter, 2);
      assert.equal((await getUser(bob.id)).categories_counter, 1);
      assert.equal(counterInDb(bob.id), '1,1');
      const check = await s.run(['check']);
      assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
    });
  });

  describe('/user/{id}/categories/', () => {
    it('is public even when content_availability is false', async () => {
      const c = await newCategory();
      expectStatus(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: bobToken }), 204);
      expectStatus(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'configurations.content_availability': false } }), 200);
      try {
        as(null);
        const list = await sc.UserService.getUserFollowedCategories(bob.id, true); // `mutual` is ignored
        assert.ok(list.some((x) => x.id === c.id));
      } finally {
        expectStatus(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'configurations.content_availability': true } }), 200);
      }
    });

    it('a missing or hard-deleted user is 404; a soft-deleted one still lists', async () => {
      expectError(await s.api('GET', '/api/v2/user/999999/categories/'), 404, 'not_found');
      const dave = await s.createUser({ username: 'dave' });
      const c = await newCategory();
      expectStatus(await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: await s.token(dave.id) }), 204);
      sql(`UPDATE users SET status = 'd' WHERE id = ${dave.id}`);
      assert.deepEqual((await s.api('GET', `/api/v2/user/${dave.id}/categories/`)).body.map((x) => x.id), [c.id]);
      sql(`UPDATE users SET status = 'u' WHERE id = ${dave.id}`);
      expectError(await s.api('GET', `/api/v2/user/${dave.id}/categories/`), 404, 'not_found');
    });
  });
});
