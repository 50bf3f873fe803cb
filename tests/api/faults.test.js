'use strict';
// Storage faults: a full disk answers writes with 507 storage_full (a
// failing device with 503 unavailable), both with Retry-After, while reads
// keep working; nothing is half-written; the log gets one line per interval,
// not one per request; writes succeed again once space returns.
//
// Two ways to fill the disk: the test-only switch (HEARTH_TEST_FAULT_FILE:
// SQLite's writes fail with SQLITE_FULL / SQLITE_IOERR through a VFS, on
// PostgreSQL every writing statement as SQLSTATE 53100 / 58030 would, media
// writes with ENOSPC / EIO), which runs on both; and a real tmpfs filled to
// the last byte under the database (SQLite's file; on PostgreSQL a
// tablespace holding the test database), which needs root (`mount -t
// tmpfs`) and is skipped where mounting is not permitted.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { expectStatus, expectError } = h;

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function expectStorageError(res, status, code) {
  expectError(res, status, code);
  const retry = res.headers.get('retry-after');
  assert.match(retry || '', /^[1-9][0-9]*$/, `Retry-After on ${status}: ${retry}`);
}

// Storage-fault lines the server logged so far.
function storageLines(s) {
  return s.stderr().split('\n').filter((l) => / error storage: /.test(l));
}

async function signup(s, username) {
  return s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username, password: 'Us3r!pass-long' } });
}

function mediaFiles(dir) {
  try { return fs.readdirSync(path.join(dir, 'media')).sort(); } catch (_) { return []; }
}

