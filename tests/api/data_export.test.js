'use strict';
// The personal data export (GDPR art. 20): POST/GET /api/v2/udp/ and
// GET /api/v2/udp/download/, through the official client's
// DataPortabilityService (as the AccountDataPortability component calls it:
// generate, poll the status, download) and plain fetch. The archive is read
// with a small zip reader over node:zlib and checked to hold exactly the
// caller's data: their profile as GET /user/me/ shows it, settings, graph
// lists, posts, tags, categories and uploaded files byte-identical, and no
// other user's private data. Nobody else can reach it; requests are rate
// limited; an interrupted build is done again by the next server start;
// archives expire and go with a hard delete.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const h = require('./harness');

const { expectStatus, expectError, clientError } = h;
const { DataPortabilityService } = require('@selfcommunity/api-services');

// A 1x1 RGBA PNG and a GIF (as account_delete.test.js uploads them).
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a7e3c5d80000000049454e44ae426082', 'hex');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const REBUILD_INTERVAL_S = 3600; // DATA_EXPORT_REBUILD_INTERVAL_S
const RETENTION_DAYS = 7; // DATA_EXPORT_RETENTION_DAYS
const MEMBERS = [
  'categories.json', 'connection_requests_received.json', 'connection_requests_sent.json', 'connections.json',
  'export.json', 'followers.json', 'followings.json', 'hidden_users.json', 'media/avatar.png', 'media/cover.gif',
  'posts.json', 'profile.json', 'settings.json', 'tags.json',
];

// ---- a minimal zip reader (central directory, stored and deflated) ----

const { crc32 } = require('./images');

