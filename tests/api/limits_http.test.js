'use strict';
// Every HTTP limit answers with the contract's error body, at the limit and
// one past it: request target and path (414), query parameters (400),
// header count and size (431), body size (413). The caller and the route's
// rules are decided from the head, before any body byte: a request that
// cannot succeed is answered without a "100 Continue", anonymous uploads
// cannot make the server hold their bodies, and bodies in flight are capped
// (503). Connections are limited per address (503 past it), so slow clients
// from one address cannot shut others out.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const h = require('./harness');

// Limits as named in src/http/server.h and src/http/parse.h.
const URI_MAX = 8192;
const PATH_MAX = 2048;
const HEADERS_MAX = 100;
const HEADER_BYTES_MAX = 8192;
const QUERY_FIELDS_MAX = 256;
const BODY_LIMIT = 1 << 20;
const MULTIPART_LIMIT = 10 << 20;
const BODIES_IN_FLIGHT = 64 << 20;
const PER_IP_DEFAULT = 64;

// One HTTP/1.1 exchange on a fresh socket: writes `head` (and `body`),
// resolves with {status, headers, text, body} of the first final answer
// (a "100 Continue" is reported in `continued`), or {closed: true} when the
// server closed without answering. `localAddress` picks the client address.
function exchange(port, head, { body, localAddress, ms = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress });
    let data = Buffer.alloc(0);
    let continued = false;
    let done = false;
    const finish = (v) => { if (!done) { done = true; clearTimeout(timer); sock.destroy(); resolve(v); } };
    const timer = setTimeout(() => { if (!done) { done = true; sock.destroy(); reject(new Error(`no answer within ${ms} ms`)); } }, ms);
    const parse = () => {
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = data.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(lines[0].split(' ')[1]);
        if (status === 100) { continued = true; data = data.subarray(end + 4); continue; }
        const headers = {};
        for (const l of lines.slice(1)) { const i = l.indexOf(':'); headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim(); }
        const len = Number(headers['content-length'] || 0);
        if (data.length - end - 4 < len) return;
        const text = data.subarray(end + 4, end + 4 + len).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
        finish({ status, headers, text, body: json, continued });
        return;
      }
    };
    sock.on('data', (d) => { data = Buffer.concat([data, d]); parse(); });
    sock.on('error', () => finish({ closed: true, continued }));
    sock.on('end', () => finish({ closed: true, continued }));
    sock.on('connect', () => {
      sock.write(head);
      if (body) sock.write(body, () => {});
    });
  });
}

function get(target, extra = '') {
  return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;
}

// Status with the contract §2 error body.
function expectError(r, status, code, what) {
  assert.ok(!r.closed, `${what}: the connection was closed without an answer`);
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  assert.match(r.headers['content-type'] || '', /^application\/json/, what);
  assert.ok(Array.isArray(r.body && r.body.errors) && r.body.errors.length > 0, `${what}: ${r.text}`);
  if (code) assert.equal(r.body.errors[0].code, code, `${what}: ${r.text}`);
}

function expectOk(r, status, what) {
  assert.ok(!r.closed, `${what}: the connection was closed without an answer`);
  assert.equal(r.status, status, `${what}: ${r.text}`);
}

// The server's process id, found by its data directory.
function serverPid(s) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes('serve') && env.split('\0').includes(`HEARTH_DATA_DIR=${s.dir}`)) return Number(pid);
    } catch (_) { /* gone or not ours */ }
  }
  throw new Error('server process not found');
}

function statusKiB(pid, field) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return Number(m[1]);
}

