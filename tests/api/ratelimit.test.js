'use strict';
// Login rate limits (contract §4, §9 "429"): failed password grants are
// counted per account, however the account is spelt, and per address.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectOAuthError } = h;

describe('login rate limits', () => {
  let s;
  const PW = 'Car0l-secret';

  before(async () => {
    s = await h.startServer();
    await s.createUser({ username: 'carol', password: PW, email: 'carol@example.com' });
    await s.createUser({ username: 'dave', password: PW, email: 'dave@example.com' });
  });
  after(async () => { if (s) await s.stop(); });

  const login = (username, password) => s.api('POST', '/oauth/token/', {
    form: { grant_type: 'password', username, password, client_id: s.clientId },
  });

  it('an account locks after 10 failures, whatever spelling of its login was used', async () => {
    const spellings = ['carol', 'Carol', 'CAROL', 'carol@example.com', 'CAROL@EXAMPLE.COM', 'cArol',
      'caRol', 'Carol@Example.com', 'carOl', 'caroL'];
    for (const name of spellings) expectOAuthError(await login(name, 'wrong-Passw0rd'), 400, 'invalid_grant');
    for (const name of ['carol', 'CaRoL', 'carol@example.com']) {
      const r = await login(name, PW);
      expectOAuthError(r, 429, 'slow_down');
      assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After: ${r.headers.get('retry-after')}`);
    }
  });

  it('another account on the same address still logs in', async () => {
    expectStatus(await login('dave', PW), 200);
  });
});
