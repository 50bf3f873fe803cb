'use strict';
// PostgreSQL only (skipped without HEARTH_TEST_PG; make test's second run
// sets it): what the PostgreSQL backend does that SQLite has no counterpart
// for.
// - A database URL that does not work (nothing listening, a wrong password,
//   a database that does not exist, a role without the privileges the
//   migrations need): `hearth serve` and the CLI exit non-zero with one line
//   that names what failed, and never print the password.
// - A database migrated by a newer hearth (a migration this binary does not
//   know) is refused with a message naming it.
// - PostgreSQL restarted under a running hearth: requests during the outage
//   answer 503 with Retry-After, requests after it succeed, and the server
//   never exits. This runs on a cluster of its own (scripts/pg-cluster.sh),
//   so the other suites on the shared cluster are not disturbed.
// The concurrency test of the locking rule (20 parallel clients toggling
// follows and connections between the same few users, hearth check clean,
// no 5xx) is graph_concurrency.test.js, which runs on both backends.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const h = require('./harness');

const { expectStatus, expectError } = h;

const SKIP = !h.pg && 'PostgreSQL only: set HEARTH_TEST_PG to a base URL (scripts/pg-cluster.sh start DIR prints one)';
const BIN = process.env.HEARTH_BIN || path.join(h.REPO, 'build', 'hearth');
const CLUSTER = path.join(h.REPO, 'scripts', 'pg-cluster.sh');
const CLI_TIMEOUT_MS = 30000;

// The environment of a hearth command outside the harness: no HEARTH_* and
// no PG* settings of the developer's (PGPASSWORD would hide a wrong password).
function cleanEnv(dir, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HEARTH_') && !k.startsWith('PG')) env[k] = v;
  }
  return { ...env, HEARTH_DATA_DIR: dir, HEARTH_PASSWORD_COST: 'min', HEARTH_JWT_SECRET: crypto.randomBytes(32).toString('hex'), ...extra };
}

// Runs hearth with args; resolves {code, signal, stdout, stderr, timedOut}.
function hearth(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, CLI_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr, timedOut }); });
  });
}

// A loopback port nothing listens on (bound, then closed).
function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function withUrl(base, { user, password, port, database } = {}) {
  const u = new URL(base);
  if (user !== undefined) u.username = user;
  if (password !== undefined) u.password = password;
  if (port !== undefined) u.port = String(port);
  if (database !== undefined) u.pathname = `/${database}`;
  return u.toString();
}

// "user:password@" of a URL
function userinfo(url) {
  const u = new URL(url);
  return `${u.username}:${u.password}@`;
}

// A refused start: a non-zero exit of its own (not a timeout or a signal),
// exactly one line on stderr that matches `what`, and `secret` (a password,
// or user:password@ where the password is too common a word) nowhere.
function expectRefused(r, what, secret, label) {
  const out = `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' after the timeout' : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.equal(r.timedOut, false, `${label}: still running after ${CLI_TIMEOUT_MS} ms: ${out}`);
  assert.equal(r.signal, null, `${label}: ${out}`);
  assert.notEqual(r.code, 0, `${label}: ${out}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `${label}: one line on stderr: ${out}`);
  for (const re of [].concat(what)) assert.match(lines[0], re, `${label}: ${out}`);
  if (secret) assert.ok(!(r.stdout + r.stderr).includes(secret), `${label}: the password is printed: ${out}`);
}

