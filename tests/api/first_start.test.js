'use strict';
// Several servers started at the same moment on one empty database: one
// migrates while the others wait, exactly one admin and one OAuth client
// are created, and every server serves. The JWT secret, when none is
// configured: on PostgreSQL stored once in the database and read by every
// server (a JWT minted against one is valid on all, and no server writes a
// secret file); on SQLite (one server per file) the data directory's file,
// as before. GET /health answers 503 when the PostgreSQL database is gone.

const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const LISTEN_RE = /hearth: listening on (http:\/\/127\.0\.0\.1:\d+)/;
const FIRST_START_RE = /first start: created admin user 'admin' \(id (\d+)\) with password (\S+)\n.*OAuth client_id (\S+)/;
const BIN = process.env.HEARTH_BIN || path.join(h.REPO, 'build', 'hearth');

const cleanups = [];

// The environment of a hearth process: none of the developer's HEARTH_*,
// no configured JWT secret.
function envFor(db, dataDir) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HEARTH_')) env[k] = v;
  return { ...env, HEARTH_DB: db, HEARTH_DATA_DIR: dataDir, HEARTH_PASSWORD_COST: 'min', HEARTH_PER_IP_LIMIT: '100000' };
}

function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Starts `hearth serve`; resolves {base, output(), stop()} once it listens.
function serve(env) {
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--threads', '2'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => { child.kill('SIGTERM'); return exited; };
  cleanups.push(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no listening line: ${out}`)); }, 30000);
    const check = (d) => {
      out += d;
      const m = LISTEN_RE.exec(out);
      if (m) { clearTimeout(timer); resolve({ base: m[1], output: () => out, stop }); }
    };
    child.stdout.setEncoding('utf8').on('data', check);
    child.stderr.setEncoding('utf8').on('data', check);
    exited.then((info) => { clearTimeout(timer); reject(new Error(`the server exited ${JSON.stringify(info)}: ${out}`)); });
  });
}

function run(env, args) {
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

async function get(url, token) {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(20000) });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, body, text };
}

async function login(base, clientId, password) {
  const res = await fetch(`${base}/oauth/token/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: 'admin', password, client_id: clientId }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

after(async () => { for (const c of cleanups.reverse()) { try { await c(); } catch (_) { /* gone */ } } });

describe('three servers started at once on an empty database', () => {
  it('one admin and one client are created, every server serves and accepts the others\' tokens', async () => {
    let db;
    let dirs;
    if (h.pg) {
      db = (await h.createDatabase()).url;
      cleanups.push(() => h.dropDatabase(new URL(db).pathname.slice(1)));
      dirs = [tempDir('hearth-a-'), tempDir('hearth-b-'), tempDir('hearth-c-')];
    } else {
      const dir = tempDir('hearth-sqlite-'); // one database file, one data directory
      db = path.join(dir, 'hearth.db');
      dirs = [dir, dir, dir];
    }
    const servers = await Promise.all(dirs.map((d) => serve(envFor(db, d))));
    const created = servers.map((x) => FIRST_START_RE.exec(x.output())).filter(Boolean);
    assert.equal(created.length, 1, servers.map((x) => x.output()).join('\n----\n'));
    const [, adminId, password, clientId] = created[0];
    const env = envFor(db, dirs[0]);
    assert.equal((await run(env, ['sql', 'SELECT count(*) FROM users'])).stdout, '1');
    assert.equal((await run(env, ['sql', 'SELECT count(*) FROM oauth_clients'])).stdout, '1');

    // the admin logs in through every server
    for (const x of servers) assert.equal((await login(x.base, clientId, password)).status, 200);
    // one JWT, minted by the CLI from A's configuration, is valid on all three
    const minted = await run(env, ['token', '--user', adminId]);
    assert.equal(minted.code, 0, minted.stderr);
    const jwt = minted.stdout.split('\n').pop().trim();
    for (const x of servers) {
      const me = await get(`${x.base}/api/v2/user/me/`, jwt);
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.username, 'admin');
      assert.deepEqual((await get(`${x.base}/health`)).body, { status: 'ok' });
    }
    if (h.pg) {
      // the secret lives in the database, never in a data directory
      for (const d of dirs) assert.ok(!fs.existsSync(path.join(d, 'jwt_secret')), `no jwt_secret file in ${d}`);
      const names = (await run(env, ['sql', 'SELECT name FROM server_secrets ORDER BY name'])).stdout.split('\n');
      assert.deepEqual(names, ['jwt_secret', 'ratelimit_key']);
    } else {
      assert.ok(fs.existsSync(path.join(dirs[0], 'jwt_secret')), 'SQLite keeps the generated secret in the data directory');
    }
    for (const x of servers) assert.equal((await x.stop()).code, 0);
    // a restart keeps the secret: the same JWT is still valid
    const again = await serve(envFor(db, h.pg ? tempDir('hearth-d-') : dirs[0]));
    assert.equal((await get(`${again.base}/api/v2/user/me/`, jwt)).status, 200);
    assert.doesNotMatch(again.output(), /first start/);
    await again.stop();
  });
});

describe('GET /health when the PostgreSQL database is gone', { skip: !h.pg && 'PostgreSQL only: an SQLite file cannot stop answering' }, () => {
  it('503 unavailable on every check; the health check itself logs nothing', async () => {
    const { name, url } = await h.createDatabase();
    const x = await serve(envFor(url, tempDir('hearth-gone-')));
    try {
      assert.deepEqual((await get(`${x.base}/health`)).body, { status: 'ok' });
      await h.dropDatabase(name); // WITH (FORCE): the server's connections are cut
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push(await get(`${x.base}/health`));
      for (const r of statuses) {
        assert.equal(r.status, 503, r.text);
        // the check's own answer, or the request layer's when the connection cannot even begin
        const own = r.body && r.body.status === 'unavailable';
        const layer = r.body && Array.isArray(r.body.errors) && r.body.errors[0].code === 'unavailable';
        assert.ok(own || layer, r.text);
      }
      const errorLines = x.output().split('\n').filter((l) => / error /.test(l));
      assert.ok(!errorLines.some((l) => /health/.test(l)), errorLines.join('\n'));
    } finally {
      await x.stop();
    }
  });
});
