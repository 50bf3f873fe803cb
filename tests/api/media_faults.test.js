'use strict';
// Media files under faults: what an operator's restore, a shared volume or a
// crash can leave in <data_dir>/media/.
// - a symbolic link (even to a stored file) or a directory with a stored
//   file's name is not served (404);
// - /media/<name>/ (a final slash) is 404;
// - files older than an hour that no row references, and temporary upload
//   files as old, are removed by `hearth check --fix` and at server start;
//   referenced files, young files (uploads in flight) and foreign names stay.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const { expectStatus, expectError } = h;

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const TWO_HOURS_AGO = new Date(Date.now() - 2 * 3600 * 1000);

const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');
const fileOf = (url) => url.slice(url.lastIndexOf('/') + 1);

describe('media under faults', () => {
  let s;
  let alice;
  let token;
  let media;
  let avatar; // alice's stored avatar file name

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce!pass-long' });
    token = await s.token(alice.id);
    const r = await s.api('PATCH', `/api/v2/user/${alice.id}/`, { token, multipart: { avatar: new File([GIF], 'a.gif') } });
    expectStatus(r, 200);
    avatar = fileOf(r.body.avatar);
    media = path.join(s.dir, 'media');
    assert.ok(fs.existsSync(path.join(media, avatar)));
  });
  after(async () => { if (s) await s.stop(); });

  // An old file in the media directory (mtime two hours back).
  function oldFile(name, content = GIF) {
    fs.writeFileSync(path.join(media, name), content);
    fs.utimesSync(path.join(media, name), TWO_HOURS_AGO, TWO_HOURS_AGO);
    return name;
  }
  const exists = (name) => fs.existsSync(path.join(media, name));

  it('a stored file is served; with a final slash it is 404', async () => {
    expectStatus(await s.api('GET', `/media/${avatar}`), 200);
    expectError(await s.api('GET', `/media/${avatar}/`), 404, 'not_found');
  });

  it('a symbolic link in the media directory is not followed (404), whatever it points to', async () => {
    const secret = path.join(s.dir, 'secret.gif');
    fs.writeFileSync(secret, GIF);
    const outward = `${hex(16)}.gif`;
    fs.symlinkSync(secret, path.join(media, outward));
    const inward = `${hex(16)}.gif`;
    fs.symlinkSync(avatar, path.join(media, inward)); // to a real stored file
    expectError(await s.api('GET', `/media/${outward}`), 404, 'not_found');
    expectError(await s.api('GET', `/media/${inward}`), 404, 'not_found');
    fs.unlinkSync(path.join(media, outward));
    fs.unlinkSync(path.join(media, inward));
  });

  it('a directory with a stored file\'s name is 404, not an error', async () => {
    const dir = `${hex(16)}.png`;
    fs.mkdirSync(path.join(media, dir));
    expectError(await s.api('GET', `/media/${dir}`), 404, 'not_found');
    fs.rmdirSync(path.join(media, dir));
  });

  it('hearth check reports files a crash left behind; check --fix removes only those', async () => {
    fs.utimesSync(path.join(media, avatar), TWO_HOURS_AGO, TWO_HOURS_AGO); // referenced: old is no reason
    const orphan = oldFile(`${hex(16)}.png`);
    const temporary = oldFile(`.tmp-${hex(16)}`);
    const youngOrphan = `${hex(16)}.png`; // an upload in flight: its row is not committed yet
    fs.writeFileSync(path.join(media, youngOrphan), GIF);
    const youngTemporary = `.tmp-${hex(16)}`;
    fs.writeFileSync(path.join(media, youngTemporary), GIF);
    const foreign = oldFile('README.txt', 'not ours');

    const report = await s.run(['check']);
    assert.equal(report.code, 1, `check: ${report.stdout}${report.stderr}`);
    assert.match(report.stdout, /counters: ok/);
    assert.match(report.stdout, /media: 1 unreferenced file, 1 temporary upload file/);
    assert.ok(exists(orphan) && exists(temporary), 'check without --fix removes nothing');

    const fixed = await s.run(['check', '--fix']);
    assert.equal(fixed.code, 0, `check --fix: ${fixed.stdout}${fixed.stderr}`);
    assert.match(fixed.stdout, /2 removed/);
    assert.equal(exists(orphan), false, 'the old unreferenced file is removed');
    assert.equal(exists(temporary), false, 'the old temporary file is removed');
    for (const kept of [avatar, youngOrphan, youngTemporary, foreign]) assert.ok(exists(kept), `${kept} stays`);
    expectStatus(await s.api('GET', `/media/${avatar}`), 200);

    const again = await s.run(['check']);
    assert.equal(again.code, 0, `check after --fix: ${again.stdout}`);
    assert.equal(again.stdout.trim(), 'counters: ok');
    fs.unlinkSync(path.join(media, youngOrphan));
    fs.unlinkSync(path.join(media, youngTemporary));
  });

  it('a server start removes them too', async () => {
    const orphan = oldFile(`${hex(16)}.webp`);
    const temporary = oldFile(`.tmp-${hex(16)}`);
    // a second server on the same data directory: its sweep runs before it listens
    const out = await s.startSecondServer();
    assert.match(out, /media: removed 1 unreferenced and 1 temporary files/);
    assert.equal(exists(orphan), false);
    assert.equal(exists(temporary), false);
    assert.ok(exists(avatar));
    expectStatus(await s.api('GET', `/media/${avatar}`), 200);
    const me = await s.api('GET', `/api/v2/user/${alice.id}/`, { token });
    assert.equal(fileOf(me.body.avatar), avatar);
  });
});
