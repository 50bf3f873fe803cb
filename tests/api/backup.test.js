'use strict';
// hearth backup PATH: an online copy of the SQLite database, taken while the
// server runs and writes; the copy opens on its own and has the users;
// an existing file is kept unless --force.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./harness');

describe('hearth backup', { skip: h.sqliteOnly('hearth backup copies the SQLite file (on PostgreSQL: pg_dump)') }, () => {
  let s;
  let names;
  before(async () => {
    s = await h.startServer();
    names = [];
    for (let i = 0; i < 5; i++) names.push((await s.createUser({ username: `backup_user_${i}` })).username);
  });
  after(async () => { if (s) await s.stop(); });

  // Runs hearth against another database file (the backup).
  function onDb(db, args) {
    return execFileSync(s.bin, args, { env: { ...s.env, HEARTH_DB: db }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  it('copies the database while the server runs and writes', async () => {
    const file = path.join(s.dir, 'copy.db');
    // writes in flight during the copy
    const writes = [];
    for (let i = 0; i < 5; i++) writes.push(s.createUser({ username: `during_${i}` }));
    const r = await s.run(['backup', file]);
    await Promise.all(writes);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /backed up/);
    const st = fs.statSync(file);
    assert.ok(st.isFile() && st.size > 0);
    assert.equal(st.mode & 0o777, 0o600, `mode ${(st.mode & 0o777).toString(8)}`);
    assert.deepEqual(fs.readdirSync(s.dir).filter((n) => n.includes('.tmp-')), [], 'a temporary file was left');
    // a single self-contained file: no WAL needed to read it
    assert.ok(!fs.existsSync(`${file}-wal`) || fs.statSync(`${file}-wal`).size === 0);
    const header = fs.readFileSync(file).subarray(0, 16).toString('latin1');
    assert.equal(header, 'SQLite format 3\0');

    const rows = JSON.parse(onDb(file, ['sql', '--json', 'SELECT username FROM users ORDER BY id']).trim());
    const got = rows.map((row) => row.username);
    for (const n of ['admin', ...names]) assert.ok(got.includes(n), `${n} missing from the backup: ${got}`);
    assert.match(onDb(file, ['check']), /counters: ok/);
  });

  it('refuses to overwrite a file unless --force', async () => {
    const file = path.join(s.dir, 'existing.db');
    fs.writeFileSync(file, 'keep me');
    const r = await s.run(['backup', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--force/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    const f = await s.run(['backup', file, '--force']);
    assert.equal(f.code, 0, f.stderr);
    const rows = JSON.parse(onDb(file, ['sql', '--json', 'SELECT count(*) AS n FROM users']).trim());
    assert.ok(rows[0].n >= 6, JSON.stringify(rows));
  });

  it('needs exactly one PATH', async () => {
    const r = await s.run(['backup']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: hearth backup PATH/);
  });
});

describe('hearth backup on PostgreSQL', { skip: !h.pg && 'PostgreSQL only: there the copy is pg_dump\'s' }, () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('refuses, names pg_dump and writes no file', async () => {
    const file = path.join(s.dir, 'copy.db');
    const r = await s.run(['backup', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pg_dump/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(fs.existsSync(file), false);
  });
});
