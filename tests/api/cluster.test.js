'use strict';
// Three hearth servers on one PostgreSQL database behind haproxy.
//
// One fresh database, `hearth migrate`, then three `hearth serve` started at
// the same moment on loopback ports with the same database URL, the same
// --media-dir and --trusted-proxies 127.0.0.1, and no configured JWT secret
// (the one stored in the database). Debian's haproxy runs round-robin in
// front (option forwardfor, option httpchk GET /health) from a config
// generated in a temporary directory. Every check goes through the load
// balancer and through each server directly: a follow made on A is seen on
// B and C at once; parallel clients spread over the three end with exact
// counters and no 5xx; a username signed up concurrently everywhere gets
// exactly one 201; a refresh token sent to several servers at once is taken
// once; failed logins count across servers; a preference changed on one
// server applies on the others at the next request; an upload through A is
// served by B; a server killed mid-load (SIGKILL) loses no acknowledged
// write and haproxy routes around it once its health check marks it down.
// No timing assertions: whatever is asynchronous is polled with a bound.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');
const { makePNG } = require('./images');

const { expectStatus, expectOAuthError } = h;

const HAPROXY = process.env.HEARTH_TEST_HAPROXY || '/usr/sbin/haproxy';
const BIN = process.env.HEARTH_BIN || path.join(h.REPO, 'build', 'hearth');
const LISTEN_RE = /hearth: listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const ADMIN_PW = 'Adm1n!cluster';
const PW = 'Clust3r-secret';
const NAMES = ['a', 'b', 'c'];

function skipReason() {
  if (!h.pg) return 'needs PostgreSQL (HEARTH_TEST_PG): several servers share one database only there';
  if (!fs.existsSync(HAPROXY)) return `needs haproxy at ${HAPROXY} (scripts/install-deps.sh installs it)`;
  return false;
}

const cleanups = [];
const children = new Set();
process.on('exit', () => {
  for (const c of children) { try { c.kill('SIGKILL'); } catch (_) { /* gone */ } }
});

function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let x = seed >>> 0;
  return () => { x = (x * 1664525 + 1013904223) >>> 0; return x; };
}

// Polls fn() until it returns a truthy value; fails after `ms`.
async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not reached within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function runCli(env, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr }));
  });
}

async function cliOk(env, args) {
  const r = await runCli(env, args);
  if (r.code !== 0) throw new Error(`hearth ${args.join(' ')} exited ${r.code}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function jsonLine(out) {
  for (const line of out.split('\n')) {
    try { const v = JSON.parse(line); if (v && typeof v === 'object') return v; } catch (_) { /* next */ }
  }
  throw new Error(`no JSON line in ${out}`);
}

// Starts `hearth serve`; resolves {name, base, port, child, exited, output()}.
function serve(name, env) {
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--threads', '2'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name}: no listening line: ${out}`)); }, 30000);
    let found = false;
    const check = (d) => {
      out += d;
      if (out.length > 1 << 20) out = out.slice(-(1 << 19));
      const m = !found && LISTEN_RE.exec(out);
      if (m) {
        found = true;
        clearTimeout(timer);
        resolve({ name, base: m[1], port: Number(m[2]), child, exited, output: () => out });
      }
    };
    child.stdout.setEncoding('utf8').on('data', check);
    child.stderr.setEncoding('utf8').on('data', check);
    exited.then((info) => { clearTimeout(timer); if (!found) reject(new Error(`${name} exited ${JSON.stringify(info)}: ${out}`)); });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

function haproxyConfig(port, sock, servers) {
  return [
    'global',
    '    maxconn 2000',
    `    stats socket ${sock} mode 600 level admin`,
    'defaults',
    '    mode http',
    '    option http-keep-alive',
    '    option forwardfor',
    '    timeout connect 2s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    timeout http-request 10s',
    '    retries 2',
    '    option redispatch',
    'frontend fe',
    `    bind 127.0.0.1:${port}`,
    '    default_backend hearth',
    'backend hearth',
    '    balance roundrobin',
    '    option httpchk GET /health',
    '    http-check expect status 200',
    // a slow answer on a loaded machine is not a failure; a dead server
    // (connection refused) is down after two checks
    '    timeout check 10s',
    '    default-server inter 300ms fall 2 rise 1',
    ...servers.map((x) => `    server ${x.name} 127.0.0.1:${x.port} check`),
    '',
  ].join('\n');
}