describe('postgres: a database URL that does not work', { skip: SKIP }, () => {
  let dir;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pgurl-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const starts = (url) => [
    ['serve', ['serve', '--listen', '127.0.0.1:0', '--db', url]],
    ['migrate', ['migrate', '--db', url]],
    ['check', ['check', '--db', url]],
  ];

  it('nothing listening on the port: one line naming the address, non-zero exit', async () => {
    const port = await closedPort();
    const secret = `pw-${crypto.randomBytes(6).toString('hex')}`;
    const url = withUrl(h.pgBase, { port, password: secret });
    for (const [label, args] of starts(url)) {
      expectRefused(await hearth(args, cleanEnv(dir)), [/127\.0\.0\.1/, new RegExp(`\\b${port}\\b`)], secret, label);
    }
  });

  it('a wrong password: one line saying the authentication failed, without the password', async () => {
    const secret = `wrong-${crypto.randomBytes(6).toString('hex')}`;
    const url = withUrl(h.pgBase, { password: secret });
    for (const [label, args] of starts(url)) {
      expectRefused(await hearth(args, cleanEnv(dir)), /password authentication failed/, secret, label);
    }
  });

  it('a database that does not exist: one line naming it', async () => {
    const name = `hearth_missing_${crypto.randomBytes(4).toString('hex')}`;
    const url = withUrl(h.pgBase, { database: name });
    for (const [label, args] of starts(url)) {
      expectRefused(await hearth(args, cleanEnv(dir)), new RegExp(`"?${name}"? does not exist`), userinfo(url), label);
    }
  });

  it('HEARTH_DB works like --db (the same refusal)', async () => {
    const name = `hearth_missing_${crypto.randomBytes(4).toString('hex')}`;
    const r = await hearth(['migrate'], cleanEnv(dir, { HEARTH_DB: withUrl(h.pgBase, { database: name }) }));
    expectRefused(r, new RegExp(`"?${name}"? does not exist`), userinfo(h.pgBase), 'migrate');
  });

  it('a role without the privileges the migrations need: one line naming what was denied', async () => {
    const role = `hearth_weak_${crypto.randomBytes(4).toString('hex')}`;
    const password = `weak-${crypto.randomBytes(6).toString('hex')}`;
    const db = await h.createDatabase();
    await h.psql(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    try {
      // the database belongs to the test role; since PostgreSQL 15 others may
      // not create tables in its public schema
      const url = withUrl(db.url, { user: role, password });
      const r = await hearth(['migrate', '--db', url], cleanEnv(dir));
      expectRefused(r, [/permission denied/i, /schema public|public/], password, 'migrate');
      const serve = await hearth(['serve', '--listen', '127.0.0.1:0', '--db', url], cleanEnv(dir));
      expectRefused(serve, /permission denied/i, password, 'serve');
    } finally {
      await h.dropDatabase(db.name);
      await h.psql(`DROP ROLE IF EXISTS "${role}"`);
    }
  });
});

describe('postgres: a database migrated by a newer hearth', { skip: SKIP }, () => {
  let s;
  const FUTURE = '999_from_a_newer_hearth';
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  // psql on the server's own database
  const psqlDb = (sql) => execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', s.db, '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  it('the migrations table is schema_migrations with a name per migration', () => {
    const names = psqlDb('SELECT name FROM schema_migrations ORDER BY name').split('\n');
    assert.ok(names.length >= 1 && /^001_/.test(names[0]), `schema_migrations: ${names}`);
  });

  it('is refused with a message naming the migration it does not know; nothing is changed', async () => {
    // a copy of a real row under another name, whatever the other columns are
    psqlDb(`CREATE TEMP TABLE m AS SELECT * FROM schema_migrations LIMIT 1;
            UPDATE m SET name = '${FUTURE}';
            INSERT INTO schema_migrations SELECT * FROM m;`);
    const before = psqlDb('SELECT count(*) FROM schema_migrations');
    try {
      for (const [label, args] of [['migrate', ['migrate']], ['check', ['check']], ['serve', ['serve', '--listen', '127.0.0.1:0']]]) {
        const r = await hearth(args, { ...s.env });
        expectRefused(r, [new RegExp(FUTURE)], userinfo(s.db), label);
      }
      await assert.rejects(s.startSecondServer(), new RegExp(FUTURE), 'a second server does not start');
      assert.equal(psqlDb('SELECT count(*) FROM schema_migrations'), before);
    } finally {
      psqlDb(`DELETE FROM schema_migrations WHERE name = '${FUTURE}'`);
    }
    // without it, everything works again
    expectStatus(await s.api('GET', `/api/v2/user/${s.admin.id}/`, { token: s.admin.token }), 200);
    assert.equal((await hearth(['migrate'], { ...s.env })).code, 0);
  });
});

describe('postgres: restarted under a running hearth', { skip: SKIP }, () => {
  let dir; // a cluster of its own
  let s;
  let alice;
  let aliceToken;
  const cluster = (...args) => execFileSync('sh', [CLUSTER, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pg-outage-'));
    const base = cluster('start', dir);
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', base, '-c', 'CREATE DATABASE outage'], { stdio: 'ignore' });
    s = await h.startServer({ env: { HEARTH_DB: withUrl(base, { database: 'outage' }) } });
    alice = await s.createUser({ username: 'alice', password: 'Al1ce!pass-long' });
    aliceToken = await s.token(alice.id);
  });
  after(async () => {
    try {
      try { cluster('start', dir); } catch (_) { /* running already */ }
      if (s) await s.stop();
    } finally {
      try { cluster('stop', dir); } catch (_) { /* removed below */ }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const getAlice = () => s.api('GET', `/api/v2/user/${alice.id}/`, { token: aliceToken });
  const patchAlice = (name) => s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken, body: { real_name: name } });

  // Enough requests at once that every server thread (4) meets its
  // connection after the restart.
  async function allSucceed(label) {
    const reads = await Promise.all(Array.from({ length: 12 }, getAlice));
    reads.forEach((r, i) => expectStatus(r, 200, `${label}: read ${i}`));
    for (let i = 0; i < 8; i++) expectStatus(await getAlice(), 200, `${label}: sequential read ${i}`);
    const name = `Alice ${crypto.randomBytes(3).toString('hex')}`;
    expectStatus(await patchAlice(name), 200, `${label}: write`);
    const back = await getAlice();
    expectStatus(back, 200);
    assert.equal(back.body.real_name, name, `${label}: the write is there`);
  }

  it('a restart between requests: the next requests succeed', async () => {
    await allSucceed('before');
    cluster('restart', dir);
    await allSucceed('after the restart');
  });

  it('during an outage requests answer 503 with Retry-After; after it they succeed', async () => {
    await allSucceed('before');
    cluster('halt', dir);
    try {
      const during = [await getAlice(), await patchAlice('Alice Outage'), ...await Promise.all(Array.from({ length: 8 }, getAlice))];
      for (const [i, r] of during.entries()) {
        expectError(r, 503);
        assert.match(r.headers.get('retry-after') || '', /^[1-9][0-9]*$/, `request ${i} during the outage: Retry-After ${r.headers.get('retry-after')}`);
      }
      // the CLI says what failed in one line
      const check = await hearth(['check'], { ...s.env });
      expectRefused(check, /127\.0\.0\.1/, userinfo(s.db), 'check during the outage');
    } finally {
      cluster('start', dir);
    }
    await allSucceed('after the outage');
    assert.notEqual((await getAlice()).body.real_name, 'Alice Outage', 'the write during the outage did not happen');
    const check = await s.run(['check']);
    assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
  });
});