describe('request limits', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('query parameters: 256 are read, 257 are 400, and 1,000 and 2,000 get an answer too', async () => {
    const q = (n) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
    expectOk(await exchange(s.port, get(`/api/v2/user/1/?${q(QUERY_FIELDS_MAX)}`)), 200, '256 parameters');
    expectError(await exchange(s.port, get(`/api/v2/user/1/?${q(QUERY_FIELDS_MAX + 1)}`)), 400, 'invalid', '257 parameters');
    // the finding: about 1,000 parameters were dropped without an answer
    expectError(await exchange(s.port, get(`/api/v2/user/1/?${'a=1&'.repeat(1000)}`)), 400, 'invalid', '1,000 parameters');
    expectError(await exchange(s.port, get(`/api/v2/user/1/?${'a&'.repeat(2000)}`)), 400, 'invalid', '2,000 parameters');
  });

  it(`the request target: ${URI_MAX} bytes are read, one more is 414`, async () => {
    const prefix = '/api/v2/user/1/?a=';
    const at = prefix + 'x'.repeat(URI_MAX - prefix.length);
    assert.equal(at.length, URI_MAX);
    expectOk(await exchange(s.port, get(at)), 200, 'target at the limit');
    expectError(await exchange(s.port, get(`${at}x`)), 414, 'uri_too_long', 'target one past the limit');
    // far past the limit libmicrohttpd answers by itself (its own short body)
    assert.equal((await exchange(s.port, get(`/api/v2/user/1/?${'a=1&'.repeat(20000)}`))).status, 414, 'an 80 kB target');
  });

  it(`the path: ${PATH_MAX} bytes are routed (404), one more is 414`, async () => {
    const at = `/${'p'.repeat(PATH_MAX - 1)}`;
    expectError(await exchange(s.port, get(at)), 404, 'not_found', 'path at the limit');
    expectError(await exchange(s.port, get(`${at}p`)), 414, 'uri_too_long', 'path one past the limit');
  });

  it(`headers: ${HEADERS_MAX} lines are read, one more is 431`, async () => {
    // Host and Connection are two of them
    const lines = (n) => Array.from({ length: n }, (_, i) => `X-H${i}: 1\r\n`).join('');
    expectOk(await exchange(s.port, get('/api/v2/user/1/', lines(HEADERS_MAX - 2))), 200, '100 headers');
    expectError(await exchange(s.port, get('/api/v2/user/1/', lines(HEADERS_MAX - 1))), 431, 'headers_too_large', '101 headers');
    assert.equal((await exchange(s.port, get('/api/v2/user/1/', lines(2000)))).status, 431, '2,000 headers');
  });

  it(`header bytes: ${HEADER_BYTES_MAX} are read, one more is 431`, async () => {
    // names and values count: Host (4 + 9), Connection (10 + 5), X-Pad (5 + n)
    const n = HEADER_BYTES_MAX - (4 + 9) - (10 + 5) - 5;
    expectOk(await exchange(s.port, get('/api/v2/user/1/', `X-Pad: ${'v'.repeat(n)}\r\n`)), 200, 'headers at the limit');
    expectError(await exchange(s.port, get('/api/v2/user/1/', `X-Pad: ${'v'.repeat(n + 1)}\r\n`)), 431, 'headers_too_large',
      'headers one past the limit');
    assert.equal((await exchange(s.port, get('/api/v2/user/1/', `X-Pad: ${'v'.repeat(40000)}\r\n`))).status, 431, 'a 40 kB header');
  });

  it('the largest head within every limit at once is read (it fits libmicrohttpd\'s per-connection memory)', async () => {
    const prefix = '/api/v2/user/1/?a=';
    const target = prefix + 'x'.repeat(URI_MAX - prefix.length);
    // HEADERS_MAX lines (Host and Connection among them) whose names and values
    // together are HEADER_BYTES_MAX bytes
    const n = HEADERS_MAX - 2;
    const names = Array.from({ length: n }, (_, i) => `X-H${String(i).padStart(2, '0')}`);
    const budget = HEADER_BYTES_MAX - (4 + 9) - (10 + 5) - names.reduce((t, k) => t + k.length, 0);
    const lines = names.map((k, i) => `${k}: ${'v'.repeat(Math.floor(budget / n) + (i < budget % n ? 1 : 0))}\r\n`).join('');
    expectOk(await exchange(s.port, get(target, lines)), 200, 'the largest head');
  });

  it(`a JSON body of ${BODY_LIMIT} bytes is read, one more is 413`, async () => {
    const json = (n, name) => {
      const text = JSON.stringify({ username: name });
      return Buffer.from(text + ' '.repeat(n - text.length));
    };
    const head = (len) => 'POST /api/v2/sso/signup/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
      `Authorization: Bearer ${s.admin.token}\r\nContent-Type: application/json\r\nContent-Length: ${len}\r\n\r\n`;
    let r = await exchange(s.port, head(BODY_LIMIT), { body: json(BODY_LIMIT, 'atlimit') });
    expectOk(r, 201, 'a body at the limit');
    r = await exchange(s.port, head(BODY_LIMIT + 1), { body: json(BODY_LIMIT + 1, 'pastlimit') });
    expectError(r, 413, 'request_too_large', 'a body one past the limit');
  });

  it('after all of these the server answers normally', async () => {
    h.expectStatus(await s.api('GET', '/api/v2/user/1/'), 200);
  });
});

