'use strict';
// The keyset cursor of the user list and of followers/followings
// (docs/api.md, "Keyset cursor"): opted into with `cursor=`, carried by
// `next` with limit/offset as the contract has them; the same pages as
// the offsets for every ordering; a bad cursor, or one of another list, is
// a 400 with the contract's error shape; a cursor continues after its row
// when rows before it go away.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectFieldError } = h;

const USERS = 1200; // ids 1001..2200
const OWNER = 1001; // followed by every other one (a list long enough to seek)

const ORDERINGS = [null, 'id', '-id', 'username', '-username', 'real_name', '-real_name', 'location', '-location',
  'date_joined', '-date_joined'];

// The response, after checking its status.
function expectOk(res, status, what) {
  expectStatus(res, status, what);
  return res;
}

function listPath(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, String(v));
  return `${path}?${q}`;
}

describe('keyset cursor', () => {
  let s;
  let token;
  before(async () => {
    s = await h.startServer();
    token = s.admin.token;
    // many ties: real names, locations and join times from small sets
    const pg = !!process.env.HEARTH_TEST_PG;
    s.sql(`WITH RECURSIVE c(i) AS (SELECT 1001 UNION ALL SELECT i + 1 FROM c WHERE i < ${1000 + USERS}) `
      + `INSERT INTO users (id, username, username_fold, real_name, real_name_fold, location, date_joined_us) `
      + `SELECT i, 'cu' || i, 'cu' || i, CASE i % 4 WHEN 0 THEN 'ann' WHEN 1 THEN 'bob' WHEN 2 THEN '' `
      + `ELSE 'eva' END, CASE i % 4 WHEN 0 THEN 'ann' WHEN 1 THEN 'bob' WHEN 2 THEN '' ELSE 'eva' END, `
      + `CASE i % 3 WHEN 0 THEN '' WHEN 1 THEN 'rome' ELSE 'paris' END, 1600000000000000 + (i % 17) * 1000000 FROM c`);
    if (pg) s.sql('UPDATE users SET location_fold = location WHERE location_fold <> location');
    s.sql(`INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, ${OWNER}, `
      + `1600000000000000 + (id % 13) * 1000 FROM users WHERE id > ${OWNER}`);
    s.sql(`UPDATE users SET followers_counter = (SELECT count(*) FROM follows WHERE followed_id = ${OWNER}) `
      + `WHERE id = ${OWNER}`);
    s.sql(`UPDATE users SET followings_counter = 1 WHERE id > ${OWNER}`);
    // the caller hides a few users: left out of the pages and the counts
    s.sql(`INSERT INTO hides (user_id, hidden_id, created_us) SELECT ${s.admin.id}, id, 0 FROM users `
      + 'WHERE id % 97 = 0');
  });
  after(async () => { if (s) await s.stop(); });

  // Follows `next` from the first page; returns the ids and the pages.
  async function walk(path, params) {
    const ids = [];
    const pages = [];
    let url = listPath(path, params);
    while (url) {
      const r = expectOk(await s.api('GET', url, { token }), 200, url);
      pages.push(r.body);
      ids.push(...r.body.results.map((u) => u.id));
      url = r.body.next;
      assert.ok(pages.length < 100, 'too many pages');
    }
    return { ids, pages };
  }

  it('gives the same pages as the offsets, for every ordering of the user list', async () => {
    for (const ordering of ORDERINGS) {
      const plain = await walk('/api/v2/user/', { ordering, limit: 97 });
      const keyed = await walk('/api/v2/user/', { ordering, limit: 97, cursor: '' });
      assert.ok(plain.ids.length >= USERS - 20, `${ordering}: ${plain.ids.length} users`);
      assert.deepEqual(keyed.ids, plain.ids, `ordering ${ordering}`);
      assert.equal(new Set(keyed.ids).size, keyed.ids.length, `${ordering}: a user twice`);
      for (const [i, page] of keyed.pages.entries()) {
        assert.equal(page.count, plain.pages[i].count);
        if (!page.next) continue;
        // `next` keeps limit and offset, and carries the next page's cursor
        const next = new URL(page.next);
        assert.equal(next.searchParams.get('limit'), '97');
        assert.equal(next.searchParams.get('offset'), String(97 * (i + 1)));
        assert.match(next.searchParams.get('cursor'), /^[A-Za-z0-9_-]+$/, `${ordering}: ${page.next}`);
        assert.equal(next.searchParams.get('ordering'), ordering);
      }
      // without the opt-in, the links have no cursor
      assert.equal(new URL(plain.pages[0].next).searchParams.get('cursor'), null);
    }
  });

  it('gives the same pages as the offsets for followers', async () => {
    const path = `/api/v2/user/${OWNER}/followers/`;
    const plain = await walk(path, { limit: 100 });
    const keyed = await walk(path, { limit: 100, cursor: '' });
    assert.ok(plain.ids.length > 1000);
    assert.deepEqual(keyed.ids, plain.ids);
    assert.match(new URL(keyed.pages[0].next).searchParams.get('cursor'), /^[A-Za-z0-9_-]+$/);
    // a short list (followings of one user) takes the cursor and answers by offset
    const short = await walk(`/api/v2/user/${OWNER + 1}/followings/`, { limit: 1, cursor: '' });
    assert.deepEqual(short.ids, [OWNER]);
  });

  it('continues after its row when rows before it go away', async () => {
    const first = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: 'real_name', limit: 50, cursor: '' }),
      { token }), 200);
    const next = first.body.next;
    const expected = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: 'real_name', limit: 50,
      offset: 50 }), { token }), 200).body.results.map((u) => u.id);
    // a row of the first page leaves: offset 50 now starts one row later
    const gone = first.body.results.find((u) => u.id > 1000).id;
    s.sql(`UPDATE users SET status = 'd' WHERE id = ${gone}`);
    try {
      const r = expectOk(await s.api('GET', next, { token }), 200);
      assert.deepEqual(r.body.results.map((u) => u.id), expected);
      const shifted = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: 'real_name', limit: 50,
        offset: 50 }), { token }), 200).body.results.map((u) => u.id);
      assert.deepEqual(shifted, expected.slice(1).concat(shifted.slice(-1)));
    } finally {
      s.sql(`UPDATE users SET status = 'a' WHERE id = ${gone}`);
    }
  });

  it('is ignored at another offset (the previous link)', async () => {
    const first = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: '-location', limit: 30,
      cursor: '' }), { token }), 200);
    const second = expectOk(await s.api('GET', first.body.next, { token }), 200);
    const back = expectOk(await s.api('GET', second.body.previous, { token }), 200);
    assert.deepEqual(back.body.results.map((u) => u.id), first.body.results.map((u) => u.id));
    const cursor = new URL(first.body.next).searchParams.get('cursor');
    const r = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: '-location', limit: 30,
      offset: 90, cursor }), { token }), 200);
    const plain = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: '-location', limit: 30,
      offset: 90 }), { token }), 200);
    assert.deepEqual(r.body.results.map((u) => u.id), plain.body.results.map((u) => u.id));
  });

  it('rejects a cursor that is not one, or is of another list, with 400', async () => {
    const first = expectOk(await s.api('GET', listPath('/api/v2/user/', { ordering: 'username', limit: 10,
      cursor: '' }), { token }), 200);
    const cursor = new URL(first.body.next).searchParams.get('cursor');
    const followers = expectOk(await s.api('GET', listPath(`/api/v2/user/${OWNER}/followers/`, { limit: 10,
      cursor: '' }), { token }), 200);
    const edgeCursor = new URL(followers.body.next).searchParams.get('cursor');
    const bad = [
      listPath('/api/v2/user/', { cursor: 'not a cursor!' }),
      listPath('/api/v2/user/', { cursor: 'QUJD' }), // base64url of "ABC"
      listPath('/api/v2/user/', { cursor: 'A'.repeat(5000) }),
      listPath('/api/v2/user/', { ordering: '-username', limit: 10, offset: 10, cursor }), // another ordering
      listPath('/api/v2/user/', { ordering: 'real_name', limit: 10, cursor }),
      listPath('/api/v2/user/', { limit: 10, offset: 10, cursor: edgeCursor }), // an edge list's
      listPath(`/api/v2/user/${OWNER + 1}/followers/`, { limit: 10, offset: 10, cursor: edgeCursor }), // another owner
      listPath(`/api/v2/user/${OWNER}/followings/`, { limit: 10, offset: 10, cursor: edgeCursor }), // another list
      listPath(`/api/v2/user/${OWNER}/followers/`, { limit: 10, offset: 10, cursor: 'x.y' }),
    ];
    for (const url of bad) expectFieldError(await s.api('GET', url, { token }), 400, 'cursor', 'invalid');
    // and the cursor of this list is taken
    const ok = expectOk(await s.api('GET', first.body.next, { token }), 200);
    assert.equal(ok.body.results.length, 10);
  });
});