// One command on haproxy's admin socket; resolves its whole answer.
function haproxyCommand(sock, command) {
  return new Promise((resolve, reject) => {
    const c = net.createConnection(sock);
    let out = '';
    const timer = setTimeout(() => { c.destroy(); reject(new Error(`haproxy socket: ${command}: timeout`)); }, 5000);
    c.setEncoding('utf8');
    c.on('connect', () => c.write(`${command}\n`));
    c.on('data', (d) => { out += d; });
    c.on('error', (e) => { clearTimeout(timer); reject(e); });
    c.on('end', () => { clearTimeout(timer); resolve(out); });
  });
}

// {server name: status} of the backend, from `show stat` (UP, DOWN, ...).
async function backendStatus(sock) {
  const lines = (await haproxyCommand(sock, 'show stat')).split('\n');
  const cols = lines[0].replace(/^# /, '').split(',');
  const out = {};
  for (const l of lines.slice(1)) {
    const f = l.split(',');
    if (f[0] === 'hearth' && !['FRONTEND', 'BACKEND'].includes(f[1])) out[f[1]] = f[cols.indexOf('status')];
  }
  return out;
}

async function startHaproxy(dir, servers) {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const sock = path.join(dir, `admin-${attempt}.sock`);
    const cfg = path.join(dir, `haproxy-${attempt}.cfg`);
    fs.writeFileSync(cfg, haproxyConfig(port, sock, servers));
    const check = await new Promise((resolve) => {
      const c = spawn(HAPROXY, ['-c', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
      let e = '';
      c.stderr.setEncoding('utf8').on('data', (d) => { e += d; });
      c.stdout.setEncoding('utf8').on('data', (d) => { e += d; });
      c.on('close', (code) => resolve({ code, e }));
    });
    if (check.code !== 0) throw new Error(`haproxy -c: ${check.e}`);
    const child = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    let exitInfo = null;
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      children.delete(child); exitInfo = { code, signal }; resolve(exitInfo);
    }));
    const base = `http://127.0.0.1:${port}`;
    try {
      // up once every server passed its check and the frontend answers
      await until('haproxy sees every server up', async () => {
        if (exitInfo) throw new Error(`haproxy exited ${JSON.stringify(exitInfo)}: ${out}`);
        try {
          const st = await backendStatus(sock);
          return servers.every((x) => st[x.name] === 'UP');
        } catch (_) { return false; }
      });
      return { base, sock, child, exited, output: () => out };
    } catch (err) {
      child.kill('SIGKILL');
      await exited;
      if (attempt < 2 && /cannot bind|Address already in use/i.test(out)) continue; // the port was taken meanwhile
      throw err;
    }
  }
}

