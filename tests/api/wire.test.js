'use strict';
// Wire basics: body encodings, empty bodies, size limits, content types,
// trailing slashes, wrong methods, unknown paths, CORS (contract §1, §2).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectErrorShape, expectJSONType, show } = h;

const ORIGIN = 'http://allowed.example';
const MiB = 1024 * 1024;

function allowList(res) {
  const a = res.headers.get('allow');
  assert.ok(a, `405 needs an Allow header: ${show(res)}`);
  return a.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
}

describe('wire', () => {
  let s;
  let n = 0;
  const uniq = (p) => `${p}${++n}`;

  before(async () => {
    s = await h.startServer({ env: { HEARTH_CORS_ORIGINS: ORIGIN } });
  });
  after(async () => { if (s) await s.stop(); });

  const signup = (opts) => s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, ...opts });

  describe('request bodies', () => {
    it('an empty body labelled JSON on a POST is an empty object (sso/signin)', async () => {
      const res = await s.api('POST', '/api/v2/sso/signin/', {
        token: s.admin.token, body: '', headers: { 'Content-Type': 'application/json' },
      });
      expectStatus(res, 200);
      expectJSONType(res);
      assert.equal(res.body.id, s.admin.id);
      assert.equal(res.body.username, 'admin');
      assert.equal(res.body.role, 'admin');
    });

    it('an empty body of any declared type (or none) is an empty object', async () => {
      for (const ct of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyzzy', 'application/json; charset=utf-8', null]) {
        const headers = ct ? { 'Content-Type': ct } : {};
        const res = await s.raw('POST', '/api/v2/sso/signin/', {
          headers: { ...headers, Authorization: `Bearer ${s.admin.token}`, 'Content-Length': '0' },
        });
        expectStatus(res, 200, `empty body as ${ct}`);
        assert.equal(res.body.id, s.admin.id);
      }
    });

    it('an empty JSON object body on signin is fine too', async () => {
      const res = await s.api('POST', '/api/v2/sso/signin/', { token: s.admin.token, body: {} });
      expectStatus(res, 200);
    });

    it('signup with a form-urlencoded body', async () => {
      const username = uniq('formuser');
      const res = await signup({ form: { username, email: `${username}@example.com`, password: 'F0rm-pass!', ext_id: '77' } });
      expectStatus(res, 201);
      assert.equal(res.body.username, username);
      assert.equal(res.body.ext_id, 77, 'ext_id from a form is an integer');
      assert.equal(res.body.email, `${username}@example.com`);
      const t = await s.login(username, 'F0rm-pass!');
      const me = await s.api('GET', '/api/v2/user/me/', { token: t.access_token });
      assert.equal(me.body.id, res.body.id);
    });

    it('signup with a multipart/form-data body', async () => {
      const username = uniq('multiuser');
      const res = await signup({ multipart: { username, email: `${username}@example.com`, ext_id: '78', role: 'editor' } });
      expectStatus(res, 201);
      assert.equal(res.body.username, username);
      assert.equal(res.body.ext_id, 78);
      assert.equal(res.body.role, 'editor');
      const u = await s.api('GET', `/api/v2/user/${res.body.id}/`);
      expectStatus(u, 200);
      assert.equal(u.body.username, username);
    });

    it('JSON with an explicit charset is accepted', async () => {
      const username = uniq('charset');
      const res = await signup({ body: JSON.stringify({ username }), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
      expectStatus(res, 201);
      assert.equal(res.body.username, username);
    });

    it('unknown and read-only body fields are ignored', async () => {
      const username = uniq('ignored');
      const res = await signup({ body: { username, id: 999, status: 'b', reputation: 50, frobnicate: true } });
      expectStatus(res, 201);
      assert.notEqual(res.body.id, 999);
      const u = await s.api('GET', `/api/v2/user/${res.body.id}/`);
      assert.equal(u.body.status, 'a');
      assert.equal(u.body.reputation, 0);
    });

    it('malformed JSON is 400', async () => {
      const bad = ['{"username": "x"', '{username: "x"}', '[1, 2]', '"just a string"', '42', '{"username": "x"} trailing'];
      for (const body of bad) {
        const res = await signup({ body, headers: { 'Content-Type': 'application/json' } });
        expectError(res, 400);
        expectJSONType(res);
      }
    });

    it('invalid UTF-8 in a JSON body is 400', async () => {
      const body = Buffer.concat([Buffer.from('{"username": "ab'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      expectError(await signup({ body, headers: { 'Content-Type': 'application/json' } }), 400);
    });

    it('a malformed multipart body is 400', async () => {
      expectError(await signup({ body: 'garbage without boundaries', headers: { 'Content-Type': 'multipart/form-data; boundary=abc' } }), 400);
      expectError(await signup({ body: '--abc\r\nContent-Disposition: form-data; name="username"\r\n\r\nx', headers: { 'Content-Type': 'multipart/form-data' } }), 400);
    });

    it('an unsupported content type is 415', async () => {
      const res = await signup({ body: 'username=x', headers: { 'Content-Type': 'text/plain' } });
      expectError(res, 415);
      expectJSONType(res);
      expectError(await signup({ body: '<user>x</user>', headers: { 'Content-Type': 'application/xml' } }), 415);
    });
  });

  describe('body size limits', () => {
    it('a JSON body over 1 MiB is 413', async () => {
      const body = JSON.stringify({ username: uniq('big'), pad: 'x'.repeat(MiB + 100) });
      const res = await s.raw('POST', '/api/v2/sso/signup/', {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.admin.token}` }, body, expectContinue: true,
      });
      expectError(res, 413);
      expectJSONType(res);
    });

    it('a JSON body over 1 MiB sent chunked (no Content-Length) is 413', async () => {
      const body = JSON.stringify({ username: uniq('bigchunk'), pad: 'x'.repeat(MiB + 100) });
      const res = await s.raw('POST', '/api/v2/sso/signup/', {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.admin.token}` }, body, chunked: true,
      });
      expectError(res, 413);
    });

    it('a form body over 1 MiB is 413', async () => {
      const body = new URLSearchParams({ username: uniq('bigform'), pad: 'x'.repeat(MiB + 100) }).toString();
      const res = await s.raw('POST', '/api/v2/sso/signup/', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${s.admin.token}` }, body, expectContinue: true,
      });
      expectError(res, 413);
    });

    it('a JSON body just under 1 MiB is accepted', async () => {
      const username = uniq('almostbig');
      const head = JSON.stringify({ username, pad: '' });
      const body = head.replace('"pad":""', `"pad":"${'x'.repeat(MiB - 4096 - head.length)}"`);
      assert.ok(body.length < MiB);
      const res = await s.raw('POST', '/api/v2/sso/signup/', {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.admin.token}` }, body,
      });
      expectStatus(res, 201);
      assert.equal(res.body.username, username);
    });

    it('the server still answers after rejecting large bodies', async () => {
      expectStatus(await s.api('GET', '/api/v2/user/1/'), 200);
    });
  });

  describe('responses', () => {
    it('are application/json; charset=utf-8 without a BOM, on success and on errors', async () => {
      const cases = [
        await s.api('GET', '/api/v2/user/1/'),
        await s.api('GET', '/api/v2/user/'),
        await s.api('GET', '/api/v2/user/999999/'),
        await s.api('DELETE', '/api/v2/user/me/', { token: s.admin.token }),
        await s.api('GET', '/api/v2/dynamic_preference/'),
        await s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username: 'admin', password: 'nope-Wrong1', client_id: s.clientId } }),
      ];
      for (const res of cases) {
        expectJSONType(res);
        assert.ok(res.bytes.length > 0, `empty body on ${res.status}`);
        assert.notDeepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no BOM');
        assert.ok(res.text[0] === '{' || res.text[0] === '[', `body starts with JSON: ${res.text.slice(0, 20)}`);
      }
    });

    it('an unknown path is 404 in the error shape', async () => {
      for (const p of ['/api/v2/nonexistent/', '/api/v2/user/1/nonexistent/', '/api/v2/', '/nothing-here']) {
        const res = await s.api('GET', p);
        expectStatus(res, 404, p);
        expectErrorShape(res);
        expectJSONType(res);
      }
    });
  });

  describe('paths with and without the trailing slash', () => {
    it('GET works both ways with the same answer and no redirect', async () => {
      const a = await s.api('GET', '/api/v2/user/1/');
      const b = await s.api('GET', '/api/v2/user/1');
      expectStatus(a, 200);
      expectStatus(b, 200, 'without slash');
      assert.deepEqual(b.body, a.body);
      expectStatus(await s.api('GET', '/api/v2/user/me', { token: s.admin.token }), 200);
      expectStatus(await s.api('GET', '/api/v2/dynamic_preference'), 200);
      expectStatus(await s.api('GET', '/api/v2/user', { token: s.admin.token }), 200);
      expectStatus(await s.api('GET', '/api/v2/user/me/permission', { token: s.admin.token }), 200);
    });

    it('POST works without the slash', async () => {
      const username = uniq('noslash');
      const res = await s.api('POST', '/api/v2/sso/signup', { token: s.admin.token, body: { username } });
      expectStatus(res, 201);
      expectStatus(await s.api('POST', '/api/v2/sso/signin', { token: s.admin.token }), 200);
      const t = await s.token(s.admin.id);
      expectStatus(await s.api('POST', '/api/v2/jwt/verify_token', { body: { token: t } }), 200);
    });
  });

  describe('wrong methods', () => {
    it('DELETE /api/v2/user/me/ is 405 with Allow', async () => {
      const res = await s.api('DELETE', '/api/v2/user/me/', { token: s.admin.token });
      expectError(res, 405);
      const allow = allowList(res);
      assert.ok(allow.includes('GET'), `Allow: ${allow}`);
      assert.ok(!allow.includes('DELETE'), `Allow: ${allow}`);
      // the user still exists
      expectStatus(await s.api('GET', '/api/v2/user/me/', { token: s.admin.token }), 200);
    });

    it('POST /api/v2/user/ is 405 with Allow: GET', async () => {
      const res = await s.api('POST', '/api/v2/user/', { token: s.admin.token, body: { username: 'x' } });
      expectError(res, 405);
      const allow = allowList(res);
      assert.ok(allow.includes('GET'));
      assert.ok(!allow.includes('POST'));
    });

    it('PUT /api/v2/dynamic_preference/ is 405 with Allow listing GET and PATCH', async () => {
      const res = await s.api('PUT', '/api/v2/dynamic_preference/', { token: s.admin.token, body: {} });
      expectError(res, 405);
      const allow = allowList(res);
      assert.ok(allow.includes('GET') && allow.includes('PATCH'), `Allow: ${allow}`);
    });

    it('GET /api/v2/sso/signup/ is 405 with Allow: POST', async () => {
      const res = await s.api('GET', '/api/v2/sso/signup/', { token: s.admin.token });
      expectError(res, 405);
      assert.ok(allowList(res).includes('POST'));
    });

    it('405 also without the trailing slash', async () => {
      const res = await s.api('DELETE', '/api/v2/user/me', { token: s.admin.token });
      expectError(res, 405);
      assert.ok(allowList(res).includes('GET'));
    });
  });

  describe('CORS', () => {
    const preflight = (p, origin, method = 'GET', reqHeaders = 'authorization,content-type') => s.api('OPTIONS', p, {
      headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': reqHeaders },
    });

    it('a preflight from an allowed origin is 204 with the Access-Control-Allow-* headers', async () => {
      const res = await preflight('/api/v2/user/me/', ORIGIN);
      expectStatus(res, 204);
      assert.equal(res.bytes.length, 0, '204 has no body');
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      const allowHeaders = (res.headers.get('access-control-allow-headers') || '').toLowerCase();
      assert.ok(allowHeaders.includes('authorization'), `Allow-Headers: ${allowHeaders}`);
      assert.ok(allowHeaders.includes('content-type'), `Allow-Headers: ${allowHeaders}`);
      const allowMethods = (res.headers.get('access-control-allow-methods') || '').toUpperCase();
      assert.ok(allowMethods.includes('GET'), `Allow-Methods: ${allowMethods}`);
    });

    it('preflights for POST on sso/signup and oauth/token are 204', async () => {
      let res = await preflight('/api/v2/sso/signup/', ORIGIN, 'POST');
      expectStatus(res, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      assert.ok((res.headers.get('access-control-allow-methods') || '').toUpperCase().includes('POST'));
      res = await preflight('/oauth/token/', ORIGIN, 'POST', 'content-type');
      expectStatus(res, 204);
    });

    it('a preflight from another origin is 204 without Access-Control-Allow-Origin', async () => {
      const res = await preflight('/api/v2/user/me/', 'http://evil.example');
      expectStatus(res, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    });

    it('an actual request from the allowed origin carries Access-Control-Allow-Origin', async () => {
      let res = await s.api('GET', '/api/v2/user/1/', { headers: { Origin: ORIGIN } });
      expectStatus(res, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      res = await s.api('GET', '/api/v2/user/1/', { headers: { Origin: 'http://evil.example' } });
      expectStatus(res, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    });

    it('OPTIONS does not require authentication', async () => {
      const res = await preflight('/api/v2/user/', ORIGIN);
      expectStatus(res, 204);
    });
  });
});
