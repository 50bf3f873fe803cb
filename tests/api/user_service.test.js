'use strict';
// The rest of the official client's UserService (docs/api.md, "UserService
// coverage"): provider associations, the email-token check, the tags to
// address a contribution, the platform URL, loyalty points, and the
// live-stream and order lists. Each through the official client where it
// has the method, and through fetch for what the client cannot send.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, clientError } = h;

const DAY = 24 * 60 * 60;
const UNKNOWN = 987654;

describe('UserService: the rest', () => {
  let s;
  let seq = 0;

  before(async () => {
    s = await h.startServer();
  });
  after(async () => {
    if (s) {
      s.setClock(0);
      await s.stop();
    }
  });

  async function newUser(prefix = 'us', extra = {}) {
    seq += 1;
    const username = `${prefix}${seq}`;
    const u = await s.createUser({ username, password: 'Pa55-word!', email: `${username}@example.com`, ...extra });
    const token = (await s.login(username, 'Pa55-word!')).access_token;
    return { ...u, username, token };
  }
  const count = (sql) => Number(s.sql(sql));

  // ---------------------------------------------------------------- providers

  describe('provider associations', () => {
    const path = (id) => `/api/v2/user/${id}/provider/`;
    const rows = (id) => count(`SELECT count(*) FROM user_providers WHERE user_id = ${id}`);

    it('the four sign-in preferences exist and are false', async () => {
      const r = await s.api('GET', '/api/v2/dynamic_preference/?limit=500');
      expectStatus(r, 200);
      for (const p of ['facebook', 'google', 'twitter', 'linkedin']) {
        const row = r.body.results.find((x) => x.section === 'providers' && x.name === `${p}_signin_enabled`);
        assert.ok(row, `providers.${p}_signin_enabled is listed`);
        assert.equal(row.value, false);
      }
    });

    it('GET, POST and DELETE through the official client, with the state afterwards', async () => {
      const u = await newUser('pv');
      const c = h.client(s.base, u.token);
      assert.deepEqual(await c.UserService.getProviderAssociations(u.id), []);

      const created = await c.UserService.createProviderAssociation({
        user_id: u.id, provider: 'google', ext_id: '1234567890', profile_url: 'https://profiles.example.com/me',
        show_in_profile: true, metadata: { locale: 'it', verified: true },
      });
      const expected = {
        user_id: u.id, provider: 'google', ext_id: '1234567890', profile_url: 'https://profiles.example.com/me',
        show_in_profile: true, metadata: { locale: 'it', verified: true },
      };
      assert.deepEqual(created, expected);
      const minimal = await c.UserService.createProviderAssociation({ user_id: u.id, provider: 'facebook', ext_id: 'fb-1' });
      assert.deepEqual(minimal, {
        user_id: u.id, provider: 'facebook', ext_id: 'fb-1', profile_url: null, show_in_profile: false, metadata: {},
      });
      assert.deepEqual(await c.UserService.getProviderAssociations(u.id), [expected, minimal], 'oldest first');
      assert.equal(rows(u.id), 2);

      assert.equal(await c.UserService.deleteProviderAssociation({ user_id: u.id, provider: 'google', ext_id: '1234567890' }), '');
      assert.deepEqual(await c.UserService.getProviderAssociations(u.id), [minimal]);
      const again = await clientError(c.UserService.deleteProviderAssociation({ user_id: u.id, provider: 'google', ext_id: '1234567890' }));
      assert.equal(again.response.status, 404);
      assert.equal(rows(u.id), 1);
    });

    it('POST answers 201 with the association (fetch)', async () => {
      const u = await newUser('pv');
      const r = await s.api('POST', path(u.id), { token: u.token, body: { provider: 'azure-ad', ext_id: 42 } });
      expectStatus(r, 201);
      assert.equal(r.body.ext_id, '42', 'a numeric ext_id is kept as text');
      assert.equal(r.body.provider, 'azure-ad');
      const form = await s.api('POST', path(u.id), {
        token: u.token, form: { provider: 'linkedin', ext_id: 'li-7', show_in_profile: 'true', metadata: '{"k":"v"}' },
      });
      expectStatus(form, 201);
      assert.equal(form.body.show_in_profile, true);
      assert.deepEqual(form.body.metadata, { k: 'v' });
    });

    it('one account belongs to one user, and a user has one account per provider: 400', async () => {
      const a = await newUser('pv');
      const b = await newUser('pv');
      expectStatus(await s.api('POST', path(a.id), { token: a.token, body: { provider: 'twitter', ext_id: 'tw-1' } }), 201);
      const taken = await s.api('POST', path(b.id), { token: b.token, body: { provider: 'twitter', ext_id: 'tw-1' } });
      expectFieldError(taken, 400, 'ext_id', 'unique');
      const second = await s.api('POST', path(a.id), { token: a.token, body: { provider: 'twitter', ext_id: 'tw-2' } });
      expectFieldError(second, 400, 'provider', 'unique');
      // the same ext_id at another provider is another account
      expectStatus(await s.api('POST', path(b.id), { token: b.token, body: { provider: 'google', ext_id: 'tw-1' } }), 201);
      assert.equal(rows(a.id), 1);
      assert.equal(rows(b.id), 1);
    });

    it('bad input: 400 with the field, nothing written', async () => {
      const u = await newUser('pv');
      const post = (body) => s.api('POST', path(u.id), { token: u.token, body });
      expectFieldError(await post({ provider: 'myspace', ext_id: 'x' }), 400, 'provider', 'invalid_choice');
      expectFieldError(await post({ ext_id: 'x' }), 400, 'provider', 'required');
      expectFieldError(await post({ provider: 'google' }), 400, 'ext_id', 'required');
      expectFieldError(await post({ provider: 'google', ext_id: '' }), 400, 'ext_id', 'required');
      expectFieldError(await post({ provider: 'google', ext_id: 'x'.repeat(256) }), 400, 'ext_id', 'max_length');
      expectFieldError(await post({ provider: 'google', ext_id: 'a\u0001b' }), 400, 'ext_id');
      expectFieldError(await post({ provider: 'google', ext_id: 'x', profile_url: 'ftp://example.com/' }), 400, 'profile_url', 'invalid');
      expectFieldError(await post({ provider: 'google', ext_id: 'x', profile_url: 'javascript:alert(1)' }), 400, 'profile_url', 'invalid');
      // the profile website's rule: a plausible host and port
      for (const url of ['https://example.com:99999/', 'https://exa_mple..com/', 'http://-x-/', 'https://[::zz]/']) {
        expectFieldError(await post({ provider: 'google', ext_id: 'x', profile_url: url }), 400, 'profile_url', 'invalid');
      }
      expectFieldError(await post({ provider: 'google', ext_id: 'x', show_in_profile: 'perhaps' }), 400, 'show_in_profile');
      expectFieldError(await post({ provider: 'google', ext_id: 'x', metadata: [1, 2] }), 400, 'metadata', 'invalid');
      expectFieldError(await post({ provider: 'google', ext_id: 'x', metadata: { big: 'y'.repeat(5000) } }), 400, 'metadata', 'max_length');
      expectFieldError(await post({ user_id: u.id + 1, provider: 'google', ext_id: 'x' }), 400, 'user_id', 'invalid');
      expectError(await post(['google', 'x']), 400);
      const del = await s.api('DELETE', path(u.id), { token: u.token, body: { provider: 'google' } });
      expectFieldError(del, 400, 'ext_id', 'required');
      assert.equal(rows(u.id), 0);
    });

    it('own id or admin: 403 for others, 404 for an unknown user, 401 anonymous', async () => {
      const owner = await newUser('pv');
      const other = await newUser('pv');
      const body = { user_id: owner.id, provider: 'google', ext_id: 'own-1' };
      const oc = h.client(s.base, other.token);
      assert.equal((await clientError(oc.UserService.getProviderAssociations(owner.id))).response.status, 403);
      assert.equal((await clientError(oc.UserService.createProviderAssociation(body))).response.status, 403);
      assert.equal(rows(owner.id), 0, 'nothing written by the refused POST');

      // an admin manages anyone's
      const ac = h.client(s.base, s.admin.token);
      assert.deepEqual(await ac.UserService.createProviderAssociation(body), {
        ...body, profile_url: null, show_in_profile: false, metadata: {},
      });
      assert.equal((await ac.UserService.getProviderAssociations(owner.id)).length, 1);
      expectError(await s.api('DELETE', path(owner.id), { token: other.token, body }), 403);
      assert.equal(rows(owner.id), 1, 'nothing removed by the refused DELETE');
      assert.equal(await ac.UserService.deleteProviderAssociation(body), '');
      assert.equal(rows(owner.id), 0);

      for (const method of ['GET', 'POST', 'DELETE']) {
        expectError(await s.api(method, path(UNKNOWN), { token: s.admin.token, body: method === 'GET' ? undefined : body }), 404);
        expectError(await s.api(method, path(owner.id), { body: method === 'GET' ? undefined : body }), 401);
      }
    });

    it('a blocked user cannot add or remove their associations: 403, nothing changed', async () => {
      const u = await newUser('pv');
      const body = { user_id: u.id, provider: 'google', ext_id: 'blk-1' };
      expectStatus(await s.api('POST', path(u.id), { token: u.token, body }), 201);
      s.sql(`UPDATE users SET status = 'b' WHERE id = ${u.id}`);
      try {
        const c = h.client(s.base, u.token);
        assert.equal((await c.UserService.getProviderAssociations(u.id)).length, 1, 'reading is still allowed');
        const post = await s.api('POST', path(u.id), { token: u.token, body: { ...body, provider: 'twitter' } });
        expectError(post, 403);
        assert.equal(post.body.errors[0].code, 'permission_denied');
        expectError(await s.api('DELETE', path(u.id), { token: u.token, body }), 403);
        assert.equal(rows(u.id), 1);
        // an admin still manages them
        expectStatus(await s.api('DELETE', path(u.id), { token: s.admin.token, body }), 204);
        assert.equal(rows(u.id), 0);
      } finally {
        s.sql(`UPDATE users SET status = 'a' WHERE id = ${u.id}`);
      }
    });

    it('a hard delete of the user removes their associations', async () => {
      const u = await newUser('pv');
      expectStatus(await s.api('POST', path(u.id), { token: u.token, body: { provider: 'keycloak', ext_id: 'kc-9' } }), 201);
      assert.equal(rows(u.id), 1);
      expectStatus(await s.api('DELETE', `/api/v2/user/${u.id}/?hard=1`, { token: s.admin.token }), 204);
      assert.equal(rows(u.id), 0);
      // the account is free for another user
      const v = await newUser('pv');
      expectStatus(await s.api('POST', path(v.id), { token: v.token, body: { provider: 'keycloak', ext_id: 'kc-9' } }), 201);
    });
  });

  // ---------------------------------------------------------------- email token

  describe('check_email_token', () => {
    const check = (u, code, token = u.token) => s.api('GET',
      `/api/v2/user/${u.id}/check_email_token/${code === undefined ? '' : `?email_token=${encodeURIComponent(code)}`}`, { token });
    const pending = (u) => s.sql(`SELECT count(*) || ':' || coalesce(CAST(max(attempts) AS TEXT), '') FROM email_changes WHERE user_id = ${u.id}`);
    async function withPending(prefix = 'et') {
      const u = await newUser(prefix);
      const r = await s.api('PATCH', `/api/v2/user/${u.id}/change_email/`, {
        token: u.token, body: { new_email: `${u.username}.new@example.org`, confirm: true },
      });
      expectStatus(r, 200);
      return { u, code: r.body.validation_code };
    }

    it('the pending code is valid, and checking it does not use it', async () => {
      const { u, code } = await withPending();
      const c = h.client(s.base, u.token);
      assert.deepEqual(await c.UserService.checkUserEmailToken(u.id, code), { is_valid: true });
      assert.deepEqual(await c.UserService.checkUserEmailToken(u.id, code), { is_valid: true });
      assert.equal(pending(u), '1:0', 'still pending, no attempt counted');
      expectStatus(await s.api('POST', `/api/v2/user/${u.id}/confirm_email/`, {
        body: { new_email: `${u.username}.new@example.org`, validation_code: code },
      }), 204);
      // used by confirm_email: no longer valid
      assert.deepEqual(await c.UserService.checkUserEmailToken(u.id, code), { is_valid: false });
    });

    it('a wrong code is not valid and counts as a wrong attempt; the fifth drops the change', async () => {
      const { u, code } = await withPending();
      const r = await check(u, 'f'.repeat(32));
      expectStatus(r, 200);
      assert.deepEqual(r.body, { is_valid: false });
      assert.equal(pending(u), '1:1');
      for (let i = 2; i <= 4; i++) await check(u, `wrong${i}`);
      assert.equal(pending(u), '1:4');
      assert.deepEqual((await check(u, 'wrong5')).body, { is_valid: false });
      assert.equal(pending(u), '0:', 'the change died at the bound of confirm_email');
      assert.deepEqual((await check(u, code)).body, { is_valid: false });
    });

    it('no pending change, or an expired one: not valid', async () => {
      const u = await newUser('et');
      assert.deepEqual((await check(u, 'anything')).body, { is_valid: false });
      const p = await withPending();
      const jwt = await s.token(p.u.id, '7d'); // the OAuth token would expire with the code
      s.setClock(DAY + 1);
      try {
        assert.deepEqual((await check(p.u, p.code, jwt)).body, { is_valid: false });
      } finally {
        s.setClock(0);
      }
      assert.deepEqual((await check(p.u, p.code)).body, { is_valid: true });
    });

    it('bad input: email_token missing, empty or too long is 400', async () => {
      const { u } = await withPending();
      expectFieldError(await check(u), 400, 'email_token', 'required');
      expectFieldError(await check(u, ''), 400, 'email_token', 'required');
      expectFieldError(await check(u, 'a'.repeat(129)), 400, 'email_token', 'max_length');
      assert.equal(pending(u), '1:0', 'bad input counts no attempt');
    });

    it('own id or admin: 403 for others (no attempt counted), 404 unknown, 401 anonymous', async () => {
      const { u, code } = await withPending();
      const other = await newUser('et');
      expectError(await check(u, code, other.token), 403);
      expectError(await check(u, 'guess', other.token), 403);
      assert.equal(pending(u), '1:0');
      assert.deepEqual((await check(u, code, s.admin.token)).body, { is_valid: true });
      expectError(await s.api('GET', `/api/v2/user/${UNKNOWN}/check_email_token/?email_token=x`, { token: s.admin.token }), 404);
      expectError(await s.api('GET', `/api/v2/user/${u.id}/check_email_token/?email_token=x`), 401);
    });
  });

  // ---------------------------------------------------------------- addressing tags

  describe('tags_to_address_a_contribution', () => {
    const path = '/api/v2/user/tag/tags_to_address_a_contribution/';
    let tags;
    let holder;

    before(async () => {
      const mk = async (body) => {
        const r = await s.api('POST', '/api/v2/tag/', { token: s.admin.token, body });
        expectStatus(r, 201);
        return r.body;
      };
      tags = {
        open: await mk({ name: 'Zeta open', type: 'user' }),
        alpha: await mk({ name: 'alpha open', type: 'user' }),
        hidden: await mk({ name: 'Hidden', type: 'user', visible: false }),
        inactive: await mk({ name: 'Inactive', type: 'user', active: false }),
        deleted: await mk({ name: 'Deleted', type: 'user' }),
        category: await mk({ name: 'Category tag', type: 'category' }),
        unheld: await mk({ name: 'Unheld', type: 'user' }),
      };
      expectStatus(await s.api('PATCH', `/api/v2/tag/${tags.deleted.id}/`, { token: s.admin.token, body: { deleted: true } }), 200);
      holder = await newUser('tg');
      for (const t of ['open', 'alpha', 'hidden', 'inactive']) {
        expectStatus(await s.api('POST', `/api/v2/tag/${tags[t].id}/assign/`, { token: s.admin.token, body: { user: holder.id } }), 204);
      }
      s.sql(`INSERT INTO user_tags (user_id, tag_id) VALUES (${holder.id}, ${tags.deleted.id})`);
    });

    const names = (list) => list.map((t) => t.name);

    it('a user: the visible, active user tags they carry, by name (official client)', async () => {
      const c = h.client(s.base, holder.token);
      const list = await c.UserService.userTagToAddressContribution();
      assert.ok(Array.isArray(list), 'a bare array');
      assert.deepEqual(names(list), ['alpha open', 'Zeta open']);
      assert.deepEqual(list[0], tags.alpha, 'Tag objects');
    });

    it('a user without tags: an empty array', async () => {
      const u = await newUser('tg');
      const r = await s.api('GET', path, { token: u.token });
      expectStatus(r, 200);
      assert.deepEqual(r.body, []);
    });

    it('staff: every active user tag that is not deleted, hidden ones too', async () => {
      const mod = await newUser('tgm', { role: 'moderator' });
      const expected = ['alpha open', 'Hidden', 'Unheld', 'Zeta open'];
      for (const token of [s.admin.token, mod.token]) {
        const r = await s.api('GET', path, { token });
        expectStatus(r, 200);
        assert.deepEqual(names(r.body), expected);
      }
    });

    it('a change of a tag shows at once; anonymous callers get 401', async () => {
      expectStatus(await s.api('PATCH', `/api/v2/tag/${tags.alpha.id}/`, { token: s.admin.token, body: { visible: false } }), 200);
      try {
        assert.deepEqual(names((await s.api('GET', path, { token: holder.token })).body), ['Zeta open']);
      } finally {
        await s.api('PATCH', `/api/v2/tag/${tags.alpha.id}/`, { token: s.admin.token, body: { visible: true } });
      }
      expectError(await s.api('GET', path), 401);
    });
  });

  // ---------------------------------------------------------------- platform URL

  describe('platform_url', () => {
    const path = '/api/v2/user/me/platform_url/';

    it('staff without --platform-url: the API explorer of this server (official client)', async () => {
      const c = h.client(s.base, s.admin.token);
      assert.deepEqual(await c.UserService.getCurrentUserPlatform(), { platform_url: `${s.base}/api/docs/` });
      const mod = await newUser('pl', { role: 'editor' });
      const r = await s.api('GET', path, { token: mod.token });
      expectStatus(r, 200);
      assert.equal(r.body.platform_url, `${s.base}/api/docs/`);
      // the explorer is there
      expectStatus(await s.api('GET', '/api/docs/'), 200);
    });

    it('not staff: 403; anonymous: 401', async () => {
      const u = await newUser('pl');
      const c = h.client(s.base, u.token);
      assert.equal((await clientError(c.UserService.getCurrentUserPlatform())).response.status, 403);
      expectError(await s.api('GET', path), 401);
    });

    it('bad input: a `next` that is not a path on the platform, a Host that is not a host', async () => {
      for (const next of ['//evil.example/', 'https://evil.example/', 'settings', '/a b', `/${'x'.repeat(1000)}`]) {
        expectFieldError(await s.api('GET', `${path}?next=${encodeURIComponent(next)}`, { token: s.admin.token }), 400, 'next', 'invalid');
      }
      const bad = await s.raw('GET', path, { headers: { Host: 'bad_host:1', Authorization: `Bearer ${s.admin.token}` } });
      expectError(bad, 400, 'invalid_host');
    });

    it('--platform-url: validated at start, given to staff with `next`', async () => {
      for (const bad of ['ftp://admin.example.org/', 'https://', 'https:///path', 'https://a b.example/', 'admin.example.org']) {
        const r = await s.run(['migrate', '--platform-url', bad]);
        assert.notEqual(r.code, 0, `--platform-url ${bad} is refused`);
        assert.match(r.stderr + r.stdout, /platform-url must be an http/);
      }
      const tooLong = await s.run(['migrate', '--platform-url', `https://example.org/${'x'.repeat(600)}`]);
      assert.notEqual(tooLong.code, 0);
      assert.match(tooLong.stderr + tooLong.stdout, /platform-url is too long/);
      const good = await s.run(['migrate', '--platform-url', 'http://127.0.0.1:9000/manage']);
      assert.equal(good.code, 0, `a valid --platform-url is taken: ${good.stderr}`);
      const env = { HEARTH_PLATFORM_URL: 'https://admin.example.org/manage' };
      const p = await h.startServer({ env });
      try {
        const c = h.client(p.base, p.admin.token);
        assert.deepEqual(await c.UserService.getCurrentUserPlatform(), { platform_url: 'https://admin.example.org/manage' });
        assert.deepEqual(await c.UserService.getCurrentUserPlatform('/settings?tab=1'),
          { platform_url: 'https://admin.example.org/manage?next=/settings%3Ftab%3D1' });
      } finally {
        await p.stop();
      }
    });
  });

  // ---------------------------------------------------------------- loyalty, live streams, orders

  describe('loyalty points, live streams and orders (features hearth does not have)', () => {
    it('loyalty points: {"points": 0} for any authenticated caller (as SelfCommunity\'s own suite reads them)', async () => {
      const u = await newUser('ly');
      const other = await newUser('ly');
      assert.deepEqual(await h.client(s.base, u.token).UserService.getUserLoyaltyPoints(u.id), { points: 0 });
      assert.deepEqual(await h.client(s.base, s.admin.token).UserService.getUserLoyaltyPoints(u.id), { points: 0 });
      assert.deepEqual(await h.client(s.base, other.token).UserService.getUserLoyaltyPoints(u.id), { points: 0 });
      expectError(await s.api('GET', `/api/v2/user/${UNKNOWN}/loyalty/points/`, { token: s.admin.token }), 404);
      expectError(await s.api('GET', `/api/v2/user/${u.id}/loyalty/points/`), 401);
      // a hard-deleted user is unknown
      expectStatus(await s.api('DELETE', `/api/v2/user/${other.id}/?hard=1`, { token: s.admin.token }), 204);
      expectError(await s.api('GET', `/api/v2/user/${other.id}/loyalty/points/`, { token: u.token }), 404);
    });

    it('live streams: an empty page for any user', async () => {
      const u = await newUser('ls');
      const other = await newUser('ls');
      const page = await h.client(s.base, other.token).UserService.getUserLiveStream(u.id, { limit: 5 });
      assert.deepEqual(page, { count: 0, next: null, previous: null, results: [] });
      const anon = await s.api('GET', `/api/v2/user/${u.id}/live_stream/`);
      expectStatus(anon, 200, 'content is public by default');
      assert.deepEqual(anon.body.results, []);
      expectError(await s.api('GET', `/api/v2/user/${UNKNOWN}/live_stream/`, { token: u.token }), 404);
    });

    it('orders: an empty page for the user or an admin, no order exists', async () => {
      const u = await newUser('or');
      const other = await newUser('or');
      const c = h.client(s.base, u.token);
      assert.deepEqual(await c.UserService.getOrderHistory(u.id), { count: 0, next: null, previous: null, results: [] });
      expectStatus(await s.api('GET', `/api/v2/user/${u.id}/order/`, { token: s.admin.token }), 200);
      assert.equal((await clientError(h.client(s.base, other.token).UserService.getOrderHistory(u.id))).response.status, 403);
      expectError(await s.api('GET', `/api/v2/user/${UNKNOWN}/order/`, { token: s.admin.token }), 404);
      // the client is one configured singleton: point it at u again
      assert.equal((await clientError(h.client(s.base, u.token).UserService.getOrderDetail(u.id, 1))).response.status, 404);
      expectError(await s.api('GET', `/api/v2/user/${u.id}/order/abc/`, { token: u.token }), 404);
      expectError(await s.api('GET', `/api/v2/user/${u.id}/order/1/`, { token: other.token }), 403);
      expectError(await s.api('GET', `/api/v2/user/${u.id}/order/`), 401);
    });
  });
});
