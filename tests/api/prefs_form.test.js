'use strict';
// PATCH /api/v2/dynamic_preference/ with a form body (contract §1: forms are
// accepted on every endpoint that takes a body; form booleans are
// 1/true/True and 0/false/False).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError } = h;

describe('preferences from a form body', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  const patch = (form) => s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, form });
  async function value(key) {
    const res = await s.api('GET', `/api/v2/dynamic_preference/?keys=${key}`);
    expectStatus(res, 200);
    return res.body.results[0].value;
  }

  it('form booleans are read as booleans', async () => {
    for (const [word, want] of [['false', false], ['True', true], ['0', false], ['1', true]]) {
      const res = await patch({ 'configurations.follow_enabled': word });
      expectStatus(res, 200, word);
      assert.equal(res.body[0].value, want, word);
      assert.equal(await value('configurations.follow_enabled'), want, word);
    }
  });

  it('form strings stay strings; a bare name works too', async () => {
    const res = await patch({ staff_badge_label: 'Team' });
    expectStatus(res, 200);
    assert.equal(await value('staff.staff_badge_label'), 'Team');
  });

  it('a word that is not a boolean is 400 and nothing changes', async () => {
    expectError(await patch({ 'configurations.content_availability': 'maybe' }), 400);
    assert.equal(await value('configurations.content_availability'), true);
  });

  it('JSON bodies stay strict: the string "false" is not a boolean', async () => {
    const res = await s.api('PATCH', '/api/v2/dynamic_preference/', {
      token: s.admin.token, body: { 'configurations.content_availability': 'false' },
    });
    expectError(res, 400);
  });
});
