'use strict';
// Accounts without an operator: POST /api/v2/account/create/, /verify/,
// /verify/validation_code/, /recover/, /reset/ and GET /account/search/,
// with the mail they send delivered to a real SMTP server (smtp_sink.py)
// or, without --smtp-url, written as .eml files.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const api = require('@selfcommunity/api-services');
const h = require('./harness');
const { startSmtpSink, parseEml, codeOf } = require('./smtp');

const { expectStatus, expectError, expectFieldError, expectOAuthError, clientError } = h;

const PASSWORD = 'Pa55-word!x';
const NEW_PASSWORD = 'N3w-pass!word';
const BASE_URL = 'https://community.example';
const HOUR = 60 * 60;

// A server whose mail goes to its own SMTP sink.
async function serverWithSink(env = {}) {
  const sink = await startSmtpSink();
  const s = await h.startServer({ env: { HEARTH_SMTP_URL: sink.url, HEARTH_BASE_URL: BASE_URL, ...env } });
  return { s, sink };
}

async function setPref(s, name, value) {
  const r = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { [name]: value } });
  expectStatus(r, 200);
}

// The official client, anonymous, pointed at s.
function accounts(s, token) {
  h.client(s.base, token);
  return api.AccountService;
}

const post = (s, p, body, token) => s.api('POST', `/api/v2/account/${p}/`, { body, token });

function loginRaw(s, username, password) {
  return s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username, password, client_id: s.clientId } });
}

function outboxRows(s, where = '1 = 1') {
  return s.sql(`SELECT id, kind, recipient, state, attempts, params FROM mail_outbox WHERE ${where} ORDER BY id`,
    { json: true });
}

