'use strict';
// --media-dir (HEARTH_MEDIA_DIR): uploaded images in one directory several
// servers share (a shared volume), each with its own data directory. An
// upload through one server is served by another at once; files are
// written whole (temporary file, rename) so no server ever serves a part,
// and nothing is left behind in the shared directory or in a server's own
// data directory. Without the option the directory is DATA_DIR/media.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { expectStatus } = h;
const { makePNG, GIF } = require('./images');

const LISTEN_RE = /hearth: listening on (http:\/\/127\.0\.0\.1:\d+)/;

// Another `hearth serve` on the same database with its own data directory;
// resolves {base, dir, stop()}.
function serveAlso(s, env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-b-'));
  const child = spawn(s.bin, ['serve', '--listen', '127.0.0.1:0', '--threads', '2'],
    { env: { ...s.env, HEARTH_DATA_DIR: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no listening line: ${out}`)); }, 15000);
    const check = (d) => {
      out += d;
      const m = LISTEN_RE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          base: m[1],
          dir,
          async stop() { child.kill('SIGTERM'); await exited; fs.rmSync(dir, { recursive: true, force: true }); },
        });
      }
    };
    child.stdout.setEncoding('utf8').on('data', check);
    child.stderr.setEncoding('utf8').on('data', check);
    exited.then(() => { clearTimeout(timer); reject(new Error(`the server exited: ${out}`)); });
  });
}

function files(dir) {
  try { return fs.readdirSync(dir).sort(); } catch (_) { return []; }
}

async function upload(base, token, bytes, name) {
  const form = new FormData();
  form.append('avatar', new File([bytes], name));
  const res = await fetch(`${base}/api/v2/user/avatar/`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(20000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

async function getFile(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(20000) });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('--media-dir shared by two servers', () => {
  let s;
  let b;
  let shared;
  let alice;
  before(async () => {
    shared = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-shared-media-'));
    s = await h.startServer({ env: { HEARTH_MEDIA_DIR: shared } });
    b = await serveAlso(s, {});
    const u = await s.createUser({ username: 'alice', password: 'Passw0rd!long' });
    alice = { ...u, token: await s.token(u.id) };
  });
  after(async () => {
    if (b) await b.stop();
    if (s) await s.stop();
    fs.rmSync(shared, { recursive: true, force: true });
  });

  it('an upload through A is stored in the shared directory and served by B', async () => {
    const png = makePNG(8, 8, { seed: 7 });
    const r = await upload(s.base, alice.token, png, 'face.png');
    expectStatus(r, 201);
    const name = path.basename(new URL(r.body.avatar).pathname);
    assert.deepEqual(files(shared), [name]);
    assert.deepEqual(files(path.join(s.dir, 'media')), [], 'nothing in A\'s own data directory');
    const served = await getFile(`${b.base}/media/${name}`);
    expectStatus(served, 200);
    assert.equal(served.type, 'image/png');
    assert.ok(served.bytes.equals(png));
  });

  it('an upload through B is served by A; no temporary file is left anywhere', async () => {
    const r = await upload(b.base, alice.token, GIF, 'dot.gif');
    expectStatus(r, 201);
    const name = path.basename(new URL(r.body.avatar).pathname);
    const served = await getFile(`${s.base}/media/${name}`);
    expectStatus(served, 200);
    assert.ok(served.bytes.equals(GIF));
    assert.equal(files(shared).length, 2);
    assert.ok(files(shared).every((f) => /^[0-9a-f]{32}\.(png|gif)$/.test(f)), files(shared).join(' '));
    assert.deepEqual(files(path.join(b.dir, 'media')), []);
  });

  it('concurrent uploads through both servers: every file whole, every name distinct', async () => {
    const uploads = [];
    const images = [];
    for (let i = 0; i < 8; i++) {
      const png = makePNG(16, 16, { seed: 100 + i });
      images.push(png);
      uploads.push(upload(i % 2 ? b.base : s.base, alice.token, png, `p${i}.png`));
    }
    const results = await Promise.all(uploads);
    for (let i = 0; i < results.length; i++) {
      expectStatus(results[i], 201);
      const name = path.basename(new URL(results[i].body.avatar).pathname);
      const served = await getFile(`${i % 2 ? s.base : b.base}/media/${name}`);
      expectStatus(served, 200);
      assert.ok(served.bytes.equals(images[i]), `upload ${i} served whole by the other server`);
    }
    assert.equal(files(shared).length, 10);
    assert.ok(!files(shared).some((f) => f.startsWith('.')), 'no temporary file left');
  });

  it('a removed avatar is gone for both servers', async () => {
    const list = await fetch(`${s.base}/api/v2/user/avatar/`, { headers: { Authorization: `Bearer ${alice.token}` } });
    const page = await list.json();
    const victim = page.results.find((a) => !a.is_primary) || page.results[0];
    const name = path.basename(new URL(victim.avatar).pathname);
    const del = await fetch(`${b.base}/api/v2/user/avatar/`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ avatar_id: victim.id }),
    });
    assert.ok(del.status === 204 || del.status === 200, `DELETE: ${del.status}`);
    expectStatus(await getFile(`${s.base}/media/${name}`), 404);
    assert.ok(!files(shared).includes(name));
  });
});

describe('--media-dir default', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('without the option uploads go to DATA_DIR/media', async () => {
    const u = await s.createUser({ username: 'bob', password: 'Passw0rd!long' });
    const r = await upload(s.base, await s.token(u.id), GIF, 'b.gif');
    expectStatus(r, 201);
    const name = path.basename(new URL(r.body.avatar).pathname);
    assert.deepEqual(files(path.join(s.dir, 'media')), [name]);
  });
});
