'use strict';
// Bounds and admin rules found in review: multipart bodies get the 10 MiB
// limit only on upload routes, a blocked admin cannot write, a preference
// named twice in one PATCH is refused, the first CLI user is an admin.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const h = require('./harness');

describe('limits and admin rules', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('a 2 MiB multipart body is 413 on a route without uploads, accepted on profile updates', async () => {
    const big = new Blob([Buffer.alloc(2 << 20, 0x61)], { type: 'text/plain' });
    let r = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, multipart: { username: 'x', blob: big } });
    h.expectStatus(r, 413, 'signup with a 2 MiB multipart body');
    const u = await s.createUser({ username: 'uploader', password: 'Upl0ad!pass' });
    r = await s.api('PATCH', `/api/v2/user/${u.id}/`, { token: await s.token(u.id), multipart: { bio: 'hi', blob: big } });
    h.expectStatus(r, 200, 'PATCH with a 2 MiB multipart body (unknown file field ignored)');
    assert.equal(r.body.bio, 'hi');
  });

  it('a blocked admin cannot sign users up or change preferences, but can read', async () => {
    const boss = await s.createUser({ username: 'boss', password: 'B0ss!pass', role: 'admin' });
    s.sql(`UPDATE users SET status = 'b' WHERE id = ${boss.id};`);
    const token = await s.token(boss.id);
    h.expectStatus(await s.api('POST', '/api/v2/sso/signup/', { token, body: { username: 'nope' } }), 403);
    h.expectStatus(await s.api('PATCH', '/api/v2/dynamic_preference/', { token, body: { 'configurations.follow_enabled': false } }), 403);
    h.expectStatus(await s.api('GET', '/api/v2/user/', { token }), 200);
    const me = await s.api('GET', '/api/v2/user/me/', { token: s.admin.token });
    assert.equal(me.status, 200);
  });

  it('a preference named twice in one PATCH is 400 and nothing changes', async () => {
    const r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
      token: s.admin.token, body: { follow_enabled: false, 'configurations.follow_enabled': true },
    });
    h.expectStatus(r, 400);
    assert.deepEqual(h.fieldCodes(r.body, 'configurations.follow_enabled'), ['duplicate']);
    const all = await s.api('GET', '/api/v2/dynamic_preference/?keys=configurations.follow_enabled');
    assert.equal(all.body.results[0].value, true);
  });

  it('signup refuses an ext_id string with spaces or out of range', async () => {
    for (const ext_id of [' 12', '99999999999999999999', '12abc']) {
      const r = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: `e${ext_id.length}x`, ext_id } });
      h.expectStatus(r, 400, `ext_id ${JSON.stringify(ext_id)}`);
      assert.ok(h.fieldCodes(r.body, 'ext_id'), `ext_id error for ${JSON.stringify(ext_id)}`);
    }
    const ok = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: 'extok', ext_id: '77' } });
    h.expectStatus(ok, 201);
    assert.equal(ok.body.ext_id, 77);
  });
});

describe('the first user made by the CLI', () => {
  it('is an admin even without --role', async () => {
    const s = await h.startServer();
    try {
      // the harness made the admin with --role admin; check the rule on a fresh database
      const fs = require('node:fs');
      const os = require('node:os');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-first-'));
      const env = { ...s.env, HEARTH_DATA_DIR: dir, HEARTH_DB: await s.newDatabase() };
      const out = execFileSync(s.bin, ['user', 'create', '--username', 'first', '--password', 'F1rst!pass'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(JSON.parse(out).id, 1);
      const role = execFileSync(s.bin, ['sql', 'SELECT role FROM users WHERE id = 1;'], { env, encoding: 'utf8' }).trim();
      assert.equal(role, 'admin');
      fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      await s.stop();
    }
  });
});