describe('sign-up and verification', () => {
  let s;
  let sink;
  let seq = 0;
  const next = () => { seq += 1; return `signer${seq}`; };

  before(async () => {
    // a From with a non-ASCII name, and CR LF trying to add a header
    ({ s, sink } = await serverWithSink({ HEARTH_MAIL_FROM: 'Café Hearth\r\nBcc: evil@attacker.example <noreply@community.example>' }));
  });
  after(async () => {
    if (s) { s.setClock(0); await s.stop(); }
    if (sink) await sink.stop();
  });

  it('sign-up is off by default: 403 signup_disabled, nothing created or mailed', async () => {
    const name = next();
    const r = await post(s, 'create', { username: name, email: `${name}@example.com`, password: PASSWORD });
    expectError(r, 403, 'signup_disabled');
    const err = await clientError(accounts(s).create({ username: name, email: `${name}@example.com`, password: PASSWORD }));
    assert.equal(err.response.status, 403);
    assert.equal(s.sql(`SELECT count(*) FROM users WHERE username = '${name}'`), '0');
    assert.equal(outboxRows(s).length, 0);
  });

  it('an admin may create an account while sign-up is off; it is mailed a code and starts unverified', async () => {
    const name = next();
    const r = await post(s, 'create', { username: name, email: `${name}@example.com`, password: PASSWORD }, s.admin.token);
    expectStatus(r, 201);
    assert.equal(r.body.username, name);
    const [m] = await sink.waitFor(`${name}@example.com`);
    assert.match(m.subject, new RegExp(name));
    expectOAuthError(await loginRaw(s, name, PASSWORD), 400, 'invalid_grant');
  });

  it('sign up → mail arrives → the code verifies → login works (official client)', async () => {
    await setPref(s, 'signup_enabled', true);
    const name = next();
    const email = `${name}@Example.com`;
    const created = await accounts(s).create({ username: name, email, password: PASSWORD });
    assert.equal(created.username, name);
    assert.equal(typeof created.id, 'number');
    const row = s.sql(`SELECT email, email_isvalid, status FROM users WHERE id = ${created.id}`, { json: true })[0];
    assert.deepEqual(row, { email, email_isvalid: 0, status: 'a' });

    // the account cannot log in before it is verified
    const refused = await loginRaw(s, name, PASSWORD);
    expectOAuthError(refused, 400, 'invalid_grant');
    assert.match(refused.body.error_description, /not been verified/);
    // a wrong password gets the ordinary answer (nothing is revealed)
    const wrong = await loginRaw(s, name, 'Wrong-pass1!');
    assert.equal(wrong.body.error_description, 'Invalid credentials given.');

    const [m] = await sink.waitFor(email);
    assert.deepEqual(m.rcpt_tos, [email]);
    assert.equal(m.mail_from, 'noreply@community.example');
    const code = codeOf(m);
    assert.match(code, /^[0-9a-f]{32}$/, '128 bits');
    assert.ok(m.text.includes(`${BASE_URL}/account/verify/?validation_code=${code}`));
    assert.ok(m.html.includes(`href="${BASE_URL}/account/verify/?validation_code=${code}"`));
    assert.ok(m.text.includes(`Hello ${name}`));
    // the code is stored only as a hash
    assert.equal(s.sql(`SELECT count(*) FROM account_codes WHERE code_hash = '${code}'`), '0');
    assert.equal(s.sql(`SELECT count(*) FROM account_codes WHERE user_id = ${created.id}`), '1');
    // and the outbox forgets it once the message is sent
    assert.equal(outboxRows(s, `recipient = '${email}'`)[0].params, '{}');

    const check = await accounts(s).verifyValidationCode({ validation_code: code });
    assert.deepEqual(check, { is_valid: true });
    const verified = await accounts(s).verify({ validation_code: code });
    assert.deepEqual(Object.keys(verified.token).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(verified.token.token_type, 'Bearer');
    const me = await s.api('GET', '/api/v2/user/me/', { token: verified.token.access_token });
    expectStatus(me, 200);
    assert.equal(me.body.id, created.id);
    assert.equal(me.body.email_isvalid, true);
    // the token was issued for the default public client: its refresh works there
    const refreshed = await s.api('POST', '/oauth/token/', {
      form: { grant_type: 'refresh_token', refresh_token: verified.token.refresh_token, client_id: s.clientId } });
    expectStatus(refreshed, 200);
    // login works now
    expectStatus(await loginRaw(s, name, PASSWORD), 200);

    // used once
    expectFieldError(await post(s, 'verify', { validation_code: code }), 400, 'validation_code', 'invalid');
    assert.deepEqual((await post(s, 'verify/validation_code', { validation_code: code })).body, { is_valid: false });
  });

  it('verify issues the token for the client the request names; an unknown client is refused', async () => {
    const name = next();
    await accounts(s).create({ username: name, email: `${name}@example.com`, password: PASSWORD });
    const code = codeOf((await sink.waitFor(`${name}@example.com`))[0]);
    // an unknown client: refused before the code is used
    expectFieldError(await post(s, 'verify', { validation_code: code, client_id: 'nope' }), 400, 'client_id', 'invalid');
    assert.deepEqual((await post(s, 'verify/validation_code', { validation_code: code })).body, { is_valid: true });
    const r = await post(s, 'verify', { validation_code: code, client_id: s.clientId });
    expectStatus(r, 200);
    const clientRow = s.sql(`SELECT client_id FROM oauth_tokens WHERE user_id = (SELECT id FROM users WHERE username = '${name}')`);
    assert.equal(clientRow, s.sql(`SELECT id FROM oauth_clients WHERE client_id = '${s.clientId}'`));
  });

  it('bad input: missing fields, malformed email, duplicates (case-insensitive), weak password → 400 on the field', async () => {
    const name = next();
    const missing = await post(s, 'create', {});
    expectFieldError(missing, 400, 'username', 'required');
    expectFieldError(missing, 400, 'email', 'required');
    expectFieldError(missing, 400, 'password', 'required');
    expectFieldError(await post(s, 'create', { username: name, email: 'not-an-email', password: PASSWORD }), 400, 'email', 'invalid');
    expectFieldError(await post(s, 'create', { username: name, email: `${name}@example.com`, password: 'short' }), 400, 'password');
    expectFieldError(await post(s, 'create', { username: 'bad name!', email: `${name}@example.com`, password: PASSWORD }), 400, 'username', 'invalid');
    expectFieldError(await post(s, 'create', { username: 'ADMIN', email: `${name}@example.com`, password: PASSWORD }), 400, 'username', 'unique');
    expectFieldError(await post(s, 'create', { username: name, email: 'ADMIN@example.com', password: PASSWORD }), 400, 'email', 'unique');
    // none of them made a user or a message
    assert.equal(s.sql(`SELECT count(*) FROM users WHERE username = '${name}'`), '0');
    assert.equal(sink.to(`${name}@example.com`).length, 0);
    // role, ext_id and tags are not one's own to give: ignored
    const r = await post(s, 'create', { username: name, email: `${name}@example.com`, password: PASSWORD, role: 'admin', ext_id: 'x', tags: 'y' });
    expectStatus(r, 201);
    assert.equal(s.sql(`SELECT coalesce(role, '-') FROM users WHERE id = ${r.body.id}`), '-');
  });

  it('an oversized body is 413', async () => {
    const r = await post(s, 'create', { username: 'x', email: 'x@example.com', password: 'a'.repeat(2 << 20) });
    expectStatus(r, 413);
  });

  it('header injection is impossible: CR LF in the email is refused, and in the From name it becomes a space', async () => {
    const name = next();
    const r = await post(s, 'create', { username: name, email: `${name}@example.com\r\nBcc: evil@attacker.example`, password: PASSWORD });
    expectFieldError(r, 400, 'email', 'invalid');
    const ok = await post(s, 'create', { username: name, email: `${name}@example.com`, password: PASSWORD });
    expectStatus(ok, 201);
    const [m] = await sink.waitFor(`${name}@example.com`);
    assert.deepEqual(m.rcpt_tos, [`${name}@example.com`]);
    assert.ok(!m.header_lines.some((l) => /^bcc:/i.test(l)), m.header_lines.join('\n'));
    assert.equal(sink.to('evil@attacker.example').length, 0);
    // the non-ASCII display name is an RFC 2047 encoded word, and decodes back
    const fromLines = m.raw.split('\r\n\r\n')[0];
    assert.match(fromLines, /^From: =\?UTF-8\?B\?/m);
    assert.equal(m.from, 'Café Hearth  Bcc: evil@attacker.example <noreply@community.example>');
  });

  it('expired and wrong codes are refused', async () => {
    const name = next();
    await accounts(s).create({ username: name, email: `${name}@example.com`, password: PASSWORD });
    const code = codeOf((await sink.waitFor(`${name}@example.com`))[0]);
    const wrong = await clientError(accounts(s).verify({ validation_code: 'f'.repeat(32) }));
    assert.equal(wrong.response.status, 400);
    expectFieldError(await post(s, 'verify', { validation_code: '' }), 400, 'validation_code', 'required');
    s.setClock(24 * HOUR + 60);
    try {
      assert.deepEqual((await post(s, 'verify/validation_code', { validation_code: code })).body, { is_valid: false });
      expectFieldError(await post(s, 'verify', { validation_code: code }), 400, 'validation_code', 'expired');
      // gone after that
      expectFieldError(await post(s, 'verify', { validation_code: code }), 400, 'validation_code', 'invalid');
    } finally {
      s.setClock(0);
    }
    expectOAuthError(await loginRaw(s, name, PASSWORD), 400, 'invalid_grant');
  });

  it('the admin search finds accounts by username, email or ext_id and provider', async () => {
    const made = await s.createUser({ username: 'found1', password: PASSWORD, email: 'Found1@example.com', ext_id: 4242 });
    h.client(s.base, s.admin.token);
    const byName = await api.AccountService.search({ username: 'FOUND1' });
    assert.equal(byName.id, made.id);
    const byEmail = await s.api('GET', '/api/v2/account/search/?email=found1@EXAMPLE.com', { token: s.admin.token });
    expectStatus(byEmail, 200);
    assert.equal(byEmail.body.username, 'found1');
    const byExt = await s.api('GET', '/api/v2/account/search/?ext_id=4242&provider=example', { token: s.admin.token });
    expectStatus(byExt, 200);
    assert.equal(byExt.body.id, made.id);
    expectFieldError(await s.api('GET', '/api/v2/account/search/?ext_id=4242', { token: s.admin.token }), 400, 'provider');
    expectStatus(await s.api('GET', '/api/v2/account/search/', { token: s.admin.token }), 400);
    expectStatus(await s.api('GET', '/api/v2/account/search/?username=nobody', { token: s.admin.token }), 404);
    const user = await s.login('found1', PASSWORD);
    expectStatus(await s.api('GET', '/api/v2/account/search/?username=found1', { token: user.access_token }), 403);
    expectStatus(await s.api('GET', '/api/v2/account/search/?username=found1'), 401);
  });

  it('with approval required, verify answers user_awaiting_approval and login waits for status a', async () => {
    await setPref(s, 'signup_requires_approval', true);
    try {
      const name = next();
      const u = await accounts(s).create({ username: name, email: `${name}@example.com`, password: PASSWORD });
      const code = codeOf((await sink.waitFor(`${name}@example.com`))[0]);
      assert.deepEqual(await accounts(s).verify({ validation_code: code }), { user_awaiting_approval: true });
      assert.equal(s.sql(`SELECT status || email_isvalid FROM users WHERE id = ${u.id}`), 'b1');
      const refused = await loginRaw(s, name, PASSWORD);
      expectOAuthError(refused, 400, 'invalid_grant');
      assert.match(refused.body.error_description, /approval/);
      s.sql(`UPDATE users SET status = 'a' WHERE id = ${u.id}`);
      expectStatus(await loginRaw(s, name, PASSWORD), 200);
    } finally {
      await setPref(s, 'signup_requires_approval', false);
    }
  });

  it('the email-change confirmation code is mailed to the new address', async () => {
    const u = await s.createUser({ username: 'changer', password: PASSWORD, email: 'changer@example.com' });
    const token = (await s.login('changer', PASSWORD)).access_token;
    const r = await s.api('PATCH', `/api/v2/user/${u.id}/change_email/`, { token, body: { new_email: 'Changer+new@example.org', confirm: true } });
    expectStatus(r, 200);
    const [m] = await sink.waitFor('Changer+new@example.org');
    assert.ok(m.text.includes(r.body.validation_code));
    assert.ok(m.text.includes(`validation_code=${r.body.validation_code}`));
    assert.ok(m.text.includes('new_email=Changer%2Bnew%40example.org'));
    assert.equal(sink.to('changer@example.com').length, 0);
  });

  // requests racing for one name or one code run one after the other
  // (SQLite's single writer, PostgreSQL's row locks), never a 5xx
  it('sign-ups racing for one username: one is created, the others 400 unique on username', async () => {
    const name = next();
    const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => s.api('POST', '/api/v2/sso/signup/',
      { token: s.admin.token, body: { username: name, email: `${name}.${i}@example.com`, password: PASSWORD } })));
    assert.deepEqual(rs.filter((r) => r.status >= 500).map((r) => r.text), []);
    assert.equal(rs.filter((r) => r.status === 201).length, 1, rs.map((r) => r.status).join(','));
    for (const r of rs.filter((x) => x.status !== 201)) expectFieldError(r, 400, 'username', 'unique');
    assert.equal(s.sql(`SELECT count(*) FROM users WHERE username = '${name}'`), '1');
  });

  it('one code verified by several requests at once verifies once', async () => {
    const name = next();
    expectStatus(await post(s, 'create', { username: name, email: `${name}@example.com`, password: PASSWORD }, s.admin.token), 201);
    const code = codeOf((await sink.waitFor(`${name}@example.com`))[0]);
    const rs = await Promise.all([0, 1, 2].map(() => post(s, 'verify', { validation_code: code })));
    assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => `${r.status} ${r.text}`).join('; '));
    for (const r of rs.filter((x) => x.status !== 200)) expectFieldError(r, 400, 'validation_code', 'invalid');
    expectStatus(await loginRaw(s, name, PASSWORD), 200);
  });
});

