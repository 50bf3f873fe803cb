'use strict';
// Test harness for the hearth API suite (run with `node --test tests/api/`).
//
// startServer() builds a fresh data directory, prepares it with the CLI
// (migrate, admin user, OAuth client), starts `hearth serve` on 127.0.0.1 with
// an OS-chosen port and returns helpers to talk to it. Always stop it in an
// after() hook: stop() also fails the suite if the server (or any CLI run)
// reported a sanitizer error.
//
// PostgreSQL: with HEARTH_TEST_PG set to a base URL (database `postgres`, a
// role that may create databases; scripts/pg-cluster.sh prints one), every
// server gets its own fresh database (CREATE DATABASE through psql, dropped
// when the server stops) and HEARTH_DB (= --db) is that database's URL, for
// the server and for every CLI command run with s.env. Otherwise each server
// has an SQLite file in its data directory, as before. h.pg / s.pg tell a
// test which one runs; h.sqliteOnly(reason) skips a test that is about
// SQLite itself, and h.pgPending(key) one whose PostgreSQL part is not there
// yet (the list is pg_pending.js).

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

// The official client logs a Logger.warn line on every failed request;
// silence exactly those lines (they start with "%c[@selfcommunity/...]").
const realWarn = console.warn.bind(console);
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith('%c[@selfcommunity')) return;
  realWarn(...args);
};

const api = require('@selfcommunity/api-services');

const REPO = path.resolve(__dirname, '..', '..');
const DEFAULT_BIN = path.join(REPO, 'build', 'hearth');
const ADMIN_PASSWORD = 'Adm1n!pass';
const SANITIZER_RE = /AddressSanitizer|LeakSanitizer|runtime error:/;
const LISTEN_RE = /hearth: listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const REQUEST_TIMEOUT_MS = 20000;

// PostgreSQL: the base URL, or '' for SQLite.
const PG_BASE = process.env.HEARTH_TEST_PG || '';
const pg = PG_BASE !== '';
const PSQL = process.env.HEARTH_TEST_PSQL || 'psql';
const pgLive = new Set(); // databases created and not dropped yet
let pgSeq = 0;

// Servers still running when the process exits are killed (a crashed test
// must never leave one behind), and their databases dropped.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch (_) { /* already gone */ }
  }
  for (const name of pgLive) {
    try {
      require('node:child_process').execFileSync(PSQL, psqlArgs(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
        { env: psqlEnv(), stdio: 'ignore', timeout: 10000 });
    } catch (_) { /* the cluster is removed with its databases anyway */ }
  }
});

function pgUrl(name) {
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

function psqlArgs(sql, url = PG_BASE) {
  return ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql];
}

function psqlEnv() {
  const env = { ...process.env };
  if (!env.PGCONNECT_TIMEOUT) env.PGCONNECT_TIMEOUT = '10';
  return env;
}

