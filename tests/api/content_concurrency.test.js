'use strict';
// Content writes under concurrency (both backends; the point is
// PostgreSQL's READ COMMITTED, where nothing serializes writers by itself):
// category follow toggles from parallel clients, with the category deleted
// and restored in the middle of them; posts created and deleted twice at
// once; tags given and taken at once; the same tag or category name
// created at once. Afterwards every counter equals its edges (`hearth
// check` is clean), and no request answered 5xx.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const g = require('./graph_util');

const { expectStatus, expectFieldError, errorCodes, fieldCodes } = h;

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x;
  };
}

describe('content: counters under concurrency', () => {
  let s;
  let seq = 0;
  const admin = () => s.admin.token;
  const sqlRows = (query) => s.sql(query).split('\n').filter(Boolean);
  const newCategory = async () => {
    const r = await s.api('POST', '/api/v2/category/', { token: admin(), body: { name: `Conc ${++seq}` } });
    expectStatus(r, 201);
    return r.body;
  };
  const checkClean = async () => {
    const check = await s.run(['check']);
    assert.equal(check.code, 0, `hearth check: ${check.stdout}${check.stderr}`);
    assert.equal(check.stdout.trim(), 'counters: ok');
  };
  // users whose stored categories_counter differs from their follows of
  // categories not deleted (the store.h invariant), as "id:stored:actual"
  const categoriesCounterDiffs = () => sqlRows(
    'SELECT u.id || \':\' || u.categories_counter || \':\' || (SELECT count(*) FROM category_follows f JOIN categories k '
    + 'ON k.id = f.category_id WHERE f.user_id = u.id AND k.deleted = 0) FROM users u WHERE u.categories_counter <> '
    + '(SELECT count(*) FROM category_follows f JOIN categories k ON k.id = f.category_id WHERE f.user_id = u.id AND k.deleted = 0)');

  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('category follow toggles from parallel clients leave exact counters', async () => {
    const users = await g.makeUsers(s, 'cfol', 8);
    const cats = [await newCategory(), await newCategory()];
    const next = rng(20261206);
    const plans = users.map(() => []);
    for (let i = 0; i < 96; i++) plans[i % users.length].push(cats[next() % cats.length]);
    const parity = new Map();
    plans.forEach((plan, u) => plan.forEach((c) => {
      const k = `${users[u].id}:${c.id}`;
      parity.set(k, !parity.get(k));
    }));
    // two lanes per user: the same (user, category) is sometimes toggled twice at once
    const statuses = [];
    const lane = async (u, plan) => {
      for (const c of plan) {
        const r = await s.api('POST', `/api/v2/category/${c.id}/follow/`, { token: users[u].token });
        statuses.push(r.status);
      }
    };
    await Promise.all(plans.map((plan, u) => Promise.all([
      lane(u, plan.filter((_, i) => i % 2 === 0)),
      lane(u, plan.filter((_, i) => i % 2 === 1)),
    ])));
    assert.deepEqual([...new Set(statuses)], [204], 'every toggle succeeded');

    for (const c of cats) {
      const expected = users.filter((u) => parity.get(`${u.id}:${c.id}`)).length;
      const got = await s.api('GET', `/api/v2/category/${c.id}/`, { token: admin() });
      expectStatus(got, 200);
      assert.equal(got.body.followers_counter, expected, `followers of ${c.name}`);
    }
    for (const u of users) {
      const expected = cats.filter((c) => parity.get(`${u.id}:${c.id}`)).length;
      const got = await s.api('GET', `/api/v2/user/${u.id}/`, { token: admin() });
      assert.equal(got.body.categories_counter, expected, `categories_counter of ${u.username}`);
    }
    assert.deepEqual(categoriesCounterDiffs(), []);
    await checkClean();
  });

  it('a category deleted and restored while its followers toggle keeps every categories_counter exact', async () => {
    const users = await g.makeUsers(s, 'cdel', 8);
    const cat = await newCategory();
    const statuses = [];
    const toggles = async (u) => {
      for (let i = 0; i < 7; i++) {
        const r = await s.api('POST', `/api/v2/category/${cat.id}/follow/`, { token: u.token });
        statuses.push(r.status);
      }
    };
    const churn = async () => {
      for (let i = 0; i < 3; i++) {
        const del = await s.api('DELETE', `/api/v2/category/${cat.id}/`, { token: admin() });
        statuses.push(del.status);
        const back = await s.api('PATCH', `/api/v2/category/${cat.id}/`, { token: admin(), body: { deleted: false, active: true } });
        statuses.push(back.status);
      }
    };
    await Promise.all([...users.map(toggles), churn()]);
    // 404 while deleted; nothing else may fail
    assert.deepEqual(statuses.filter((st) => ![200, 204, 404].includes(st)), []);
    assert.ok(statuses.includes(204));
    assert.deepEqual(categoriesCounterDiffs(), []);
    await checkClean();
  });

  it('posts created at once and each deleted twice at once: one delete wins, posts_counter stays exact', async () => {
    const users = await g.makeUsers(s, 'cpost', 6);
    const cat = await newCategory();
    const created = await Promise.all(users.flatMap((u) => [1, 2, 3].map(async (i) => {
      const r = await s.api('POST', '/api/v2/post/', { token: u.token, body: { text: `<p>post ${i}</p>`, categories: [cat.id] } });
      expectStatus(r, 201);
      return { user: u, id: r.body.id };
    })));
    for (const u of users) assert.equal((await s.api('GET', `/api/v2/user/${u.id}/`, { token: admin() })).body.posts_counter, 3);
    const doomed = created.filter((_, i) => i % 3 !== 0);
    const results = await Promise.all(doomed.map(async (p) => {
      const [a, b] = await Promise.all([0, 1].map(() => s.api('DELETE', `/api/v2/post/${p.id}/`, { token: p.user.token })));
      return [a.status, b.status].sort();
    }));
    for (const r of results) assert.deepEqual(r, [204, 400], 'one delete, one already_deleted');
    for (const u of users) {
      const left = created.filter((p, i) => p.user.id === u.id && i % 3 === 0).length;
      assert.equal((await s.api('GET', `/api/v2/user/${u.id}/`, { token: admin() })).body.posts_counter, left);
    }
    await checkClean();
  });

  it('a tag given and taken at once, and the same tag or category name created at once: 4xx, never 5xx', async () => {
    const [u] = await g.makeUsers(s, 'ctag', 1);
    const names = await Promise.all(Array.from({ length: 8 }, () => s.api('POST', '/api/v2/tag/', { token: admin(), body: { name: 'Racing tag' } })));
    assert.equal(names.filter((r) => r.status === 201).length, 1, 'one tag made');
    for (const r of names.filter((x) => x.status !== 201)) expectFieldError(r, 400, 'name', 'unique');
    const tag = names.find((r) => r.status === 201).body;

    const cats = await Promise.all(Array.from({ length: 8 }, () => s.api('POST', '/api/v2/category/', { token: admin(), body: { name: 'Racing category' } })));
    assert.equal(cats.filter((r) => r.status === 201).length, 1, 'one category made');
    for (const r of cats.filter((x) => x.status !== 201)) {
      expectStatus(r, 400);
      const codes = [...errorCodes(r.body), ...(fieldCodes(r.body, 'name') || [])];
      assert.ok(codes.includes('unique'), JSON.stringify(r.body));
    }

    const gives = await Promise.all(Array.from({ length: 8 }, (_, i) => s.api('POST', `/api/v2/tag/${tag.id}/${i % 2 ? 'add' : 'remove'}/`, { token: admin(), body: { user: u.id } })));
    assert.deepEqual([...new Set(gives.map((r) => r.status))], [204]);
    const last = await s.api('POST', `/api/v2/tag/${tag.id}/assign/`, { token: admin(), body: { user: u.id } });
    expectStatus(last, 204);
    const carried = await s.api('GET', `/api/v2/user/${u.id}/tags/`, { token: admin() });
    expectStatus(carried, 200);
    assert.deepEqual(carried.body.map((t) => t.id), [tag.id], 'the tag once');
  });
});
