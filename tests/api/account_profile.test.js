'use strict';
// Profile updates: PUT and PATCH /api/v2/user/{id}/ (contract §5, §7, §9):
// every writable field's rule with a failing and a passing case, bodies in
// JSON, form and multipart, avatar/cover uploads stored and served back, and
// who may update what.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, fieldCodes, clientError } = h;

const { makePNG, GIF, WEBP, JPEG } = require('./images');

function file(bytes, name, type = 'application/octet-stream') {
  return new File([bytes], name, { type });
}

describe('profile update (PUT/PATCH /user/{id}/)', () => {
  let s;
  let alice;
  let aliceToken;
  let bob;
  let bobToken;
  let mediaDir;

  before(async () => {
    s = await h.startServer();
    mediaDir = path.join(s.dir, 'media');
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret', email: 'alice@example.com' });
    bob = await s.createUser({ username: 'bob', password: 'B0b-secret!', email: 'bob@example.com' });
    aliceToken = (await s.login('alice', 'Al1ce-secret')).access_token;
    bobToken = (await s.login('bob', 'B0b-secret!')).access_token;
  });
  after(async () => { if (s) await s.stop(); });

  const userPath = (id) => `/api/v2/user/${id}/`;
  const patch = (body, token = aliceToken, id = alice.id) => s.api('PATCH', userPath(id), { token, body });
  const readAlice = async () => {
    const r = await s.api('GET', userPath(alice.id), { token: aliceToken });
    expectStatus(r, 200);
    return r.body;
  };
  const mediaFiles = () => (fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir).sort() : []);
  const fileOf = (url) => url.split('/media/')[1];

  describe('through the official client', () => {
    it('userPatch changes one field and answers the full updated User', async () => {
      const c = h.client(s.base, aliceToken);
      const u = await c.UserService.userPatch(alice.id, { real_name: 'Alice Liddell' });
      assert.equal(u.id, alice.id);
      assert.equal(u.username, 'alice');
      assert.equal(u.real_name, 'Alice Liddell');
      assert.equal(u.email, 'alice@example.com', 'the owner sees her email');
      for (const k of ['bio', 'location', 'gender', 'website', 'avatar', 'cover', 'status', 'date_joined']) {
        assert.ok(k in u, `reply lacks ${k}`);
      }
      assert.equal((await readAlice()).real_name, 'Alice Liddell');
    });

    it('userUpdate (PUT) is a partial update too: fields not sent are kept', async () => {
      const c = h.client(s.base, aliceToken);
      const u = await c.UserService.userUpdate(alice.id, { bio: 'Down the rabbit hole', gender: 'Female' });
      assert.equal(u.bio, 'Down the rabbit hole');
      assert.equal(u.gender, 'Female');
      assert.equal(u.real_name, 'Alice Liddell', 'PUT without real_name keeps it');
      const back = await readAlice();
      assert.equal(back.bio, 'Down the rabbit hole');
      assert.equal(back.real_name, 'Alice Liddell');
    });

    it('userPatch with no data (empty form body) changes nothing and answers the User', async () => {
      const before = await readAlice();
      const c = h.client(s.base, aliceToken);
      const u = await c.UserService.userPatch(alice.id);
      assert.equal(u.id, alice.id);
      const back = await readAlice();
      assert.deepEqual(back, before);
    });

    it('a multipart avatar through userPatch with the multipart header', async () => {
      const png = makePNG(3, 2, { seed: 9 });
      const fd = new FormData();
      fd.append('avatar', file(png, 'me.png', 'image/png'));
      const c = h.client(s.base, aliceToken);
      const u = await c.UserService.userPatch(alice.id, fd, { headers: { 'Content-Type': 'multipart/form-data' } });
      assert.match(u.avatar, /^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]{32}\.png$/);
      const got = await fetch(u.avatar);
      assert.equal(got.status, 200);
      assert.ok(Buffer.from(await got.arrayBuffer()).equals(png), 'served bytes differ from the upload');
      // clean up for the tests below
      expectStatus(await patch({ avatar: null }), 200);
    });

    it('validation errors come back in the contract shape the client formats', async () => {
      const c = h.client(s.base, aliceToken);
      const err = await clientError(c.UserService.userPatch(alice.id, { gender: 'Robot', website: 'nope' }));
      assert.equal(err.response.status, 400);
      const formatted = c.formatHttpError(err);
      assert.ok(formatted.genderError, JSON.stringify(formatted));
      assert.ok(formatted.websiteError, JSON.stringify(formatted));
    });
  });

  describe('field rules (contract §7, §9)', () => {
    // [field, failing value, expected code, passing value, expected echo]
    const cases = [
      ['real_name', 'x'.repeat(256), 'max_length', 'é'.repeat(255), 'é'.repeat(255)],
      ['bio', 'b'.repeat(5001), 'max_length', '€'.repeat(5000), '€'.repeat(5000)],
      ['location', 'l'.repeat(101), 'max_length', 'ü'.repeat(100), 'ü'.repeat(100)],
      ['description', 'd'.repeat(51), 'max_length', '日'.repeat(50), '日'.repeat(50)],
      ['gender', 'male', 'invalid_choice', 'Male', 'Male'],
      ['gender', '', 'invalid_choice', 'Unspecified', 'Unspecified'],
      ['website', 'ftp://example.com', 'invalid', 'https://example.com/path?q=1', 'https://example.com/path?q=1'],
      ['website', 'http://exa mple.com', 'invalid', 'http://localhost:8080/', 'http://localhost:8080/'],
      ['website', 'https://no-tld', 'invalid', 'http://127.0.0.1/x', 'http://127.0.0.1/x'],
      ['website', `https://example.com/${'p'.repeat(181)}`, 'max_length', `https://example.com/${'p'.repeat(180)}`, `https://example.com/${'p'.repeat(180)}`],
      ['location_lat_lng', '91,0', 'invalid', '90,180', '90,180'],
      ['location_lat_lng', '0,-180.5', 'invalid', '-90,-180', '-90,-180'],
      ['location_lat_lng', '45.1 ,9.2', 'invalid', '45.4642,  9.19', '45.4642,9.19'],
      ['location_lat_lng', 'abc', 'invalid', '-33.8688,151.2093', '-33.8688,151.2093'],
      ['position_lat_lng', '45;9', 'invalid', '1.5, -2.25', '1.5,-2.25'],
      ['position_lat_lng', '45,', 'invalid', '0,0', '0,0'],
      ['date_of_birth', '1899-12-31', 'out_of_range', '1900-01-01', '1900-01-01'],
      ['date_of_birth', '2001-02-29', 'invalid', '2000-02-29', '2000-02-29'],
      ['date_of_birth', '12/05/1990', 'invalid', '1990-05-12', '1990-05-12'],
    ];
    for (const [field, bad, code, good, echo] of cases) {
      it(`${field}: ${JSON.stringify(bad).slice(0, 40)} fails (${code}), ${JSON.stringify(good).slice(0, 40)} passes`, async () => {
        const before = await readAlice();
        const r1 = await patch({ [field]: bad });
        expectFieldError(r1, 400, field, code);
        assert.deepEqual(await readAlice(), before, 'a failed update must change nothing');
        const r2 = await patch({ [field]: good });
        expectStatus(r2, 200);
        assert.equal(r2.body[field], echo);
        assert.equal((await readAlice())[field], echo);
      });
    }

    it('date_of_birth: today passes, tomorrow fails', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
      expectFieldError(await patch({ date_of_birth: tomorrow }), 400, 'date_of_birth', 'out_of_range');
      const r = await patch({ date_of_birth: today });
      expectStatus(r, 200);
      assert.equal(r.body.date_of_birth, today);
    });

    it('null and "" clear coordinates, date of birth and text fields', async () => {
      expectStatus(await patch({ location_lat_lng: '10,20', position_lat_lng: '30,40', date_of_birth: '1980-01-01', website: 'https://a.example.org', location: 'Milano' }), 200);
      let r = await patch({ location_lat_lng: null, position_lat_lng: '', date_of_birth: null });
      expectStatus(r, 200);
      assert.equal(r.body.location_lat_lng, null);
      assert.equal(r.body.position_lat_lng, null);
      assert.equal(r.body.date_of_birth, null);
      r = await patch({ date_of_birth: '', website: '', location: null });
      expectStatus(r, 200);
      assert.equal(r.body.date_of_birth, null);
      assert.equal(r.body.website, '');
      assert.equal(r.body.location, '');
      const back = await readAlice();
      assert.equal(back.location_lat_lng, null);
      assert.equal(back.position_lat_lng, null);
      assert.equal(back.website, '');
    });

    it('several wrong fields give several entries, and nothing is written', async () => {
      const before = await readAlice();
      const r = await patch({
        real_name: 'ok now', bio: 'z'.repeat(5001), gender: 'x', website: 'mailto:a@b.c',
        date_of_birth: 'soon', location_lat_lng: '1', description: 'q'.repeat(51),
      });
      expectStatus(r, 400);
      for (const f of ['bio', 'gender', 'website', 'date_of_birth', 'location_lat_lng', 'description']) {
        assert.ok(fieldCodes(r.body, f), `missing an entry for ${f}: ${r.text}`);
      }
      assert.equal(fieldCodes(r.body, 'real_name'), null);
      assert.deepEqual(await readAlice(), before, 'the valid real_name must not be written either');
    });

    it('surrounding whitespace is trimmed, as DRF does', async () => {
      const r = await patch({ real_name: '  Alice  ', location: '\tParis\n' });
      expectStatus(r, 200);
      assert.equal(r.body.real_name, 'Alice');
      assert.equal(r.body.location, 'Paris');
    });

    it('wrong JSON types are field errors', async () => {
      const r = await patch({ real_name: { a: 1 }, bio: ['x'], gender: true });
      expectStatus(r, 400);
      assert.deepEqual(fieldCodes(r.body, 'real_name'), ['invalid']);
      assert.deepEqual(fieldCodes(r.body, 'bio'), ['invalid']);
      assert.deepEqual(fieldCodes(r.body, 'gender'), ['invalid']);
    });

    it('a JSON body that is not an object is 400', async () => {
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, body: '[1,2]', headers: { 'Content-Type': 'application/json' } });
      expectError(r, 400);
    });

    it('read-only and unknown fields are ignored', async () => {
      const r = await patch({
        username: 'mallory', email: 'x@evil.example', status: 'b', ext_id: 77, reputation: 1000, id: 999,
        tags: [1], role: 'admin', email_isvalid: true, language: 'it', real_name: 'Still Alice',
      });
      expectStatus(r, 200);
      assert.equal(r.body.real_name, 'Still Alice');
      const back = await readAlice();
      assert.equal(back.id, alice.id);
      assert.equal(back.username, 'alice');
      assert.equal(back.email, 'alice@example.com');
      assert.equal(back.status, 'a');
      assert.equal(back.ext_id, null);
      assert.equal(back.reputation, 0);
      assert.equal(back.email_isvalid, false);
      const me = await s.api('GET', '/api/v2/user/me/', { token: aliceToken });
      assert.equal(me.body.role, null, 'role must not be writable');
    });

    it('a real_name change is seen by the real_name filter (its folded copy follows)', async () => {
      expectStatus(await patch({ real_name: 'Zéphyrine Quux' }), 200);
      const r = await s.api('GET', '/api/v2/user/?real_name=zephyrine', { token: bobToken });
      expectStatus(r, 200);
      assert.deepEqual(r.body.results.map((u) => u.id), [alice.id]);
    });
  });

  describe('encodings', () => {
    it('form-urlencoded PUT', async () => {
      const r = await s.api('PUT', userPath(alice.id), { token: aliceToken, form: { real_name: 'Form Alice', gender: 'Female', location_lat_lng: '1,2' } });
      expectStatus(r, 200);
      assert.equal(r.body.real_name, 'Form Alice');
      assert.equal(r.body.location_lat_lng, '1,2');
      assert.equal((await readAlice()).real_name, 'Form Alice');
    });

    it('form-urlencoded errors have the same shape', async () => {
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, form: { gender: 'none', date_of_birth: '2020-13-01' } });
      expectFieldError(r, 400, 'gender', 'invalid_choice');
      expectFieldError(r, 400, 'date_of_birth', 'invalid');
    });

    it('multipart text fields without files', async () => {
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { bio: 'from multipart', description: 'short' } });
      expectStatus(r, 200);
      assert.equal(r.body.bio, 'from multipart');
      assert.equal(r.body.description, 'short');
    });
  });

  describe('avatar and cover uploads', () => {
    it('a real PNG avatar is stored under the data directory and served back byte-identical', async () => {
      const png = makePNG(16, 16, { seed: 3 });
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { avatar: file(png, 'face.png', 'image/png'), real_name: 'With Avatar' } });
      expectStatus(r, 200);
      assert.equal(r.body.real_name, 'With Avatar');
      assert.match(r.body.avatar, new RegExp(`^${s.base}/media/[0-9a-f]{32}\\.png$`));
      const name = fileOf(r.body.avatar);
      assert.ok(!name.includes('face'), 'the client file name must not be used');
      assert.ok(fs.readFileSync(path.join(mediaDir, name)).equals(png), 'file on disk differs');
      assert.deepEqual(mediaFiles(), [name], 'exactly one file, no temporary leftovers');

      const got = await s.api('GET', `/media/${name}`);
      expectStatus(got, 200);
      assert.ok(got.bytes.equals(png), 'served bytes differ');
      assert.equal(got.headers.get('content-type'), 'image/png');
      assert.equal(got.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal((await readAlice()).avatar, r.body.avatar);
      // anyone may fetch it, as an <img> would
      const anon = await fetch(r.body.avatar);
      assert.equal(anon.status, 200);
    });

    it('replacing the avatar deletes the old file; the cover is independent', async () => {
      const oldName = fileOf((await readAlice()).avatar);
      const png = makePNG(2, 2, { seed: 5 });
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { avatar: file(png, 'new.png'), cover: file(GIF, 'c.gif') } });
      expectStatus(r, 200);
      const newName = fileOf(r.body.avatar);
      const coverName = fileOf(r.body.cover);
      assert.notEqual(newName, oldName);
      assert.match(coverName, /^[0-9a-f]{32}\.gif$/);
      assert.deepEqual(mediaFiles(), [newName, coverName].sort());
      expectStatus(await s.api('GET', `/media/${oldName}`), 404);
      const cover = await s.api('GET', `/media/${coverName}`);
      expectStatus(cover, 200);
      assert.equal(cover.headers.get('content-type'), 'image/gif');
      assert.ok(cover.bytes.equals(GIF));
    });

    it('JPEG and WebP are recognised by their bytes whatever the name and declared type', async () => {
      let r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { cover: file(JPEG, 'photo.gif', 'image/gif') } });
      expectStatus(r, 200);
      assert.match(r.body.cover, /\.jpg$/);
      let got = await s.api('GET', `/media/${fileOf(r.body.cover)}`);
      assert.equal(got.headers.get('content-type'), 'image/jpeg');
      assert.ok(got.bytes.equals(JPEG));
      r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { cover: file(WEBP, 'x.txt', 'text/plain') } });
      expectStatus(r, 200);
      assert.match(r.body.cover, /\.webp$/);
      got = await s.api('GET', `/media/${fileOf(r.body.cover)}`);
      assert.equal(got.headers.get('content-type'), 'image/webp');
      assert.ok(got.bytes.equals(WEBP));
    });

    it('a text file renamed .png is rejected and nothing is written', async () => {
      const before = await readAlice();
      const files = mediaFiles();
      const r = await s.api('PATCH', userPath(alice.id), {
        token: aliceToken,
        multipart: { avatar: file(Buffer.from('just some text, not an image\n'), 'evil.png', 'image/png'), real_name: 'nope' },
      });
      expectFieldError(r, 400, 'avatar', 'invalid_image');
      assert.deepEqual(mediaFiles(), files);
      assert.deepEqual(await readAlice(), before);
    });

    it('HTML disguised as an image, and an empty file, are rejected', async () => {
      let r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { cover: file(Buffer.from('<html><script>alert(1)</script>'), 'a.jpg', 'image/jpeg') } });
      expectFieldError(r, 400, 'cover', 'invalid_image');
      r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { cover: file(Buffer.alloc(0), 'empty.png', 'image/png') } });
      expectFieldError(r, 400, 'cover', 'empty');
    });

    it('an upload over 5 MiB is refused with nothing written to disk; exactly 5 MiB is accepted', async () => {
      const before = await readAlice();
      const files = mediaFiles();
      const big = makePNG(4, 4, { size: 5 * 1024 * 1024 + 1 });
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { avatar: file(big, 'big.png', 'image/png') } });
      assert.ok(r.status === 400 || r.status === 413, `expected 400 or 413, got ${h.show(r)}`);
      expectFieldError(r, 400, 'avatar', 'file_too_large');
      assert.deepEqual(mediaFiles(), files, 'nothing may be written');
      assert.deepEqual(await readAlice(), before);

      const exact = makePNG(4, 4, { size: 5 * 1024 * 1024 });
      const ok = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { avatar: file(exact, 'exact.png', 'image/png') } });
      expectStatus(ok, 200);
      const got = await s.api('GET', `/media/${fileOf(ok.body.avatar)}`);
      expectStatus(got, 200);
      assert.ok(got.bytes.equals(exact));
    });

    it('a body over the 10 MiB multipart limit is 413', async () => {
      const huge = Buffer.alloc(11 * 1024 * 1024, 0x41);
      const boundary = 'hearthboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
        huge, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const files = mediaFiles();
      const r = await s.raw('PATCH', userPath(alice.id), {
        headers: { Authorization: `Bearer ${aliceToken}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body,
      });
      expectStatus(r, 413);
      assert.deepEqual(mediaFiles(), files);
    });

    it('one bad file fails the whole update: the good one is not kept', async () => {
      const files = mediaFiles();
      const before = await readAlice();
      const r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { avatar: file(makePNG(1, 1), 'ok.png'), cover: file(Buffer.from('nope'), 'bad.gif') } });
      expectFieldError(r, 400, 'cover', 'invalid_image');
      assert.equal(fieldCodes(r.body, 'avatar'), null);
      assert.deepEqual(mediaFiles(), files);
      assert.deepEqual(await readAlice(), before);
    });

    it('sending back the URL the User shows keeps the image; any other text is not a file', async () => {
      const before = await readAlice();
      assert.ok(before.avatar && before.cover);
      let r = await patch({ avatar: before.avatar, cover: before.cover, bio: 'round trip' });
      expectStatus(r, 200);
      assert.equal(r.body.avatar, before.avatar);
      assert.equal(r.body.cover, before.cover);
      r = await patch({ avatar: 'http://elsewhere.example/a.png' });
      expectFieldError(r, 400, 'avatar', 'invalid');
      assert.equal((await readAlice()).avatar, before.avatar);
    });

    it('null or an empty value clears avatar and cover and deletes their files', async () => {
      const before = await readAlice();
      const avatarName = fileOf(before.avatar);
      const coverName = fileOf(before.cover);
      let r = await patch({ avatar: null });
      expectStatus(r, 200);
      assert.equal(r.body.avatar, null);
      assert.equal(r.body.cover, before.cover);
      assert.ok(!mediaFiles().includes(avatarName));
      expectStatus(await s.api('GET', `/media/${avatarName}`), 404);
      r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, form: { cover: '' } });
      expectStatus(r, 200);
      assert.equal(r.body.cover, null);
      assert.ok(!mediaFiles().includes(coverName));
      const back = await readAlice();
      assert.equal(back.avatar, null);
      assert.equal(back.cover, null);
      assert.deepEqual(mediaFiles(), []);
    });

    it('an empty file input (no file chosen) leaves the avatar alone', async () => {
      const png = makePNG(2, 3);
      let r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, multipart: { avatar: file(png, 'a.png') } });
      expectStatus(r, 200);
      const url = r.body.avatar;
      const boundary = 'emptyinput';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="bio"\r\n\r\nstill here\r\n--${boundary}--\r\n`;
      r = await s.api('PATCH', userPath(alice.id), { token: aliceToken, body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
      expectStatus(r, 200);
      assert.equal(r.body.avatar, url);
      assert.equal(r.body.bio, 'still here');
      expectStatus(await patch({ avatar: '' }), 200);
    });

    it('/media/ answers 404 for unknown, malformed and traversal names', async () => {
      for (const p of ['/media/0123456789abcdef0123456789abcdef.png', '/media/nothing.png', '/media/..%2Fhearth.db',
        '/media/.tmp-0123', '/media/0123456789ABCDEF0123456789ABCDEF.png', '/media/0123456789abcdef0123456789abcdef.exe']) {
        const r = await s.api('GET', p);
        assert.equal(r.status, 404, `${p}: ${h.show(r)}`);
      }
    });
  });

  describe('who may update', () => {
    it('another user gets 403 and the profile is untouched', async () => {
      const before = await readAlice();
      const png = makePNG(2, 2, { seed: 11 });
      const files = mediaFiles();
      for (const method of ['PUT', 'PATCH']) {
        expectError(await s.api(method, userPath(alice.id), { token: bobToken, body: { real_name: 'Hacked', bio: 'pwned' } }), 403, 'permission_denied');
        expectError(await s.api(method, userPath(alice.id), { token: bobToken, multipart: { avatar: file(png, 'x.png') } }), 403);
      }
      const c = h.client(s.base, bobToken);
      const err = await clientError(c.UserService.userPatch(alice.id, { real_name: 'Hacked' }));
      assert.equal(err.response.status, 403);
      assert.deepEqual(await readAlice(), before);
      assert.deepEqual(mediaFiles(), files, 'a refused upload writes no file');
    });

    it('even an admin cannot edit another profile (contract §9)', async () => {
      const before = await readAlice();
      expectError(await s.api('PATCH', userPath(alice.id), { token: s.admin.token, body: { real_name: 'Admin was here' } }), 403);
      assert.deepEqual(await readAlice(), before);
    });

    it('anonymous is 401; a missing or hard-deleted id is 404 before any ownership check', async () => {
      expectError(await s.api('PATCH', userPath(alice.id), { body: { real_name: 'x' } }), 401, 'not_authenticated');
      expectError(await s.api('PATCH', userPath(987654), { token: bobToken, body: { real_name: 'x' } }), 404, 'not_found');
      expectError(await s.api('PUT', userPath(987654), { token: bobToken, body: { real_name: 'x' } }), 404);
      const ghost = await s.createUser({ username: 'ghost', password: 'Gh0st-pass!' });
      expectStatus(await s.api('DELETE', `/api/v2/user/${ghost.id}/?hard=1`, { token: s.admin.token }), 204);
      expectError(await s.api('PATCH', userPath(ghost.id), { token: bobToken, body: { real_name: 'x' } }), 404);
    });

    it('a blocked user cannot change their profile', async () => {
      const carol = await s.createUser({ username: 'carol', password: 'C4rol-pass!' });
      const carolToken = (await s.login('carol', 'C4rol-pass!')).access_token;
      s.sql(`UPDATE users SET status = 'b' WHERE id = ${carol.id}`);
      expectError(await s.api('PATCH', userPath(carol.id), { token: carolToken, body: { real_name: 'Blocked' } }), 403);
      const r = await s.api('GET', userPath(carol.id), { token: carolToken });
      assert.equal(r.body.real_name, '');
    });
  });
});