async function call(base, method, urlPath, { token, body, form, headers = {} } = {}) {
  const hdrs = { Accept: 'application/json', ...headers };
  if (token) hdrs.Authorization = `Bearer ${token}`;
  let payload;
  if (form) { payload = new URLSearchParams(form).toString(); hdrs['Content-Type'] = 'application/x-www-form-urlencoded'; }
  else if (body instanceof FormData) payload = body;
  else if (body !== undefined) { payload = JSON.stringify(body); hdrs['Content-Type'] = 'application/json'; }
  const res = await fetch(base + urlPath, { method, headers: hdrs, body: payload, signal: AbortSignal.timeout(20000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let parsed = null;
  try { parsed = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, bytes, body: parsed };
}

after(async () => { for (const c of cleanups.reverse()) { try { await c(); } catch (_) { /* gone */ } } });

describe('three servers on one PostgreSQL database behind haproxy', { skip: skipReason() }, () => {
  let env; // the CLI's environment (server A's data directory)
  let servers; // [A, B, C]
  let lb; // haproxy
  let clientId;
  let admin; // {id, token}
  let media;
  let targets; // [lb, A, B, C]: {name, base}
  let seq = 0;

  const sql = (q) => cliOk(env, ['sql', q]);
  const token = async (base, username, password) => {
    const r = await call(base, 'POST', '/oauth/token/', { form: { grant_type: 'password', username, password, client_id: clientId } });
    expectStatus(r, 200, `login ${username} at ${base}`);
    return r.body;
  };
  // users created round-robin on every target, logged in on the next one
  const makeUsers = async (prefix, n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const username = `${prefix}${seq++}`;
      const r = await call(targets[i % 4].base, 'POST', '/api/v2/sso/signup/', { token: admin.token, body: { username, password: PW } });
      expectStatus(r, 201, `signup ${username}`);
      out.push({ id: r.body.id, username, token: (await token(targets[(i + 1) % 4].base, username, PW)).access_token });
    }
    return out;
  };
  const setFollowMode = async (base, on) => {
    const r = await call(base, 'PATCH', '/api/v2/dynamic_preference/', { token: admin.token, body: { 'configurations.follow_enabled': on } });
    expectStatus(r, 200, 'set follow_enabled');
  };
  const hearthCheck = async () => {
    const r = await runCli(env, ['check']);
    assert.equal(r.code, 0, `hearth check: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, 'counters: ok');
  };

  before(async () => {
    const db = (await h.createDatabase()).url;
    cleanups.push(() => h.dropDatabase(new URL(db).pathname.slice(1)));
    media = tempDir('hearth-cluster-media-');
    const base = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HEARTH_')) base[k] = v;
    const envOf = (dataDir) => ({
      ...base,
      HEARTH_DB: db,
      HEARTH_DATA_DIR: dataDir,
      HEARTH_MEDIA_DIR: media,
      HEARTH_TRUSTED_PROXIES: '127.0.0.1',
      HEARTH_PASSWORD_COST: 'min',
      // the TCP peer behind haproxy is haproxy: no per-peer connection cap
      HEARTH_PER_IP_LIMIT: '0',
    });
    const dirs = NAMES.map((n) => tempDir(`hearth-cluster-${n}-`));
    env = envOf(dirs[0]);
    await cliOk(env, ['migrate']);
    admin = jsonLine(await cliOk(env, ['user', 'create', '--username', 'admin', '--password', ADMIN_PW,
      '--email', 'admin@example.com', '--role', 'admin']));
    clientId = jsonLine(await cliOk(env, ['client', 'create', '--name', 'cluster'])).client_id;

    // the three at the same moment
    servers = await Promise.all(NAMES.map((n, i) => serve(n, envOf(dirs[i]))));
    cleanups.push(async () => {
      for (const x of servers) if (x.child.exitCode === null && x.child.signalCode === null) x.child.kill('SIGTERM');
      await Promise.all(servers.map((x) => Promise.race([x.exited, new Promise((r) => setTimeout(r, 5000))])));
      for (const x of servers) if (x.child.exitCode === null && x.child.signalCode === null) x.child.kill('SIGKILL');
    });
    lb = await startHaproxy(tempDir('hearth-cluster-haproxy-'), servers);
    cleanups.push(async () => { lb.child.kill('SIGTERM'); await Promise.race([lb.exited, new Promise((r) => setTimeout(r, 5000))]); lb.child.kill('SIGKILL'); });
    targets = [{ name: 'haproxy', base: lb.base }, ...servers];
    admin.token = (await token(lb.base, 'admin', ADMIN_PW)).access_token;
  });

  it('every server and the load balancer answer /health; the admin token of one is valid on all', async () => {
    for (const t of targets) {
      const r = await call(t.base, 'GET', '/health');
      expectStatus(r, 200, t.name);
      assert.deepEqual(r.body, { status: 'ok' });
      const me = await call(t.base, 'GET', '/api/v2/user/me/', { token: admin.token });
      expectStatus(me, 200, t.name);
      assert.equal(me.body.username, 'admin');
    }
    // round-robin: the load balancer spreads requests over all three
    const before = await backendStats();
    for (let i = 0; i < 9; i++) expectStatus(await call(lb.base, 'GET', '/api/v2/user/me/', { token: admin.token }), 200);
    const afterStats = await backendStats();
    for (const n of NAMES) assert.ok(afterStats[n] - before[n] >= 2, `server ${n} got its share: ${JSON.stringify({ before, afterStats })}`);
  });

  // Requests each server got from haproxy (stot of `show stat`).
  async function backendStats() {
    const lines = (await haproxyCommand(lb.sock, 'show stat')).split('\n');
    const cols = lines[0].replace(/^# /, '').split(',');
    const out = {};
    for (const l of lines.slice(1)) {
      const f = l.split(',');
      if (f[0] === 'hearth' && NAMES.includes(f[1])) out[f[1]] = Number(f[cols.indexOf('stot')]);
    }
    return out;
  }

  it('a follow made on A is seen on B, C and through the load balancer at once (counters and lists)', async () => {
    const [A, B, C] = servers;
    await setFollowMode(A.base, true);
    const [x, y] = await makeUsers('fol', 2);
    expectStatus(await call(A.base, 'POST', `/api/v2/user/${y.id}/follow/`, { token: x.token }), 204, 'follow on A');
    for (const t of [B, C, lb, A]) {
      const cy = await call(t.base, 'GET', `/api/v2/user/${y.id}/counters/`);
      expectStatus(cy, 200);
      assert.equal(cy.body.followers, 1, `followers of y on ${t.name || 'haproxy'}`);
      const cx = await call(t.base, 'GET', `/api/v2/user/${x.id}/counters/`);
      assert.equal(cx.body.followings, 1, `followings of x on ${t.name || 'haproxy'}`);
      const fl = await call(t.base, 'GET', `/api/v2/user/${y.id}/followers/`, { token: x.token });
      expectStatus(fl, 200);
      assert.deepEqual(fl.body.results.map((u) => u.id), [x.id]);
      const fg = await call(t.base, 'GET', `/api/v2/user/${x.id}/followings/`, { token: y.token });
      expectStatus(fg, 200);
      assert.deepEqual(fg.body.results.map((u) => u.id), [y.id]);
      const is = await call(t.base, 'GET', `/api/v2/user/${y.id}/is_followed/`, { token: x.token });
      expectStatus(is, 200);
      assert.deepEqual(is.body, { is_followed: true });
    }
    // and an unfollow on C is seen on A and B at once
    expectStatus(await call(C.base, 'POST', `/api/v2/user/${y.id}/follow/`, { token: x.token }), 204, 'unfollow on C');
    for (const t of [A, B, lb]) {
      assert.equal((await call(t.base, 'GET', `/api/v2/user/${y.id}/counters/`)).body.followers, 0);
      assert.equal((await call(t.base, 'GET', `/api/v2/user/${y.id}/followers/`, { token: x.token })).body.count, 0);
    }
  });

  it('20 parallel clients toggling follows and connections among a few users over all servers: no 5xx, exact counters, hearth check clean', async () => {
    const CLIENTS = 20;
    await setFollowMode(lb.base, true);
    const clients = await makeUsers('conc', CLIENTS);
    const few = await makeUsers('tgt', 3);
    const next = rng(20261206);
    // follows: 200 toggles, pairs toggled an odd number of times end followed
    const plans = clients.map(() => []);
    for (let i = 0; i < 200; i++) plans[i % CLIENTS].push(few[next() % few.length]);
    const parity = new Map();
    plans.forEach((plan, c) => plan.forEach((t) => { const k = `${clients[c].id}:${t.id}`; parity.set(k, !parity.get(k)); }));
    const statuses = [];
    let turn = 0;
    const lane = async (c, plan) => {
      for (const t of plan) {
        const where = targets[turn++ % targets.length];
        const r = await call(where.base, 'POST', `/api/v2/user/${t.id}/follow/`, { token: clients[c].token });
        statuses.push(`${where.name || 'haproxy'} ${r.status}`);
        assert.ok(r.status < 500, `follow via ${where.name || 'haproxy'}: ${h.show(r)}`);
      }
    };
    await Promise.all(plans.map((plan, c) => Promise.all([
      lane(c, plan.filter((_, i) => i % 2 === 0)),
      lane(c, plan.filter((_, i) => i % 2 === 1)),
    ])));
    assert.equal(statuses.length, 200);
    assert.ok(statuses.every((s) => s.endsWith(' 204')), statuses.filter((s) => !s.endsWith(' 204')).join(', '));
    for (const t of few) {
      const expected = clients.filter((c) => parity.get(`${c.id}:${t.id}`)).map((c) => c.id).sort((a, b) => a - b);
      for (const where of targets) {
        const c = await call(where.base, 'GET', `/api/v2/user/${t.id}/counters/`);
        assert.equal(c.body.followers, expected.length, `followers of ${t.username} on ${where.name || 'haproxy'}`);
      }
      const list = await call(servers[next() % 3].base, 'GET', `/api/v2/user/${t.id}/followers/?limit=100`, { token: t.token });
      assert.deepEqual(list.body.results.map((u) => u.id).sort((a, b) => a - b), expected);
    }
    for (const c of clients) {
      const expected = few.filter((t) => parity.get(`${c.id}:${t.id}`)).length;
      assert.equal((await call(targets[c.id % 4].base, 'GET', `/api/v2/user/${c.id}/counters/`)).body.followings, expected);
    }
    await hearthCheck();

    // connections: 20 lanes requesting, accepting, rejecting, cancelling and
    // removing among four users, each action on the next target
    await setFollowMode(servers[1].base, false);
    const ring = await makeUsers('ring', 4);
    const ACTIONS = ['request', 'accept', 'reject', 'cancel_request', 'remove'];
    const acts = [];
    const connLane = async () => {
      for (let i = 0; i < 12; i++) {
        const a = ring[next() % ring.length];
        let b = ring[next() % ring.length];
        if (b === a) b = ring[(ring.indexOf(a) + 1) % ring.length];
        const action = ACTIONS[next() % ACTIONS.length];
        const where = targets[turn++ % targets.length];
        const r = await call(where.base, 'POST', `/api/v2/user/${b.id}/connection/${action}/`, { token: a.token });
        acts.push(`${action} ${r.status}`);
        assert.ok(r.status < 500, `${action} via ${where.name || 'haproxy'}: ${h.show(r)}`);
        if (r.status !== 204) h.expectError(r, 400);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, connLane));
    assert.equal(acts.length, CLIENTS * 12);
    assert.ok(acts.some((x) => x.endsWith(' 204')), acts.join(', '));
    for (const u of ring) {
      for (const where of targets) {
        const c = await call(where.base, 'GET', `/api/v2/user/${u.id}/counters/`);
        const conns = await call(where.base, 'GET', `/api/v2/user/${u.id}/connections/?limit=100`, { token: u.token });
        expectStatus(conns, 200);
        assert.equal(c.body.connections_counter, conns.body.count, `connections of ${u.username} on ${where.name || 'haproxy'}`);
        const received = await call(where.base, 'GET', '/api/v2/user/connection/requests/?limit=100', { token: u.token });
        expectStatus(received, 200);
        assert.equal(c.body.connection_requests_received_counter, received.body.count, `requests to ${u.username}`);
      }
    }
    await hearthCheck();
    await setFollowMode(servers[2].base, true);
  });

  it('a username signed up concurrently on all three (and through haproxy) gets exactly one 201', async () => {
    // the admin's sign-up (sso/signup) and the public one (account/create)
    const ssoTries = [];
    for (let i = 0; i < 2; i++) {
      for (const t of targets) {
        ssoTries.push(call(t.base, 'POST', '/api/v2/sso/signup/', {
          token: admin.token, body: { username: 'Twice', password: PW, email: `twice${ssoTries.length}@example.com` },
        }));
      }
    }
    const sso = await Promise.all(ssoTries);
    assert.equal(sso.filter((r) => r.status === 201).length, 1, sso.map((r) => h.show(r)).join('\n'));
    for (const r of sso.filter((x) => x.status !== 201)) h.expectFieldError(r, 400, 'username', 'unique');
    assert.equal(await sql("SELECT count(*) FROM users WHERE username_fold = 'twice'"), '1');

    await cliOk(env, ['pref', 'set', 'configurations.signup_enabled', 'true']);
    const pub = await Promise.all(targets.map((t, i) => call(t.base, 'POST', '/api/v2/account/create/', {
      body: { username: 'pubTwice', password: PW, email: `pub${i}@example.com` },
    })));
    assert.equal(pub.filter((r) => r.status === 201).length, 1, pub.map((r) => h.show(r)).join('\n'));
    for (const r of pub.filter((x) => x.status !== 201)) h.expectFieldError(r, 400, 'username', 'unique');
    assert.equal(await sql("SELECT count(*) FROM users WHERE username_fold = 'pubtwice'"), '1');
    await cliOk(env, ['pref', 'set', 'configurations.signup_enabled', 'false']);
  });

  it('a refresh token sent to all servers at once succeeds exactly once', async () => {
    const [u] = await makeUsers('refresh', 1);
    for (let round = 0; round < 3; round++) {
      const first = await token(targets[round].base, u.username, PW);
      const tries = await Promise.all(targets.map((t) => call(t.base, 'POST', '/oauth/token/', {
        form: { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId },
      })));
      const ok = tries.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, tries.map((r) => h.show(r)).join('\n'));
      for (const r of tries.filter((x) => x.status !== 200)) expectOAuthError(r, 400, 'invalid_grant');
      // the winner's tokens work everywhere; the old refresh token nowhere
      for (const t of targets) {
        expectStatus(await call(t.base, 'GET', '/api/v2/user/me/', { token: ok[0].body.access_token }), 200, t.name || 'haproxy');
      }
      const again = await call(servers[round].base, 'POST', '/oauth/token/', {
        form: { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId },
      });
      expectOAuthError(again, 400, 'invalid_grant');
    }
  });

  it('failed logins count across servers: 10 spread over all of them lock the account on every one', async () => {
    const [u] = await makeUsers('locked', 1);
    const login = (base, password) => call(base, 'POST', '/oauth/token/', {
      form: { grant_type: 'password', username: u.username, password, client_id: clientId },
    });
    // 8 one after another over all four, then 2 at once on two servers
    for (let i = 0; i < 8; i++) expectOAuthError(await login(targets[i % 4].base, 'wrong-Passw0rd'), 400, 'invalid_grant');
    for (const r of await Promise.all([login(servers[0].base, 'wrong-Passw0rd'), login(servers[2].base, 'wrong-Passw0rd')])) {
      expectOAuthError(r, 400, 'invalid_grant');
    }
    for (const t of targets) {
      const r = await login(t.base, PW);
      expectOAuthError(r, 429, 'slow_down');
      assert.equal(r.headers.get('ratelimit-limit'), '10');
      assert.equal(r.headers.get('ratelimit-remaining'), '0');
      assert.match(r.headers.get('retry-after') || '', /^[1-9][0-9]*$/);
    }
  });

  it('a preference changed on A applies on B and C at the next request (API and hearth pref set)', async () => {
    const [A] = servers;
    const [u, v] = await makeUsers('pref', 2);
    // every request on a new connection, so that every server thread answers some
    const statuses = async (t) => {
      const out = new Set();
      for (let i = 0; i < 6; i++) {
        out.add((await h.rawRequest(t.base, 'GET', `/api/v2/user/${v.id}/is_followed/`,
          { headers: { Authorization: `Bearer ${u.token}`, Accept: 'application/json' } })).status);
      }
      return [...out];
    };
    for (const t of targets) assert.deepEqual(await statuses(t), [200], `follow mode on ${t.name || 'haproxy'}`);
    await setFollowMode(A.base, false);
    for (const t of targets) assert.deepEqual(await statuses(t), [403], `friendship mode on ${t.name || 'haproxy'}`);
    await cliOk(env, ['pref', 'set', 'configurations.follow_enabled', 'true']);
    for (const t of targets) assert.deepEqual(await statuses(t), [200], `follow mode again on ${t.name || 'haproxy'}`);
    // a visible preference value, read back everywhere
    const r = await call(A.base, 'PATCH', '/api/v2/dynamic_preference/', { token: admin.token, body: { 'text.application_name': 'Cluster Town' } });
    expectStatus(r, 200);
    for (const t of targets) {
      const list = await call(t.base, 'GET', '/api/v2/dynamic_preference/?keys=text.application_name');
      expectStatus(list, 200);
      assert.equal(list.body.results[0].value, 'Cluster Town', `application_name on ${t.name || 'haproxy'}`);
    }
  });

  it('a file uploaded through A is served by B, C and the load balancer', async () => {
    const [A, B, C] = servers;
    const [u] = await makeUsers('media', 1);
    const png = makePNG(16, 16, { seed: 12 });
    const form = new FormData();
    form.append('avatar', new File([png], 'face.png'));
    const up = await call(A.base, 'POST', '/api/v2/user/avatar/', { token: u.token, body: form });
    expectStatus(up, 201);
    const name = path.basename(new URL(up.body.avatar).pathname);
    assert.ok(fs.readdirSync(media).includes(name), 'stored in the shared media directory');
    for (const t of [B, C, lb]) {
      const served = await call(t.base, 'GET', `/media/${name}`);
      expectStatus(served, 200, t.name || 'haproxy');
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.ok(served.bytes.equals(png), `the same bytes from ${t.name || 'haproxy'}`);
    }
    // the gallery entry is seen on B
    const gallery = await call(B.base, 'GET', '/api/v2/user/avatar/', { token: u.token });
    expectStatus(gallery, 200);
    assert.ok(JSON.stringify(gallery.body).includes(name));
  });

  it('a server killed mid-load loses no acknowledged write, and haproxy routes around it', async () => {
    const [A, B, C] = servers;
    const acked = [];
    const failed = [];
    let stop = false;
    let n = 0;
    // writes through the load balancer and straight to every server
    const lane = async (k) => {
      while (!stop) {
        const where = targets[(k + n) % targets.length];
        const username = `load${n++}`;
        try {
          const r = await call(where.base, 'POST', '/api/v2/sso/signup/', { token: admin.token, body: { username, password: PW } });
          if (r.status === 201) acked.push({ username, id: r.body.id });
          else if (r.status >= 200 && r.status < 300) throw new Error(`unexpected ${r.status}`);
          else failed.push(`${where.name || 'haproxy'} ${r.status}`);
        } catch (err) {
          if (/unexpected/.test(err.message)) throw err;
          failed.push(`${where.name || 'haproxy'} ${err.cause ? err.cause.code : err.message}`);
        }
      }
    };
    const lanes = Array.from({ length: 8 }, (_, k) => lane(k));
    try {
      await until('30 writes before the kill', () => acked.length >= 30);
      C.child.kill('SIGKILL');
      const gone = await C.exited;
      assert.equal(gone.signal, 'SIGKILL');
      await until('30 more writes after the kill', () => acked.length >= 60);
      // haproxy's health check marks C down
      await until('haproxy marks c DOWN', async () => (await backendStatus(lb.sock)).c === 'DOWN');
    } finally {
      stop = true;
      await Promise.all(lanes);
    }
    // from now on every request through the load balancer succeeds
    const after = await Promise.all(Array.from({ length: 30 }, (_, i) => call(lb.base, 'POST', '/api/v2/sso/signup/', {
      token: admin.token, body: { username: `after${i}`, password: PW },
    })));
    for (const r of after) expectStatus(r, 201, 'through haproxy after c is down');
    // nothing sent straight to A or B ever failed; only C and haproxy saw the kill
    assert.deepEqual(failed.filter((f) => /^[ab] /.test(f)), []);
    await assert.rejects(call(C.base, 'GET', '/health'), 'the killed server is gone');
    for (let i = 0; i < 12; i++) expectStatus(await call(lb.base, 'GET', `/api/v2/user/${after[i].body.id}/`, { token: admin.token }), 200);
    const st = await backendStatus(lb.sock);
    assert.equal(st.a, 'UP');
    assert.equal(st.b, 'UP');

    // every acknowledged write is in the database, with the id it was given
    const rows = new Map((await sql("SELECT username || ' ' || id FROM users WHERE username LIKE 'load%'"))
      .split('\n').filter(Boolean).map((l) => l.trim().split(' ')).map(([name, id]) => [name, Number(id)]));
    for (const w of acked) assert.equal(rows.get(w.username), w.id, `acknowledged ${w.username} is in the database`);
    assert.equal(await sql("SELECT count(*) FROM users WHERE username LIKE 'after%'"), '30');
    // and the survivors still agree on it
    for (const t of [A, B]) {
      const r = await call(t.base, 'GET', `/api/v2/user/${acked[acked.length - 1].id}/`, { token: admin.token });
      expectStatus(r, 200);
    }
    await hearthCheck();
  });
});
