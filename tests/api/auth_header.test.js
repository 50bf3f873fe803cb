'use strict';
// The OAuth endpoints ignore the Authorization header: a client that still
// sends its expired or revoked access token must be able to refresh and
// revoke (react-core's 401 interceptor does exactly that).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

describe('OAuth endpoints and a stale Authorization header', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('refresh, revoke and verify_token work with a dead bearer token attached', async () => {
    const first = await s.login('admin', s.admin.password);
    const stale = { Authorization: 'Bearer not-a-live-token' };
    const refreshed = await s.api('POST', '/oauth/token/', {
      headers: stale,
      form: { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: s.clientId },
    });
    h.expectStatus(refreshed, 200, 'refresh with a stale bearer');
    assert.ok(refreshed.body.access_token);

    const revoked = await s.api('POST', '/oauth/revoke_token/', {
      headers: stale, form: { token: refreshed.body.access_token, client_id: s.clientId },
    });
    h.expectStatus(revoked, 200, 'revoke with a stale bearer');
    h.expectStatus(await s.api('GET', '/api/v2/user/me/', { token: refreshed.body.access_token }), 401);

    const jwt = await s.token(s.admin.id);
    const verified = await s.api('POST', '/api/v2/jwt/verify_token/', { headers: stale, body: { token: jwt } });
    h.expectStatus(verified, 200, 'verify_token with a stale bearer');
  });

  it('other endpoints still refuse a dead bearer token, even public ones', async () => {
    const r = await s.api('GET', `/api/v2/user/${s.admin.id}/`, { token: 'not-a-live-token' });
    h.expectStatus(r, 401);
  });
});
