'use strict';
// Ownership across the account lifecycle: user A attempts every write of
// account lifecycle on user B; each is 403, and B's profile, email, password,
// settings and tokens are unchanged afterwards, read back through the API.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const { expectStatus, expectError, clientError, signJWT, nowS } = h;

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe('ownership of account writes', () => {
  let s;
  let a;
  let b;
  const B_PW = 'B0b-secret!';

  before(async () => {
    s = await h.startServer();
    a = await s.createUser({ username: 'alice', password: 'Al1ce-secret', email: 'alice@example.com' });
    a.token = (await s.login('alice', 'Al1ce-secret')).access_token;
    b = await s.createUser({ username: 'bob', password: B_PW, email: 'bob@example.com' });
    const login = await s.login('bob', B_PW);
    b.token = login.access_token;
    b.refresh = login.refresh_token;
    // give B a profile, an avatar and non-default settings worth protecting
    const r = await s.api('PATCH', `/api/v2/user/${b.id}/`, { token: b.token, multipart: { real_name: 'Bob B', bio: 'mine', website: 'https://bob.example.com', avatar: new File([GIF], 'b.gif') } });
    expectStatus(r, 200);
    expectStatus(await s.api('PATCH', `/api/v2/user/${b.id}/settings/`, { token: b.token, body: { qa_frequency: 0, show_toast_notifications: 0 } }), 200);
  });
  after(async () => { if (s) await s.stop(); });

  async function snapshotOfB() {
    const me = await s.api('GET', '/api/v2/user/me/', { token: b.token });
    expectStatus(me, 200);
    const settings = await s.api('GET', `/api/v2/user/${b.id}/settings/`, { token: b.token });
    expectStatus(settings, 200);
    return { me: me.body, settings: settings.body };
  }

  it('A gets 403 on every write to B, and B is unchanged', async () => {
    const before = await snapshotOfB();
    const jwtB = signJWT({ token_type: 'access', user_id: b.id, iat: nowS() - 5, exp: nowS() + 3600, jti: 'b-jwt' }, s.secret);
    expectStatus(await s.api('GET', '/api/v2/user/me/', { token: jwtB }), 200);
    const media = fs.readdirSync(path.join(s.dir, 'media')).sort();
    const id = b.id;

    const attempts = [
      ['PUT', `/api/v2/user/${id}/`, { body: { real_name: 'Pwned', bio: 'x' } }],
      ['PATCH', `/api/v2/user/${id}/`, { body: { real_name: 'Pwned' } }],
      ['PATCH', `/api/v2/user/${id}/`, { multipart: { avatar: new File([GIF], 'x.gif') } }],
      ['PATCH', `/api/v2/user/${id}/`, { body: { avatar: null } }],
      ['DELETE', `/api/v2/user/${id}/`, {}],
      ['DELETE', `/api/v2/user/${id}/?hard=1`, {}],
      ['PATCH', `/api/v2/user/${id}/change_email/`, { body: { new_email: 'evil@example.com' } }],
      ['PATCH', `/api/v2/user/${id}/change_email/`, { body: { new_email: 'evil@example.com', confirm: true } }],
      ['PATCH', `/api/v2/user/${id}/change_password/`, { body: { password: B_PW, new_password: 'Pwn3d-pa55word' } }],
      ['PATCH', `/api/v2/user/${id}/change_password/`, { body: { password: 'Al1ce-secret', new_password: 'Pwn3d-pa55word' } }],
      ['POST', `/api/v2/user/${id}/settings/`, { body: { qa_frequency: 1 } }],
      ['PATCH', `/api/v2/user/${id}/settings/`, { body: { show_toast_notifications: 1 } }],
      ['GET', `/api/v2/user/${id}/settings/`, {}],
    ];
    for (const [method, p, opts] of attempts) {
      const r = await s.api(method, p, { token: a.token, ...opts });
      expectError(r, 403, 'permission_denied');
    }

    // the same through the official client
    const c = h.client(s.base, a.token);
    const calls = [
      () => c.UserService.userUpdate(id, { real_name: 'Pwned' }),
      () => c.UserService.userPatch(id, { bio: 'Pwned' }),
      () => c.UserService.userDelete(id),
      () => c.UserService.userDelete(id, 1),
      () => c.UserService.changeUserMail(id, 'evil@example.com'),
      () => c.UserService.changeUserMail(id, 'evil@example.com', true),
      () => c.UserService.changeUserPassword(id, B_PW, 'Pwn3d-pa55word'),
      () => c.UserService.userSettings(id),
      () => c.UserService.userSettingsPatch(id, { qa_frequency: 1 }),
    ];
    for (const call of calls) {
      const err = await clientError(call());
      assert.equal(err.response.status, 403, JSON.stringify(err.response.data));
    }

    // B is exactly as before: profile, email, settings
    assert.deepEqual(await snapshotOfB(), before);
    assert.equal(before.me.email, 'bob@example.com');
    assert.equal(before.me.real_name, 'Bob B');
    // B's avatar file is still there and nothing new was written
    assert.deepEqual(fs.readdirSync(path.join(s.dir, 'media')).sort(), media);
    expectStatus(await s.api('GET', new URL(before.me.avatar).pathname), 200);
    // B's tokens all still work: OAuth access, refresh, an earlier JWT
    expectStatus(await s.api('GET', '/api/v2/user/me/', { token: jwtB }), 200);
    const refreshed = await s.api('POST', '/oauth/token/', { form: { grant_type: 'refresh_token', refresh_token: b.refresh, client_id: s.clientId } });
    expectStatus(refreshed, 200);
    b.token = refreshed.body.access_token;
    // B's password is unchanged, and A's guess is not B's password
    const ok = await s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username: 'bob', password: B_PW, client_id: s.clientId } });
    expectStatus(ok, 200);
    const bad = await s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username: 'bob', password: 'Pwn3d-pa55word', client_id: s.clientId } });
    expectStatus(bad, 400);
    // no pending email change was created for B: the code path is closed
    const confirm = await s.api('POST', `/api/v2/user/${id}/confirm_email/`, { body: { new_email: 'evil@example.com', validation_code: '00000000' } });
    h.expectFieldError(confirm, 400, 'validation_code');
    assert.equal((await snapshotOfB()).me.email, 'bob@example.com');
  });

  it('A\'s own writes still work afterwards (the 403s were about B, not A)', async () => {
    const r = await s.api('PATCH', `/api/v2/user/${a.id}/`, { token: a.token, body: { real_name: 'Alice' } });
    expectStatus(r, 200);
    assert.equal(r.body.real_name, 'Alice');
    expectStatus(await s.api('GET', `/api/v2/user/${a.id}/settings/`, { token: a.token }), 200);
  });
});