// Map of member name -> Buffer; every member's size and CRC-32 checked.
function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'no end of central directory: not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry signature');
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    assert.equal(buf.readUInt32LE(local), 0x04034b50, `${name}: local header signature`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, usize, `${name}: size`);
    assert.equal(crc32(data), crc, `${name}: CRC-32`);
    assert.ok(!out.has(name), `${name} twice`);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('data export (/api/v2/udp/)', () => {
  let s;
  let seq = 0;
  let adminToken; // a JWT: the tests move the clock past the OAuth token's life
  const users = {};

  const udp = (token, method = 'GET') => s.api(method, '/api/v2/udp/', { token });
  const download = (token) => s.api('GET', '/api/v2/udp/download/', { token });
  const row = (id) => s.sql(`SELECT status || '|' || coalesce(file_name, '') || '|' || requested_us FROM data_exports WHERE user_id = ${Number(id)}`);
  const exportsDir = () => path.join(s.dir, 'exports');
  const exportFiles = () => (fs.existsSync(exportsDir()) ? fs.readdirSync(exportsDir()).sort() : []);
  const setPref = async (key, value) => expectStatus(await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { [key]: value } }), 200);

  async function newUser(name) {
    const username = `${name}${++seq}`;
    const r = await s.api('POST', '/api/v2/sso/signup/', {
      token: adminToken, body: { username, email: `${username}@example.com`, password: 'Passw0rd!x' },
    });
    expectStatus(r, 201);
    const u = r.body;
    // long-lived: the tests move the server's clock by hours and days
    return { ...u, email: `${username}@example.com`, token: await s.token(u.id, '400d') };
  }

  // Polls the status (as the UI kit does) until the build ends.
  async function waitDone(token) {
    for (let i = 0; i < 400; i++) {
      const r = await udp(token);
      expectStatus(r, 200);
      if (!r.body.computing) return r.body;
      await sleep(50);
    }
    throw new Error('the export did not finish');
  }

  async function waitFor(what, fn) {
    for (let i = 0; i < 400; i++) {
      if (await fn()) return;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  before(async () => {
    s = await h.startServer();
    adminToken = await s.token(s.admin.id, '400d');
    for (const n of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) users[n] = await newUser(n);
    const { alice, bob, carol, dave, erin, frank } = users;
    const as = (u) => ({ token: u.token });
    // follows (follow mode, the default)
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/follow/`, as(alice)), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${alice.id}/follow/`, as(carol)), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${carol.id}/follow/`, as(bob)), 204); // not alice's
    expectStatus(await s.api('POST', `/api/v2/user/${dave.id}/hide/`, as(alice)), 204);
    // connections and requests (friendship mode), then back
    await setPref('configurations.follow_enabled', false);
    expectStatus(await s.api('POST', `/api/v2/user/${alice.id}/connection/request/`, as(bob)), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${bob.id}/connection/accept/`, as(alice)), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${alice.id}/connection/request/`, as(erin)), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${frank.id}/connection/request/`, as(alice)), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${frank.id}/connection/request/`, as(carol)), 204); // not alice's
    await setPref('configurations.follow_enabled', true);
    // a category, posts, a tag, settings, uploads
    const cat = await s.api('POST', '/api/v2/category/', { token: s.admin.token, body: { name: 'Gardening' } });
    expectStatus(cat, 201);
    const other = await s.api('POST', '/api/v2/category/', { token: s.admin.token, body: { name: 'Secret club' } });
    expectStatus(other, 201);
    users.cat = cat.body;
    expectStatus(await s.api('POST', `/api/v2/category/${cat.body.id}/follow/`, as(alice)), 204);
    expectStatus(await s.api('POST', `/api/v2/category/${other.body.id}/follow/`, as(bob)), 204);
    expectStatus(await s.api('POST', '/api/v2/post/', { ...as(alice), body: { text: '<p>alice-post-marker</p>', categories: [cat.body.id] } }), 201);
    expectStatus(await s.api('POST', '/api/v2/discussion/', { ...as(alice), body: { title: 'alice-discussion-marker', text: '<p>x</p>', categories: [cat.body.id] } }), 201);
    expectStatus(await s.api('POST', '/api/v2/post/', { ...as(bob), body: { text: '<p>bob-post-marker</p>', categories: [other.body.id] } }), 201);
    const tag = await s.api('POST', '/api/v2/tag/', { token: s.admin.token, body: { name: 'alice-tag-marker' } });
    expectStatus(tag, 201);
    expectStatus(await s.api('POST', `/api/v2/tag/${tag.body.id}/assign/`, { token: s.admin.token, body: { user: alice.id } }), 204);
    const bobTag = await s.api('POST', '/api/v2/tag/', { token: s.admin.token, body: { name: 'bob-tag-marker', visible: false } });
    expectStatus(await s.api('POST', `/api/v2/tag/${bobTag.body.id}/assign/`, { token: s.admin.token, body: { user: bob.id } }), 204);
    expectStatus(await s.api('PATCH', `/api/v2/user/${alice.id}/settings/`, { ...as(alice), body: { qa_frequency: 0 } }), 200);
    const up = await s.api('PATCH', `/api/v2/user/${alice.id}/`, {
      ...as(alice), multipart: { avatar: new File([PNG], 'face.png'), cover: new File([GIF], 'c.gif'), real_name: 'Alice Marker' },
    });
    expectStatus(up, 200);
    const upBob = await s.api('PATCH', `/api/v2/user/${bob.id}/`, { token: bob.token, multipart: { avatar: new File([GIF], 'b.gif') } });
    expectStatus(upBob, 200);
  });
  after(async () => { if (s) await s.stop(); });

  describe('without an export', () => {
    it('the status says none (official client), and download is 404', async () => {
      h.client(s.base, users.alice.token);
      const st = await DataPortabilityService.dataPortabilityStatus();
      assert.equal(st.status, 'none');
      assert.equal(st.computing, false);
      assert.equal(st.requested_at, null);
      assert.equal(st.generated_at, null);
      assert.equal(st.send_email, false);
      expectError(await download(users.alice.token), 404, 'not_found');
    });

    it('anonymous callers get 401 on every route and start nothing', async () => {
      for (const [method, p] of [['GET', '/api/v2/udp/'], ['POST', '/api/v2/udp/'], ['GET', '/api/v2/udp/download/']]) {
        expectError(await s.api(method, p), 401, 'not_authenticated');
      }
      h.client(s.base);
      const err = await clientError(DataPortabilityService.generateDataPortability());
      assert.equal(err.response.status, 401);
      assert.equal(s.sql('SELECT count(*) FROM data_exports'), '0');
    });
  });

  describe('alice exports her data', () => {
    let archive;
    let bytes;

    it('generate (official client) queues a build: 202 with computing, then the status polls to ready', async () => {
      const r = await udp(users.alice.token, 'POST');
      expectStatus(r, 202);
      assert.equal(r.body.computing, true);
      assert.equal(r.body.status, 'pending');
      assert.ok(Date.parse(r.body.requested_at) > 0, r.text);
      assert.equal(r.body.generated_at, null);
      const st = await waitDone(users.alice.token);
      assert.equal(st.status, 'ready', JSON.stringify(st));
      assert.ok(Date.parse(st.generated_at) >= Date.parse(st.requested_at) - 1000, JSON.stringify(st));
      assert.equal(st.requested_at, r.body.requested_at);
      assert.ok(st.size > 0);
      assert.ok(Date.parse(st.expires_at) > Date.parse(st.generated_at));
      assert.equal(st.downloaded_at, null);
      // the status through the official client, as the component polls it
      h.client(s.base, users.alice.token);
      const cst = await DataPortabilityService.dataPortabilityStatus();
      assert.equal(cst.computing, false);
      assert.equal(cst.generated_at, st.generated_at);
      // the file is in the data directory under an unguessable name
      const [status, name] = row(users.alice.id).split('|');
      assert.equal(status, 'ready');
      assert.match(name, /^[0-9a-f]{32}\.zip$/);
      assert.ok(exportFiles().includes(name));
    });

    it('download: a zip attachment, the same bytes through the official client', async () => {
      const head = await s.api('HEAD', '/api/v2/udp/download/', { token: users.alice.token });
      expectStatus(head, 200);
      assert.equal(head.headers.get('content-type'), 'application/zip');
      assert.equal((await udp(users.alice.token)).body.downloaded_at, null); // a HEAD is no download
      const r = await download(users.alice.token);
      expectStatus(r, 200);
      assert.equal(r.headers.get('content-type'), 'application/zip');
      assert.match(r.headers.get('content-disposition'), /^attachment; filename="data-export-\d{4}-\d{2}-\d{2}\.zip"$/);
      assert.match(r.headers.get('cache-control'), /no-store/);
      bytes = r.bytes;
      assert.equal(bytes.length, (await udp(users.alice.token)).body.size);
      const [, name] = row(users.alice.id).split('|');
      assert.deepEqual(bytes, fs.readFileSync(path.join(exportsDir(), name)));
      h.client(s.base, users.alice.token);
      const viaClient = await DataPortabilityService.downloadDataPortability({ responseType: 'arraybuffer' });
      assert.deepEqual(Buffer.from(viaClient), bytes);
      // the download is recorded
      const st = await udp(users.alice.token);
      assert.ok(Date.parse(st.body.downloaded_at) > 0, st.text);
      archive = unzip(bytes);
    });

    it('holds exactly the expected members, with a manifest', () => {
      assert.deepEqual([...archive.keys()].sort(), MEMBERS);
      const manifest = JSON.parse(archive.get('export.json'));
      assert.equal(manifest.user_id, users.alice.id);
      assert.equal(manifest.format, 'hearth-data-export/1');
      assert.deepEqual(manifest.files.map((f) => f.name).sort(), MEMBERS.filter((m) => m !== 'export.json'));
      for (const f of manifest.files) assert.equal(f.bytes, archive.get(f.name).length, f.name);
    });

    it('profile.json is GET /user/me/ as alice sees it; settings.json her settings', async () => {
      const json = (m) => JSON.parse(archive.get(m).toString('utf8'));
      const me = await s.api('GET', '/api/v2/user/me/', { token: users.alice.token });
      expectStatus(me, 200);
      assert.deepEqual(json('profile.json'), me.body);
      assert.equal(json('profile.json').email, users.alice.email);
      assert.equal(json('profile.json').real_name, 'Alice Marker');
      const settings = await s.api('GET', `/api/v2/user/${users.alice.id}/settings/`, { token: users.alice.token });
      assert.deepEqual(json('settings.json'), settings.body);
      assert.equal(json('settings.json').qa_frequency, 0);
    });

    it('the graph lists, posts, tags and categories are hers', () => {
      const json = (m) => JSON.parse(archive.get(m).toString('utf8'));
      const ids = (list) => list.map((u) => u.id).sort((a, b) => a - b);
      const { bob, carol, dave, erin, frank } = users;
      assert.deepEqual(ids(json('followings.json')), [bob.id]);
      assert.deepEqual(ids(json('followers.json')), [carol.id]);
      assert.deepEqual(ids(json('connections.json')), [bob.id]);
      assert.deepEqual(ids(json('hidden_users.json')), [dave.id]);
      const received = json('connection_requests_received.json');
      assert.deepEqual(received.map((r) => [r.from_user.id, r.to_user.id]), [[erin.id, users.alice.id]]);
      const sent = json('connection_requests_sent.json');
      assert.deepEqual(sent.map((r) => [r.from_user.id, r.to_user.id]), [[users.alice.id, frank.id]]);
      const posts = json('posts.json');
      assert.deepEqual(posts.map((i) => i.type).sort(), ['discussion', 'post']);
      for (const i of posts) assert.equal(i[i.type].author.id, users.alice.id);
      assert.ok(posts.some((i) => i.type === 'post' && i.post.html.includes('alice-post-marker')));
      assert.ok(posts.some((i) => i.type === 'discussion' && i.discussion.title === 'alice-discussion-marker'));
      assert.deepEqual(json('tags.json').map((t) => t.name), ['alice-tag-marker']);
      assert.deepEqual(json('categories.json').map((c) => c.name), ['Gardening']);
    });

    it('the uploaded files are in it byte-identical', () => {
      assert.deepEqual(archive.get('media/avatar.png'), PNG);
      assert.deepEqual(archive.get('media/cover.gif'), GIF);
    });

    it('no other user\'s private data is in it', () => {
      const all = Buffer.concat([...archive.values()]).toString('latin1');
      assert.ok(all.includes(users.alice.email));
      for (const n of ['bob', 'carol', 'dave', 'erin', 'frank']) {
        assert.ok(!all.includes(users[n].email), `${n}'s email is in alice's archive`);
      }
      assert.ok(!all.includes('admin@example.com'));
      for (const marker of ['bob-post-marker', 'bob-tag-marker', 'Secret club']) {
        assert.ok(!all.includes(marker), `${marker} is in alice's archive`);
      }
    });

    it('nobody else can download it: others get 404 for their own (absent) export; no route takes an id or a name', async () => {
      expectError(await download(users.bob.token), 404, 'not_found');
      expectError(await download(adminToken), 404, 'not_found');
      const bobStatus = await udp(users.bob.token);
      expectStatus(bobStatus, 200);
      assert.equal(bobStatus.body.status, 'none');
      const [, name] = row(users.alice.id).split('|');
      for (const p of [`/api/v2/udp/${users.alice.id}/`, `/api/v2/udp/download/${name}`, `/api/v2/udp/download/${users.alice.id}/`,
        `/media/${name}`, `/exports/${name}`]) {
        const r = await s.api('GET', p, { token: users.bob.token });
        assert.equal(r.status, 404, `${p}: ${r.status}`);
      }
    });

    it('a new request within the hour is 429 with Retry-After (official client too); nothing changes', async () => {
      const before = row(users.alice.id);
      const r = await udp(users.alice.token, 'POST');
      expectError(r, 429, 'throttled');
      const retry = Number(r.headers.get('retry-after'));
      assert.ok(retry > 0 && retry <= REBUILD_INTERVAL_S, `Retry-After ${r.headers.get('retry-after')}`);
      h.client(s.base, users.alice.token);
      const err = await clientError(DataPortabilityService.generateDataPortability());
      assert.equal(err.response.status, 429);
      assert.equal(row(users.alice.id), before);
      expectStatus(await download(users.alice.token), 200);
    });

    it('after the hour a new build replaces the old archive, whose file is removed', async () => {
      const [, oldName] = row(users.alice.id).split('|');
      s.setClock(REBUILD_INTERVAL_S + 1);
      h.client(s.base, users.alice.token);
      const started = await DataPortabilityService.generateDataPortability();
      assert.equal(started.computing, true);
      // the old archive went with the request: 404 until the new one is
      // ready (which may already be the case)
      const during = await download(users.alice.token);
      if (during.status === 200) assert.notDeepEqual(during.bytes, bytes);
      else expectError(during, 404, 'not_found');
      const st = await waitDone(users.alice.token);
      assert.equal(st.status, 'ready');
      const [, newName] = row(users.alice.id).split('|');
      assert.notEqual(newName, oldName);
      await waitFor('the old archive to be removed', () => !exportFiles().includes(oldName));
      const again = unzip((await download(users.alice.token)).bytes);
      assert.deepEqual(again.get('media/avatar.png'), PNG);
    });
  });

  describe('an administrator\'s export', () => {
    it('holds the administrator\'s own data, and other users as any user sees them (no email)', async () => {
      expectStatus(await s.api('POST', `/api/v2/user/${s.admin.id}/follow/`, { token: users.carol.token }), 204);
      expectStatus(await udp(adminToken, 'POST'), 202);
      assert.equal((await waitDone(adminToken)).status, 'ready');
      const zip = unzip((await download(adminToken)).bytes);
      const followers = JSON.parse(zip.get('followers.json'));
      assert.deepEqual(followers.map((u) => u.id), [users.carol.id]);
      assert.ok(!('email' in followers[0]), JSON.stringify(followers[0]));
      assert.equal(JSON.parse(zip.get('profile.json')).email, 'admin@example.com');
      assert.equal(JSON.parse(zip.get('profile.json')).role, 'admin');
      const all = Buffer.concat([...zip.values()]).toString('latin1');
      for (const n of ['alice', 'bob', 'carol']) assert.ok(!all.includes(users[n].email), `${n}'s email`);
    });
  });

  describe('one build at a time per user', () => {
    it('two requests at once queue one build: one 202, the other answers the status', async () => {
      const u = await newUser('twice');
      const [a, b] = await Promise.all([udp(u.token, 'POST'), udp(u.token, 'POST')]);
      const statuses = [a.status, b.status].sort();
      assert.equal(statuses.filter((x) => x === 202).length, 1, `${a.status} ${a.text} / ${b.status} ${b.text}`);
      const other = a.status === 202 ? b : a;
      // answered while the build was queued or running (200, the status), or after it finished (429)
      assert.ok(other.status === 200 || other.status === 429, other.text);
      if (other.status === 200) assert.equal(other.body.computing, true);
      assert.equal((await waitDone(u.token)).status, 'ready');
    });

    it('a request while a build is running starts nothing and answers the current status (200)', async () => {
      const u = await newUser('busy');
      const nowUs = (Date.now() + (REBUILD_INTERVAL_S + 1) * 1000) * 1000; // the clock is moved
      const name = `${'ab'.repeat(16)}.zip`;
      s.sql(`INSERT INTO data_exports (user_id, status, requested_us, started_us, file_name, attempts)
             VALUES (${u.id}, 'running', ${nowUs}, ${nowUs}, '${name}', 1)`);
      const before = row(u.id);
      const r = await udp(u.token, 'POST');
      expectStatus(r, 200);
      assert.equal(r.body.status, 'running');
      assert.equal(r.body.computing, true);
      h.client(s.base, u.token);
      const c = await DataPortabilityService.generateDataPortability();
      assert.equal(c.computing, true);
      assert.equal(row(u.id), before);
      expectError(await download(u.token), 404);
      users.busy = u;
      // and one whose builds were cut short too often already
      const worn = await newUser('worn');
      s.sql(`INSERT INTO data_exports (user_id, status, requested_us, started_us, file_name, attempts)
             VALUES (${worn.id}, 'running', ${nowUs}, ${nowUs}, '${'cd'.repeat(16)}.zip', 3)`);
      users.worn = worn;
    });

    it('a build a stopped server left running is done by the next server start', async () => {
      const u = users.busy;
      // a second server on the same database starts: it finds the build
      // "running" with no server doing it, queues it again and builds it
      const child = spawn(s.bin, ['serve', '--listen', '127.0.0.1:0', '--threads', '1'], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.stdout.on('data', (d) => { stderr += d; });
      try {
        await waitFor('the second server to start', () => /listening on/.test(stderr));
        const st = await waitDone(u.token);
        assert.equal(st.status, 'ready', `${JSON.stringify(st)}\n${stderr}`);
        assert.match(stderr, /1 interrupted builds queued again, 1 failed/);
        const worn = await udp(users.worn.token);
        assert.equal(worn.body.status, 'failed', worn.text);
        assert.equal(worn.body.error, 'interrupted');
        assert.equal(worn.body.computing, false);
        expectError(await download(users.worn.token), 404);
        const zip = unzip((await download(u.token)).bytes);
        assert.equal(JSON.parse(zip.get('profile.json')).id, u.id);
      } finally {
        const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
        child.kill('SIGTERM');
        const { code } = await exited;
        assert.equal(code, 0, stderr);
        assert.doesNotMatch(stderr, /AddressSanitizer|LeakSanitizer|runtime error:/);
      }
    });
  });

  describe('retention and deletion', () => {
    it('a hard delete removes the export at once and its file at the next sweep', async () => {
      const u = await newUser('leaving');
      expectStatus(await udp(u.token, 'POST'), 202);
      assert.equal((await waitDone(u.token)).status, 'ready');
      const [, name] = row(u.id).split('|');
      assert.ok(exportFiles().includes(name));
      expectStatus(await s.api('DELETE', `/api/v2/user/${u.id}/?hard=1`, { token: adminToken }), 204);
      assert.equal(s.sql(`SELECT count(*) FROM data_exports WHERE user_id = ${u.id}`), '0');
      // any request wakes the worker, which sweeps before it builds
      const waker = await newUser('waker');
      expectStatus(await udp(waker.token, 'POST'), 202);
      await waitFor('the deleted user\'s archive to be removed', () => !exportFiles().includes(name));
      await waitDone(waker.token);
    });

    it('archives older than the retention are removed; the status is none again', async () => {
      const u = await newUser('old');
      expectStatus(await udp(u.token, 'POST'), 202);
      assert.equal((await waitDone(u.token)).status, 'ready');
      const [, name] = row(u.id).split('|');
      s.setClock(REBUILD_INTERVAL_S + 1 + RETENTION_DAYS * 86400 + 60);
      const waker = await newUser('waker');
      expectStatus(await udp(waker.token, 'POST'), 202);
      await waitFor('the expired archive to be removed', () => !exportFiles().includes(name));
      const st = await udp(u.token);
      assert.equal(st.body.status, 'none');
      expectError(await download(u.token), 404);
      // and a new request is welcome again
      expectStatus(await udp(u.token, 'POST'), 202);
      assert.equal((await waitDone(u.token)).status, 'ready');
    });
  });
});
