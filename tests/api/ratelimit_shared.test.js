'use strict';
// Rate limits behind one interface (auth/ratelimit.h): every 429 carries
// Retry-After and the IETF draft's RateLimit-Limit / RateLimit-Remaining /
// RateLimit-Reset, on both backends; on PostgreSQL the failed-attempt
// counters live in the database (auth_failures), so every server on it
// counts the same failures, and a success on one server resets the count
// for all.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const h = require('./harness');

const { expectStatus, expectError, expectOAuthError } = h;

const PW = 'Car0l-secret';
const LISTEN_RE = /hearth: listening on (http:\/\/127\.0\.0\.1:\d+)/;

// The four headers of a 429: Retry-After = RateLimit-Reset (seconds left
// in the window), RateLimit-Limit, RateLimit-Remaining 0.
function expectRateLimitHeaders(r, limit) {
  const retry = r.headers.get('retry-after');
  assert.match(retry || '', /^[1-9][0-9]*$/, `Retry-After: ${retry}`);
  assert.ok(Number(retry) <= 15 * 60, `Retry-After ${retry} is within the 15-minute window`);
  assert.equal(r.headers.get('ratelimit-limit'), String(limit));
  assert.equal(r.headers.get('ratelimit-remaining'), '0');
  assert.equal(r.headers.get('ratelimit-reset'), retry);
}

// Another `hearth serve` on the same database; resolves {base, stop()}.
function serveAlso(s) {
  const child = spawn(s.bin, ['serve', '--listen', '127.0.0.1:0', '--threads', '2'],
    { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no listening line: ${out}`)); }, 15000);
    const check = (d) => {
      out += d;
      const m = LISTEN_RE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ base: m[1], output: () => out, async stop() { child.kill('SIGTERM'); await exited; } });
      }
    };
    child.stdout.setEncoding('utf8').on('data', check);
    child.stderr.setEncoding('utf8').on('data', check);
    exited.then(() => { clearTimeout(timer); reject(new Error(`the server exited: ${out}`)); });
  });
}

async function loginAt(base, clientId, username, password) {
  const res = await fetch(`${base}/oauth/token/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'password', username, password, client_id: clientId }).toString(),
    signal: AbortSignal.timeout(20000),
  });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, body };
}

describe('rate limits: the headers of every 429', () => {
  let s;
  before(async () => {
    s = await h.startServer();
    await s.createUser({ username: 'carol', password: PW, email: 'carol@example.com' });
  });
  after(async () => { if (s) await s.stop(); });

  it('a locked login: 429 slow_down with Retry-After and RateLimit-* (limit 10 per account)', async () => {
    for (let i = 0; i < 10; i++) expectOAuthError(await loginAt(s.base, s.clientId, 'carol', 'wrong-Passw0rd'), 400, 'invalid_grant');
    const r = await loginAt(s.base, s.clientId, 'carol', PW);
    expectOAuthError(r, 429, 'slow_down');
    expectRateLimitHeaders(r, 10);
  });

  it('a locked password change: 429 throttled with the same headers', async () => {
    const u = await s.createUser({ username: 'erin', password: PW, email: 'erin@example.com' });
    const { access_token: token } = await s.login('erin', PW);
    const change = (password) => s.api('PATCH', `/api/v2/user/${u.id}/change_password/`,
      { token, body: { password, new_password: 'N3w-password-long' } });
    for (let i = 0; i < 10; i++) expectStatus(await change('wrong-Passw0rd'), 400);
    const r = await change(PW);
    expectError(r, 429, 'throttled');
    expectRateLimitHeaders(r, 10);
  });

  it('too many recovery mails to one address: 429 with RateLimit-Limit 3', async () => {
    const recover = () => s.api('POST', '/api/v2/account/recover/', { body: { email: 'carol@example.com' } });
    for (let i = 0; i < 3; i++) expectStatus(await recover(), 204);
    const r = await recover();
    expectError(r, 429, 'throttled');
    expectRateLimitHeaders(r, 3);
  });

  it('a success resets the account count: after 9 failures and a success, 10 more failures are needed', async () => {
    await s.createUser({ username: 'frank', password: PW, email: 'frank@example.com' });
    for (let i = 0; i < 9; i++) expectOAuthError(await loginAt(s.base, s.clientId, 'frank', 'wrong-Passw0rd'), 400, 'invalid_grant');
    expectStatus(await loginAt(s.base, s.clientId, 'frank', PW), 200);
    for (let i = 0; i < 9; i++) expectOAuthError(await loginAt(s.base, s.clientId, 'frank', 'wrong-Passw0rd'), 400, 'invalid_grant');
    expectStatus(await loginAt(s.base, s.clientId, 'frank', PW), 200);
  });
});

describe('rate limits shared by the servers of one PostgreSQL database', { skip: !h.pg && 'PostgreSQL only: an SQLite file has one server, whose counters stay in its memory' }, () => {
  let s;
  let b;
  before(async () => {
    s = await h.startServer();
    b = await serveAlso(s);
    await s.createUser({ username: 'gina', password: PW, email: 'gina@example.com' });
    await s.createUser({ username: 'hank', password: PW, email: 'hank@example.com' });
  });
  after(async () => {
    if (b) await b.stop();
    if (s) await s.stop();
  });

  it('failures on two servers add up: 5 on A and 5 on B lock the account on both', async () => {
    for (let i = 0; i < 5; i++) {
      expectOAuthError(await loginAt(s.base, s.clientId, 'gina', 'wrong-Passw0rd'), 400, 'invalid_grant');
      expectOAuthError(await loginAt(b.base, s.clientId, 'gina', 'wrong-Passw0rd'), 400, 'invalid_grant');
    }
    for (const base of [s.base, b.base]) {
      const r = await loginAt(base, s.clientId, 'gina', PW);
      expectOAuthError(r, 429, 'slow_down');
      expectRateLimitHeaders(r, 10);
    }
    const count = s.sql('SELECT count(*) FROM auth_failures WHERE count >= 10');
    assert.ok(Number(count) >= 1, `auth_failures rows at 10: ${count}`);
  });

  it('concurrent failures on both servers are all counted (one upsert each)', async () => {
    const tries = [];
    for (let i = 0; i < 5; i++) {
      tries.push(loginAt(s.base, s.clientId, 'hank', 'wrong-Passw0rd'));
      tries.push(loginAt(b.base, s.clientId, 'hank', 'wrong-Passw0rd'));
    }
    for (const r of await Promise.all(tries)) expectOAuthError(r, 400, 'invalid_grant');
    expectOAuthError(await loginAt(b.base, s.clientId, 'hank', PW), 429, 'slow_down');
  });

  it('the table keeps hashes, never the login or the address', async () => {
    const text = s.sql("SELECT encode(key_hash, 'hex') FROM auth_failures");
    assert.doesNotMatch(text, /gina|hank|127\.0\.0\.1/);
    for (const line of text.split('\n').filter(Boolean)) assert.match(line.trim(), /^[0-9a-f]{32}$/);
  });
});