describe('recovery', () => {
  let s;
  let sink;

  before(async () => {
    ({ s, sink } = await serverWithSink());
  });
  after(async () => {
    if (s) { s.setClock(0); await s.stop(); }
    if (sink) await sink.stop();
  });

  it('recover → mail → reset → old tokens dead, new password works, the old one not', async () => {
    const u = await s.createUser({ username: 'forgetful', password: PASSWORD, email: 'Forgetful@example.com' });
    const t1 = (await s.login('forgetful', PASSWORD)).access_token;
    const t2 = await s.login('forgetful', PASSWORD);
    assert.equal(await accounts(s).recover({ email: 'forgetful@EXAMPLE.com' }), '');
    const [m] = await sink.waitFor('Forgetful@example.com');
    const code = codeOf(m);
    assert.ok(m.text.includes(`/account/reset/?validation_code=${code}`));
    assert.deepEqual(await accounts(s).verifyValidationCode({ validation_code: code }), { is_valid: true });
    // still valid: checking does not use it
    assert.deepEqual(await accounts(s).verifyValidationCode({ validation_code: code }), { is_valid: true });
    // a weak password is refused and the code survives
    expectFieldError(await post(s, 'reset', { validation_code: code, password: 'weak' }), 400, 'password');
    assert.equal(await accounts(s).reset({ validation_code: code, password: NEW_PASSWORD }), '');

    expectStatus(await s.api('GET', '/api/v2/user/me/', { token: t1 }), 401);
    expectStatus(await s.api('GET', '/api/v2/user/me/', { token: t2.access_token }), 401);
    const refresh = await s.api('POST', '/oauth/token/', { form: { grant_type: 'refresh_token', refresh_token: t2.refresh_token, client_id: s.clientId } });
    expectOAuthError(refresh, 400, 'invalid_grant');
    expectOAuthError(await loginRaw(s, 'forgetful', PASSWORD), 400, 'invalid_grant');
    expectStatus(await loginRaw(s, 'forgetful', NEW_PASSWORD), 200);
    assert.equal(s.sql(`SELECT email_isvalid FROM users WHERE id = ${u.id}`), '1');
    // used once
    expectFieldError(await post(s, 'reset', { validation_code: code, password: PASSWORD }), 400, 'validation_code', 'invalid');
  });

  it('an unknown email gets the same answer and no mail', async () => {
    await s.createUser({ username: 'known', password: PASSWORD, email: 'known@example.com' });
    const known = await post(s, 'recover', { email: 'known@example.com' });
    const unknown = await post(s, 'recover', { email: 'unknown@example.com' });
    assert.equal(known.status, 204);
    assert.equal(unknown.status, known.status);
    assert.equal(unknown.text, known.text);
    assert.equal(unknown.headers.get('content-type'), known.headers.get('content-type'));
    await sink.waitFor('known@example.com');
    assert.equal(outboxRows(s, "recipient = 'unknown@example.com'").length, 0);
    assert.equal(sink.to('unknown@example.com').length, 0);
    // a malformed address is a field error (whoever asks)
    expectFieldError(await post(s, 'recover', { email: 'nope' }), 400, 'email', 'invalid');
    expectFieldError(await post(s, 'recover', {}), 400, 'email', 'required');
  });

  it('recover does the same for a known and an unknown address: one queued row; the sender looks the account up', async () => {
    await s.createUser({ username: 'queued', password: PASSWORD, email: 'queued@example.com' });
    const before = Number(s.sql('SELECT coalesce(max(id), 0) FROM mail_outbox'));
    expectStatus(await post(s, 'recover', { email: 'queued@example.com' }), 204);
    expectStatus(await post(s, 'recover', { email: 'nobody-here@example.com' }), 204);
    await sink.waitFor('queued@example.com');
    const requests = () => outboxRows(s, `id > ${before} AND kind = 'recover'`);
    const deadline = Date.now() + 10000;
    while (requests().filter((r) => r.state === 'sent').length < 2) {
      assert.ok(Date.now() < deadline, JSON.stringify(requests()));
      await new Promise((res) => setTimeout(res, 50));
    }
    // what each request wrote looks the same; the address is gone once done
    for (const r of requests()) {
      assert.equal(r.recipient, '');
      assert.equal(r.params, '{}');
    }
    const resets = outboxRows(s, `id > ${before} AND kind = 'reset'`);
    assert.deepEqual(resets.map((r) => r.recipient), ['queued@example.com']);
    assert.equal(s.sql("SELECT count(*) FROM mail_outbox WHERE params LIKE '%nobody-here%' OR recipient LIKE '%nobody-here%'"), '0');
    assert.equal(sink.to('nobody-here@example.com').length, 0);
  });

  it('an expired reset code is refused; a verification code does not reset', async () => {
    await s.createUser({ username: 'slowpoke', password: PASSWORD, email: 'slowpoke@example.com' });
    await post(s, 'recover', { email: 'slowpoke@example.com' });
    const code = codeOf((await sink.waitFor('slowpoke@example.com'))[0]);
    s.setClock(HOUR + 60);
    try {
      assert.deepEqual((await post(s, 'verify/validation_code', { validation_code: code })).body, { is_valid: false });
      expectFieldError(await post(s, 'reset', { validation_code: code, password: NEW_PASSWORD }), 400, 'validation_code', 'expired');
    } finally {
      s.setClock(0);
    }
    expectStatus(await loginRaw(s, 'slowpoke', PASSWORD), 200);
    expectFieldError(await post(s, 'reset', { validation_code: 'x'.repeat(500), password: NEW_PASSWORD }), 400, 'validation_code', 'invalid');
    // a sign-up's verification code is not a reset code
    const made = await post(s, 'create', { username: 'fresh', email: 'fresh@example.com', password: PASSWORD }, s.admin.token);
    expectStatus(made, 201);
    const verifyCode = codeOf((await sink.waitFor('fresh@example.com'))[0]);
    expectFieldError(await post(s, 'reset', { validation_code: verifyCode, password: NEW_PASSWORD }), 400, 'validation_code', 'invalid');
    expectOAuthError(await loginRaw(s, 'fresh', NEW_PASSWORD), 400, 'invalid_grant');
  });

  it('a reset code dies when the email changes: it cannot mark an address it never reached as verified', async () => {
    const u = await s.createUser({ username: 'mover', password: PASSWORD, email: 'mover@example.com' });
    const token = (await s.login('mover', PASSWORD)).access_token;
    await post(s, 'recover', { email: 'mover@example.com' });
    const code = codeOf((await sink.waitFor('mover@example.com'))[0]);
    // an address the user does not own, set without confirmation: unverified
    expectStatus(await s.api('PATCH', `/api/v2/user/${u.id}/change_email/`, { token, body: { new_email: 'someone-else@example.com' } }), 204);
    assert.equal(s.sql(`SELECT email_isvalid FROM users WHERE id = ${u.id}`), '0');
    expectFieldError(await post(s, 'reset', { validation_code: code, password: NEW_PASSWORD }), 400, 'validation_code', 'invalid');
    assert.equal(s.sql(`SELECT email_isvalid FROM users WHERE id = ${u.id}`), '0');
    expectStatus(await loginRaw(s, 'mover', PASSWORD), 200);
  });

  it('a newer reset code replaces the older', async () => {
    await s.createUser({ username: 'twice', password: PASSWORD, email: 'twice@example.com' });
    await post(s, 'recover', { email: 'twice@example.com' });
    const first = codeOf((await sink.waitFor('twice@example.com'))[0]);
    await post(s, 'recover', { email: 'twice@example.com' });
    const second = codeOf((await sink.waitFor('twice@example.com', 2))[1]);
    assert.notEqual(first, second);
    expectFieldError(await post(s, 'reset', { validation_code: first, password: NEW_PASSWORD }), 400, 'validation_code', 'invalid');
    expectStatus(await post(s, 'reset', { validation_code: second, password: NEW_PASSWORD }), 204);
    expectStatus(await loginRaw(s, 'twice', NEW_PASSWORD), 200);
  });
});

