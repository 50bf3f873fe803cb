'use strict';
// Authentication and authorisation as an attacker would try them: a refresh
// token raced against itself, login rate limits at and one past their counts
// and after their window (docs/api.md "Rate limits"), forged and stale JWTs,
// tokens after revocation, password change and delete, and another user's
// private fields (contract §5 "Privacy") on every route that shows users.
//
// Figures already covered elsewhere are not repeated: alg none, wrong key,
// expired and tampered payloads in auth.test.js; A's writes to B in
// account_ownership.test.js; JWTs and OAuth tokens after a password change
// and after a delete in account_password.test.js and account_delete.test.js.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus, expectError, expectOAuthError, signJWT, nowS } = h;

const WINDOW_S = 15 * 60; // docs/api.md: failures are counted per 15 minutes
const ACCOUNT_MAX = 10;
const ADDRESS_MAX = 100;

function login(s, username, password) {
  return s.api('POST', '/oauth/token/', { form: { grant_type: 'password', username, password, client_id: s.clientId } });
}

function refresh(s, token) {
  return s.api('POST', '/oauth/token/', { form: { grant_type: 'refresh_token', refresh_token: token, client_id: s.clientId } });
}

function expectThrottled(res, maxRetry = WINDOW_S) {
  expectOAuthError(res, 429, 'slow_down');
  const retry = Number(res.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= maxRetry, `Retry-After ${res.headers.get('retry-after')} not in 1..${maxRetry}`);
  return retry;
}

describe('refresh token raced against itself', () => {
  let s;
  const PW = 'R4ce-secret';

  before(async () => {
    s = await h.startServer();
    await s.createUser({ username: 'racer', password: PW });
  });
  after(async () => { if (s) await s.stop(); });

  it('the same refresh token sent 20 times at once succeeds exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const first = await login(s, 'racer', PW);
      expectStatus(first, 200);
      const replies = await Promise.all(Array.from({ length: 20 }, () => refresh(s, first.body.refresh_token)));
      const ok = replies.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, `round ${round}: ${ok.length} successes; statuses ${replies.map((r) => r.status).join(',')}`);
      for (const r of replies) if (r.status !== 200) expectOAuthError(r, 400, 'invalid_grant');
      // the one pair issued works, and its refresh token works once more
      const won = ok[0].body;
      expectStatus(await s.api('GET', '/api/v2/user/me/', { token: won.access_token }), 200);
      expectStatus(await refresh(s, won.refresh_token), 200);
      // the spent token stays spent
      expectOAuthError(await refresh(s, first.body.refresh_token), 400, 'invalid_grant');
    }
  });
});

describe('failed logins per account', () => {
  let s;
  const PW = 'Acc0unt-secret';

  before(async () => {
    s = await h.startServer();
    for (const name of ['erin', 'frank', 'grace']) await s.createUser({ username: name, password: PW, email: `${name}@example.com` });
  });
  after(async () => { if (s) { s.setClock(0); await s.stop(); } });

  it(`the ${ACCOUNT_MAX}th failure is still 400, then even the right password is 429 until the window ends`, async () => {
    for (let i = 1; i <= ACCOUNT_MAX; i++) expectOAuthError(await login(s, 'erin', `Wrong-pass${i}`), 400, 'invalid_grant');
    const retry = expectThrottled(await login(s, 'erin', PW));
    assert.ok(retry > WINDOW_S - 60, `Retry-After ${retry} should be close to the whole window`);
    expectThrottled(await login(s, 'erin@example.com', PW));
    // another account on the same address is untouched
    expectStatus(await login(s, 'frank', PW), 200);
    // shortly before the window ends (a margin for a slow machine): still
    // locked, with a Retry-After that counts down to the window's end
    s.setClock(WINDOW_S - 120);
    expectThrottled(await login(s, 'erin', PW), 120);
    // once the window has passed the count is forgotten
    s.setClock(WINDOW_S + 1);
    expectStatus(await login(s, 'erin', PW), 200);
    // and a fresh window counts from zero again
    for (let i = 1; i <= ACCOUNT_MAX; i++) expectOAuthError(await login(s, 'ERIN', `Wrong-pass${i}`), 400, 'invalid_grant');
    expectThrottled(await login(s, 'erin', PW));
    s.setClock(0);
  });

  it('a success resets the account\'s count', async () => {
    s.setClock(3 * WINDOW_S); // a window of its own, away from the test above
    try {
      for (let i = 1; i < ACCOUNT_MAX; i++) expectOAuthError(await login(s, 'grace', `Wrong-pass${i}`), 400, 'invalid_grant');
      expectStatus(await login(s, 'grace', PW), 200);
      for (let i = 1; i <= ACCOUNT_MAX; i++) expectOAuthError(await login(s, 'grace', `Wrong-pass${i}`), 400, 'invalid_grant');
      expectThrottled(await login(s, 'grace', PW));
    } finally {
      s.setClock(0);
    }
  });

  it('unknown logins are counted too, however they are spelt', async () => {
    for (let i = 1; i <= ACCOUNT_MAX; i++) expectOAuthError(await login(s, i % 2 ? 'ghost' : 'GHOST', 'Wrong-pass1'), 400, 'invalid_grant');
    expectThrottled(await login(s, 'Ghost', 'Wrong-pass1'));
  });
});

