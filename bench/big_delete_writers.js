'use strict';
// bench/big_delete_writers.js - the writer side of bench/big_delete.sh.
//
// WRITERS concurrent loops (one keep-alive connection each) toggle follows
// between ordinary users (POST /api/v2/user/{id}/follow/) and record each
// write's latency. After WARMUP_MS the script sends the hard delete of
// BIG_ID; it keeps writing until AFTER_MS after the delete answered, then
// prints one JSON line: the latency figures of the writes that ran before
// the delete and of those that overlapped it.
//
// Usage: node big_delete_writers.js BASE ADMIN_TOKEN BIG_ID TOKENS_FILE
//   TOKENS_FILE: lines "user_id token" for the writing users.
const fs = require('node:fs');
const http = require('node:http');

const [base, adminToken, bigId, tokensFile] = process.argv.slice(2);
const WRITERS = Number(process.env.WRITERS || 4);
const WARMUP_MS = Number(process.env.WARMUP_MS || 3000);
const AFTER_MS = Number(process.env.AFTER_MS || 1000);
const MAX_MS = Number(process.env.MAX_MS || 120000); // bound on the whole run

const users = fs.readFileSync(tokensFile, 'utf8').trim().split('\n').map((l) => {
  const [id, token] = l.split(' ');
  return { id: Number(id), token };
});
const url = new URL(base);

function request(method, path, token) {
  return new Promise((resolve, reject) => {
    const agent = request.agents[token] || (request.agents[token] = new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Length': '0' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}
request.agents = {};

const samples = []; // [start_ms, latency_ms, status]
let stop = false;
const t0 = performance.now();
const now = () => performance.now() - t0;

async function writer(w) {
  const me = users[w % users.length];
  let k = 0;
  while (!stop) {
    const other = users[(w + 1 + (k++ % (users.length - 1))) % users.length];
    if (other.id === me.id) continue;
    const s = now();
    const status = await request('POST', `/api/v2/user/${other.id}/follow/`, me.token);
    samples.push([s, now() - s, status]);
  }
}

function figures(list) {
  const lat = list.map((x) => x[1]).sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : 0);
  return { writes: lat.length, p50_ms: +q(0.5).toFixed(2), p99_ms: +q(0.99).toFixed(2),
    max_ms: +(lat.length ? lat[lat.length - 1] : 0).toFixed(2),
    non_2xx: list.filter((x) => x[2] < 200 || x[2] > 299).length };
}

(async () => {
  const loops = [];
  for (let w = 0; w < WRITERS; w++) loops.push(writer(w));
  const guard = setTimeout(() => { stop = true; }, MAX_MS);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const delStart = now();
  const delStatus = await request('DELETE', `/api/v2/user/${bigId}/?hard=1`, adminToken);
  const delEnd = now();
  await new Promise((r) => setTimeout(r, AFTER_MS));
  stop = true;
  clearTimeout(guard);
  await Promise.all(loops);
  // a write overlaps the delete if it was in flight at any moment of it
  const before = samples.filter((x) => x[0] + x[1] < delStart);
  const during = samples.filter((x) => x[0] < delEnd && x[0] + x[1] > delStart);
  console.log(JSON.stringify({ delete_status: delStatus, delete_ms: +(delEnd - delStart).toFixed(1),
    before: figures(before), during: figures(during) }));
  for (const a of Object.values(request.agents)) a.destroy();
})().catch((err) => { console.error(err); process.exit(1); });
