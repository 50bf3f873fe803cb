'use strict';
// Password change: PATCH /api/v2/user/{id}/change_password/ (contract §4,
// §9): current password check, the policy for the new one, token
// revocation, rate limiting.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, expectOAuthError, fieldCodes, clientError, signJWT, nowS } = h;

describe('password change', () => {
  let s;
  let seq = 0;
  const PW = 'Old-pa55word';

  before(async () => {
    s = await h.startServer();
  });
  after(async () => { if (s) await s.stop(); });

  async function newUser(prefix = 'pw') {
    seq += 1;
    const username = `${prefix}${seq}`;
    const u = await s.createUser({ username, password: PW, email: `${username}@example.com` });
    const login = await s.login(username, PW);
    return { ...u, username, token: login.access_token, refresh: login.refresh_token };
  }

  const changePw = (u, body, token = u.token) => s.api('PATCH', `/api/v2/user/${u.id}/change_password/`, { token, body });
  const meStatus = async (token) => (await s.api('GET', '/api/v2/user/me/', { token })).status;
  const tokenReq = (form) => s.api('POST', '/oauth/token/', { form: { client_id: s.clientId, ...form } });
  const oldJWT = (u) => signJWT({ token_type: 'access', user_id: u.id, iat: nowS() - 5, exp: nowS() + 3600, jti: `old-${u.id}` }, s.secret);

  it('success through changeUserPassword: 204; the new password logs in, the old one does not', async () => {
    const u = await newUser();
    const c = h.client(s.base, u.token);
    assert.equal(await c.UserService.changeUserPassword(u.id, PW, 'Brand-n3w-secret'), '');
    const ok = await tokenReq({ grant_type: 'password', username: u.username, password: 'Brand-n3w-secret' });
    expectStatus(ok, 200);
    assert.equal(await meStatus(ok.body.access_token), 200);
    expectOAuthError(await tokenReq({ grant_type: 'password', username: u.username, password: PW }), 400, 'invalid_grant');
  });

  it('every other token dies; the caller\'s token and its refresh token survive', async () => {
    const u = await newUser();
    const other = await s.login(u.username, PW);
    const jwtBefore = oldJWT(u);
    for (const t of [u.token, other.access_token, jwtBefore]) assert.equal(await meStatus(t), 200);

    expectStatus(await changePw(u, { password: PW, new_password: 'Fresh-pa55word' }), 204);

    assert.equal(await meStatus(u.token), 200, 'the caller keeps working');
    expectError(await s.api('GET', '/api/v2/user/me/', { token: other.access_token }), 401, 'authentication_failed');
    expectError(await s.api('GET', '/api/v2/user/me/', { token: jwtBefore }), 401, 'authentication_failed');
    expectOAuthError(await tokenReq({ grant_type: 'refresh_token', refresh_token: other.refresh_token }), 400, 'invalid_grant');
    const refreshed = await tokenReq({ grant_type: 'refresh_token', refresh_token: u.refresh });
    expectStatus(refreshed, 200);
    assert.equal(await meStatus(refreshed.body.access_token), 200);
    // JWTs issued after the change work
    const after = await s.token(u.id);
    assert.equal(await meStatus(after), 200);
  });

  it('a caller authenticated by an older JWT loses that JWT too (documented)', async () => {
    const u = await newUser();
    const jwt = oldJWT(u);
    expectStatus(await changePw(u, { password: PW, new_password: 'Via-jwt-pa55' }, jwt), 204);
    expectError(await s.api('GET', '/api/v2/user/me/', { token: jwt }), 401);
    expectError(await s.api('GET', '/api/v2/user/me/', { token: u.token }), 401, 'authentication_failed');
    expectStatus(await tokenReq({ grant_type: 'password', username: u.username, password: 'Via-jwt-pa55' }), 200);
  });

  it('a wrong current password is 400 on `password`, and nothing changes', async () => {
    const u = await newUser();
    const other = await s.login(u.username, PW);
    const c = h.client(s.base, u.token);
    const err = await clientError(c.UserService.changeUserPassword(u.id, 'Not-my-pa55', 'Another-pa55word'));
    assert.equal(err.response.status, 400);
    assert.ok(c.formatHttpError(err).passwordError, JSON.stringify(err.response.data));
    assert.deepEqual(fieldCodes(err.response.data, 'password'), ['invalid']);
    expectStatus(await tokenReq({ grant_type: 'password', username: u.username, password: PW }), 200);
    assert.equal(await meStatus(other.access_token), 200, 'no token was revoked');
  });

  it('the new password must follow the policy: 400 on `new_password`', async () => {
    const u = await newUser();
    const cases = [
      ['Sh0rt!', 'password_too_short'],
      ['alllowercase', 'password_too_simple'],
      ['ALLUPPER123', 'password_too_simple'],
      [`Aa1!${'x'.repeat(125)}`, 'password_too_long'],
    ];
    for (const [pw, code] of cases) {
      expectFieldError(await changePw(u, { password: PW, new_password: pw }), 400, 'new_password', code);
    }
    // equal to the username in another case, with a username complex enough to pass otherwise
    const named = await s.createUser({ username: 'Strong-Name9', password: PW });
    const namedToken = (await s.login('Strong-Name9', PW)).access_token;
    expectFieldError(await s.api('PATCH', `/api/v2/user/${named.id}/change_password/`, { token: namedToken, body: { password: PW, new_password: 'strong-NAME9' } }),
      400, 'new_password', 'password_similar_to_username');
    const c = h.client(s.base, u.token);
    const err = await clientError(c.UserService.changeUserPassword(u.id, PW, 'weak'));
    assert.ok(c.formatHttpError(err).newPasswordError, JSON.stringify(err.response.data));
    expectStatus(await tokenReq({ grant_type: 'password', username: u.username, password: PW }), 200);
    // both wrong: both reported
    const both = await changePw(u, { password: 'nope-Nope-1', new_password: 'weak' });
    expectStatus(both, 400);
    assert.ok(fieldCodes(both.body, 'password'));
    assert.ok(fieldCodes(both.body, 'new_password'));
  });

  it('missing or non-string fields are 400 required/invalid', async () => {
    const u = await newUser();
    let r = await changePw(u, {});
    expectStatus(r, 400);
    assert.deepEqual(fieldCodes(r.body, 'password'), ['required']);
    assert.deepEqual(fieldCodes(r.body, 'new_password'), ['required']);
    r = await changePw(u, { password: 123, new_password: ['x'] });
    assert.deepEqual(fieldCodes(r.body, 'password'), ['invalid']);
    assert.deepEqual(fieldCodes(r.body, 'new_password'), ['invalid']);
    // form bodies work
    r = await s.api('PATCH', `/api/v2/user/${u.id}/change_password/`, { token: u.token, form: { password: PW, new_password: 'Form-pa55word' } });
    expectStatus(r, 204);
    expectStatus(await tokenReq({ grant_type: 'password', username: u.username, password: 'Form-pa55word' }), 200);
  });

  it('failed checks are rate limited per account: 429 throttled with Retry-After', async () => {
    const u = await newUser();
    let throttled = null;
    for (let i = 0; i < 15 && !throttled; i++) {
      const r = await changePw(u, { password: `Wrong-pa55-${i}`, new_password: 'Whatever-pa55' });
      if (r.status === 429) throttled = r;
      else expectFieldError(r, 400, 'password');
    }
    assert.ok(throttled, 'no 429 after 15 wrong passwords');
    expectError(throttled, 429, 'throttled');
    const retry = Number(throttled.headers.get('retry-after'));
    assert.ok(retry > 0, `Retry-After: ${throttled.headers.get('retry-after')}`);
    // even the right password is refused while throttled
    expectError(await changePw(u, { password: PW, new_password: 'Right-pa55word' }), 429, 'throttled');
    expectStatus(await tokenReq({ grant_type: 'password', username: u.username, password: PW }), 200, 'the password is unchanged');
    // another account is not affected
    const v = await newUser();
    expectStatus(await changePw(v, { password: PW, new_password: 'Other-pa55word' }), 204);
  });

  it('another user, even an admin, gets 403 and nothing changes; missing id 404; anonymous 401', async () => {
    const a = await newUser();
    const b = await newUser();
    expectError(await changePw(b, { password: PW, new_password: 'Hijack-pa55' }, a.token), 403, 'permission_denied');
    expectError(await changePw(b, { password: 'Adm1n!pass', new_password: 'Hijack-pa55' }, s.admin.token), 403);
    const c = h.client(s.base, a.token);
    assert.equal((await clientError(c.UserService.changeUserPassword(b.id, PW, 'Hijack-pa55'))).response.status, 403);
    expectError(await s.api('PATCH', '/api/v2/user/987654/change_password/', { token: a.token, body: { password: PW, new_password: 'Hijack-pa55' } }), 404);
    expectError(await s.api('PATCH', `/api/v2/user/${b.id}/change_password/`, { body: { password: PW, new_password: 'Hijack-pa55' } }), 401);
    assert.equal(await meStatus(b.token), 200);
    expectStatus(await tokenReq({ grant_type: 'password', username: b.username, password: PW }), 200);
    expectOAuthError(await tokenReq({ grant_type: 'password', username: b.username, password: 'Hijack-pa55' }), 400, 'invalid_grant');
  });
});
