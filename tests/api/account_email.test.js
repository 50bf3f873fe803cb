'use strict';
// Email change: PATCH /api/v2/user/{id}/change_email/ and
// POST /api/v2/user/{id}/confirm_email/ (contract §7, §9).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, fieldCodes, clientError } = h;

const DAY = 24 * 60 * 60;

describe('email change', () => {
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

  async function newUser(prefix = 'em') {
    seq += 1;
    const username = `${prefix}${seq}`;
    const u = await s.createUser({ username, password: 'Pa55-word!', email: `${username}@example.com` });
    const token = (await s.login(username, 'Pa55-word!')).access_token;
    return { ...u, username, token };
  }

  const me = async (u) => {
    const r = await s.api('GET', '/api/v2/user/me/', { token: u.token });
    expectStatus(r, 200);
    return r.body;
  };
  const change = (u, body, token = u.token) => s.api('PATCH', `/api/v2/user/${u.id}/change_email/`, { token, body });
  const confirm = (u, body) => s.api('POST', `/api/v2/user/${u.id}/confirm_email/`, { body });
  const pendingRows = (u) => Number(s.sql(`SELECT count(*) FROM email_changes WHERE user_id = ${u.id}`));

  describe('direct change (confirm false or absent)', () => {
    it('changeUserMail without confirm: 204, email changed and unverified', async () => {
      const u = await newUser();
      const c = h.client(s.base, u.token);
      assert.equal(await c.UserService.changeUserMail(u.id, 'Direct.New@Example.com'), '');
      const m = await me(u);
      assert.equal(m.email, 'Direct.New@Example.com', 'stored as given');
      assert.equal(m.email_isvalid, false);
      // the new address logs in
      const login = await s.login('direct.new@example.com', 'Pa55-word!');
      assert.ok(login.access_token);
    });

    it('confirm=false and confirm=0 (form) change directly too', async () => {
      const u = await newUser();
      const c = h.client(s.base, u.token);
      assert.equal(await c.UserService.changeUserMail(u.id, 'zero@example.org', false), '');
      assert.equal((await me(u)).email, 'zero@example.org');
      const r = await s.api('PATCH', `/api/v2/user/${u.id}/change_email/`, { token: u.token, form: { new_email: 'form@example.org', confirm: '0' } });
      expectStatus(r, 204);
      assert.equal(r.text, '');
      assert.equal((await me(u)).email, 'form@example.org');
    });

    it('a direct change drops a pending one', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'pending@example.org', confirm: true });
      expectStatus(r, 200);
      expectStatus(await change(u, { new_email: 'direct@example.org' }), 204);
      assert.equal(pendingRows(u), 0);
      expectFieldError(await confirm(u, { new_email: 'pending@example.org', validation_code: r.body.validation_code }), 400, 'validation_code');
      assert.equal((await me(u)).email, 'direct@example.org');
    });
  });

  describe('validation', () => {
    it('new_email is required and must be valid', async () => {
      const u = await newUser();
      const before = await me(u);
      for (const [body, code] of [[{}, 'required'], [{ new_email: '' }, 'required'], [{ new_email: null }, 'required'],
        [{ new_email: 'not-an-email' }, 'invalid'], [{ new_email: 'a@b' }, 'invalid'], [{ new_email: 'a b@example.com' }, 'invalid'],
        [{ new_email: `${'x'.repeat(250)}@example.com` }, 'invalid']]) {
        expectFieldError(await change(u, body), 400, 'new_email', code);
      }
      expectFieldError(await change(u, { new_email: 'ok@example.com', confirm: 'perhaps' }), 400, 'confirm', 'invalid');
      assert.deepEqual(await me(u), before);
      const c = h.client(s.base, u.token);
      const err = await clientError(c.UserService.changeUserMail(u.id, 'bad address'));
      assert.equal(err.response.status, 400);
      assert.ok(c.formatHttpError(err).newEmailError, JSON.stringify(c.formatHttpError(err)));
    });

    it('an address another user holds is refused, in any letter case, with or without confirm', async () => {
      const u = await newUser();
      const other = await newUser();
      expectStatus(await change(other, { new_email: 'Taken.Address@Example.com' }), 204);
      for (const addr of ['Taken.Address@Example.com', 'taken.address@example.com', 'TAKEN.ADDRESS@EXAMPLE.COM']) {
        expectFieldError(await change(u, { new_email: addr }), 400, 'new_email', 'unique');
        expectFieldError(await change(u, { new_email: addr, confirm: true }), 400, 'new_email', 'unique');
      }
      assert.equal((await me(u)).email, u.email);
      assert.equal(pendingRows(u), 0);
      // the admin's address too
      expectFieldError(await change(u, { new_email: 'ADMIN@example.com' }), 400, 'new_email', 'unique');
      // one's own address in another case is fine
      expectStatus(await change(u, { new_email: u.email.toUpperCase() }), 204);
      assert.equal((await me(u)).email, u.email.toUpperCase());
    });
  });

  describe('code flow (confirm true)', () => {
    it('changeUserMail(confirm) answers a code; confirmChangeUserMail applies it, verified', async () => {
      const u = await newUser();
      const c = h.client(s.base, u.token);
      const res = await c.UserService.changeUserMail(u.id, 'Coded@Example.net', true);
      assert.equal(typeof res.validation_code, 'string');
      assert.ok(res.validation_code.length >= 6);
      assert.equal((await me(u)).email, u.email, 'unchanged until confirmed');
      assert.equal(pendingRows(u), 1);

      h.client(s.base); // confirmation is public
      assert.equal(await c.UserService.confirmChangeUserMail(u.id, 'Coded@Example.net', res.validation_code), '');
      const m = await me(u);
      assert.equal(m.email, 'Coded@Example.net');
      assert.equal(m.email_isvalid, true);
      assert.equal(pendingRows(u), 0);
    });

    it('the code is stored only as a hash', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'hashed@example.net', confirm: true });
      expectStatus(r, 200);
      const stored = s.sql(`SELECT code_hash FROM email_changes WHERE user_id = ${u.id}`);
      assert.ok(stored.length > 0);
      assert.ok(!stored.includes(r.body.validation_code));
    });

    it('the address may differ in case at confirmation', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'MiXeD@example.net', confirm: '1' });
      expectStatus(r, 200);
      expectStatus(await confirm(u, { new_email: 'mixed@EXAMPLE.net', validation_code: r.body.validation_code }), 204);
      assert.equal((await me(u)).email, 'MiXeD@example.net');
    });

    it('a wrong code is 400 and the right one still works afterwards', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'right@example.net', confirm: true });
      expectFieldError(await confirm(u, { new_email: 'right@example.net', validation_code: 'deadbeef' }), 400, 'validation_code', 'invalid');
      assert.equal((await me(u)).email, u.email);
      expectStatus(await confirm(u, { new_email: 'right@example.net', validation_code: r.body.validation_code }), 204);
      assert.equal((await me(u)).email, 'right@example.net');
    });

    it('a code is single-use', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'once@example.net', confirm: true });
      expectStatus(await confirm(u, { new_email: 'once@example.net', validation_code: r.body.validation_code }), 204);
      expectStatus(await change(u, { new_email: 'after@example.net' }), 204);
      expectFieldError(await confirm(u, { new_email: 'once@example.net', validation_code: r.body.validation_code }), 400, 'validation_code');
      assert.equal((await me(u)).email, 'after@example.net');
    });

    it('a new request replaces the pending one: the old code dies', async () => {
      const u = await newUser();
      const first = await change(u, { new_email: 'first@example.net', confirm: true });
      const second = await change(u, { new_email: 'second@example.net', confirm: true });
      assert.notEqual(first.body.validation_code, second.body.validation_code);
      expectFieldError(await confirm(u, { new_email: 'first@example.net', validation_code: first.body.validation_code }), 400, 'validation_code');
      expectStatus(await confirm(u, { new_email: 'second@example.net', validation_code: second.body.validation_code }), 204);
      assert.equal((await me(u)).email, 'second@example.net');
    });

    it('a code expires after 24 hours', async () => {
      const u = await newUser();
      const late = await change(u, { new_email: 'late@example.net', confirm: true });
      const early = await newUser();
      const inTime = await change(early, { new_email: 'intime@example.net', confirm: true });
      try {
        s.setClock(DAY - 60);
        expectStatus(await confirm(early, { new_email: 'intime@example.net', validation_code: inTime.body.validation_code }), 204);
        s.setClock(DAY + 1);
        expectFieldError(await confirm(u, { new_email: 'late@example.net', validation_code: late.body.validation_code }), 400, 'validation_code', 'expired');
      } finally {
        s.setClock(0);
      }
      // expired is gone for good, even with the clock back
      expectFieldError(await confirm(u, { new_email: 'late@example.net', validation_code: late.body.validation_code }), 400, 'validation_code');
      assert.equal((await me(u)).email, u.email);
      assert.equal((await me(early)).email, 'intime@example.net');
    });

    it('five wrong codes kill the pending change', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'five@example.net', confirm: true });
      for (let i = 0; i < 4; i++) {
        expectFieldError(await confirm(u, { new_email: 'five@example.net', validation_code: `wrong${i}` }), 400, 'validation_code', 'invalid');
        assert.equal(pendingRows(u), 1, `still pending after ${i + 1} wrong codes`);
      }
      // a wrong address with the right code counts as a wrong attempt too: the fifth
      expectFieldError(await confirm(u, { new_email: 'other@example.net', validation_code: r.body.validation_code }), 400, 'validation_code');
      assert.equal(pendingRows(u), 0);
      expectFieldError(await confirm(u, { new_email: 'five@example.net', validation_code: r.body.validation_code }), 400, 'validation_code');
      assert.equal((await me(u)).email, u.email);
    });

    it('uniqueness is checked again at confirmation', async () => {
      const u = await newUser();
      const thief = await newUser();
      const r = await change(u, { new_email: 'contested@example.net', confirm: true });
      expectStatus(await change(thief, { new_email: 'CONTESTED@example.net' }), 204);
      expectFieldError(await confirm(u, { new_email: 'contested@example.net', validation_code: r.body.validation_code }), 400, 'new_email', 'unique');
      assert.equal((await me(u)).email, u.email);
      assert.equal((await me(thief)).email, 'CONTESTED@example.net');
    });

    it('confirm_email validates its body; unknown or hard-deleted ids are 404', async () => {
      const u = await newUser();
      const r = await confirm(u, {});
      expectStatus(r, 400);
      assert.deepEqual(fieldCodes(r.body, 'new_email'), ['required']);
      assert.deepEqual(fieldCodes(r.body, 'validation_code'), ['required']);
      expectFieldError(await confirm(u, { new_email: 'x@example.com', validation_code: 'abc' }), 400, 'validation_code', 'invalid');
      expectError(await s.api('POST', '/api/v2/user/987654/confirm_email/', { body: { new_email: 'x@example.com', validation_code: 'abc' } }), 404, 'not_found');
      const gone = await newUser();
      const code = (await change(gone, { new_email: 'gone@example.net', confirm: true })).body.validation_code;
      expectStatus(await s.api('DELETE', `/api/v2/user/${gone.id}/?hard=1`, { token: s.admin.token }), 204);
      expectError(await confirm(gone, { new_email: 'gone@example.net', validation_code: code }), 404);
    });

    it('a soft delete drops the pending change', async () => {
      const u = await newUser();
      const code = (await change(u, { new_email: 'soft@example.net', confirm: true })).body.validation_code;
      expectStatus(await s.api('DELETE', `/api/v2/user/${u.id}/`, { token: u.token }), 204);
      expectFieldError(await confirm(u, { new_email: 'soft@example.net', validation_code: code }), 400, 'validation_code');
    });
  });

  // Requests racing for one address or one pending change: run one after
  // the other (SQLite's single writer, PostgreSQL's row locks), never a 5xx.
  describe('concurrent requests', () => {
    it('users changing to one address at once: one gets it, the others 400 unique', async () => {
      const users = [];
      for (let i = 0; i < 8; i++) users.push(await newUser('race'));
      const rs = await Promise.all(users.map((u) => change(u, { new_email: 'Raced.Address@example.com' })));
      assert.deepEqual(rs.filter((r) => r.status >= 500).map((r) => r.text), []);
      const won = rs.filter((r) => r.status === 204).length;
      assert.equal(won, 1, rs.map((r) => r.status).join(','));
      for (const r of rs.filter((x) => x.status !== 204)) expectFieldError(r, 400, 'new_email', 'unique');
      assert.equal(Number(s.sql("SELECT count(*) FROM users WHERE lower(email) = 'raced.address@example.com'")), 1);
    });

    it('wrong codes sent at once are each counted: the fifth kills the change', async () => {
      const u = await newUser();
      const r = await change(u, { new_email: 'burst@example.net', confirm: true });
      expectStatus(r, 200);
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        confirm(u, { new_email: 'burst@example.net', validation_code: `wrong${i}` })));
      for (const x of rs) expectFieldError(x, 400, 'validation_code', 'invalid');
      assert.equal(pendingRows(u), 0);
      expectFieldError(await confirm(u, { new_email: 'burst@example.net', validation_code: r.body.validation_code }), 400, 'validation_code');
      assert.equal((await me(u)).email, u.email);
    });
  });

  describe('who may change', () => {
    it('another user, even an admin, gets 403; missing id 404; anonymous 401', async () => {
      const a = await newUser();
      const b = await newUser();
      expectError(await change(b, { new_email: 'stolen@example.net' }, a.token), 403, 'permission_denied');
      expectError(await change(b, { new_email: 'stolen@example.net', confirm: true }, a.token), 403);
      expectError(await change(b, { new_email: 'stolen@example.net' }, s.admin.token), 403);
      const c = h.client(s.base, a.token);
      assert.equal((await clientError(c.UserService.changeUserMail(b.id, 'stolen2@example.net', true))).response.status, 403);
      expectError(await s.api('PATCH', '/api/v2/user/987654/change_email/', { token: a.token, body: { new_email: 'x@example.net' } }), 404);
      expectError(await s.api('PATCH', `/api/v2/user/${b.id}/change_email/`, { body: { new_email: 'x@example.net' } }), 401);
      const m = await me(b);
      assert.equal(m.email, b.email);
      assert.equal(pendingRows(b), 0);
    });
  });
});