describe('failed logins per address', () => {
  let s;
  const PW = 'Addr3ss-secret';

  before(async () => {
    s = await h.startServer();
    await s.createUser({ username: 'heidi', password: PW });
  });
  after(async () => { if (s) { s.setClock(0); await s.stop(); } });

  it(`${ADDRESS_MAX} failures over many accounts lock the address, until the window ends`, async () => {
    // one failure per (unknown) account, so no account limit is reached
    for (let i = 1; i <= ADDRESS_MAX; i++) expectOAuthError(await login(s, `nobody${i}`, 'Wrong-pass1'), 400, 'invalid_grant');
    // every login from this address is refused now, right password or not
    expectThrottled(await login(s, 'heidi', PW));
    expectThrottled(await login(s, 'nobody-else', 'Wrong-pass1'));
    s.setClock(WINDOW_S - 120);
    expectThrottled(await login(s, 'heidi', PW), 120);
    s.setClock(WINDOW_S + 1);
    expectStatus(await login(s, 'heidi', PW), 200);
    s.setClock(0);
  });
});

describe('forged and stale tokens', () => {
  let s;
  let u;
  const PW = 'T0ken-secret';

  before(async () => {
    s = await h.startServer();
    u = await s.createUser({ username: 'ivan', password: PW });
  });
  after(async () => { if (s) await s.stop(); });

  const me = (token) => s.api('GET', '/api/v2/user/me/', { token });
  const claims = (extra = {}) => ({ token_type: 'access', user_id: u.id, jti: `j${Math.random()}`, iat: nowS() - 5, exp: nowS() + 600, ...extra });

  it('alg none, another alg, wrong key, expired, future nbf and tampered JWTs are 401, also on a public route', async () => {
    const good = signJWT(claims(), s.secret);
    expectStatus(await me(good), 200, 'control: a good JWT');
    expectStatus(await me(signJWT(claims({ nbf: nowS() - 60 }), s.secret)), 200, 'control: nbf in the past');
    const [hd, pl, sig] = good.split('.');
    const flip = (t) => t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1);
    const bad = {
      'alg none': signJWT(claims(), s.secret, { alg: 'none', typ: 'JWT' }),
      'alg NONE with signature': `${h.b64url(JSON.stringify({ alg: 'NONE', typ: 'JWT' }))}.${pl}.${sig}`,
      'alg HS512 header': `${h.b64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }))}.${pl}.${sig}`,
      'wrong key': signJWT(claims(), `${s.secret}x`),
      'empty key': signJWT(claims(), ''),
      'expired a second ago': signJWT(claims({ iat: nowS() - 600, exp: nowS() - 1 }), s.secret),
      'nbf in the future': signJWT(claims({ nbf: nowS() + 300 }), s.secret),
      'nbf not an integer': signJWT(claims({ nbf: 'soon' }), s.secret),
      'tampered signature': `${hd}.${pl}.${flip(sig)}`,
      'tampered payload': `${hd}.${h.b64url(JSON.stringify(claims({ user_id: s.admin.id })))}.${sig}`,
      'signature dropped': `${hd}.${pl}.`,
      'signature padded': `${hd}.${pl}.${sig}=`,
      'four parts': `${good}.${sig}`,
      'user id as a float': signJWT(claims({ user_id: u.id + 0.5 }), s.secret),
      'user id zero': signJWT(claims({ user_id: 0 }), s.secret),
    };
    for (const [what, t] of Object.entries(bad)) {
      expectError(await me(t), 401, 'authentication_failed');
      expectError(await s.api('GET', `/api/v2/user/${u.id}/`, { token: t }), 401, 'authentication_failed');
      const v = await s.api('POST', '/api/v2/jwt/verify_token/', { body: { token: t } });
      assert.equal(v.status, 401, `${what}: verify_token answered ${v.status} ${v.text}`);
    }
  });

  it('revoking a refresh token also kills the access token issued with it', async () => {
    const t = (await login(s, 'ivan', PW)).body;
    expectStatus(await me(t.access_token), 200);
    expectStatus(await s.api('POST', '/oauth/revoke_token/', { form: { token: t.refresh_token, client_id: s.clientId } }), 200);
    expectError(await me(t.access_token), 401, 'authentication_failed');
    expectOAuthError(await refresh(s, t.refresh_token), 400, 'invalid_grant');
  });

  it('revoking an access token also spends its refresh token', async () => {
    const t = (await login(s, 'ivan', PW)).body;
    expectStatus(await s.api('POST', '/oauth/revoke_token/', { form: { token: t.access_token, client_id: s.clientId } }), 200);
    expectError(await me(t.access_token), 401, 'authentication_failed');
    expectOAuthError(await refresh(s, t.refresh_token), 400, 'invalid_grant');
  });

  it('after a password change another session\'s refresh token is invalid_grant', async () => {
    const other = (await login(s, 'ivan', PW)).body;
    const mine = (await login(s, 'ivan', PW)).body;
    const NEW = 'T0ken-secret-2';
    expectStatus(await s.api('PATCH', `/api/v2/user/${u.id}/change_password/`, { token: mine.access_token, body: { password: PW, new_password: NEW } }), 204);
    expectError(await me(other.access_token), 401, 'authentication_failed');
    expectOAuthError(await refresh(s, other.refresh_token), 400, 'invalid_grant');
    expectOAuthError(await login(s, 'ivan', PW), 400, 'invalid_grant');
    expectStatus(await login(s, 'ivan', NEW), 200);
  });

  it('after a delete the refresh token is invalid_grant and no new login works', async () => {
    const v = await s.createUser({ username: 'judy', password: PW });
    const t = (await login(s, 'judy', PW)).body;
    const jwt = signJWT(claims({ user_id: v.id }), s.secret);
    expectStatus(await s.api('DELETE', `/api/v2/user/${v.id}/`, { token: t.access_token }), 204);
    expectError(await me(t.access_token), 401, 'authentication_failed');
    expectError(await me(jwt), 401, 'authentication_failed');
    expectOAuthError(await refresh(s, t.refresh_token), 400, 'invalid_grant');
    expectOAuthError(await login(s, 'judy', PW), 400, 'invalid_grant');
  });
});

