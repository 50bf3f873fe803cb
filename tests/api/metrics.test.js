'use strict';
// GET /metrics: off unless --metrics (HEARTH_METRICS); only for the
// addresses of --metrics-allow (127.0.0.1 and ::1 by default); Prometheus
// text with request counts and latency histograms by route and status, and
// the server's gauges.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const h = require('./harness');

// A GET from a chosen local address (the server sees it as the client's).
function getFrom(localAddress, port, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, localAddress, method: 'GET', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: body }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

// Parses the exposition into {name{labels}: value} (the line as written).
function samples(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const ME = 'hearth_http_requests_total{method="GET",route="/api/v2/user/me/",status="200"}';

describe('metrics', () => {
  describe('off by default', () => {
    let s;
    before(async () => { s = await h.startServer(); });
    after(async () => { if (s) await s.stop(); });

    it('GET /metrics is 404', async () => {
      const r = await s.api('GET', '/metrics');
      assert.equal(r.status, 404, r.text);
      assert.equal(r.body.errors[0].code, 'not_found');
    });
  });

  describe('on with HEARTH_METRICS', () => {
    let s;
    before(async () => { s = await h.startServer({ env: { HEARTH_METRICS: '1' } }); });
    after(async () => { if (s) await s.stop(); });

    it('serves the Prometheus text format to 127.0.0.1', async () => {
      const r = await s.api('GET', '/metrics', { headers: { Accept: 'text/plain' } });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
      for (const name of ['hearth_db_errors_total', 'hearth_ratelimit_rejections_total', 'hearth_password_queue_depth',
        'hearth_http_open_connections', 'hearth_http_requests_in_flight']) {
        assert.match(r.text, new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'), name);
        assert.match(r.text, new RegExp(`^${name} \\d+$`, 'm'), name);
      }
      assert.match(r.text, /^# TYPE hearth_http_request_duration_seconds histogram$/m);
      assert.ok(samples(r.text).get('hearth_http_open_connections') >= 1);
    });

    // The samples of GET /metrics once `ready(samples)` holds (read at most
    // 100 times, 20 ms apart), else the last read.
    async function metricsOnce(ready) {
      let m;
      for (let i = 0; i < 100; i++) {
        m = samples((await s.api('GET', '/metrics')).text);
        if (ready(m)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      return m;
    }

    it('counts requests by route and status, with a latency histogram', async () => {
      const before = samples((await s.api('GET', '/metrics')).text);
      const n = 7;
      for (let i = 0; i < n; i++) {
        const r = await s.api('GET', '/api/v2/user/me/', { token: s.admin.token });
        assert.equal(r.status, 200);
      }
      const anon = await s.api('GET', '/api/v2/user/me/');
      assert.equal(anon.status, 401);
      const missing = await s.api('GET', '/no/such/path/');
      assert.equal(missing.status, 404);
      const unauth = 'hearth_http_requests_total{method="GET",route="/api/v2/user/me/",status="401"}';
      const none = 'hearth_http_requests_total{method="",route="none",status="404"}';
      const delta = (m, k) => (m.get(k) || 0) - (before.get(k) || 0);
      // a request is counted when its connection completes, just after the
      // client has read the answer: read again until the last one is in
      const after = await metricsOnce((m) => delta(m, none) >= 1 && delta(m, unauth) >= 1 && delta(m, ME) >= n);
      assert.equal(delta(after, ME), n);
      assert.equal(delta(after, unauth), 1);
      assert.equal(delta(after, none), 1);
      const count = after.get('hearth_http_request_duration_seconds_count{method="GET",route="/api/v2/user/me/",status="200"}');
      assert.equal(count, after.get(ME));
      const inf = after.get('hearth_http_request_duration_seconds_bucket{method="GET",route="/api/v2/user/me/",status="200",le="+Inf"}');
      assert.equal(inf, count);
      const sum = after.get('hearth_http_request_duration_seconds_sum{method="GET",route="/api/v2/user/me/",status="200"}');
      assert.ok(sum > 0, `sum ${sum}`);
      // buckets are cumulative
      let last = 0;
      for (const [k, v] of after) {
        if (!k.startsWith('hearth_http_request_duration_seconds_bucket{method="GET",route="/api/v2/user/me/",status="200"')) continue;
        assert.ok(v >= last, `${k} ${v} < ${last}`);
        last = v;
      }
    });

    it('counts rate-limit rejections', async () => {
      const before = samples((await s.api('GET', '/metrics')).text).get('hearth_ratelimit_rejections_total');
      const u = await s.createUser({ username: 'ratelimited', password: 'Right-Passw0rd' });
      let limited = 0;
      for (let i = 0; i < 12; i++) {
        const r = await s.api('POST', '/oauth/token/', {
          form: { grant_type: 'password', username: u.username, password: 'wrong-Passw0rd', client_id: s.clientId },
        });
        if (r.status === 429) limited++;
      }
      assert.ok(limited >= 1, 'the rate limit never answered 429');
      const after = (await metricsOnce((m) => m.get('hearth_ratelimit_rejections_total') - before >= limited))
        .get('hearth_ratelimit_rejections_total');
      assert.ok(after - before >= limited, `rejections ${before} -> ${after}, 429s ${limited}`);
    });

    it('refuses an address outside --metrics-allow (a client on 127.0.0.2)', async () => {
      const r = await getFrom('127.0.0.2', s.port, '/metrics');
      assert.equal(r.status, 403, r.text);
      assert.doesNotMatch(r.text, /hearth_http/);
      const ok = await getFrom('127.0.0.1', s.port, '/metrics');
      assert.equal(ok.status, 200);
    });
  });

  describe('--metrics-allow', () => {
    let s;
    before(async () => {
      s = await h.startServer({ env: { HEARTH_METRICS: 'true', HEARTH_METRICS_ALLOW: '127.0.0.2/32, ::1' } });
    });
    after(async () => { if (s) await s.stop(); });

    it('replaces the default list', async () => {
      assert.equal((await getFrom('127.0.0.1', s.port, '/metrics')).status, 403);
      const r = await getFrom('127.0.0.2', s.port, '/metrics');
      assert.equal(r.status, 200, r.text);
      assert.match(r.text, /^hearth_db_errors_total 0$/m);
    });
  });
});