function checkClean(s) {
  return s.run(['check']).then((r) => {
    assert.equal(r.code, 0, `hearth check: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /counters: ok/);
  });
}

describe('storage faults through the test switch', () => {
  let s;
  let switchDir;
  let switchFile;
  let alice;
  let bob;
  let jwt;
  const aliceToken = () => jwt;
  const setFault = (kind) => {
    if (kind) fs.writeFileSync(switchFile, `${kind}\n`);
    else fs.rmSync(switchFile, { force: true });
  };

  before(async () => {
    switchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-fault-'));
    switchFile = path.join(switchDir, 'fault');
    s = await h.startServer({ env: { HEARTH_TEST_FAULT_FILE: switchFile } });
    alice = await s.createUser({ username: 'alice', password: 'Al1ce!pass-long' });
    bob = await s.createUser({ username: 'bob', password: 'B0b!pass-long' });
    jwt = await s.token(alice.id);
    expectStatus(await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), body: { real_name: 'Alice Before' } }), 200);
  });
  after(async () => {
    setFault(null);
    if (s) await s.stop();
    fs.rmSync(switchDir, { recursive: true, force: true });
  });

  it('a full disk: writes answer 507 storage_full with Retry-After, reads answer 200', async () => {
    const usersBefore = s.sql('SELECT count(*) FROM users');
    const mediaBefore = mediaFiles(s.dir);
    setFault('full');
    expectStorageError(await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), body: { real_name: 'Alice After' } }), 507, 'storage_full');
    expectStorageError(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: aliceToken() }), 507, 'storage_full');
    expectStorageError(await signup(s, 'carol'), 507, 'storage_full');
    expectStorageError(await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), multipart: { avatar: new File([GIF], 'a.gif') } }), 507, 'storage_full');
    // a login writes a token: refused the same way
    const login = await s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username: 'bob', password: 'B0b!pass-long', client_id: s.clientId } });
    assert.equal(login.status, 507, `login on a full disk: ${login.status} ${login.text}`);

    // reads keep working and show the state before the fault
    const me = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: aliceToken() });
    expectStatus(me, 200);
    assert.equal(me.body.real_name, 'Alice Before');
    assert.equal(me.body.avatar, null);
    expectStatus(await s.api('GET', '/api/v2/user/?limit=5', { token: aliceToken() }), 200);
    const followed = await s.api('GET', `/api/v2/user/${bob.id}/is_followed/`, { token: aliceToken() });
    expectStatus(followed, 200);
    assert.equal(followed.body.is_followed, false);

    // nothing half-written: no user, no edge, no file, counters clean
    assert.equal(s.sql('SELECT count(*) FROM users'), usersBefore);
    assert.equal(s.sql(`SELECT count(*) FROM follows WHERE follower_id = ${alice.id}`), '0');
    assert.deepEqual(mediaFiles(s.dir), mediaBefore);
    assert.equal(s.sql(`SELECT followers_counter FROM users WHERE id = ${bob.id}`), '0');
    await checkClean(s);
  });

  it('a failing device: writes answer 503 unavailable with Retry-After', async () => {
    setFault('io');
    expectStorageError(await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), body: { real_name: 'Alice IO' } }), 503, 'unavailable');
    expectStorageError(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: aliceToken() }), 503, 'unavailable');
    expectStorageError(await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), multipart: { avatar: new File([GIF], 'a.gif') } }), 503, 'unavailable');
    const me = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: aliceToken() });
    expectStatus(me, 200);
    assert.equal(me.body.real_name, 'Alice Before');
  });

  it('the log gets one storage line per interval, not one per failed request', async () => {
    setFault('full');
    for (let i = 0; i < 20; i++) {
      expectStorageError(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: aliceToken() }), 507, 'storage_full');
    }
    const lines = storageLines(s);
    assert.equal(lines.length, 1, `storage lines in the log:\n${lines.join('\n')}`);
    assert.doesNotMatch(s.stderr(), /A server error occurred/);
  });

  it('writes succeed again once space returns, and nothing was lost', async () => {
    setFault(null);
    const r = await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), body: { real_name: 'Alice After' } });
    expectStatus(r, 200);
    assert.equal(r.body.real_name, 'Alice After');
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token: aliceToken() }), 204);
    const up = await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken(), multipart: { avatar: new File([GIF], 'a.gif') } });
    expectStatus(up, 200);
    assert.match(up.body.avatar, /\/media\/[0-9a-f]{32}\.gif$/);
    expectStatus(await fetch(up.body.avatar), 200);
    expectStatus(await signup(s, 'carol'), 201);
    const bobNow = await s.api('GET', `/api/v2/user/${bob.id}/`, { token: aliceToken() });
    assert.equal(bobNow.body.followers_counter, 1);
    await checkClean(s);
  });
});

// A real full file system: a 4 MiB tmpfs holding the data directory.
function tryMount(dir, size) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch (_) {
    return false;
  }
}

// Writes zeros until the file system is full; returns the filler's path.
function fill(dir) {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size >= 512; ) {
      try { fs.writeSync(fd, chunk, 0, size); } catch (err) {
        if (err.code !== 'ENOSPC') throw err;
        size >>= 1; // fill the last pages too
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

// A full file system under the media directory and the database (SQLite's
// file, or a PostgreSQL tablespace that holds hearth's tables): writes
// answer 507 while full, reads work, nothing is half-written, writes work
// once space returns. `mnt` is HEARTH_DATA_DIR.
async function fullDisk(s, mnt) {
  const alice = await s.createUser({ username: 'alice', password: 'Al1ce!pass-long' });
  const bob = await s.createUser({ username: 'bob', password: 'B0b!pass-long' });
  const token = await s.token(alice.id);
  const filler = fill(mnt);
  // rows that need new pages: sooner or later the database or its WAL must
  // grow, and cannot
  let failed = null;
  const created = [];
  for (let i = 0; i < 400 && !failed; i++) {
    const r = await signup(s, `filler_user_${i}_${'x'.repeat(100)}`.slice(0, 120));
    if (r.status === 201) created.push(r.body.id);
    else failed = { r, i };
  }
  assert.ok(failed, 'no write failed on a full file system');
  expectStorageError(failed.r, 507, 'storage_full');
  const upload = await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token, multipart: { avatar: new File([Buffer.concat([GIF, Buffer.alloc(256 * 1024)])], 'a.gif') } });
  expectStorageError(upload, 507, 'storage_full');
  assert.deepEqual(mediaFiles(mnt).filter((f) => f.startsWith('.tmp-')), [], 'no temporary file left behind');

  // reads
  const me = await s.api('GET', `/api/v2/user/${alice.id}/`, { token });
  expectStatus(me, 200);
  assert.equal(me.body.avatar, null);
  expectStatus(await s.api('GET', '/api/v2/user/?limit=5', { token }), 200);

  // nothing half-written: the failed user does not exist, the others do
  const failedName = `filler_user_${failed.i}_${'x'.repeat(100)}`.slice(0, 120);
  assert.equal(s.sql(`SELECT count(*) FROM users WHERE username = '${failedName}'`), '0');
  assert.equal(s.sql(`SELECT count(*) FROM users WHERE username LIKE 'filler_user_%'`), String(created.length));
  await checkClean(s);

  // space returns
  fs.rmSync(filler);
  expectStatus(await signup(s, failedName), 201);
  const r = await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token, body: { real_name: 'Alice Roomy' } });
  expectStatus(r, 200);
  expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, { token }), 204);
  const up = await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token, multipart: { avatar: new File([GIF], 'a.gif') } });
  expectStatus(up, 200);
  expectStatus(await fetch(up.body.avatar), 200);
  const bobNow = await s.api('GET', `/api/v2/user/${bob.id}/`, { token });
  assert.equal(bobNow.body.followers_counter, 1);
  await checkClean(s);
}

describe('a full tmpfs', { skip: h.sqliteOnly('the database file is on the full tmpfs (PostgreSQL: the full tablespace below)') }, () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-tmpfs-'));
  const mounted = !h.pg && tryMount(mnt, '4m');
  let s;

  before(async () => {
    if (!mounted) return;
    s = await h.startServer({ env: { HEARTH_DATA_DIR: mnt, HEARTH_DB: path.join(mnt, 'hearth.db') } });
  });
  after(async () => {
    try { if (s) await s.stop(); } finally {
      if (mounted) execFileSync('umount', ['-l', mnt], { stdio: 'ignore' });
      fs.rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('writes answer 507 while full, reads work, nothing is half-written, writes work once space returns', { skip: !mounted && 'mounting a tmpfs is not permitted here' }, async () => {
    await fullDisk(s, mnt);
  });
});

// PostgreSQL: the test database's tables and indexes live in a tablespace on
// a tmpfs (its WAL and the system catalogs stay in the cluster's own
// directory, as on a separate disk), so a write that needs a new page fails
// with SQLSTATE 53100.
describe('a full tablespace', { skip: !h.pg && 'PostgreSQL only: a tablespace on a full tmpfs (SQLite: the full tmpfs above)' }, () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-tmpfs-'));
  const space = `hearth_full_${process.pid}`;
  let mounted = false;
  let spaceMade = false;
  let db = null;
  let s;

  before(async () => {
    if (!h.pg || !tryMount(mnt, '48m')) return;
    mounted = true;
    const dir = path.join(mnt, 'pgspace');
    fs.mkdirSync(dir);
    // the cluster's server runs as `postgres` (scripts/pg-cluster.sh)
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    fs.chownSync(dir, uid, Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    await h.psql(`CREATE TABLESPACE "${space}" LOCATION '${dir}'`);
    spaceMade = true;
    db = await h.createDatabase();
    s = await h.startServer({ env: { HEARTH_DATA_DIR: mnt, HEARTH_DB: db.url } });
    // hearth's tables and indexes move to the small tablespace; the system
    // catalogs stay, as does the relation cache's init file that a new
    // connection may have to write (a full disk there is a FATAL at connect)
    await h.psql(`ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE "${space}"`, db.url);
    await h.psql(`ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE "${space}"`, db.url);
  });
  after(async () => {
    try {
      if (s) await s.stop();
      if (db) await h.dropDatabase(db.name);
      if (spaceMade) await h.psql(`DROP TABLESPACE "${space}"`);
    } finally {
      if (mounted) execFileSync('umount', ['-l', mnt], { stdio: 'ignore' });
      fs.rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('writes answer 507 while full, reads work, nothing is half-written, writes work once space returns', async (t) => {
    if (!mounted) return t.skip('mounting a tmpfs is not permitted here');
    await fullDisk(s, mnt);
  });
});
