'use strict';
// Authentication: OAuth2 password/refresh grants, revocation, JWTs, and how
// credentials are checked on private and public endpoints (contract §4, §9).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectOAuthError, expectJSONType, signJWT, nowS } = h;

describe('auth', () => {
  let s;
  let alice;
  const ALICE_PW = 'Al1ce-secret';

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: ALICE_PW, email: 'alice@example.com' });
  });
  after(async () => { if (s) await s.stop(); });

  const tokenReq = (form) => s.api('POST', '/oauth/token/', { form });
  const me = (token) => s.api('GET', '/api/v2/user/me/', { token });

  function expectAuthFailed(res) {
    expectError(res, 401, 'authentication_failed');
    const www = res.headers.get('www-authenticate') || '';
    assert.match(www, /^Bearer\b/, `WWW-Authenticate must be Bearer, got '${www}'`);
  }

  function expectTokenReply(res) {
    expectStatus(res, 200);
    expectJSONType(res);
    const b = res.body;
    for (const k of ['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token']) {
      assert.ok(k in b, `token reply lacks ${k}: ${res.text}`);
    }
    assert.equal(typeof b.access_token, 'string');
    assert.ok(b.access_token.length >= 32, 'access token too short to carry 256 bits');
    assert.equal(typeof b.refresh_token, 'string');
    assert.ok(b.refresh_token.length >= 32, 'refresh token too short to carry 256 bits');
    assert.notEqual(b.access_token, b.refresh_token);
    assert.equal(b.expires_in, 36000);
    assert.equal(b.token_type, 'Bearer');
    assert.equal(b.scope, 'read write');
    return b;
  }

  describe('OAuth2 token endpoint', () => {
    it('password grant by username issues a working token pair', async () => {
      const res = await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId });
      const b = expectTokenReply(res);
      const m = await me(b.access_token);
      expectStatus(m, 200);
      assert.equal(m.body.id, alice.id);
      assert.equal(m.body.username, 'alice');
    });

    it('password grant by email issues a working token', async () => {
      const res = await tokenReq({ grant_type: 'password', username: 'alice@example.com', password: ALICE_PW, client_id: s.clientId });
      const b = expectTokenReply(res);
      const m = await me(b.access_token);
      expectStatus(m, 200);
      assert.equal(m.body.id, alice.id);
    });

    it('two logins give different tokens', async () => {
      const a = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      const b = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      assert.notEqual(a.access_token, b.access_token);
      assert.notEqual(a.refresh_token, b.refresh_token);
    });

    it('refresh_token grant rotates: old refresh token and its access token stop working', async () => {
      const first = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      const second = expectTokenReply(await tokenReq({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: s.clientId }));
      assert.notEqual(second.access_token, first.access_token);
      assert.notEqual(second.refresh_token, first.refresh_token);

      // the new access token works and is alice's
      const m = await me(second.access_token);
      expectStatus(m, 200);
      assert.equal(m.body.id, alice.id);

      // the old refresh token is spent
      expectOAuthError(await tokenReq({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: s.clientId }), 400, 'invalid_grant');
      // the access token issued with the old refresh token is revoked
      expectAuthFailed(await me(first.access_token));
      // the new one is still fine, and the new refresh token works once more
      expectStatus(await me(second.access_token), 200);
      const third = expectTokenReply(await tokenReq({ grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: s.clientId }));
      expectStatus(await me(third.access_token), 200);
      expectAuthFailed(await me(second.access_token));
    });

    it('an unknown refresh token is invalid_grant', async () => {
      expectOAuthError(await tokenReq({ grant_type: 'refresh_token', refresh_token: 'x'.repeat(43), client_id: s.clientId }), 400, 'invalid_grant');
    });

    it('an access token used as a refresh token is invalid_grant', async () => {
      const t = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      expectOAuthError(await tokenReq({ grant_type: 'refresh_token', refresh_token: t.access_token, client_id: s.clientId }), 400, 'invalid_grant');
    });

    it('revoke_token revokes an access token (200), which then gives 401', async () => {
      const t = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      expectStatus(await me(t.access_token), 200);
      const r = await s.api('POST', '/oauth/revoke_token/', { form: { token: t.access_token, client_id: s.clientId } });
      expectStatus(r, 200);
      expectAuthFailed(await me(t.access_token));
    });

    it('revoke_token revokes a refresh token, which then is invalid_grant', async () => {
      const t = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      const r = await s.api('POST', '/oauth/revoke_token/', { form: { token: t.refresh_token, client_id: s.clientId } });
      expectStatus(r, 200);
      expectOAuthError(await tokenReq({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: s.clientId }), 400, 'invalid_grant');
    });

    it('revoke_token of an unknown token answers 200 (RFC 7009)', async () => {
      expectStatus(await s.api('POST', '/oauth/revoke_token/', { form: { token: 'not-a-token', client_id: s.clientId } }), 200);
    });

    it('revoke_token with an unknown client is invalid_client and revokes nothing', async () => {
      const t = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      const r = await s.api('POST', '/oauth/revoke_token/', { form: { token: t.access_token, client_id: 'no-such-client' } });
      expectOAuthError(r, 401, 'invalid_client');
      expectStatus(await me(t.access_token), 200);
    });

    it('wrong password is invalid_grant (400)', async () => {
      const res = await tokenReq({ grant_type: 'password', username: 'alice', password: 'Wrong-pass1', client_id: s.clientId });
      expectOAuthError(res, 400, 'invalid_grant');
      expectJSONType(res);
      assert.ok(!('errors' in res.body), 'OAuth errors use the RFC 6749 shape, not {errors}');
    });

    it('unknown user is invalid_grant (400)', async () => {
      expectOAuthError(await tokenReq({ grant_type: 'password', username: 'nobody-here', password: 'Wrong-pass1', client_id: s.clientId }), 400, 'invalid_grant');
    });

    it('unknown client_id is invalid_client (401)', async () => {
      expectOAuthError(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: 'no-such-client' }), 401, 'invalid_client');
    });

    it('unsupported grant_type is unsupported_grant_type (400)', async () => {
      expectOAuthError(await tokenReq({ grant_type: 'client_credentials', client_id: s.clientId }), 400, 'unsupported_grant_type');
      expectOAuthError(await tokenReq({ grant_type: 'bogus', username: 'alice', password: ALICE_PW, client_id: s.clientId }), 400, 'unsupported_grant_type');
    });

    it('missing parameters are invalid_request (400)', async () => {
      expectOAuthError(await tokenReq({ grant_type: 'password', username: 'alice', client_id: s.clientId }), 400, 'invalid_request');
      expectOAuthError(await tokenReq({ grant_type: 'password', password: ALICE_PW, client_id: s.clientId }), 400, 'invalid_request');
      expectOAuthError(await tokenReq({ grant_type: 'refresh_token', client_id: s.clientId }), 400, 'invalid_request');
    });

    it('the admin token from the harness login is an admin OAuth token', async () => {
      const m = await me(s.admin.token);
      expectStatus(m, 200);
      assert.equal(m.body.id, s.admin.id);
      assert.equal(m.body.role, 'admin');
    });
  });

  describe('JWTs', () => {
    it('generateJWTToken(adminId, secret) from the official client is accepted on /user/me/', async () => {
      const c = h.client(s.base, await s.token(s.admin.id));
      const u = await c.UserService.getCurrentUser();
      assert.equal(u.id, s.admin.id);
      assert.equal(u.username, 'admin');
      const res = await me(await s.token(alice.id));
      expectStatus(res, 200);
      assert.equal(res.body.id, alice.id);
    });

    it('a hand-made HS256 JWT with the simplejwt claims is accepted', async () => {
      const t = signJWT({ token_type: 'access', user_id: alice.id, jti: 'hand-1', iat: nowS(), exp: nowS() + 600 }, s.secret);
      const res = await me(t);
      expectStatus(res, 200);
      assert.equal(res.body.id, alice.id);
    });

    it('a JWT signed with the wrong secret is 401 authentication_failed', async () => {
      const c = h.client(s.base);
      const t = await c.generateJWTToken(s.admin.id, 'f'.repeat(64));
      expectAuthFailed(await me(t));
    });

    it('a tampered JWT payload is 401', async () => {
      const good = await s.token(alice.id);
      const [hd, , sig] = good.split('.');
      const payload = h.b64url(JSON.stringify({ token_type: 'access', user_id: s.admin.id, jti: '1', iat: nowS(), exp: nowS() + 600 }));
      expectAuthFailed(await me(`${hd}.${payload}.${sig}`));
    });

    it('alg: none is 401', async () => {
      const t = signJWT({ token_type: 'access', user_id: s.admin.id, jti: 'n1', iat: nowS(), exp: nowS() + 600 }, s.secret, { alg: 'none', typ: 'JWT' });
      expectAuthFailed(await me(t));
      // with a (valid HS256) signature still attached, alg none must not be honoured either
      const real = signJWT({ token_type: 'access', user_id: s.admin.id, jti: 'n2', iat: nowS(), exp: nowS() + 600 }, s.secret);
      const noneHeader = h.b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const [, p, sig] = real.split('.');
      expectAuthFailed(await me(`${noneHeader}.${p}.${sig}`));
    });

    it('an expired JWT is 401', async () => {
      const t = signJWT({ token_type: 'access', user_id: s.admin.id, jti: 'e1', iat: nowS() - 7200, exp: nowS() - 60 }, s.secret);
      expectAuthFailed(await me(t));
    });

    it('a JWT without exp is 401', async () => {
      const t = signJWT({ token_type: 'access', user_id: s.admin.id, jti: 'x1', iat: nowS() }, s.secret);
      expectAuthFailed(await me(t));
    });

    it('token_type: refresh is 401', async () => {
      const t = signJWT({ token_type: 'refresh', user_id: s.admin.id, jti: 'r1', iat: nowS(), exp: nowS() + 600 }, s.secret);
      expectAuthFailed(await me(t));
    });

    it('a JWT for a user that does not exist is 401', async () => {
      expectAuthFailed(await me(await s.token(999999)));
    });

    it('POST /api/v2/jwt/verify_token/ answers 200 {} for a valid token, 401 otherwise', async () => {
      const good = await s.token(alice.id);
      const ok = await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: good } });
      expectStatus(ok, 200);
      assert.deepEqual(ok.body, {});
      expectJSONType(ok);

      const bad = signJWT({ token_type: 'access', user_id: alice.id, jti: 'v1', iat: nowS(), exp: nowS() + 600 }, 'another-secret-0123456789');
      expectError(await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: bad } }), 401);
      const expired = signJWT({ token_type: 'access', user_id: alice.id, jti: 'v2', iat: nowS() - 7200, exp: nowS() - 10 }, s.secret);
      expectError(await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: expired } }), 401);
      expectError(await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: 'garbage' } }), 401);
      const none = signJWT({ token_type: 'access', user_id: alice.id, jti: 'v3', iat: nowS(), exp: nowS() + 600 }, s.secret, { alg: 'none', typ: 'JWT' });
      expectError(await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: none } }), 401);
    });

    it('verify_token also takes a form body', async () => {
      const good = await s.token(alice.id);
      const ok = await s.api('POST', '/api/v2/jwt/verify_token/', { form: { token: good } });
      expectStatus(ok, 200);
      assert.deepEqual(ok.body, {});
    });

    it('`hearth token --user ID` prints a JWT the server accepts', async () => {
      const r = await s.run(['token', '--user', String(alice.id)]);
      assert.equal(r.code, 0, `hearth token failed: ${r.stderr}`);
      const lines = r.stdout.trim().split('\n').map((l) => l.trim()).filter(Boolean);
      const t = lines[lines.length - 1];
      assert.match(t, /^[\w-]+\.[\w-]+\.[\w-]+$/, `not a JWT: ${r.stdout}`);
      const res = await me(t);
      expectStatus(res, 200);
      assert.equal(res.body.id, alice.id);
      const v = await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: t } });
      expectStatus(v, 200);
    });

    it('`hearth token` for an unknown user fails', async () => {
      const r = await s.run(['token', '--user', '999999']);
      assert.notEqual(r.code, 0, `expected a failure, got stdout ${r.stdout}`);
    });
  });

  describe('credentials on private and public endpoints', () => {
    it('no token on GET /api/v2/user/ is 401 not_authenticated with WWW-Authenticate: Bearer', async () => {
      const res = await s.api('GET', '/api/v2/user/');
      expectError(res, 401, 'not_authenticated');
      assert.match(res.headers.get('www-authenticate') || '', /^Bearer\b/);
      expectJSONType(res);
    });

    it('no token on GET /api/v2/user/me/ is 401 not_authenticated', async () => {
      expectError(await me(undefined), 401, 'not_authenticated');
    });

    it('a garbage token is 401 on a private endpoint', async () => {
      expectAuthFailed(await s.api('GET', '/api/v2/user/', { token: 'garbage' }));
    });

    it('a garbage token on a public endpoint (GET /api/v2/user/1/) is 401, never anonymous', async () => {
      expectAuthFailed(await s.api('GET', '/api/v2/user/1/', { token: 'garbage' }));
      expectAuthFailed(await s.api('GET', '/api/v2/user/1/', { token: 'a.b.c' }));
    });

    it('GET /api/v2/user/1/ without a token is 200', async () => {
      const res = await s.api('GET', '/api/v2/user/1/');
      expectStatus(res, 200);
      assert.equal(res.body.id, 1);
      assert.equal(res.body.username, 'admin');
    });

    it('a revoked OAuth token on a public endpoint is 401', async () => {
      const t = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      expectStatus(await s.api('POST', '/oauth/revoke_token/', { form: { token: t.access_token, client_id: s.clientId } }), 200);
      expectAuthFailed(await s.api('GET', '/api/v2/user/1/', { token: t.access_token }));
    });
  });

  describe('expiry with a moved clock', () => {
    it('JWTs expire when the server clock passes exp', async () => {
      const t = await s.token(alice.id); // official default: 2 h
      expectStatus(await me(t), 200);
      try {
        s.setClock(3 * 3600);
        expectAuthFailed(await me(t));
        expectError(await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: t } }), 401);
      } finally {
        s.setClock(0);
      }
      expectStatus(await me(t), 200);
    });

    it('OAuth access tokens expire after expires_in (36000 s)', async () => {
      const t = expectTokenReply(await tokenReq({ grant_type: 'password', username: 'alice', password: ALICE_PW, client_id: s.clientId }));
      try {
        s.setClock(36000 - 120);
        expectStatus(await me(t.access_token), 200, 'just before expiry');
        s.setClock(36000 + 120);
        expectAuthFailed(await me(t.access_token));
      } finally {
        s.setClock(0);
      }
    });
  });
});