// Runs one statement with psql on the cluster's `postgres` database, or on
// the database at `url`.
async function psql(sql, url = PG_BASE) {
  const r = await runProcess(PSQL, psqlArgs(sql, url), psqlEnv());
  if (r.code !== 0) throw new Error(`psql ${JSON.stringify(sql)} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * PostgreSQL only: creates a fresh, empty database and returns {name, url};
 * dropDatabase(name) removes it (the harness drops whatever is left when the
 * process exits).
 */
async function createDatabase() {
  if (!pg) throw new Error('createDatabase: HEARTH_TEST_PG is not set');
  pgSeq += 1;
  const name = `hearth_t${process.pid}_${pgSeq}_${crypto.randomBytes(3).toString('hex')}`;
  await psql(`CREATE DATABASE "${name}"`);
  pgLive.add(name);
  return { name, url: pgUrl(name) };
}

async function dropDatabase(name) {
  await psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  pgLive.delete(name);
}

// Skip options for node:test ({ skip: h.sqliteOnly('why') }): a test about
// SQLite itself (a database file, sqlite3 internals, hearth backup, a
// database file on a full tmpfs) does not run on PostgreSQL.
function sqliteOnly(reason) {
  return pg ? `SQLite only: ${reason}` : false;
}

// Skip options for a test whose PostgreSQL part is not there yet: the key
// must be in pg_pending.js, the one list of them (an unknown key throws).
function pgPending(key) {
  const pending = require('./pg_pending');
  if (!Object.prototype.hasOwnProperty.call(pending.tests, key)) {
    throw new Error(`pgPending: ${JSON.stringify(key)} is not listed in tests/api/pg_pending.js`);
  }
  return pg ? `not on PostgreSQL yet: ${pending.tests[key]}` : false;
}

function tail(text, lines = 60) {
  return text.split('\n').slice(-lines).join('\n');
}

function parseJSON(text) {
  if (text === '' || text == null) return null;
  try { return JSON.parse(text); } catch (_) { return null; }
}

// Runs a command to completion; resolves {code, signal, stdout, stderr}.
function runProcess(bin, args, env, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {}); // the command may exit before reading its input
    child.stdin.end(input || '');
  });
}

// A raw HTTP/1.1 request with node:http, for cases fetch handles badly
// (large bodies the server may reject early, exact header control).
// Sends `Expect: 100-continue` when expectContinue is set, and resolves
// with the response even if writing the body then fails.
function rawRequest(base, method, urlPath, { headers = {}, body, expectContinue = false, chunked = false } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, base);
    const buf = body == null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const hdrs = { ...headers };
    if (buf && chunked) hdrs['Transfer-Encoding'] = 'chunked';
    else if (buf) hdrs['Content-Length'] = String(buf.length);
    if (expectContinue && buf) hdrs.Expect = '100-continue';
    let settled = false;
    let gotResponse = false;
    const req = http.request({
      host: url.hostname, port: url.port, method, path: url.pathname + url.search,
      headers: hdrs, agent: false,
    });
    const timer = setTimeout(() => {
      if (!settled) { settled = true; req.destroy(); reject(new Error(`${method} ${urlPath}: timeout`)); }
    }, REQUEST_TIMEOUT_MS);
    let bodySent = false;
    const sendBody = () => {
      if (bodySent || !buf) return;
      bodySent = true;
      if (!chunked) { req.end(buf); return; }
      for (let i = 0; i < buf.length; i += 65536) req.write(buf.subarray(i, i + 65536));
      req.end();
    };
    req.on('response', (res) => {
      gotResponse = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: new Headers(flatHeaders(res.headers)), text, body: parseJSON(text) });
        req.destroy();
      };
      res.on('end', finish);
      res.on('error', finish);
      res.on('aborted', finish);
    });
    req.on('continue', sendBody);
    req.on('error', (err) => {
      if (gotResponse || settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    if (!buf) req.end();
    else if (expectContinue) {
      req.flushHeaders();
      setTimeout(sendBody, 1000); // a server that ignores Expect
    } else sendBody();
  });
}

function flatHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/**
 * Starts a hearth server on a fresh temporary data directory.
 * opts.env: extra environment for every hearth invocation.
 */
async function startServer(opts = {}) {
  const bin = process.env.HEARTH_BIN || DEFAULT_BIN;
  if (!fs.existsSync(bin)) throw new Error(`hearth binary not found at ${bin} (set HEARTH_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-api-'));
  const secret = crypto.randomBytes(32).toString('hex');
  const databases = []; // PostgreSQL databases this server owns (dropped by stop)
  let db = path.join(dir, 'hearth.db');
  if (pg && !(opts.env && opts.env.HEARTH_DB)) {
    try {
      const d = await createDatabase();
      databases.push(d.name);
      db = d.url;
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const baseEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HEARTH_')) baseEnv[k] = v; // never inherit a developer's HEARTH_* settings
  }
  const env = {
    ...baseEnv,
    HEARTH_DATA_DIR: dir,
    HEARTH_DB: db,
    HEARTH_JWT_SECRET: secret,
    HEARTH_PASSWORD_COST: 'min',
    HEARTH_CLOCK_FILE: path.join(dir, 'clock'),
    // every test client connects from 127.0.0.1 and keeps connections alive
    // (86 at once in graph_concurrency): the per-address limit is tested
    // with its default in limits_http.test.js
    HEARTH_PER_IP_LIMIT: '100000',
    ...(opts.env || {}),
  };
  const sanitizerReports = []; // from CLI runs
  let child = null;
  let serverStderr = '';
  let exitInfo = null;
  let stopped = false;

  async function run(args, input) {
    const r = await runProcess(bin, args, env, input);
    if (SANITIZER_RE.test(r.stderr)) sanitizerReports.push(`hearth ${args.join(' ')}:\n${tail(r.stderr)}`);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
  }

  async function runOk(args) {
    const r = await run(args);
    if (r.code !== 0) {
      throw new Error(`hearth ${args.join(' ')} exited ${r.code}${r.signal ? ` (${r.signal})` : ''}\n` +
        `stdout: ${r.stdout}\nstderr: ${tail(r.stderr)}`);
    }
    return r;
  }

  function firstJSONLine(out, what) {
    for (const line of out.split('\n')) {
      const v = parseJSON(line.trim());
      if (v && typeof v === 'object') return v;
    }
    throw new Error(`${what}: no JSON line in output: ${out}`);
  }

  function cleanupDir() {
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch (_) { /* ignore */ }
  }

  // Drops this server's databases; returns the errors (PostgreSQL only).
  async function dropDatabases() {
    const errors = [];
    while (databases.length) {
      const name = databases.pop();
      try { await dropDatabase(name); } catch (err) { errors.push(`dropping database ${name}: ${err.message}`); }
    }
    return errors;
  }

  let s;
  try {
    await runOk(['migrate']);
    const created = firstJSONLine((await runOk(['user', 'create', '--username', 'admin', '--password', ADMIN_PASSWORD,
      '--email', 'admin@example.com', '--role', 'admin'])).stdout, 'user create');
    const clientInfo = firstJSONLine((await runOk(['client', 'create', '--name', 'test'])).stdout, 'client create');

    child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--threads', '4'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => { exitInfo = { code, signal }; live.delete(child); resolve(exitInfo); });
    });
    child.stderr.setEncoding('utf8');
    child.stdout.setEncoding('utf8');
    const MAX_KEEP = 4 << 20;
    child.stderr.on('data', (d) => {
      serverStderr += d;
      if (serverStderr.length > MAX_KEEP) serverStderr = serverStderr.slice(-MAX_KEEP / 2);
    });
    let sanitizerSeenOnStderr = false;
    child.stderr.on('data', (d) => { if (SANITIZER_RE.test(d)) sanitizerSeenOnStderr = true; });

    const { base, port } = await new Promise((resolve, reject) => {
      let out = '';
      let errOut = '';
      const timer = setTimeout(() => reject(new Error(
        `hearth serve did not print its listening line within 15 s\nstdout: ${out}\nstderr: ${tail(errOut)}`)), 15000);
      const check = (text) => {
        const m = LISTEN_RE.exec(text);
        if (m) { clearTimeout(timer); resolve({ base: m[1], port: Number(m[2]) }); return true; }
        return false;
      };
      let found = false;
      child.stdout.on('data', (d) => { out += d; if (!found) found = check(out); });
      child.stderr.on('data', (d) => { errOut += d; if (!found) found = check(errOut); });
      exited.then((info) => {
        clearTimeout(timer);
        if (!found) reject(new Error(`hearth serve exited early (${JSON.stringify(info)})\nstdout: ${out}\nstderr: ${tail(errOut)}`));
      });
    });
    // keep draining stdout
    child.stdout.resume();

    async function request(method, urlPath, { token, body, headers = {}, form, multipart, redirect = 'manual' } = {}) {
      const url = /^https?:\/\//.test(urlPath) ? urlPath : base + urlPath;
      const h = { Accept: 'application/json', ...headers };
      if (token) h.Authorization = `Bearer ${token}`;
      let payload;
      if (form !== undefined) {
        payload = new URLSearchParams(form).toString();
        if (!hasHeader(h, 'content-type')) h['Content-Type'] = 'application/x-www-form-urlencoded';
      } else if (multipart !== undefined) {
        payload = new FormData();
        for (const [k, v] of Object.entries(multipart)) payload.append(k, v);
      } else if (body !== undefined) {
        if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) {
          payload = body;
        } else {
          payload = JSON.stringify(body);
          if (!hasHeader(h, 'content-type')) h['Content-Type'] = 'application/json';
        }
      }
      const res = await fetch(url, { method, headers: h, body: payload, redirect, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      return { status: res.status, headers: res.headers, text, bytes, body: parseJSON(text) };
    }

    async function login(username, password) {
      const r = await request('POST', '/oauth/token/', {
        form: { grant_type: 'password', username, password, client_id: clientInfo.client_id },
      });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return r.body;
    }

    const adminLogin = await login('admin', ADMIN_PASSWORD);

    s = {
      base,
      port,
      dir,
      secret,
      bin,
      env,
      // the --db value every hearth command of this server uses (a file
      // path, or a postgresql:// URL with HEARTH_TEST_PG)
      db: env.HEARTH_DB,
      pg,
      // Another fresh, empty database (a path in the data directory, or a
      // new PostgreSQL database dropped with the server); returns its --db value.
      async newDatabase() {
        if (!pg) return path.join(dir, `hearth-${crypto.randomBytes(4).toString('hex')}.db`);
        const d = await createDatabase();
        databases.push(d.name);
        return d.url;
      },
      clientId: clientInfo.client_id,
      admin: { id: created.id, username: created.username, password: ADMIN_PASSWORD, token: adminLogin.access_token },
      run,
      api: request,
      raw: (method, urlPath, o) => rawRequest(base, method, urlPath, o),
      login,
      token: (userId, expirationTime) => api.generateJWTToken(userId, secret, expirationTime),
      async createUser({ username, password, email, role, ext_id, tags } = {}) {
        const data = { username };
        if (password !== undefined) data.password = password;
        if (email !== undefined) data.email = email;
        if (role !== undefined) data.role = role;
        if (ext_id !== undefined) data.ext_id = ext_id;
        if (tags !== undefined) data.tags = tags;
        const r = await request('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: data });
        if (r.status !== 201) throw new Error(`createUser ${username}: ${r.status} ${r.text}`);
        return { ...r.body, password };
      },
      // Runs SQL on the server's database through `hearth sql` (plain sqlite3
      // cannot write users: the search triggers call hearth's functions).
      // Returns the text output (trimmed), or with {json: true} the rows.
      sql(query, { json = false } = {}) {
        const out = require('node:child_process').execFileSync(bin, ['sql', ...(json ? ['--json'] : []), query],
          { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
        if (!json) return out;
        return out ? out.split('\n').flatMap((line) => JSON.parse(line)) : [];
      },
      // Moves the server's clock by `seconds` (0 resets it).
      setClock(seconds) {
        fs.writeFileSync(path.join(dir, 'clock'), `${Math.trunc(seconds)}\n`);
      },
      stderr: () => serverStderr,
      // Starts a second server on the same data directory and database, waits for its
      // listening line (the work it does before listening is then done),
      // stops it and returns everything it printed.
      async startSecondServer() {
        const second = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--threads', '1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        const exitedToo = new Promise((resolve) => second.on('exit', resolve));
        try {
          await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15000);
            const check = (d) => { out += d; if (LISTEN_RE.test(out)) { clearTimeout(timer); resolve(); } };
            second.stdout.on('data', check);
            second.stderr.on('data', check);
            exitedToo.then(() => { clearTimeout(timer); reject(new Error(`the server exited: ${out}`)); });
          });
        } finally {
          second.kill('SIGTERM');
          await exitedToo;
        }
        return out;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        const problems = [];
        if (exitInfo) {
          problems.push(`server exited on its own during the tests (${JSON.stringify(exitInfo)})`);
        } else {
          child.kill('SIGTERM');
          const killTimer = new Promise((r) => setTimeout(() => r('timeout'), 5000));
          if ((await Promise.race([exited, killTimer])) === 'timeout') {
            problems.push('server did not exit within 5 s of SIGTERM (killed with SIGKILL)');
            child.kill('SIGKILL');
            await exited;
          }
        }
        cleanupDir();
        problems.push(...await dropDatabases());
        if (sanitizerSeenOnStderr || SANITIZER_RE.test(serverStderr)) {
          problems.push(`sanitizer report in server stderr:\n${tail(serverStderr, 80)}`);
        }
        problems.push(...sanitizerReports);
        if (problems.length) {
          const msg = problems.join('\n\n');
          process.stderr.write(`\n[harness] ${msg}\n`);
          throw new Error(msg);
        }
      },
    };
    return s;
  } catch (err) {
    if (child && !exitInfo) {
      child.kill('SIGKILL');
      await new Promise((r) => (exitInfo ? r() : child.once('exit', r)));
    }
    cleanupDir();
    await dropDatabases();
    throw err;
  }
}

function hasHeader(h, name) {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

/**
 * Points the official client's singleton at base with token (no token:
 * anonymous) and returns the pieces the tests use.
 */
function client(base, token) {
  api.http.setBasePortal(base);
  if (token) api.http.setAuthorizeToken(token);
  else api.http.setAuthorizeToken();
  return {
    UserService: api.UserService,
    PreferenceService: api.PreferenceService,
    SSOService: api.SSOService,
    http: api.http,
    formatHttpError: api.formatHttpError,
    formatHttpErrorCode: api.formatHttpErrorCode,
    generateJWTToken: api.generateJWTToken,
  };
}

// Runs an official-client call expected to fail; returns the AxiosError.
async function clientError(promise) {
  try {
    const v = await promise;
    throw Object.assign(new Error(`expected the request to fail, it resolved with ${JSON.stringify(v)}`), { notAxios: true });
  } catch (err) {
    if (err.notAxios || !err.response) throw err;
    return err;
  }
}

// ---- JWT crafting (node crypto, independent of the official client) ----

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function signJWT(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const h = b64url(JSON.stringify(header));
  const p = b64url(JSON.stringify(payload));
  if (header.alg === 'none') return `${h}.${p}.`;
  const sig = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest();
  return `${h}.${p}.${b64url(sig)}`;
}

function nowS() { return Math.floor(Date.now() / 1000); }

// ---- assertions shared by the test files ----

const assert = require('node:assert/strict');

function show(res) {
  return `${res.status} ${res.text && res.text.length > 600 ? res.text.slice(0, 600) + '...' : res.text}`;
}

function expectStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what ? what + ': ' : ''}expected ${status}, got ${show(res)}`);
}

// Top-level error codes of a contract §2 error body.
function errorCodes(body) {
  if (!body || !Array.isArray(body.errors)) return [];
  return body.errors.filter((e) => !e.field).map((e) => e.code);
}

// Codes of the messages for one field (contract §2: {field, messages: [{code, message}]}).
function fieldCodes(body, field) {
  if (!body || !Array.isArray(body.errors)) return null;
  const item = body.errors.find((e) => e.field === field);
  if (!item) return null;
  return (item.messages || []).map((m) => m.code);
}

function expectErrorShape(res) {
  const b = res.body;
  assert.ok(b && typeof b === 'object' && Array.isArray(b.errors) && b.errors.length > 0,
    `expected an {"errors": [...]} body, got ${show(res)}`);
  for (const e of b.errors) {
    if (e.field !== undefined) {
      assert.equal(typeof e.field, 'string', `field must be a string: ${show(res)}`);
      assert.ok(Array.isArray(e.messages) && e.messages.length > 0, `field error needs messages: ${show(res)}`);
      for (const m of e.messages) {
        assert.equal(typeof m.code, 'string', `message needs a code: ${show(res)}`);
        assert.equal(typeof m.message, 'string', `message needs a message: ${show(res)}`);
      }
    } else {
      assert.equal(typeof e.code, 'string', `error item needs a code: ${show(res)}`);
      assert.equal(typeof e.message, 'string', `error item needs a message: ${show(res)}`);
    }
  }
}

// status + {"errors": [...]} + (optionally) a top-level error code.
function expectError(res, status, code) {
  expectStatus(res, status);
  expectErrorShape(res);
  if (code) assert.ok(errorCodes(res.body).includes(code), `expected error code ${code}, got ${show(res)}`);
}

// status + a field error on `field` (optionally with `code`).
function expectFieldError(res, status, field, code) {
  expectStatus(res, status);
  expectErrorShape(res);
  const codes = fieldCodes(res.body, field);
  assert.ok(codes, `expected a field error on ${field}, got ${show(res)}`);
  if (code) assert.ok(codes.includes(code), `expected ${field} code ${code}, got ${show(res)}`);
}

// RFC 6749 error: {error, error_description}.
function expectOAuthError(res, status, error) {
  expectStatus(res, status);
  assert.ok(res.body && typeof res.body === 'object', `expected a JSON body, got ${show(res)}`);
  assert.equal(res.body.error, error, `expected error ${error}, got ${show(res)}`);
  assert.equal(typeof res.body.error_description, 'string', `expected error_description, got ${show(res)}`);
}

function expectJSONType(res) {
  const ct = (res.headers.get('content-type') || '').toLowerCase().replace(/\s+/g, '');
  assert.equal(ct, 'application/json;charset=utf-8', `content-type of ${res.status}: ${res.headers.get('content-type')}`);
}

module.exports = {
  pg, pgBase: PG_BASE, psql, createDatabase, dropDatabase, sqliteOnly, pgPending,
  startServer, client, clientError, signJWT, b64url, nowS, rawRequest, ADMIN_PASSWORD, REPO,
  show, expectStatus, errorCodes, fieldCodes, expectErrorShape, expectError, expectFieldError,
  expectOAuthError, expectJSONType,
};
