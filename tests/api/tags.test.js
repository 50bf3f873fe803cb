'use strict';
// Tags (contract §5, §8, §9; schemas/tag.md): the admin endpoints and their
// checks, giving and taking tags, what `tags` on the User object shows to
// whom, /user/{id}/tags/, and SSO signup with tags (one transaction).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError } = h;

const TAG_KEYS = ['id', 'active', 'name', 'type', 'description', 'color', 'visible', 'created_at', 'deleted'];

function checkTag(t, where = '') {
  assert.deepEqual(Object.keys(t).sort(), [...TAG_KEYS].sort(), `${where}: ${JSON.stringify(t)}`);
  assert.ok(Number.isInteger(t.id) && t.id > 0);
  assert.match(t.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/);
  for (const k of ['active', 'visible', 'deleted']) assert.equal(typeof t[k], 'boolean', `${where}: ${k}`);
}

describe('tags', () => {
  let s;
  let alice;
  let bob;
  let aliceTok;
  let bobTok;
  const admin = () => s.admin.token;
  const api = (method, path, opts = {}) => s.api(method, path, { token: admin(), ...opts });
  const tagNames = (u) => u.tags.map((t) => t.name).sort();

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret' });
    bob = await s.createUser({ username: 'bob', password: 'B0b-secret!' });
    aliceTok = await s.token(alice.id);
    bobTok = await s.token(bob.id);
  });
  after(async () => { if (s) await s.stop(); });

  const tags = {};

  describe('creating and reading (admin)', () => {
    it('POST /tag/ creates with defaults and answers 201 with the Tag object', async () => {
      const res = await api('POST', '/api/v2/tag/', { body: { name: 'mentor', description: 'Helps newcomers', color: '#12AB9f' } });
      expectStatus(res, 201);
      checkTag(res.body, 'created');
      assert.equal(res.body.name, 'mentor');
      assert.equal(res.body.type, 'user');
      assert.equal(res.body.description, 'Helps newcomers');
      assert.equal(res.body.color, '#12AB9f');
      assert.equal(res.body.visible, true);
      assert.equal(res.body.active, true);
      assert.equal(res.body.deleted, false);
      tags.mentor = res.body;
      const got = await api('GET', `/api/v2/tag/${res.body.id}/`);
      expectStatus(got, 200);
      assert.deepEqual(got.body, res.body);
    });

    it('accepts forms, and flags', async () => {
      const secret = await api('POST', '/api/v2/tag/', { form: { name: 'secret', visible: 'false' } });
      expectStatus(secret, 201);
      assert.equal(secret.body.visible, false);
      assert.equal(secret.body.color, '#3B3B3B');
      assert.equal(secret.body.description, null);
      tags.secret = secret.body;
      const retired = await api('POST', '/api/v2/tag/', { body: { name: 'retired', active: false } });
      expectStatus(retired, 201);
      tags.retired = retired.body;
      const cat = await api('POST', '/api/v2/tag/', { body: { name: 'mentor', type: 'category' } });
      expectStatus(cat, 201, 'the same name with another type');
      tags.categoryMentor = cat.body;
      const doomed = await api('POST', '/api/v2/tag/', { body: { name: 'doomed' } });
      tags.doomed = doomed.body;
    });

    it('invalid bodies are 400 with the field named; nothing is created', async () => {
      const before = (await api('GET', '/api/v2/tag/?limit=100')).body.count;
      expectFieldError(await api('POST', '/api/v2/tag/', { body: {} }), 400, 'name', 'required');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: '' } }), 400, 'name', 'blank');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: 'x'.repeat(101) } }), 400, 'name', 'max_length');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: 'x', color: 'red' } }), 400, 'color', 'invalid');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: 'x', color: '#12345' } }), 400, 'color', 'invalid');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: 'x', type: 'post' } }), 400, 'type', 'invalid_choice');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: 'x', visible: 'perhaps' } }), 400, 'visible', 'invalid');
      expectFieldError(await api('POST', '/api/v2/tag/', { body: { name: 'mentor' } }), 400, 'name', 'unique');
      const after = (await api('GET', '/api/v2/tag/?limit=100')).body.count;
      assert.equal(after, before);
    });

    it('GET /tag/ is a page by id, with filters', async () => {
      const res = await api('GET', '/api/v2/tag/');
      expectStatus(res, 200);
      assert.equal(res.body.count, 5);
      assert.deepEqual(res.body.results.map((t) => t.name), ['mentor', 'secret', 'retired', 'mentor', 'doomed']);
      res.body.results.forEach((t) => checkTag(t, 'list'));
      const users = await api('GET', '/api/v2/tag/?type=user');
      assert.equal(users.body.count, 4);
      const invisible = await api('GET', '/api/v2/tag/?visible=false');
      assert.deepEqual(invisible.body.results.map((t) => t.name), ['secret']);
      const found = await api('GET', '/api/v2/tag/?search=ENT');
      assert.deepEqual(found.body.results.map((t) => t.id), [tags.mentor.id, tags.categoryMentor.id]);
      const page = await api('GET', '/api/v2/tag/?limit=2&offset=2');
      assert.deepEqual(page.body.results.map((t) => t.name), ['retired', 'mentor']);
      assert.ok(page.body.next && page.body.previous);
    });

    it('PATCH changes only what is given', async () => {
      const res = await api('PATCH', `/api/v2/tag/${tags.mentor.id}/`, { body: { color: '#000', description: null } });
      expectStatus(res, 200);
      assert.equal(res.body.color, '#000');
      assert.equal(res.body.description, null);
      assert.equal(res.body.name, 'mentor');
      const got = await api('GET', `/api/v2/tag/${tags.mentor.id}/`);
      assert.deepEqual(got.body, res.body);
      expectFieldError(await api('PATCH', `/api/v2/tag/${tags.mentor.id}/`, { body: { name: 'secret' } }), 400, 'name', 'unique');
      expectFieldError(await api('PATCH', `/api/v2/tag/${tags.mentor.id}/`, { body: { color: 'blue' } }), 400, 'color', 'invalid');
      assert.deepEqual((await api('GET', `/api/v2/tag/${tags.mentor.id}/`)).body, res.body, 'unchanged by the failures');
    });

    it('missing tags are 404', async () => {
      expectError(await api('GET', '/api/v2/tag/999999/'), 404);
      expectError(await api('PATCH', '/api/v2/tag/999999/', { body: { name: 'x' } }), 404);
      expectError(await api('POST', '/api/v2/tag/999999/assign/', { body: { user: alice.id } }), 404);
    });

    it('every tag endpoint is admin-only: 403 for others, 401 anonymous', async () => {
      const id = tags.mentor.id;
      const calls = [
        ['GET', '/api/v2/tag/'], ['POST', '/api/v2/tag/', { name: 'hack' }], ['GET', `/api/v2/tag/${id}/`],
        ['PATCH', `/api/v2/tag/${id}/`, { name: 'hack' }], ['POST', `/api/v2/tag/${id}/assign/`, { user: alice.id }],
        ['POST', `/api/v2/tag/${id}/add/`, { user: alice.id }], ['POST', `/api/v2/tag/${id}/remove/`, { user: alice.id }],
      ];
      for (const [method, path, body] of calls) {
        expectError(await s.api(method, path, { token: aliceTok, body }), 403, 'permission_denied');
        expectError(await s.api(method, path, { body }), 401, 'not_authenticated');
      }
      const list = await api('GET', '/api/v2/tag/?search=hack');
      assert.equal(list.body.count, 0, 'nothing was created');
      const u = await api('GET', `/api/v2/user/${alice.id}/`);
      assert.deepEqual(u.body.tags, [], 'nothing was given');
    });
  });

  describe('giving and taking', () => {
    it('assign and add give the tag (idempotent, 204); remove takes it (204)', async () => {
      let res = await api('POST', `/api/v2/tag/${tags.mentor.id}/assign/`, { body: { user: alice.id } });
      expectStatus(res, 204);
      assert.equal(res.text, '');
      res = await api('POST', `/api/v2/tag/${tags.mentor.id}/add/`, { body: { user: alice.id } });
      expectStatus(res, 204);
      res = await api('POST', `/api/v2/tag/${tags.secret.id}/add/`, { form: { user: String(alice.id) } });
      expectStatus(res, 204);
      res = await api('POST', `/api/v2/tag/${tags.retired.id}/assign/`, { body: { user: alice.id } });
      expectStatus(res, 204);
      res = await api('POST', `/api/v2/tag/${tags.doomed.id}/assign/`, { body: { user: alice.id } });
      expectStatus(res, 204);
      const mine = await s.api('GET', `/api/v2/user/${alice.id}/tags/`, { token: aliceTok });
      expectStatus(mine, 200);
      assert.deepEqual(mine.body.map((t) => t.name), ['mentor', 'secret', 'retired', 'doomed']);
      mine.body.forEach((t) => checkTag(t, 'user tags'));

      res = await api('POST', `/api/v2/tag/${tags.doomed.id}/remove/`, { body: { user: alice.id } });
      expectStatus(res, 204);
      res = await api('POST', `/api/v2/tag/${tags.doomed.id}/remove/`, { body: { user: alice.id } });
      expectStatus(res, 204, 'removing again is fine');
      const after = await s.api('GET', `/api/v2/user/${alice.id}/tags/`, { token: aliceTok });
      assert.deepEqual(after.body.map((t) => t.name), ['mentor', 'secret', 'retired']);
    });

    it('the user field: required, an id, an existing user', async () => {
      const path = `/api/v2/tag/${tags.mentor.id}/assign/`;
      expectFieldError(await api('POST', path, { body: {} }), 400, 'user', 'required');
      expectFieldError(await api('POST', path, { body: { user: 'alice' } }), 400, 'user', 'incorrect_type');
      expectFieldError(await api('POST', path, { body: { user: 999999 } }), 400, 'user', 'does_not_exist');
      expectFieldError(await api('POST', `/api/v2/tag/${tags.mentor.id}/remove/`, { body: { user: 999999 } }), 400, 'user', 'does_not_exist');
    });

    it('category tags and deleted tags cannot be given', async () => {
      expectError(await api('POST', `/api/v2/tag/${tags.categoryMentor.id}/assign/`, { body: { user: bob.id } }), 400, 'invalid_type');
      await api('PATCH', `/api/v2/tag/${tags.doomed.id}/`, { body: { deleted: true } });
      const patched = await api('GET', `/api/v2/tag/${tags.doomed.id}/`);
      assert.equal(patched.body.deleted, true);
      assert.equal(patched.body.active, false, 'deleted implies not active');
      expectError(await api('POST', `/api/v2/tag/${tags.doomed.id}/assign/`, { body: { user: bob.id } }), 400, 'deleted');
      const b = await s.api('GET', `/api/v2/user/${bob.id}/tags/`, { token: bobTok });
      assert.deepEqual(b.body, []);
    });
  });

  describe('who sees which tags', () => {
    before(async () => {
      // a tag alice carries that is then deleted: shown to no one
      const gone = await api('POST', '/api/v2/tag/', { body: { name: 'gone' } });
      expectStatus(await api('POST', `/api/v2/tag/${gone.body.id}/assign/`, { body: { user: alice.id } }), 204);
      expectStatus(await api('PATCH', `/api/v2/tag/${gone.body.id}/`, { body: { deleted: true } }), 200);
    });

    it('others see visible, active tags; the user and admins see all that are not deleted', async () => {
      const asBob = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: bobTok });
      expectStatus(asBob, 200);
      assert.deepEqual(tagNames(asBob.body), ['mentor']);
      checkTag(asBob.body.tags[0], 'on the user');
      const anonymous = await s.api('GET', `/api/v2/user/${alice.id}/`);
      assert.deepEqual(tagNames(anonymous.body), ['mentor']);
      const asAlice = await s.api('GET', '/api/v2/user/me/', { token: aliceTok });
      assert.deepEqual(tagNames(asAlice.body), ['mentor', 'retired', 'secret']);
      const asAdmin = await api('GET', `/api/v2/user/${alice.id}/`);
      assert.deepEqual(tagNames(asAdmin.body), ['mentor', 'retired', 'secret']);
    });

    it('in lists and searches too', async () => {
      const list = await s.api('GET', '/api/v2/user/?username=alice', { token: bobTok });
      assert.deepEqual(tagNames(list.body.results[0]), ['mentor']);
      const found = await s.api('GET', '/api/v2/user/search/?user=alice', { token: bobTok });
      assert.deepEqual(tagNames(found.body.results[0]), ['mentor']);
      const mine = await s.api('GET', '/api/v2/user/search/?user=alice', { token: aliceTok });
      assert.deepEqual(tagNames(mine.body.results[0]), ['mentor', 'retired', 'secret']);
      const c = h.client(s.base, bobTok);
      const page = await c.UserService.userSearch({ user: 'alice' });
      assert.deepEqual(page.results[0].tags.map((t) => t.name), ['mentor']);
    });

    it('the tag filter of search follows the same visibility', async () => {
      const asBob = await s.api('GET', `/api/v2/user/search/?tag=${tags.secret.id}`, { token: bobTok });
      assert.equal(asBob.body.count, 0);
      const asAdmin = await api('GET', `/api/v2/user/search/?tag=${tags.secret.id}`);
      assert.deepEqual(asAdmin.body.results.map((u) => u.username), ['alice']);
      const visible = await s.api('GET', `/api/v2/user/search/?tag=${tags.mentor.id}`, { token: bobTok });
      assert.deepEqual(visible.body.results.map((u) => u.username), ['alice']);
    });

    it('/user/{id}/tags/: the user or an admin; 404 first for a missing user', async () => {
      const own = await s.api('GET', `/api/v2/user/${alice.id}/tags/`, { token: aliceTok });
      expectStatus(own, 200);
      assert.deepEqual(own.body.map((t) => t.name), ['mentor', 'secret', 'retired']);
      const byAdmin = await api('GET', `/api/v2/user/${alice.id}/tags/`);
      assert.deepEqual(byAdmin.body, own.body);
      expectError(await s.api('GET', `/api/v2/user/${alice.id}/tags/`, { token: bobTok }), 403, 'permission_denied');
      expectError(await s.api('GET', '/api/v2/user/999999/tags/', { token: bobTok }), 404, 'not_found');
      expectError(await s.api('GET', `/api/v2/user/${alice.id}/tags/`), 401, 'not_authenticated');
    });
  });

  describe('signup with tags', () => {
    it('gives the tags in the same transaction and answers their ids', async () => {
      const res = await api('POST', '/api/v2/sso/signup/', {
        body: { username: 'carol', tags: [tags.secret.id, tags.mentor.id, tags.mentor.id] },
      });
      expectStatus(res, 201);
      assert.deepEqual(res.body.tags, [tags.mentor.id, tags.secret.id].sort((a, b) => a - b));
      const own = await api('GET', `/api/v2/user/${res.body.id}/tags/`);
      assert.deepEqual(own.body.map((t) => t.id), res.body.tags);
      const signin = await s.api('POST', '/api/v2/sso/signin/', { token: await s.token(res.body.id) });
      expectStatus(signin, 200);
      assert.deepEqual(signin.body.tags, res.body.tags);
    });

    it('the official client (forms of ids work too)', async () => {
      const c = h.client(s.base, admin());
      const made = await c.SSOService.SignUp({ username: 'dave', tags: [tags.mentor.id] });
      assert.deepEqual(made.tags, [tags.mentor.id]);
      const form = await api('POST', '/api/v2/sso/signup/', { form: { username: 'erin', tags: `${tags.mentor.id},${tags.retired.id}` } });
      expectStatus(form, 201);
      assert.deepEqual(form.body.tags, [tags.mentor.id, tags.retired.id]);
    });

    it('an unknown, deleted or category tag is 400 and no user is created', async () => {
      const bad = [
        [[999999], 'does_not_exist'], [[tags.doomed.id], 'does_not_exist'], [[tags.categoryMentor.id], 'does_not_exist'],
        [['x'], 'incorrect_type'], [[0], 'incorrect_type'], ['nope', 'incorrect_type'], [{ a: 1 }, 'not_a_list'],
        [Array.from({ length: 101 }, (_, i) => i + 1), 'max_length'],
      ];
      for (const [value, code] of bad) {
        const res = await api('POST', '/api/v2/sso/signup/', { body: { username: 'mallory', tags: value } });
        expectFieldError(res, 400, 'tags', code);
        const found = await api('GET', '/api/v2/user/?username=mallory');
        assert.equal(found.body.count, 0, `no user after tags=${JSON.stringify(value)}`);
      }
    });

    it('no tags: []', async () => {
      const res = await api('POST', '/api/v2/sso/signup/', { body: { username: 'frank', tags: [] } });
      expectStatus(res, 201);
      assert.deepEqual(res.body.tags, []);
      const nulls = await api('POST', '/api/v2/sso/signup/', { body: { username: 'grace', tags: null } });
      expectStatus(nulls, 201);
      assert.deepEqual(nulls.body.tags, []);
    });
  });
});
