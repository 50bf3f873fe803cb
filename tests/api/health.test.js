'use strict';
// GET /health for load balancers: 200 {"status":"ok"} while the server and
// its database answer, without authentication or rate limits; 503
// {"status":"draining"} once the server was told to stop, for the
// --drain-delay it keeps serving (so haproxy takes it out before its socket
// closes); 503 {"status":"unavailable"} when the database does not answer
// (PostgreSQL only: an SQLite file cannot stop answering a trivial query).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const h = require('./harness');

const { expectStatus, expectJSONType } = h;

const LISTEN_RE = /hearth: listening on (http:\/\/127\.0\.0\.1:\d+)/;

// Starts another `hearth serve` on the server's database with extra
// environment; resolves {child, base, output(), exited}.
function serveAlso(s, env) {
  const child = spawn(s.bin, ['serve', '--listen', '127.0.0.1:0', '--threads', '2'],
    { env: { ...s.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no listening line: ${out}`)); }, 15000);
    const check = (d) => {
      out += d;
      const m = LISTEN_RE.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, base: m[1], output: () => out, exited }); }
    };
    child.stdout.setEncoding('utf8').on('data', check);
    child.stderr.setEncoding('utf8').on('data', check);
    exited.then((info) => { clearTimeout(timer); reject(new Error(`the server exited: ${JSON.stringify(info)} ${out}`)); });
  });
}

async function getJSON(url, headers = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, body };
}

describe('GET /health', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('200 {"status":"ok"} without authentication, never cached', async () => {
    const r = await s.api('GET', '/health');
    expectStatus(r, 200);
    expectJSONType(r);
    assert.deepEqual(r.body, { status: 'ok' });
    assert.equal(r.headers.get('cache-control'), 'no-store');
    // with and without the trailing slash, as every route
    assert.deepEqual((await s.api('GET', '/health/')).body, { status: 'ok' });
  });

  it('a stale or bogus Authorization header does not matter', async () => {
    const r = await s.api('GET', '/health', { headers: { Authorization: 'Bearer not-a-token' } });
    expectStatus(r, 200);
    assert.deepEqual(r.body, { status: 'ok' });
  });

  it('only GET: POST is 405 with Allow', async () => {
    const r = await s.api('POST', '/health', { body: {} });
    expectStatus(r, 405);
    assert.match(r.headers.get('allow') || '', /GET/);
  });

  it('is not rate limited: 300 checks in a row all answer 200', async () => {
    const statuses = new Map();
    for (let i = 0; i < 30; i++) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => s.api('GET', '/health')));
      for (const r of batch) statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
    }
    assert.deepEqual([...statuses], [[200, 300]]);
    assert.doesNotMatch(s.stderr(), / error .*health/);
  });

  it('is in the OpenAPI document', async () => {
    const r = await s.api('GET', '/api/v2/schema/');
    expectStatus(r, 200);
    const op = r.body.paths['/health'] && r.body.paths['/health'].get;
    assert.ok(op, 'GET /health is documented');
    assert.ok(op.responses['200'] && op.responses['503'], JSON.stringify(op.responses));
  });

  it('after SIGTERM with --drain-delay: 503 draining while other routes still answer, then the server stops', async () => {
    const other = await serveAlso(s, { HEARTH_DRAIN_DELAY: '3' });
    try {
      assert.deepEqual((await getJSON(`${other.base}/health`)).body, { status: 'ok' });
      other.child.kill('SIGTERM');
      let r;
      for (let i = 0; i < 50; i++) {
        r = await getJSON(`${other.base}/health`);
        if (r.status === 503) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      expectStatus(r, 503, 'health while draining');
      assert.deepEqual(r.body, { status: 'draining' });
      // still serving: requests already routed here succeed
      const features = await getJSON(`${other.base}/api/v2/feature/`);
      expectStatus(features, 200);
      const info = await other.exited;
      assert.equal(info.code, 0, other.output());
      assert.match(other.output(), /draining in 3 s \(GET \/health answers 503\)/);
      assert.match(other.output(), /info stopped/);
    } finally {
      other.child.kill('SIGKILL');
    }
  });

  it('a second signal ends the drain delay at once', async () => {
    const other = await serveAlso(s, { HEARTH_DRAIN_DELAY: '300' });
    try {
      other.child.kill('SIGTERM');
      let r;
      for (let i = 0; i < 50; i++) {
        r = await getJSON(`${other.base}/health`);
        if (r.status === 503) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      assert.deepEqual(r.body, { status: 'draining' });
      other.child.kill('SIGTERM');
      const info = await other.exited; // long before 300 s (the test's own timeout)
      assert.equal(info.code, 0, other.output());
      assert.match(other.output(), /second signal: draining now/);
    } finally {
      other.child.kill('SIGKILL');
    }
  });

  it('a bad --drain-delay is refused at start', async () => {
    const r = await s.run(['serve', '--listen', '127.0.0.1:0', '--drain-delay', '301']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /drain-delay must be 0\.\.300 seconds/);
  });
});