describe('another user\'s private fields', () => {
  let s;
  let a;
  let b;
  const B_EMAIL = 'bob.private@example.com';
  const PRIVATE = ['email', 'email_isvalid', 'position_lat_lng'];

  before(async () => {
    s = await h.startServer();
    a = await s.createUser({ username: 'alice', password: 'Al1ce-secret', email: 'alice.private@example.com' });
    a.token = (await s.login('alice', 'Al1ce-secret')).access_token;
    b = await s.createUser({ username: 'bob', password: 'B0b-secret!', email: B_EMAIL });
    b.token = (await s.login('bob', 'B0b-secret!')).access_token;
    expectStatus(await s.api('PATCH', `/api/v2/user/${b.id}/`, { token: b.token, body: { real_name: 'Bob B', position_lat_lng: '45.5,9.25', location: 'Milano' } }), 200);
  });
  after(async () => { if (s) await s.stop(); });

  // Every object with B's id anywhere in the body, at any depth.
  function objectsOfB(v, out = []) {
    if (Array.isArray(v)) v.forEach((x) => objectsOfB(x, out));
    else if (v && typeof v === 'object') {
      if (v.id === b.id) out.push(v);
      Object.values(v).forEach((x) => objectsOfB(x, out));
    }
    return out;
  }

  function expectNoPrivate(res, what, { mustShowB = true } = {}) {
    expectStatus(res, 200, what);
    assert.ok(!res.text.includes(B_EMAIL), `${what}: B's email leaks: ${res.text}`);
    // the whole pair: a bare '45.5' also occurs in timestamps such as 16:53:45.543Z
    assert.ok(!res.text.includes('45.5,9.25'), `${what}: B's position leaks: ${res.text}`);
    const objs = objectsOfB(res.body);
    if (mustShowB) assert.ok(objs.length > 0, `${what}: B is not in the answer, so nothing was checked: ${res.text}`);
    for (const o of objs) for (const k of PRIVATE) assert.ok(!(k in o), `${what}: B's ${k} is shown: ${JSON.stringify(o)}`);
  }

  it('control: B and an admin do see B\'s private fields', async () => {
    for (const token of [b.token, s.admin.token]) {
      const r = await s.api('GET', `/api/v2/user/${b.id}/`, { token });
      expectStatus(r, 200);
      assert.equal(r.body.email, B_EMAIL);
      assert.equal(r.body.position_lat_lng, '45.5,9.25');
    }
  });

  it('A and anonymous callers never see them: profile, lists, search, followers and followings', async () => {
    await g.setFollowMode(s, true);
    expectStatus(await s.api('POST', `/api/v2/user/${b.id}/follow/`, { token: a.token }), 204);
    expectStatus(await s.api('POST', `/api/v2/user/${a.id}/follow/`, { token: b.token }), 204);
    const reads = [
      [`/api/v2/user/${b.id}/`, a.token],
      [`/api/v2/user/${b.id}/`, undefined],
      ['/api/v2/user/', a.token],
      ['/api/v2/user/?search=bob', a.token],
      ['/api/v2/user/?search=bob.private@example.com', a.token, { mustShowB: false }],
      ['/api/v2/user/?ordering=-id&limit=50', a.token],
      ['/api/v2/user/search/?search=bob', a.token],
      ['/api/v2/user/autocomplete/?search=bo', a.token],
      [`/api/v2/user/${a.id}/followers/`, a.token],
      [`/api/v2/user/${a.id}/followings/`, a.token],
      [`/api/v2/user/${b.id}/followers/`, a.token, { mustShowB: false }],
      [`/api/v2/user/${b.id}/followings/`, a.token, { mustShowB: false }],
      [`/api/v2/user/${a.id}/followers/`, undefined],
    ];
    for (const [p, token, opts] of reads) expectNoPrivate(await s.api('GET', p, { token }), `GET ${p} as ${token ? 'A' : 'anonymous'}`, opts);
    // the email is not a search key for others either: searching B's email finds nobody
    const r = await s.api('GET', `/api/v2/user/?search=${encodeURIComponent(B_EMAIL)}`, { token: a.token });
    assert.deepEqual(objectsOfB(r.body), [], `searching B's email finds B: ${r.text}`);
  });

  it('nor in friendship mode: requests, connections, statuses and hidden users', async () => {
    await g.setFollowMode(s, false);
    try {
      expectStatus(await s.api('POST', `/api/v2/user/${a.id}/connection/request/`, { token: b.token }), 204);
      expectNoPrivate(await s.api('GET', '/api/v2/user/connection/requests/', { token: a.token }), 'A\'s received requests');
      expectNoPrivate(await s.api('GET', `/api/v2/user/${a.id}/connection/requests/`, { token: a.token }), 'A\'s received requests by id');
      expectStatus(await s.api('POST', `/api/v2/user/${b.id}/connection/accept/`, { token: a.token }), 204);
      for (const p of [`/api/v2/user/${a.id}/connections/`, `/api/v2/user/${b.id}/connections/`]) {
        expectNoPrivate(await s.api('GET', p, { token: a.token }), `GET ${p}`, { mustShowB: p.includes(`/${a.id}/`) });
        expectNoPrivate(await s.api('GET', p, {}), `GET ${p} anonymous`, { mustShowB: p.includes(`/${a.id}/`) });
      }
      const st = await s.api('POST', '/api/v2/user/connection/statuses/', { token: a.token, body: { users: [b.id] } });
      assert.ok(!st.text.includes(B_EMAIL), `statuses leak B's email: ${st.text}`);
      expectStatus(await s.api('POST', `/api/v2/user/${b.id}/hide/`, { token: a.token }), 204);
      expectNoPrivate(await s.api('GET', '/api/v2/user/hidden_users/', { token: a.token }), 'A\'s hidden users');
    } finally {
      await g.setFollowMode(s, true);
    }
  });
});