describe('rate limits', () => {
  let s;
  let sink;

  before(async () => {
    ({ s, sink } = await serverWithSink());
    await setPref(s, 'signup_enabled', true);
  });
  after(async () => {
    if (s) { s.setClock(0); await s.stop(); }
    if (sink) await sink.stop();
  });

  it('mail to one address: 3 requests per window, then 429 with Retry-After; a new window allows again', async () => {
    await s.createUser({ username: 'spammed', password: PASSWORD, email: 'spammed@example.com' });
    for (let i = 0; i < 3; i++) expectStatus(await post(s, 'recover', { email: 'spammed@example.com' }), 204);
    const r = await post(s, 'recover', { email: 'Spammed@example.com' });
    expectError(r, 429, 'throttled');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    await sink.waitFor('spammed@example.com', 3);
    s.setClock(16 * 60);
    try {
      expectStatus(await post(s, 'recover', { email: 'spammed@example.com' }), 204);
    } finally {
      s.setClock(0);
    }
  });

  it('wrong codes from one address: 10 per window, then 429 even for a right one', async () => {
    await s.createUser({ username: 'guessed', password: PASSWORD, email: 'guessed@example.com' });
    s.setClock(40 * 60); // a window of its own
    try {
      await post(s, 'recover', { email: 'guessed@example.com' });
      const code = codeOf((await sink.waitFor('guessed@example.com'))[0]);
      for (let i = 0; i < 10; i++) {
        expectFieldError(await post(s, 'reset', { validation_code: `${i}`.padStart(32, 'a'), password: NEW_PASSWORD }), 400, 'validation_code', 'invalid');
      }
      expectError(await post(s, 'reset', { validation_code: code, password: NEW_PASSWORD }), 429, 'throttled');
      expectError(await post(s, 'verify/validation_code', { validation_code: code }), 429, 'throttled');
      expectStatus(await loginRaw(s, 'guessed', PASSWORD), 200);
    } finally {
      s.setClock(0);
    }
  });

  it('the email-change mail counts against the new address too: no mail bombing through change_email', async () => {
    const u = await s.createUser({ username: 'bomber', password: PASSWORD, email: 'bomber@example.com' });
    const token = (await s.login('bomber', PASSWORD)).access_token;
    s.setClock(120 * 60); // a window of its own
    try {
      const change = () => s.api('PATCH', `/api/v2/user/${u.id}/change_email/`,
        { token, body: { new_email: 'Bombed@example.com', confirm: true } });
      for (let i = 0; i < 3; i++) expectStatus(await change(), 200);
      const r = await change();
      expectError(r, 429, 'throttled');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      // a recover for that address is over its limit as well
      expectError(await post(s, 'recover', { email: 'bombed@example.com' }), 429, 'throttled');
      await sink.waitFor('Bombed@example.com', 3);
      assert.equal(outboxRows(s, "kind = 'change_email' AND recipient = 'Bombed@example.com'").length, 3);
      // without confirm no mail is sent: not counted
      expectStatus(await s.api('PATCH', `/api/v2/user/${u.id}/change_email/`,
        { token, body: { new_email: 'bomber2@example.com' } }), 204);
    } finally {
      s.setClock(0);
    }
  });

  it('mail-sending requests from one address: 20 per window, then 429', async () => {
    s.setClock(80 * 60);
    try {
      let last;
      for (let i = 0; i < 21; i++) last = await post(s, 'recover', { email: `flood${i}@example.com` });
      expectError(last, 429, 'throttled');
      expectError(await post(s, 'create', { username: 'flooder', email: 'flooder@example.com', password: PASSWORD }), 429, 'throttled');
      assert.equal(s.sql("SELECT count(*) FROM users WHERE username = 'flooder'"), '0');
    } finally {
      s.setClock(0);
    }
  });
});