describe('the head decides before the body', () => {
  let s;
  let user;
  before(async () => {
    s = await h.startServer();
    user = await s.createUser({ username: 'bodyowner', password: 'B0dy!owner' });
  });
  after(async () => { if (s) await s.stop(); });

  const upload = (path, extra) => `PATCH ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}` +
    `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: ${MULTIPART_LIMIT}\r\nExpect: 100-continue\r\n\r\n`;

  it('an anonymous upload gets 401 without a 100 Continue', async () => {
    const r = await exchange(s.port, upload(`/api/v2/user/${user.id}/`, ''));
    expectError(r, 401, 'not_authenticated', 'anonymous upload');
    assert.equal(r.continued, false);
  });

  it("another user's upload gets 403, an unknown route 404, a wrong method 405, none invited", async () => {
    const other = await s.createUser({ username: 'bodyother', password: 'B0dy!other' });
    const auth = `Authorization: Bearer ${await s.token(other.id)}\r\n`;
    let r = await exchange(s.port, upload(`/api/v2/user/${user.id}/`, auth));
    assert.equal(r.continued, false);
    expectError(r, 403, 'permission_denied', "another user's upload");
    r = await exchange(s.port, upload('/api/v2/nothing/', auth));
    assert.equal(r.continued, false);
    expectError(r, 404, 'not_found', 'unknown route');
    r = await exchange(s.port, upload('/api/v2/user/me/permission/', auth));
    assert.equal(r.continued, false);
    expectError(r, 405, 'method_not_allowed', 'wrong method');
  });

  it('the owner is invited to send the upload', async () => {
    const auth = `Authorization: Bearer ${await s.token(user.id)}\r\n`;
    const sock = net.connect(s.port, '127.0.0.1');
    const first = await new Promise((resolve, reject) => {
      let data = '';
      sock.setEncoding('latin1');
      sock.on('data', (d) => { data += d; if (data.includes('\r\n\r\n')) resolve(data); });
      sock.on('error', reject);
      sock.write(upload(`/api/v2/user/${user.id}/`, auth));
    });
    sock.destroy();
    assert.match(first, /^HTTP\/1\.1 100 /, first);
  });

  it('a small anonymous body is read and dropped: the answer arrives and the connection stays usable', async () => {
    const body = JSON.stringify({ bio: 'x'.repeat(1000) });
    const r = await s.raw('PATCH', `/api/v2/user/${user.id}/`, { headers: { 'Content-Type': 'application/json' }, body });
    expectError({ ...r, headers: Object.fromEntries(r.headers) }, 401, 'not_authenticated', 'small anonymous body');
  });

  it(`bodies in flight are capped at ${BODIES_IN_FLIGHT >> 20} MiB across connections: 503 with Retry-After past it`, async () => {
    const auth = `Authorization: Bearer ${await s.token(user.id)}\r\n`;
    const holders = [];
    const invited = (sock) => new Promise((resolve, reject) => {
      let data = '';
      sock.setEncoding('latin1');
      sock.on('data', (d) => { data += d; if (data.includes('\r\n\r\n')) resolve(data); });
      sock.on('error', reject);
    });
    try {
      // each declared upload holds 10 MiB of the cap while its body is awaited
      const fits = Math.floor(BODIES_IN_FLIGHT / MULTIPART_LIMIT);
      for (let i = 0; i < fits; i++) {
        const sock = net.connect(s.port, '127.0.0.1');
        holders.push(sock);
        const answer = invited(sock);
        sock.write(upload(`/api/v2/user/${user.id}/`, auth));
        assert.match(await answer, /^HTTP\/1\.1 100 /);
      }
      const r = await exchange(s.port, upload(`/api/v2/user/${user.id}/`, auth));
      expectError(r, 503, 'overloaded', 'one upload past the cap');
      assert.equal(r.headers['retry-after'], '1');
      assert.equal(r.continued, false);
    } finally {
      for (const sock of holders) sock.destroy();
    }
    // released with the connections
    await new Promise((r) => setTimeout(r, 300));
    const again = await exchange(s.port, upload(`/api/v2/user/${user.id}/`, `Authorization: Bearer ${await s.token(user.id)}\r\n`),
      { ms: 2000 }).catch(() => ({ status: 100 }));
    assert.notEqual(again.status, 503);
  });

  it('200 anonymous 10 MiB uploads at once: server memory stays under 100 MiB and others are answered', async (t) => {
    const pid = serverPid(s);
    const payload = Buffer.alloc(MULTIPART_LIMIT - 1024, 0x61);
    const head = `PATCH /api/v2/user/${user.id}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: ${payload.length}\r\n\r\n`;
    // at most 50 from one address (the per-address limit is 64)
    const from = (i) => `127.0.0.${2 + (i % 4)}`;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      exchange(s.port, head, { body: payload, localAddress: from(i) }).catch((err) => ({ error: err.message }))));
    for (const r of results) {
      assert.ok(!r.error, r.error);
      // answered 401 at once; a client still writing may see the close first
      if (!r.closed) expectError(r, 401, 'not_authenticated', 'anonymous upload');
    }
    // how many read their 401 before the close depends on timing (none, under
    // the sanitizers, in one run): the single-upload test above checks the answer
    h.expectStatus(await s.api('GET', '/api/v2/user/1/'), 200);
    const hwm = statusKiB(pid, 'VmHWM');
    t.diagnostic(`peak resident memory (VmHWM) ${hwm} KiB; ${results.filter((r) => r.status === 401).length} of 200 read their 401`);
    assert.ok(hwm < 100 * 1024, `peak resident memory ${hwm} KiB`);
  });
});

