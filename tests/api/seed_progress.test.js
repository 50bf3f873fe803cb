'use strict';
// hearth seed reports progress (counts, rate) on stderr when stderr is a
// terminal, and is quiet otherwise (a log or a pipe gets only the JSON line).
// The terminal case runs under script(1), skipped where it is missing.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./harness');

const BIN = process.env.HEARTH_BIN || path.join(h.REPO, 'build', 'hearth');
const SCRIPT = '/usr/bin/script';

describe('hearth seed progress', () => {
  let dir;
  let env;
  let pgDb = null; // with HEARTH_TEST_PG: a fresh database of its own
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-seed-'));
    env = { PATH: process.env.PATH, HEARTH_DATA_DIR: dir, HEARTH_PASSWORD_COST: 'min' };
    if (h.pg) {
      pgDb = await h.createDatabase();
      env.HEARTH_DB = pgDb.url;
    }
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (pgDb) await h.dropDatabase(pgDb.name);
  });

  it('is quiet when stderr is not a terminal', () => {
    const r = spawnSync(BIN, ['seed', '--users', '20', '--follows-per-user', '2'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(JSON.parse(r.stdout.trim()).users, 20);
  });

  it('shows counts and rates on a terminal', { skip: fs.existsSync(SCRIPT) ? false : 'script(1) not found' }, () => {
    const cmd = `${BIN} seed --users 30 --follows-per-user 2`;
    const r = spawnSync(SCRIPT, ['-qec', cmd, '/dev/null'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /seed: 30 of 30 users, \d+ users\/s \(\d+\.\d s\)/);
    assert.match(r.stdout, /seed: \d+ follows, \d+ follows\/s/);
    assert.match(r.stdout, /"users":30/);
  });
});
