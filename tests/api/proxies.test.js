'use strict';
// The client address behind a proxy (--trusted-proxies, HEARTH_TRUSTED_PROXIES):
// X-Forwarded-For is read only when the TCP peer is a trusted proxy, and
// then its rightmost address that is not itself trusted is the client; the
// per-address login limit (100 failures per window) and the access log use
// that address. From any other peer the header is ignored, so a client
// cannot dodge the limit by sending one.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectOAuthError } = h;

const ADDRESS_MAX = 100;

const failLogin = (s, username, xff) => s.api('POST', '/oauth/token/', {
  form: { grant_type: 'password', username, password: 'wrong-Passw0rd', client_id: s.clientId },
  headers: xff === undefined ? {} : { 'X-Forwarded-For': xff },
});

// Fails ADDRESS_MAX logins of distinct unknown accounts (so no account
// limit is reached), the i-th with the X-Forwarded-For xffOf(i).
async function failFromAddress(s, prefix, xffOf) {
  for (let i = 0; i < ADDRESS_MAX; i += 10) {
    const batch = [];
    for (let j = i; j < i + 10; j++) batch.push(failLogin(s, `${prefix}${j}`, xffOf(j)));
    for (const r of await Promise.all(batch)) expectOAuthError(r, 400, 'invalid_grant');
  }
}

// The access log lines (stderr) of the server so far, once flushed.
async function accessLines(s, pathText) {
  await new Promise((r) => setTimeout(r, 1300)); // written at least once a second
  return s.stderr().split('\n').filter((l) => l.includes(` ${pathText} `));
}

describe('X-Forwarded-For from an untrusted peer (no --trusted-proxies)', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('a spoofed header is ignored: every failure counts against the TCP peer', async () => {
    await failFromAddress(s, 'ghost', (i) => `198.51.100.${i + 1}`);
    const r = await failLogin(s, 'ghost-next', '203.0.113.250');
    expectOAuthError(r, 429, 'slow_down');
    assert.equal(r.headers.get('ratelimit-limit'), String(ADDRESS_MAX));
    const lines = await accessLines(s, '/oauth/token/');
    assert.ok(lines.length >= ADDRESS_MAX + 1, `${lines.length} access log lines`);
    for (const l of lines) assert.match(l, / 127\.0\.0\.1$/, l);
  });
});

describe('X-Forwarded-For from a trusted proxy', () => {
  let s;
  before(async () => {
    // the harness connects from 127.0.0.1: as if it were haproxy
    s = await h.startServer({ env: { HEARTH_TRUSTED_PROXIES: '127.0.0.1/32, 10.0.0.0/8, ::1' } });
  });
  after(async () => { if (s) await s.stop(); });

  it('the forwarded client is counted: its 101st failure is 429, another client is not limited', async () => {
    await failFromAddress(s, 'mallory', () => '203.0.113.7');
    const r = await failLogin(s, 'mallory-next', '203.0.113.7');
    expectOAuthError(r, 429, 'slow_down');
    assert.equal(r.headers.get('ratelimit-limit'), String(ADDRESS_MAX));
    assert.equal(r.headers.get('ratelimit-remaining'), '0');
    // another client behind the same proxy, and the proxy itself, are not
    expectOAuthError(await failLogin(s, 'other-client', '203.0.113.8'), 400, 'invalid_grant');
    expectOAuthError(await failLogin(s, 'the-proxy'), 400, 'invalid_grant');
  });

  it('the rightmost untrusted address is the client: entries a client put left of it do not help', async () => {
    // mallory (203.0.113.7) prepends a forged address; haproxy appends what it saw
    expectOAuthError(await failLogin(s, 'mallory-forged', '198.51.100.66, 203.0.113.7'), 429, 'slow_down');
    // behind two of our proxies (10.0.0.5 forwarded to 127.0.0.1): still mallory
    expectOAuthError(await failLogin(s, 'mallory-hops', '198.51.100.66, 203.0.113.7, 10.0.0.5'), 429, 'slow_down');
    // an IPv4-mapped spelling is the same client
    expectOAuthError(await failLogin(s, 'mallory-mapped', '::ffff:203.0.113.7'), 429, 'slow_down');
  });

  it('the access log shows the forwarded client', async () => {
    expectOAuthError(await failLogin(s, 'logged', '192.0.2.44, 10.1.2.3'), 400, 'invalid_grant');
    const lines = await accessLines(s, '/oauth/token/');
    assert.ok(lines.some((l) => / 192\.0\.2\.44$/.test(l)), lines.slice(-3).join('\n'));
    assert.ok(lines.some((l) => / 203\.0\.113\.7$/.test(l)));
    assert.ok(!lines.some((l) => / 198\.51\.100\.66$/.test(l)), 'a forged entry never becomes the client');
  });

  it('a bad list is refused at start', async () => {
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/8']) {
      const r = await s.run(['serve', '--listen', '127.0.0.1:0', '--trusted-proxies', bad]);
      assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /trusted-proxies: not an address or ADDRESS\/BITS network/);
    }
  });
});
