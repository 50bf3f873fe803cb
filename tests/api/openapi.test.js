'use strict';
// The OpenAPI document at /api/v2/schema/: valid OpenAPI 3.1 (checked by
// @readme/openapi-parser), and exactly the server's route table (from
// `hearth routes`): no route missing, none invented, security from the
// table's authentication flags, the contract §2 error shape as a component.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const { validate, compileErrors } = require('@readme/openapi-parser');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('OpenAPI document', () => {
  let s;
  let doc;
  let table; // [{method, pattern, flags: Set}]

  before(async () => {
    s = await h.startServer();
    const r = await s.api('GET', '/api/v2/schema/');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    doc = r.body;
    const out = await s.run(['routes']);
    assert.equal(out.code, 0, out.stderr);
    table = out.stdout.trim().split('\n').map((line) => {
      const [method, pattern, flags] = line.split(' ');
      return { method, pattern, flags: new Set(flags.split(',')) };
    });
  });
  after(async () => { if (s) await s.stop(); });

  it('is valid OpenAPI 3.1 for a maintained validator', async () => {
    assert.equal(doc.openapi, '3.1.0');
    // the validator resolves and may rewrite: give it a copy
    const result = await validate(structuredClone(doc));
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
  });

  it('the route table is not empty and matches the router', () => {
    assert.ok(table.length > 50, `only ${table.length} routes printed`);
    assert.ok(table.some((r) => r.method === 'GET' && r.pattern === '/api/v2/user/me/'));
  });

  it('has every route of the table', () => {
    const missing = table.filter((r) => !doc.paths[r.pattern] || !doc.paths[r.pattern][r.method.toLowerCase()]);
    assert.deepEqual(missing.map((r) => `${r.method} ${r.pattern}`), []);
  });

  it('names no route that the table does not have', () => {
    const known = new Set(table.map((r) => `${r.method} ${r.pattern}`));
    const extra = [];
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const m of Object.keys(item)) {
        if (METHODS.includes(m) && !known.has(`${m.toUpperCase()} ${p}`)) extra.push(`${m.toUpperCase()} ${p}`);
      }
    }
    assert.deepEqual(extra, []);
  });

  it('every route has a written summary (a description in routes_doc.c)', () => {
    const bare = table.filter((r) => {
      const op = doc.paths[r.pattern][r.method.toLowerCase()];
      return !op.summary || op.summary === r.pattern || op.tags[0] === 'other';
    });
    assert.deepEqual(bare.map((r) => `${r.method} ${r.pattern}`), []);
  });

  it('security follows the authentication flags (Bearer)', () => {
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: 'http', scheme: 'bearer', description: doc.components.securitySchemes.bearerAuth.description,
    });
    for (const r of table) {
      const op = doc.paths[r.pattern][r.method.toLowerCase()];
      const where = `${r.method} ${r.pattern}`;
      if (r.flags.has('auth') || r.flags.has('admin')) {
        assert.deepEqual(op.security, [{ bearerAuth: [] }], where);
        assert.ok(op.responses['401'], `${where}: no 401`);
      } else if (r.flags.has('no-auth')) {
        assert.deepEqual(op.security, [], where);
      } else {
        assert.deepEqual(op.security, [{}, { bearerAuth: [] }], where);
      }
      if (r.flags.has('admin')) {
        assert.ok(op.responses['403'], `${where}: no 403`);
        assert.match(op.description, /Admin/, where);
      }
    }
  });

  it('errors use the contract §2 error schema', () => {
    const e = doc.components.schemas.Error;
    assert.deepEqual(e.required, ['errors']);
    assert.equal(e.properties.errors.type, 'array');
    const op = doc.paths['/api/v2/user/{id}/'].get;
    assert.equal(op.responses['404'].content['application/json'].schema.$ref, '#/components/schemas/Error');
    const oauth = doc.paths['/oauth/token/'].post;
    assert.equal(oauth.responses['400'].content['application/json'].schema.$ref, '#/components/schemas/OAuthError');
  });

  it('describes parameters, bodies and responses', () => {
    const list = doc.paths['/api/v2/user/'].get;
    const names = list.parameters.map((p) => p.name);
    for (const n of ['limit', 'offset', 'search', 'ordering']) assert.ok(names.includes(n), `no ${n}`);
    const page = list.responses['200'].content['application/json'].schema;
    assert.deepEqual(page.required, ['count', 'next', 'previous', 'results']);
    assert.equal(page.properties.results.items.$ref, '#/components/schemas/User');
    const byId = doc.paths['/api/v2/user/{id}/'];
    assert.deepEqual(byId.get.parameters[0], { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
    const pw = byId.patch && doc.paths['/api/v2/user/{id}/change_password/'].patch;
    assert.deepEqual(pw.requestBody.content['application/json'].schema.required, ['password', 'new_password']);
    assert.ok(pw.responses['204']);
    assert.ok(doc.paths['/api/v2/user/{id}/'].put.requestBody.content['multipart/form-data']);
    const token = doc.paths['/oauth/token/'].post;
    assert.deepEqual(Object.keys(token.requestBody.content), ['application/x-www-form-urlencoded']);
  });

  it('every documented response the server gives has the right shape (spot check: /user/me/ and a 404)', async () => {
    const me = await s.api('GET', '/api/v2/user/me/', { token: s.admin.token });
    assert.equal(me.status, 200);
    const props = Object.keys(doc.components.schemas.User.properties);
    for (const k of Object.keys(me.body)) {
      if (k === 'role' || k === 'permission') continue;
      assert.ok(props.includes(k), `User schema lacks ${k}`);
    }
    const missing = await s.api('GET', '/api/v2/user/999999/');
    assert.equal(missing.status, 404);
    assert.ok(Array.isArray(missing.body.errors) && missing.body.errors[0].code, missing.text);
  });

  it('names the configured base URL as its server', async () => {
    const t = await h.startServer({ env: { HEARTH_BASE_URL: 'https://community.example.org' } });
    try {
      const r = await t.api('GET', '/api/v2/schema/');
      assert.deepEqual(r.body.servers, [{ url: 'https://community.example.org' }]);
      assert.equal(doc.servers, undefined); // without one: the origin the document came from
    } finally {
      await t.stop();
    }
  });
});
