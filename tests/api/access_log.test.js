'use strict';
// The access log (--access-log off|stderr|FILE, HEARTH_ACCESS_LOG): one line
// per request, buffered and written in batches, all written by shutdown;
// and the durability setting (--sync normal|full, HEARTH_SYNC).

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const REQUEST_LINE = /info GET \/api\/v2\/user\/1\/ 200 \d+ \d+us/;
const NOT_FOUND_LINE = /info GET \/api\/v2\/nope\/ 404 /;

async function someRequests(s) {
  for (let i = 0; i < 3; i++) assert.equal((await s.api('GET', '/api/v2/user/1/')).status, 200);
  assert.equal((await s.api('GET', '/api/v2/nope/')).status, 404);
}

describe('access log', () => {
  it('by default goes to stderr, every line written by shutdown', async () => {
    const s = await h.startServer();
    try {
      await someRequests(s);
    } finally {
      await s.stop();
    }
    const lines = s.stderr().split('\n');
    assert.equal(lines.filter((l) => REQUEST_LINE.test(l)).length, 3);
    assert.equal(lines.filter((l) => NOT_FOUND_LINE.test(l)).length, 1);
  });

  it('off: no request lines, the server still logs its own events', async () => {
    const s = await h.startServer({ env: { HEARTH_ACCESS_LOG: 'off' } });
    try {
      await someRequests(s);
    } finally {
      await s.stop();
    }
    const err = s.stderr();
    assert.doesNotMatch(err, REQUEST_LINE);
    assert.doesNotMatch(err, NOT_FOUND_LINE);
    assert.match(err, /info signal \d+: draining/);
    assert.match(err, /info stopped/);
  });

  it('FILE: the lines go to the file (appended), none to stderr', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-access-'));
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(file, 'earlier line\n');
    const s = await h.startServer({ env: { HEARTH_ACCESS_LOG: file } });
    try {
      await someRequests(s);
    } finally {
      await s.stop();
    }
    try {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      assert.equal(lines[0], 'earlier line');
      assert.equal(lines.filter((l) => REQUEST_LINE.test(l)).length, 3);
      assert.equal(lines.filter((l) => NOT_FOUND_LINE.test(l)).length, 1);
      assert.doesNotMatch(s.stderr(), REQUEST_LINE);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file that cannot be opened stops the server from starting', async () => {
    const s = await h.startServer();
    try {
      const r = await s.run(['serve', '--listen', '127.0.0.1:0', '--access-log', '/nonexistent-dir/access.log']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /cannot open the access log/);
    } finally {
      await s.stop();
    }
  });
});

describe('durability setting', () => {
  it('--sync full sets synchronous=FULL; normal is the default; anything else is refused', { skip: h.pg && 'SQLite: PRAGMA synchronous (PostgreSQL: below)' }, async () => {
    const s = await h.startServer({ env: { HEARTH_SYNC: 'full' } });
    try {
      assert.equal((await s.run(['sql', 'PRAGMA synchronous'])).stdout.trim(), '2');
      assert.equal((await s.run(['sql', 'PRAGMA synchronous', '--sync', 'normal'])).stdout.trim(), '1');
      const bad = await s.run(['migrate', '--sync', 'sometimes']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /sync must be normal or full/);
      // the server itself serves and writes with it
      const alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret' });
      assert.equal((await s.api('GET', `/api/v2/user/${alice.id}/`)).status, 200);
    } finally {
      await s.stop();
    }
  });

  it('on PostgreSQL --sync full sets synchronous_commit=on; normal keeps the server\'s setting', { skip: !h.pg && 'PostgreSQL only' }, async () => {
    const s = await h.startServer({ env: { HEARTH_SYNC: 'full' } });
    try {
      const db = s.sql('SELECT current_database()');
      s.sql(`ALTER DATABASE "${db}" SET synchronous_commit = off`);
      assert.equal((await s.run(['sql', 'SHOW synchronous_commit'])).stdout.trim(), 'on');
      assert.equal((await s.run(['sql', 'SHOW synchronous_commit', '--sync', 'normal'])).stdout.trim(), 'off');
      const alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret' });
      assert.equal((await s.api('GET', `/api/v2/user/${alice.id}/`)).status, 200);
    } finally {
      await s.stop();
    }
  });
});
