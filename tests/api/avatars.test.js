'use strict';
// The avatar gallery (GET/POST/PATCH/DELETE /api/v2/user/avatar/), the
// caller's avatar URL (GET /api/v2/user/me/avatar/) and the generated default
// image (GET /api/v2/avatar/{id}), through the official client's UserService
// and fetch: uploads under the profile avatar's rules, one primary that is
// always user.avatar, files removed from disk, the gallery bound, the
// profile update (PATCH /user/{id}/) keeping the same rows, the hard delete
// and the media sweep, and the 010 migration of existing avatars.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, clientError } = h;

const { crc32, makePNG, GIF, JPEG } = require('./images');

const GALLERY_MAX = 50; // AVATAR_GALLERY_MAX in src/domain/avatar.h
const ENTRY_KEYS = ['avatar', 'date_uploaded', 'id', 'primary', 'user'];
const fileOf = (url) => url.slice(url.lastIndexOf('/') + 1);

describe('avatar gallery', () => {
  let s;
  let media;
  let alice;
  let bob;

  const mediaFiles = () => (fs.existsSync(media) ? fs.readdirSync(media).sort() : []);
  const onDisk = (url) => fs.existsSync(path.join(media, fileOf(url)));
  const formWith = (bytes, name) => {
    const fd = new FormData();
    fd.append('avatar', new File([bytes], name));
    return fd;
  };
  const multipartHeader = { headers: { 'Content-Type': 'multipart/form-data' } };
  // the official client, as the UI kit's ChangePicture calls it
  const add = (u, bytes, name = 'a.png') => h.client(s.base, u.token).UserService.addUserAvatar(formWith(bytes, name), multipartHeader);
  const list = async (u) => {
    const page = await h.client(s.base, u.token).UserService.getUserAvatars();
    return page;
  };
  const setPrimary = (u, id) => h.client(s.base, u.token).UserService.setUserPrimaryAvatar(id);
  const remove = (u, id) => h.client(s.base, u.token).UserService.removeUserAvatar(id);
  const userAvatar = async (u) => {
    const r = await s.api('GET', `/api/v2/user/${u.id}/`, { token: u.token });
    expectStatus(r, 200);
    return r.body.avatar;
  };
  const meAvatar = async (u) => (await h.client(s.base, u.token).UserService.getCurrentUserAvatar()).avatar;
  const rows = (u) => s.sql(`SELECT id, file, is_primary FROM user_avatars WHERE user_id = ${u.id} ORDER BY id`, { json: true });
  const newUser = async (username) => {
    const u = await s.createUser({ username, password: 'Passw0rd!long' });
    return { ...u, token: await s.token(u.id) };
  };

  before(async () => {
    s = await h.startServer();
    media = path.join(s.dir, 'media');
    alice = await newUser('alice');
    bob = await newUser('bob');
  });
  after(async () => { if (s) await s.stop(); });

  describe('upload, list and choose (official client)', () => {
    let first;
    let second;
    let third;

    it('an empty gallery: no entries, no avatar', async () => {
      const page = await list(alice);
      assert.deepEqual(page, { count: 0, next: null, previous: null, results: [] });
      assert.equal(await meAvatar(alice), null);
    });

    it('the first upload (PNG) is primary and becomes user.avatar', async () => {
      const png = makePNG(8, 8, { seed: 2 });
      first = await add(alice, png, 'face.png');
      assert.deepEqual(Object.keys(first).sort(), ENTRY_KEYS);
      assert.equal(typeof first.id, 'number');
      assert.equal(first.primary, true);
      assert.equal(first.user, alice.id);
      assert.match(first.avatar, new RegExp(`^${s.base}/media/[0-9a-f]{32}\\.png$`));
      assert.match(first.date_uploaded, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
      assert.ok(fs.readFileSync(path.join(media, fileOf(first.avatar))).equals(png), 'the stored bytes are the upload');
      assert.equal(await userAvatar(alice), first.avatar);
      assert.equal(await meAvatar(alice), first.avatar);
      const got = await fetch(first.avatar);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'image/png');
    });

    it('later uploads (JPEG, GIF) are not primary and leave user.avatar alone', async () => {
      second = await add(alice, JPEG, 'photo.jpg');
      third = await add(alice, GIF, 'anim.gif');
      assert.equal(second.primary, false);
      assert.equal(third.primary, false);
      assert.match(second.avatar, /\.jpg$/);
      assert.match(third.avatar, /\.gif$/);
      assert.ok(second.id > first.id && third.id > second.id);
      assert.equal(await userAvatar(alice), first.avatar);
    });

    it('the list is oldest first with exactly one primary', async () => {
      const page = await list(alice);
      assert.equal(page.count, 3);
      assert.deepEqual(page.results.map((a) => a.id), [first.id, second.id, third.id]);
      assert.deepEqual(page.results.map((a) => a.primary), [true, false, false]);
      assert.deepEqual(page.results[1], second);
      for (const a of page.results) assert.deepEqual(Object.keys(a).sort(), ENTRY_KEYS);
    });

    it('pages with limit/offset and an absolute next link', async () => {
      const r = await s.api('GET', '/api/v2/user/avatar/?limit=2', { token: alice.token });
      expectStatus(r, 200);
      assert.equal(r.body.count, 3);
      assert.deepEqual(r.body.results.map((a) => a.id), [first.id, second.id]);
      assert.ok(r.body.next.startsWith(s.base));
      const next = await s.api('GET', r.body.next, { token: alice.token });
      assert.deepEqual(next.body.results.map((a) => a.id), [third.id]);
      assert.equal(next.body.next, null);
    });

    it('setUserPrimaryAvatar makes one entry the only primary and user.avatar', async () => {
      assert.equal(await setPrimary(alice, third.id), '');
      const page = await list(alice);
      assert.deepEqual(page.results.map((a) => a.primary), [false, false, true]);
      assert.equal(await userAvatar(alice), third.avatar);
      assert.equal(await meAvatar(alice), third.avatar);
      // as a string id too (the client accepts number | string)
      assert.equal(await setPrimary(alice, String(second.id)), '');
      assert.equal(await userAvatar(alice), second.avatar);
      assert.deepEqual((await list(alice)).results.map((a) => a.primary), [false, true, false]);
      // choosing the primary again is harmless
      const r = await s.api('PATCH', '/api/v2/user/avatar/', { token: alice.token, body: { avatar_id: second.id } });
      expectStatus(r, 204);
      assert.equal(r.text, '');
      assert.deepEqual(rows(alice).map((x) => x.is_primary), [0, 1, 0]);
    });

    it("someone else's or an unknown avatar_id is 404 and nothing changes", async () => {
      const bobs = await add(bob, makePNG(2, 2, { seed: 9 }), 'bob.png');
      assert.equal(bobs.primary, true);
      const aliceBefore = rows(alice);
      const bobBefore = rows(bob);
      const filesBefore = mediaFiles();
      let err = await clientError(setPrimary(alice, bobs.id));
      assert.equal(err.response.status, 404);
      expectError({ status: err.response.status, body: err.response.data }, 404, 'not_found');
      err = await clientError(remove(alice, bobs.id));
      assert.equal(err.response.status, 404);
      for (const id of [999999, 2 ** 53 - 1]) {
        expectError(await s.api('PATCH', '/api/v2/user/avatar/', { token: alice.token, body: { avatar_id: id } }), 404, 'not_found');
        expectError(await s.api('DELETE', '/api/v2/user/avatar/', { token: alice.token, body: { avatar_id: id } }), 404, 'not_found');
      }
      assert.deepEqual(rows(alice), aliceBefore);
      assert.deepEqual(rows(bob), bobBefore);
      assert.deepEqual(mediaFiles(), filesBefore);
      assert.equal(await userAvatar(bob), bobs.avatar);
      assert.equal(await userAvatar(alice), second.avatar);
    });

    it('a bad or missing avatar_id is 400 on the field', async () => {
      const before = rows(alice);
      for (const method of ['PATCH', 'DELETE']) {
        for (const [body, code] of [[{}, 'required'], [{ avatar_id: null }, 'required'], [{ avatar_id: 'abc' }, 'invalid'],
          [{ avatar_id: 0 }, 'invalid'], [{ avatar_id: -3 }, 'invalid'], [{ avatar_id: 1.5 }, 'invalid'],
          [{ avatar_id: [first.id] }, 'invalid'], [{ avatar_id: '9'.repeat(30) }, 'invalid']]) {
          const r = await s.api(method, '/api/v2/user/avatar/', { token: alice.token, body });
          assert.equal(r.status, 400, `${method} ${JSON.stringify(body)}: ${h.show(r)}`);
          assert.ok(r.body.errors.some((x) => x.field === 'avatar_id'), `${method} ${JSON.stringify(body)}: ${r.text}`);
          if (code === 'required') expectFieldError(r, 400, 'avatar_id', 'required');
        }
        expectStatus(await s.api(method, '/api/v2/user/avatar/', { token: alice.token, body: [first.id] }), 400);
      }
      // a form body works as JSON does
      expectStatus(await s.api('PATCH', '/api/v2/user/avatar/', { token: alice.token, form: { avatar_id: String(second.id) } }), 204);
      assert.deepEqual(rows(alice), before);
    });

    it('anonymous callers are 401 on every gallery route', async () => {
      for (const [method, p] of [['GET', '/api/v2/user/avatar/'], ['POST', '/api/v2/user/avatar/'], ['PATCH', '/api/v2/user/avatar/'],
        ['DELETE', '/api/v2/user/avatar/'], ['GET', '/api/v2/user/me/avatar/']]) {
        expectStatus(await s.api(method, p), 401, `${method} ${p}`);
      }
    });
  });

  describe('upload rules', () => {
    it('not an image is 400 invalid_image with nothing written', async () => {
      const files = mediaFiles();
      const before = rows(alice);
      const err = await clientError(add(alice, Buffer.from('just some text, not an image\n'), 'evil.png'));
      expectFieldError({ status: err.response.status, body: err.response.data }, 400, 'avatar', 'invalid_image');
      const html = await s.api('POST', '/api/v2/user/avatar/', { token: alice.token, multipart: { avatar: new File([Buffer.from('<svg onload=alert(1)>')], 'x.gif') } });
      expectFieldError(html, 400, 'avatar', 'invalid_image');
      expectFieldError(await s.api('POST', '/api/v2/user/avatar/', { token: alice.token, multipart: { avatar: new File([Buffer.alloc(0)], 'e.png') } }), 400, 'avatar', 'empty');
      assert.deepEqual(mediaFiles(), files);
      assert.deepEqual(rows(alice), before);
    });

    it('no file is 400 required; a text value is not a file', async () => {
      expectFieldError(await s.api('POST', '/api/v2/user/avatar/', { token: alice.token, multipart: { other: new File([GIF], 'a.gif') } }), 400, 'avatar', 'required');
      expectFieldError(await s.api('POST', '/api/v2/user/avatar/', { token: alice.token, body: { avatar: 'http://elsewhere.example/a.png' } }), 400, 'avatar', 'required');
    });

    it('over 5 MiB is 400 file_too_large, a body over 10 MiB is 413; nothing written; exactly 5 MiB is taken', async () => {
      const files = mediaFiles();
      const before = rows(alice);
      const big = makePNG(4, 4, { size: 5 * 1024 * 1024 + 1 });
      expectFieldError(await s.api('POST', '/api/v2/user/avatar/', { token: alice.token, multipart: { avatar: new File([big], 'big.png') } }), 400, 'avatar', 'file_too_large');
      const huge = Buffer.alloc(11 * 1024 * 1024, 0x41);
      const boundary = 'avatarboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
        huge, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await s.raw('POST', '/api/v2/user/avatar/', {
        headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body,
      });
      expectStatus(r, 413);
      assert.deepEqual(mediaFiles(), files);
      assert.deepEqual(rows(alice), before);

      const exact = makePNG(4, 4, { size: 5 * 1024 * 1024 });
      const ok = await s.api('POST', '/api/v2/user/avatar/', { token: alice.token, multipart: { avatar: new File([exact], 'exact.png') } });
      expectStatus(ok, 201);
      assert.equal(ok.body.primary, false);
      assert.ok(fs.readFileSync(path.join(media, fileOf(ok.body.avatar))).equals(exact));
      expectStatus(await s.api('DELETE', '/api/v2/user/avatar/', { token: alice.token, body: { avatar_id: ok.body.id } }), 204);
      assert.equal(onDisk(ok.body.avatar), false);
    });

    it('a blocked user cannot change the gallery (403) but can read it', async () => {
      const carol = await newUser('carol');
      const mine = await add(carol, GIF, 'c.gif');
      s.sql(`UPDATE users SET status = 'b' WHERE id = ${carol.id}`);
      try {
        const files = mediaFiles();
        expectStatus(await s.api('POST', '/api/v2/user/avatar/', { token: carol.token, multipart: { avatar: new File([GIF], 'c.gif') } }), 403);
        expectStatus(await s.api('PATCH', '/api/v2/user/avatar/', { token: carol.token, body: { avatar_id: mine.id } }), 403);
        expectStatus(await s.api('DELETE', '/api/v2/user/avatar/', { token: carol.token, body: { avatar_id: mine.id } }), 403);
        assert.deepEqual(mediaFiles(), files);
        const r = await s.api('GET', '/api/v2/user/avatar/', { token: carol.token });
        expectStatus(r, 200);
        assert.equal(r.body.count, 1);
      } finally {
        s.sql(`UPDATE users SET status = 'a' WHERE id = ${carol.id}`);
      }
    });
  });

  describe('delete', () => {
    let dave;
    let a1;
    let a2;
    let a3;
    let a4;

    before(async () => {
      dave = await newUser('dave');
      a1 = await add(dave, makePNG(3, 3, { seed: 1 }));
      a2 = await add(dave, makePNG(3, 3, { seed: 2 }));
      a3 = await add(dave, makePNG(3, 3, { seed: 3 }));
      a4 = await add(dave, makePNG(3, 3, { seed: 4 }));
      assert.equal(a1.primary, true);
    });

    it('a non-primary entry: gone from the list and from disk; the primary stays', async () => {
      assert.ok(onDisk(a2.avatar));
      assert.equal(await remove(dave, a2.id), '');
      assert.equal(onDisk(a2.avatar), false);
      expectStatus(await s.api('GET', `/media/${fileOf(a2.avatar)}`), 404);
      const page = await list(dave);
      assert.deepEqual(page.results.map((a) => [a.id, a.primary]), [[a1.id, true], [a3.id, false], [a4.id, false]]);
      assert.equal(await userAvatar(dave), a1.avatar);
      // deleting it again: it is gone
      assert.equal((await clientError(remove(dave, a2.id))).response.status, 404);
    });

    it('the primary: the newest remaining entry is promoted', async () => {
      assert.equal(await remove(dave, a1.id), '');
      assert.equal(onDisk(a1.avatar), false);
      const page = await list(dave);
      assert.deepEqual(page.results.map((a) => [a.id, a.primary]), [[a3.id, false], [a4.id, true]]);
      assert.equal(await userAvatar(dave), a4.avatar);
      assert.equal(await meAvatar(dave), a4.avatar);
    });

    it('the last one: no avatar (null), no files', async () => {
      expectStatus(await s.api('DELETE', '/api/v2/user/avatar/', { token: dave.token, body: { avatar_id: a4.id } }), 204);
      assert.equal(await userAvatar(dave), a3.avatar, 'a3 is promoted');
      expectStatus(await s.api('DELETE', '/api/v2/user/avatar/', { token: dave.token, body: { avatar_id: a3.id } }), 204);
      assert.equal(await userAvatar(dave), null);
      assert.equal(await meAvatar(dave), null);
      assert.deepEqual(await list(dave), { count: 0, next: null, previous: null, results: [] });
      for (const a of [a1, a2, a3, a4]) assert.equal(onDisk(a.avatar), false);
      assert.deepEqual(rows(dave), []);
    });
  });

  describe('the profile update keeps the gallery', () => {
    let erin;

    before(async () => { erin = await newUser('erin'); });

    it('PATCH /user/{id}/ with an avatar adds it as the primary entry', async () => {
      const r = await s.api('PATCH', `/api/v2/user/${erin.id}/`, { token: erin.token, multipart: { avatar: new File([GIF], 'p.gif') } });
      expectStatus(r, 200);
      const page = await list(erin);
      assert.equal(page.count, 1);
      assert.equal(page.results[0].primary, true);
      assert.equal(page.results[0].avatar, r.body.avatar);
      assert.equal(await meAvatar(erin), r.body.avatar);
    });

    it('a new profile avatar replaces the primary entry (and its file); other entries stay', async () => {
      const kept = await add(erin, JPEG, 'kept.jpg');
      const old = (await list(erin)).results[0];
      const r = await s.api('PATCH', `/api/v2/user/${erin.id}/`, { token: erin.token, multipart: { avatar: new File([makePNG(5, 5)], 'n.png') } });
      expectStatus(r, 200);
      const page = await list(erin);
      assert.deepEqual(page.results.map((a) => [a.avatar, a.primary]), [[kept.avatar, false], [r.body.avatar, true]]);
      assert.equal(onDisk(old.avatar), false);
      assert.equal(onDisk(kept.avatar), true);
    });

    it('clearing the profile avatar removes the primary entry; the next upload becomes the avatar', async () => {
      const before = (await list(erin)).results;
      const r = await s.api('PATCH', `/api/v2/user/${erin.id}/`, { token: erin.token, body: { avatar: null } });
      expectStatus(r, 200);
      assert.equal(r.body.avatar, null);
      const page = await list(erin);
      assert.deepEqual(page.results.map((a) => [a.id, a.primary]), [[before[0].id, false]]);
      assert.equal(onDisk(before[1].avatar), false);
      assert.equal(await meAvatar(erin), null);
      const next = await add(erin, GIF, 'again.gif');
      assert.equal(next.primary, true, 'a user without an avatar gets the upload as avatar');
      assert.equal(await userAvatar(erin), next.avatar);
      // choosing the old entry through the gallery is reflected in the profile
      await setPrimary(erin, before[0].id);
      assert.equal(await userAvatar(erin), before[0].avatar);
    });
  });

  describe('the gallery bound', () => {
    it(`holds ${GALLERY_MAX} entries; the next upload is 400 with nothing written`, async () => {
      const fay = await newUser('fay');
      for (let i = 0; i < GALLERY_MAX; i++) await add(fay, GIF, `g${i}.gif`);
      assert.equal((await list(fay)).count, GALLERY_MAX);
      const files = mediaFiles();
      const r = await s.api('POST', '/api/v2/user/avatar/', { token: fay.token, multipart: { avatar: new File([GIF], 'one-more.gif') } });
      expectFieldError(r, 400, 'avatar', 'max_items');
      assert.deepEqual(mediaFiles(), files);
      assert.equal((await list(fay)).count, GALLERY_MAX);
      // the profile path replaces the primary entry, so it still works when full
      const p = await s.api('PATCH', `/api/v2/user/${fay.id}/`, { token: fay.token, multipart: { avatar: new File([JPEG], 'p.jpg') } });
      expectStatus(p, 200);
      assert.equal((await list(fay)).count, GALLERY_MAX);
      assert.equal(mediaFiles().length, files.length, 'one file replaced another');
      // clearing the avatar removes the primary entry: room for one upload, which becomes the avatar
      expectStatus(await s.api('PATCH', `/api/v2/user/${fay.id}/`, { token: fay.token, body: { avatar: null } }), 200);
      assert.equal((await list(fay)).count, GALLERY_MAX - 1);
      const last = await add(fay, GIF);
      assert.equal(last.primary, true);
      assert.equal((await add(fay, GIF).catch((e) => e.response)).status, 400);
      // a full gallery without a primary entry (no API call leaves one so; a
      // database written by hand may) refuses the profile avatar too
      s.sql(`UPDATE user_avatars SET is_primary = 0 WHERE user_id = ${fay.id}; UPDATE users SET avatar = NULL WHERE id = ${fay.id}`);
      const files2 = mediaFiles();
      expectFieldError(await s.api('PATCH', `/api/v2/user/${fay.id}/`, { token: fay.token, multipart: { avatar: new File([GIF], 'q.gif') } }), 400, 'avatar', 'max_items');
      assert.deepEqual(mediaFiles(), files2);
      assert.equal(await userAvatar(fay), null);
    });
  });

  describe('housekeeping', () => {
    it('the media sweep keeps gallery files that are not the avatar', async () => {
      const gus = await newUser('gus');
      const primary = await add(gus, GIF, 'p.gif');
      const other = await add(gus, JPEG, 'o.jpg');
      const old = new Date(Date.now() - 2 * 3600 * 1000);
      for (const a of [primary, other]) fs.utimesSync(path.join(media, fileOf(a.avatar)), old, old);
      const r = await s.run(['check', '--fix']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(onDisk(primary.avatar), true);
      assert.equal(onDisk(other.avatar), true);
      expectStatus(await s.api('GET', `/media/${fileOf(other.avatar)}`), 200);
    });

    it('a hard delete removes every gallery row and file of the user, and only those', async () => {
      const hal = await newUser('hal');
      const mine = [await add(hal, GIF), await add(hal, JPEG), await add(hal, makePNG(2, 2, { seed: 7 }))];
      await setPrimary(hal, mine[1].id);
      const others = mediaFiles().filter((f) => !mine.some((a) => fileOf(a.avatar) === f));
      const r = await s.api('DELETE', `/api/v2/user/${hal.id}/?hard=1`, { token: hal.token });
      expectStatus(r, 204);
      for (const a of mine) assert.equal(onDisk(a.avatar), false, `${a.avatar} left behind`);
      assert.deepEqual(mediaFiles(), others);
      assert.deepEqual(rows(hal), []);
    });

    it('a soft delete keeps the gallery', async () => {
      const ida = await newUser('ida');
      const mine = await add(ida, GIF);
      expectStatus(await s.api('DELETE', `/api/v2/user/${ida.id}/`, { token: ida.token }), 204);
      assert.equal(rows(ida).length, 1);
      assert.equal(onDisk(mine.avatar), true);
    });
  });

  describe('the generated default image (GET /api/v2/avatar/{id})', () => {
    // Decodes the PNG hearth makes (1-bit palette) with node's zlib: the
    // palette and the number of letter pixels.
    const decode = (png) => {
      assert.ok(png.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')), 'PNG signature');
      const chunks = {};
      for (let at = 8; at < png.length;) {
        const len = png.readUInt32BE(at);
        const type = png.toString('ascii', at + 4, at + 8);
        const data = png.subarray(at + 8, at + 8 + len);
        assert.equal(png.readUInt32BE(at + 8 + len), crc32(png.subarray(at + 4, at + 8 + len)), `${type} CRC`);
        chunks[type] = data;
        at += 12 + len;
      }
      const w = chunks.IHDR.readUInt32BE(0);
      const hgt = chunks.IHDR.readUInt32BE(4);
      assert.deepEqual([chunks.IHDR[8], chunks.IHDR[9]], [1, 3], '1-bit palette');
      const raw = zlib.inflateSync(chunks.IDAT);
      assert.equal(raw.length, (1 + w / 8) * hgt);
      let on = 0;
      for (let y = 0; y < hgt; y++) {
        for (let x = 0; x < w; x++) on += (raw[y * (1 + w / 8) + 1 + (x >> 3)] >> (7 - (x & 7))) & 1;
      }
      return { w, hgt, background: chunks.PLTE.subarray(0, 3).toString('hex'), ink: chunks.PLTE.subarray(3, 6).toString('hex'), on };
    };
    const image = async (id, headers = {}) => {
      const r = await fetch(`${s.base}/api/v2/avatar/${id}`, { headers });
      return { r, bytes: Buffer.from(await r.arrayBuffer()) };
    };

    it('is a tiny PNG of the initial, with cache headers and an ETag, for anyone', async () => {
      const { r, bytes } = await image(alice.id);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'image/png');
      assert.match(r.headers.get('cache-control'), /^public, max-age=\d+$/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      const etag = r.headers.get('etag');
      assert.match(etag, /^"[0-9a-f]{16}"$/);
      assert.ok(bytes.length < 1024, `${bytes.length} bytes`);
      const img = decode(bytes);
      assert.deepEqual([img.w, img.hgt], [64, 64]);
      assert.equal(img.ink, 'ffffff');
      assert.notEqual(img.background, 'ffffff');
      assert.equal(img.on, 18 * 36, "the 5x7 'A' (18 dots) drawn 6x6 each");
      // the same with a trailing slash, and the same bytes every time
      const again = await image(`${alice.id}/`);
      assert.equal(again.r.headers.get('etag'), etag);
      assert.ok(again.bytes.equals(bytes));
    });

    it('answers 304 with no body to If-None-Match, 200 to another tag', async () => {
      const etag = (await fetch(`${s.base}/api/v2/avatar/${bob.id}`)).headers.get('etag');
      for (const inm of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
        const r = await fetch(`${s.base}/api/v2/avatar/${bob.id}`, { headers: { 'If-None-Match': inm } });
        assert.equal(r.status, 304, inm);
        assert.equal(r.headers.get('etag'), etag);
        assert.match(r.headers.get('cache-control'), /^public, max-age=\d+$/);
        assert.equal(await r.text(), '');
      }
      const { r, bytes } = await image(bob.id, { 'If-None-Match': '"0000000000000000"' });
      assert.equal(r.status, 200);
      assert.equal(decode(bytes).on, 20 * 36, "the 5x7 'B' (20 dots)");
    });

    it('differs between users: another initial or colour gives another tag', async () => {
      const tags = new Set();
      for (const u of [alice, bob]) tags.add((await fetch(`${s.base}/api/v2/avatar/${u.id}`)).headers.get('etag'));
      assert.equal(tags.size, 2);
    });

    it('uses the first letter or digit of the username, upper-cased', async () => {
      const zed = await newUser('_zed');
      const zulu = await newUser('Zulu');
      const a = decode((await image(zed.id)).bytes);
      const b = decode((await image(zulu.id)).bytes);
      assert.equal(a.on, 15 * 36, "the 5x7 'Z' (15 dots)");
      assert.equal(b.on, a.on);
    });

    it('is 404 for unknown, hard-deleted and soft-deleted users', async () => {
      expectError(await s.api('GET', '/api/v2/avatar/999999'), 404, 'not_found');
      const gone = await newUser('gone');
      expectStatus(await s.api('DELETE', `/api/v2/user/${gone.id}/`, { token: gone.token }), 204);
      expectError(await s.api('GET', `/api/v2/avatar/${gone.id}`), 404, 'not_found');
      const purged = await newUser('purged');
      expectStatus(await s.api('DELETE', `/api/v2/user/${purged.id}/?hard=1`, { token: purged.token }), 204);
      expectError(await s.api('GET', `/api/v2/avatar/${purged.id}`), 404, 'not_found');
      expectStatus(await s.api('GET', '/api/v2/avatar/abc'), 404);
    });
  });
});

describe('migration 010: existing avatars enter the gallery as primary', { skip: h.sqliteOnly('SQLite\'s migration 010 undone and applied again (PostgreSQL\'s schema starts with the gallery)') }, () => {
  let s;
  after(async () => { if (s) await s.stop(); });

  // a PostgreSQL database starts with the gallery (003_accounts): there is
  // no schema before it to migrate from
  it('an avatar set before the gallery existed is the primary entry after migrating', { skip: h.sqliteOnly('SQLite migration 010 and databases made before it') }, async () => {
    s = await h.startServer();
    const u = await s.createUser({ username: 'olduser', password: 'Passw0rd!long' });
    const token = await s.token(u.id);
    const r = await s.api('PATCH', `/api/v2/user/${u.id}/`, { token, multipart: { avatar: new File([GIF], 'a.gif') } });
    expectStatus(r, 200);
    const other = await s.createUser({ username: 'noavatar', password: 'Passw0rd!long' });
    // back to the schema before 010, then migrate again
    const name = s.sql("SELECT name FROM schema_migrations WHERE name LIKE '010%'");
    assert.match(name, /^010_avatars/);
    s.sql(`DROP TABLE user_avatars; DELETE FROM schema_migrations WHERE name = '${name}'`);
    const m = await s.run(['migrate']);
    assert.equal(m.code, 0, m.stderr);
    const rows = s.sql('SELECT user_id, file, is_primary FROM user_avatars ORDER BY id', { json: true });
    assert.deepEqual(rows, [{ user_id: u.id, file: fileOf(r.body.avatar), is_primary: 1 }]);
    const page = await s.api('GET', '/api/v2/user/avatar/', { token });
    expectStatus(page, 200);
    assert.equal(page.body.count, 1);
    assert.equal(page.body.results[0].avatar, r.body.avatar);
    assert.equal(page.body.results[0].primary, true);
    const none = await s.api('GET', '/api/v2/user/avatar/', { token: await s.token(other.id) });
    assert.equal(none.body.count, 0);
  });
});