describe('delivery', () => {
  it('SMTP down during sign-up: 201, the mail is retried and delivered once after it comes back', async () => {
    const { s, sink } = await serverWithSink();
    try {
      await setPref(s, 'signup_enabled', true);
      await sink.down();
      const r = await post(s, 'create', { username: 'patient', email: 'patient@example.com', password: PASSWORD });
      expectStatus(r, 201);
      // wait for a failed attempt to be recorded
      const deadline = Date.now() + 10000;
      let row;
      for (;;) {
        [row] = outboxRows(s, "recipient = 'patient@example.com'");
        if (row && row.attempts >= 1) break;
        assert.ok(Date.now() < deadline, `no attempt recorded: ${JSON.stringify(row)}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(row.state, 'pending');
      assert.notEqual(row.params, '{}', 'kept until sent');
      await sink.up();
      const [m] = await sink.waitFor('patient@example.com', 1, 30000);
      const code = codeOf(m);
      expectStatus(await post(s, 'verify', { validation_code: code }), 200);
      // exactly once
      await new Promise((res) => setTimeout(res, 500));
      assert.equal(sink.to('patient@example.com').length, 1);
      [row] = outboxRows(s, "recipient = 'patient@example.com'");
      assert.equal(row.state, 'sent');
      assert.ok(/attempt 1 failed/.test(s.stderr()), 'the failure is logged');
    } finally {
      await s.stop();
      await sink.stop();
    }
  });

  it('credentials over smtp:// require STARTTLS: a server without it gets no password and no mail', async () => {
    const sink = await startSmtpSink();
    const s = await h.startServer({ env: { HEARTH_SMTP_URL: `smtp://mailer:s3cret@127.0.0.1:${sink.port}` } });
    try {
      await setPref(s, 'signup_enabled', true);
      expectStatus(await post(s, 'create', { username: 'careful', email: 'careful@example.com', password: PASSWORD }), 201);
      const deadline = Date.now() + 10000;
      let row;
      for (;;) {
        [row] = outboxRows(s, "recipient = 'careful@example.com'");
        if (row && row.attempts >= 1 && row.state === 'pending') break;
        assert.ok(Date.now() < deadline, `no failed attempt recorded: ${JSON.stringify(row)}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(sink.messages().length, 0);
      const [err] = s.sql("SELECT last_error FROM mail_outbox WHERE recipient = 'careful@example.com'", { json: true });
      assert.match(err.last_error, /STARTTLS/);
      assert.ok(!s.stderr().includes('s3cret'), 'the URL is never logged');
    } finally {
      await s.stop();
      await sink.stop();
    }
  });

  it('without --smtp-url the message is an .eml file under the data dir, its path logged', async () => {
    const s = await h.startServer();
    try {
      await setPref(s, 'signup_enabled', true);
      expectStatus(await post(s, 'create', { username: 'local', email: 'local@example.com', password: PASSWORD }), 201);
      const dir = path.join(s.dir, 'mail');
      const deadline = Date.now() + 10000;
      let files = [];
      while (!files.length) {
        assert.ok(Date.now() < deadline, 'no .eml file written');
        await new Promise((res) => setTimeout(res, 50));
        files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.eml')) : [];
      }
      assert.equal(files.length, 1);
      const file = path.join(dir, files[0]);
      assert.ok(s.stderr().includes(file), 'path logged');
      const m = parseEml(file);
      assert.match(m.to, /local@example\.com/);
      expectStatus(await post(s, 'verify', { validation_code: codeOf(m) }), 200);
      expectStatus(await loginRaw(s, 'local', PASSWORD), 200);
    } finally {
      await s.stop();
    }
  });

  it('sent rows and .eml files are deleted once MAIL_KEEP_DAYS (7) old; pending rows and other files stay', async () => {
    const s = await h.startServer();
    try {
      await setPref(s, 'signup_enabled', true);
      expectStatus(await post(s, 'create', { username: 'aged', email: 'aged@example.com', password: PASSWORD }), 201);
      const dir = path.join(s.dir, 'mail');
      const emls = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.eml')) : []);
      const waitUntil = async (what, cond) => {
        const deadline = Date.now() + 30000;
        while (!cond()) {
          assert.ok(Date.now() < deadline, what);
          await new Promise((res) => setTimeout(res, 50));
        }
      };
      await waitUntil('no .eml file written', () => emls().length === 1 && outboxRows(s, "state = 'sent'").length === 1);
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'the operator\'s own file\n');
      // a pending row of any age is not touched
      s.sql("INSERT INTO mail_outbox (kind, recipient, params, next_attempt_us, created_us) VALUES ('verify', 'later@example.com', '{}', 9000000000000000, 0)");
      s.setClock(6 * 24 * HOUR);
      await new Promise((res) => setTimeout(res, 500));
      assert.equal(emls().length, 1, 'six days old: kept');
      s.setClock(8 * 24 * HOUR);
      await waitUntil('old sent row and .eml file not deleted', () => emls().length === 0 && outboxRows(s, "state = 'sent'").length === 0);
      assert.equal(outboxRows(s, "state = 'pending'").length, 1);
      assert.ok(fs.existsSync(path.join(dir, 'notes.txt')));
      // the line is logged after the deletions: under load it may reach the pipe later
      await waitUntil('deletion not logged', () => /deleted 1 outbox rows and 1 \.eml files older than 7 days/.test(s.stderr()));
    } finally {
      s.setClock(0);
      await s.stop();
    }
  });
});