describe('connections', () => {
  let s;
  before(async () => { s = await h.startServer({ env: { HEARTH_PER_IP_LIMIT: '' /* the default */ } }); });
  after(async () => { if (s) await s.stop(); });

  it(`1,100 slow connections from one address: past ${PER_IP_DEFAULT} they get 503, and another address is served`, async () => {
    const slow = [];
    const refused = [];
    try {
      for (let i = 0; i < 1100; i++) {
        const sock = net.connect({ port: s.port, host: '127.0.0.1', localAddress: '127.0.0.1' });
        sock.on('error', () => {});
        let data = '';
        sock.setEncoding('latin1');
        sock.on('data', (d) => { data += d; if (/^HTTP\/1\.1 503 /.test(data)) refused.push(i); });
        sock.on('connect', () => sock.write('GET /api/v2/user/1/ HTTP/1.1\r\nHost: 1'));
        slow.push(sock);
      }
      await new Promise((r) => setTimeout(r, 1000));
      // a slowloris trickle: one more header byte on every connection
      for (const sock of slow) if (!sock.destroyed) sock.write('2');
      const answers = await Promise.all(Array.from({ length: 40 }, () =>
        exchange(s.port, get('/api/v2/user/1/'), { localAddress: '127.0.0.2', ms: 10000 })));
      for (const r of answers) expectOk(r, 200, 'a request from another address');
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(refused.length >= 1100 - PER_IP_DEFAULT - 5, `503 answers: ${refused.length}`);
    } finally {
      for (const sock of slow) sock.destroy();
    }
  });
});

describe('the per-address limit is configurable', () => {
  let s;
  before(async () => { s = await h.startServer({ env: { HEARTH_PER_IP_LIMIT: '2' } }); });
  after(async () => { if (s) await s.stop(); });

  it('with HEARTH_PER_IP_LIMIT=2 a third connection gets 503, a connection from another address does not', async () => {
    const held = [];
    try {
      for (let i = 0; i < 2; i++) {
        const sock = net.connect({ port: s.port, host: '127.0.0.1', localAddress: '127.0.0.3' });
        sock.on('error', () => {});
        await new Promise((r) => sock.on('connect', r));
        held.push(sock);
      }
      await new Promise((r) => setTimeout(r, 200));
      const third = await exchange(s.port, get('/api/v2/user/1/'), { localAddress: '127.0.0.3' });
      expectError(third, 503, 'too_many_connections', 'third connection');
      assert.equal(third.headers['retry-after'], '1');
      expectOk(await exchange(s.port, get('/api/v2/user/1/'), { localAddress: '127.0.0.4' }), 200, 'another address');
    } finally {
      for (const sock of held) sock.destroy();
    }
    await new Promise((r) => setTimeout(r, 200));
    expectOk(await exchange(s.port, get('/api/v2/user/1/'), { localAddress: '127.0.0.3' }), 200, 'after the others closed');
  });
});
