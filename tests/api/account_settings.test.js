'use strict';
// Notification settings: GET, POST and PATCH /api/v2/user/{id}/settings/
// (schemas/userSettings.md, contract §7).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectError, expectFieldError, fieldCodes, clientError } = h;

const DEFAULTS = {
  qa_frequency: -1,
  email_notification_not_qa: 1,
  interests_frequency: -1,
  engagement_frequency: 1,
  mobile_notifications_scmty: 1,
  toast_notifications_emit_sound: 1,
  show_toast_notifications: 1,
};

// Every setting's allowed values (schemas/userSettings.md), and values that
// are not allowed.
const CHOICES = {
  qa_frequency: [[-1, 0, 1], [2, -2]],
  email_notification_not_qa: [[0, 1], [-1, 2]],
  interests_frequency: [[-1, 0], [1, 2]],
  engagement_frequency: [[0, 1], [-1, 2]],
  mobile_notifications_scmty: [[0, 1], [-1, 2]],
  toast_notifications_emit_sound: [[0, 1], [-1, 2]],
  show_toast_notifications: [[0, 1], [-1, 2]],
};

describe('settings (/user/{id}/settings/)', () => {
  let s;
  let seq = 0;

  before(async () => {
    s = await h.startServer();
  });
  after(async () => { if (s) await s.stop(); });

  async function newUser() {
    seq += 1;
    const username = `set${seq}`;
    const u = await s.createUser({ username, password: 'Pa55-word!' });
    return { ...u, token: (await s.login(username, 'Pa55-word!')).access_token };
  }
  const url = (u) => `/api/v2/user/${u.id}/settings/`;
  const read = async (u) => {
    const r = await s.api('GET', url(u), { token: u.token });
    expectStatus(r, 200);
    return r.body;
  };

  it('defaults: the seven settings of the schema example (official client userSettings)', async () => {
    const u = await newUser();
    const c = h.client(s.base, u.token);
    assert.deepEqual(await c.UserService.userSettings(u.id), DEFAULTS);
  });

  it('partial update by PATCH (official client userSettingsPatch): one key, the rest kept', async () => {
    const u = await newUser();
    const c = h.client(s.base, u.token);
    const res = await c.UserService.userSettingsPatch(u.id, { qa_frequency: 1 });
    assert.deepEqual(res, { ...DEFAULTS, qa_frequency: 1 });
    const res2 = await c.UserService.userSettingsPatch(u.id, { show_toast_notifications: 0 });
    assert.deepEqual(res2, { ...DEFAULTS, qa_frequency: 1, show_toast_notifications: 0 });
    assert.deepEqual(await read(u), res2);
  });

  it('partial update by POST (the specification), JSON and form bodies', async () => {
    const u = await newUser();
    let r = await s.api('POST', url(u), { token: u.token, body: { interests_frequency: 0, engagement_frequency: 0 } });
    expectStatus(r, 200);
    assert.deepEqual(r.body, { ...DEFAULTS, interests_frequency: 0, engagement_frequency: 0 });
    r = await s.api('POST', url(u), { token: u.token, form: { qa_frequency: '0', mobile_notifications_scmty: '0' } });
    expectStatus(r, 200);
    assert.deepEqual(r.body, { ...DEFAULTS, interests_frequency: 0, engagement_frequency: 0, qa_frequency: 0, mobile_notifications_scmty: 0 });
    assert.deepEqual(await read(u), r.body);
  });

  it('an empty PATCH (the client with no data) answers the current settings', async () => {
    const u = await newUser();
    const c = h.client(s.base, u.token);
    assert.deepEqual(await c.UserService.userSettingsPatch(u.id), DEFAULTS);
    const r = await s.api('PATCH', url(u), { token: u.token, body: { unknown_setting: 5, qa_frequency_x: 1 } });
    expectStatus(r, 200);
    assert.deepEqual(r.body, DEFAULTS, 'unknown keys are ignored');
  });

  for (const [name, [good, bad]] of Object.entries(CHOICES)) {
    it(`${name}: ${good.join(', ')} accepted; ${bad.join(', ')} refused`, async () => {
      const u = await newUser();
      for (const v of good) {
        const r = await s.api('PATCH', url(u), { token: u.token, body: { [name]: v } });
        expectStatus(r, 200);
        assert.equal(r.body[name], v);
        assert.equal((await read(u))[name], v);
      }
      const last = await read(u);
      for (const v of bad) {
        expectFieldError(await s.api('PATCH', url(u), { token: u.token, body: { [name]: v } }), 400, name, 'invalid_choice');
        expectFieldError(await s.api('POST', url(u), { token: u.token, form: { [name]: String(v) } }), 400, name, 'invalid_choice');
      }
      assert.deepEqual(await read(u), last);
    });
  }

  it('non-integers are invalid; one bad value fails the whole update', async () => {
    const u = await newUser();
    const r = await s.api('PATCH', url(u), {
      token: u.token,
      body: { qa_frequency: 0, email_notification_not_qa: 'yes', interests_frequency: 0.5, engagement_frequency: null, show_toast_notifications: true, toast_notifications_emit_sound: [1] },
    });
    expectStatus(r, 400);
    assert.deepEqual(fieldCodes(r.body, 'email_notification_not_qa'), ['invalid']);
    assert.deepEqual(fieldCodes(r.body, 'interests_frequency'), ['invalid']);
    assert.deepEqual(fieldCodes(r.body, 'engagement_frequency'), ['null']);
    assert.deepEqual(fieldCodes(r.body, 'show_toast_notifications'), ['invalid']);
    assert.deepEqual(fieldCodes(r.body, 'toast_notifications_emit_sound'), ['invalid']);
    assert.equal(fieldCodes(r.body, 'qa_frequency'), null);
    assert.deepEqual(await read(u), DEFAULTS, 'the valid qa_frequency was not written either');
    const c = h.client(s.base, u.token);
    const err = await clientError(c.UserService.userSettingsPatch(u.id, { qa_frequency: 7 }));
    assert.equal(err.response.status, 400);
    assert.ok(c.formatHttpError(err).qaFrequencyError);
    expectFieldError(await s.api('POST', url(u), { token: u.token, form: { qa_frequency: '1x' } }), 400, 'qa_frequency', 'invalid');
    expectFieldError(await s.api('POST', url(u), { token: u.token, form: { qa_frequency: '' } }), 400, 'qa_frequency', 'invalid');
  });

  it('own settings only: 403 for others (admins too), 404 for a missing id, 401 anonymous', async () => {
    const a = await newUser();
    const b = await newUser();
    await s.api('PATCH', url(b), { token: b.token, body: { qa_frequency: 0 } });
    for (const token of [a.token, s.admin.token]) {
      expectError(await s.api('GET', url(b), { token }), 403, 'permission_denied');
      expectError(await s.api('PATCH', url(b), { token, body: { qa_frequency: 1 } }), 403);
      expectError(await s.api('POST', url(b), { token, body: { qa_frequency: 1 } }), 403);
    }
    expectError(await s.api('GET', url(b)), 401, 'not_authenticated');
    expectError(await s.api('POST', url(b), { body: { qa_frequency: 1 } }), 401, 'not_authenticated');
    expectError(await s.api('GET', '/api/v2/user/987654/settings/', { token: a.token }), 404);
    expectError(await s.api('PATCH', '/api/v2/user/987654/settings/', { token: a.token, body: {} }), 404);
    assert.deepEqual(await read(b), { ...DEFAULTS, qa_frequency: 0 });
  });
});
