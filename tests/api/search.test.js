'use strict';
// GET /api/v2/user/search/ (contract §3, §7, §9) against a small fixed
// population with known answers: every filter alone and combined, the
// ranking, accents, case and scripts, ages on birthdays (with the server's
// clock pinned), distances against hand-computed ones, pagination, hidden
// and deleted users, invalid parameters; plus the same matching and ranking
// in /user/?search= and /user/autocomplete/, through the official client
// where it has the method.
//
// The population is loaded with `hearth seed --file` (plain inserts: the
// search triggers index it). The server's date is pinned to 2030-06-15 so
// that birthdays are exact; tokens are JWTs valid across that jump.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const { expectStatus, expectFieldError, expectError, signJWT, nowS } = h;

const DAY = 86400;
const TODAY = Date.UTC(2030, 5, 15, 12) / 1000; // 2030-06-15 12:00 UTC

// ---- distances by hand: haversine on a sphere of radius 6371.0088 km,
// rounded to the metre (contract §7, docs/api.md) ----
const R = 6371.0088;
function km(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const p1 = lat1 * rad;
  const p2 = lat2 * rad;
  const dp = p2 - p1;
  const dl = (lng2 - lng1) * rad;
  const a = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return Math.round(2 * R * Math.asin(Math.min(1, Math.sqrt(a))) * 1000) / 1000;
}

const population = {
  tags: [
    { name: 'blue' },
    { name: 'secret', visible: false },
    { name: 'retired', active: false },
  ],
  categories: ['Travel', 'Food'],
  users: [
    // text and ranking
    { username: 'mario', real_name: 'Mario Bianchi', gender: 'Male', location: 'Milano', tags: ['blue'], categories: ['Travel'] },
    { username: 'mario_rossi', real_name: 'Mario Rossi', gender: 'Male', location: 'Roma' },
    { username: 'supermario', real_name: 'Luigi Verdi', gender: 'Male', description: 'Plumber and hero' },
    { username: 'lrossi', real_name: 'Mària Rossini', gender: 'Female', location: 'Milano, Italia' },
    { username: 'marion', real_name: 'Marion Dupont', gender: 'Female', location: 'Paris', description: 'Photographer', tags: ['blue', 'secret'], categories: ['Food'] },
    { username: 'dmitri', real_name: 'Дмитрий Марио', gender: 'Male' },
    { username: 'zoe', real_name: 'Zoë Ångström', gender: 'Female', location: 'Reykjavík', tags: ['retired'] },
    { username: 'yuki', real_name: '田中 由紀', gender: 'Female', location: '東京' },
    { username: 'ivan', real_name: 'Иван Петров', gender: 'Male' },
    { username: 'anna_k', real_name: 'Anna Kowalska', gender: 'Female' },
    { username: 'o-neil', real_name: "Seán O'Neil", gender: 'Male' },
    { username: 'hidden_mario', real_name: 'Mario Hidden', gender: 'Male', location_lat_lng: '45.0,9.05' },
    { username: 'gone_mario', real_name: 'Mario Gone', gender: 'Male', status: 'd', location_lat_lng: '45.0,9.01' },
    { username: 'erased_mario', real_name: 'Mario Erased', gender: 'Male', status: 'u', location_lat_lng: '45.0,9.02' },
    { username: 'mod_maria', real_name: 'Maria Moderator', gender: 'Female', role: 'moderator' },
    { username: 'blocked_mario', real_name: 'Mario Blocked', gender: 'Male', status: 'b' },
    // ages on 2030-06-15
    { username: 'age_29', date_of_birth: '2000-06-16', gender: 'Female' },
    { username: 'age_30', date_of_birth: '2000-06-15', gender: 'Male' },
    { username: 'age_44', date_of_birth: '1985-06-16', gender: 'Female' },
    { username: 'age_45', date_of_birth: '1985-06-15', gender: 'Male' },
    { username: 'age_none', gender: 'Female' },
    { username: 'leap_kid', date_of_birth: '2000-02-29', gender: 'Unspecified' },
    // geo, around 45,9
    { username: 'viewer', location: 'Home', location_lat_lng: '45.0,9.0' },
    { username: 'nowhere' },
    { username: 'geo_a', location_lat_lng: '45.0,9.1', categories: ['Travel'] },
    { username: 'geo_b', position_lat_lng: '45.1,9.0', location_lat_lng: '0.0,0.0' },
    { username: 'geo_c', location_lat_lng: '46.0,9.0' },
    { username: 'geo_far', location_lat_lng: '-45.0,-171.0' },
    { username: 'geo_none', location: 'Somewhere' },
  ],
  hides: [['viewer', 'hidden_mario']],
};
for (let i = 1; i <= 25; i++) {
  population.users.push({ username: `pager${String(i).padStart(2, '0')}`, real_name: 'Pager Person', gender: 'Unspecified' });
}

describe('user search', () => {
  let s;
  let ids; // {users: {username: id}, tags: {...}, categories: {...}}
  let viewerTok;
  let adminTok;
  let nowhereTok;
  const byId = new Map();

  const jwt = (userId) => signJWT({ token_type: 'access', user_id: userId, iat: nowS(), exp: nowS() + 20 * 365 * DAY, jti: `s${userId}` }, s.secret);
  const uid = (name) => ids.users[name];
  const search = (query, token = viewerTok) => s.api('GET', `/api/v2/user/search/?${query}`, { token });
  const names = (res) => res.body.results.map((u) => u.username);
  async function expectNames(query, expected, token = viewerTok) {
    const res = await search(query, token);
    expectStatus(res, 200, query);
    assert.deepEqual(names(res), expected, `${query}: ${names(res)}`);
    assert.equal(res.body.count, expected.length, `${query}: count`);
    return res;
  }
  const pinClock = (at) => s.setClock(at - Math.floor(Date.now() / 1000));

  before(async () => {
    s = await h.startServer();
    const file = path.join(s.dir, 'population.json');
    fs.writeFileSync(file, JSON.stringify(population));
    const r = await s.run(['seed', '--file', file]);
    assert.equal(r.code, 0, `seed --file: ${r.stderr}`);
    ids = JSON.parse(r.stdout);
    for (const [name, id] of Object.entries(ids.users)) byId.set(id, name);
    pinClock(TODAY);
    viewerTok = jwt(uid('viewer'));
    nowhereTok = jwt(uid('nowhere'));
    adminTok = jwt(s.admin.id);
  });
  after(async () => { if (s) await s.stop(); });

  describe('authentication', () => {
    it('requires a caller', async () => {
      const res = await s.api('GET', '/api/v2/user/search/?user=mario');
      expectError(res, 401, 'not_authenticated');
    });
  });

  describe('text terms', () => {
    it('ranks the exact username, then username prefixes, then other matches, each by id', async () => {
      const res = await expectNames('user=mario', ['mario', 'mario_rossi', 'marion', 'supermario', 'blocked_mario']);
      // full User objects, no distance without an origin
      const u = res.body.results[0];
      assert.equal(u.id, uid('mario'));
      assert.equal(u.real_name, 'Mario Bianchi');
      assert.ok(!('distance' in u));
      assert.ok(!('email' in u), 'private keys stay private');
    });

    it('`search` is an alias of `user`', async () => {
      await expectNames('search=mario', ['mario', 'mario_rossi', 'marion', 'supermario', 'blocked_mario']);
    });

    it('is case-insensitive and folds accents, in the term and in the names', async () => {
      await expectNames('user=MARI', ['mario', 'mario_rossi', 'marion', 'supermario', 'lrossi', 'mod_maria', 'blocked_mario']);
      await expectNames(`user=${encodeURIComponent('Mària')}`, ['lrossi', 'mod_maria']);
      await expectNames('user=angstrom', ['zoe']);
      await expectNames(`user=${encodeURIComponent('ÅNGSTRÖM')}`, ['zoe']);
    });

    it('works in any script, and scripts do not mix', async () => {
      await expectNames(`user=${encodeURIComponent('ПЕТРОВ')}`, ['ivan']);
      await expectNames(`user=${encodeURIComponent('марио')}`, ['dmitri']);
      await expectNames(`user=${encodeURIComponent('田中')}`, ['yuki']);
      await expectNames(`user=${encodeURIComponent('由紀')}`, ['yuki']);
      // one CJK character in the middle of a word is not a word start
      await expectNames(`user=${encodeURIComponent('中')}`, []);
    });

    it('one or two characters match the start of a word only', async () => {
      await expectNames('user=ro', ['mario_rossi', 'lrossi']);
      await expectNames('user=an', ['anna_k', 'zoe']);
      await expectNames('user=ne', ['o-neil']);
      await expectNames('user=o', ['o-neil']);
      // "ar" is inside words only
      await expectNames('user=ar', []);
    });

    it('longer terms match anywhere, across words', async () => {
      await expectNames('user=rio%20ros', ['mario_rossi']);
      await expectNames('user=ssi', ['mario_rossi', 'lrossi']);
      await expectNames('user=kowalska', ['anna_k']);
    });

    it('surrounding spaces are not part of the term; an empty term is no filter', async () => {
      await expectNames('user=%20%20mario_rossi%20', ['mario_rossi']);
      const res = await search('user=%20%20&limit=100');
      expectStatus(res, 200);
      const all = await search('limit=100');
      assert.equal(res.body.count, all.body.count);
    });

    it('username, real_name, location and description filters', async () => {
      await expectNames('username=mario', ['blocked_mario', 'mario', 'mario_rossi', 'marion', 'supermario']);
      await expectNames('real_name=rossi', ['lrossi', 'mario_rossi']);
      await expectNames('real_name=mario', ['blocked_mario', 'mario', 'mario_rossi', 'marion']);
      await expectNames('location=milano', ['lrossi', 'mario']);
      await expectNames('location=MI', ['lrossi', 'mario']);
      await expectNames('location=reykjavik', ['zoe']);
      await expectNames('description=hero', ['supermario']);
      await expectNames('description=ph', ['marion']);
      await expectNames('description=pho', ['marion']);
    });
  });

  describe('attribute filters', () => {
    it('gender is exact', async () => {
      const res = await search('gender=Female&limit=100');
      expectStatus(res, 200);
      assert.deepEqual(names(res), ['age_29', 'age_44', 'age_none', 'anna_k', 'lrossi', 'marion', 'mod_maria', 'yuki', 'zoe']);
      await expectNames('gender=Female&user=mar', ['marion', 'lrossi', 'mod_maria']);
    });

    it('age in whole years on the server date, birthdays included', async () => {
      await expectNames('age=-30', ['age_29']);
      await expectNames('age=30-45', ['age_30', 'age_44', 'leap_kid']);
      await expectNames('age=45%2B', ['age_45']);
      // unencoded plus arrives as a space
      await expectNames('age=45+', ['age_45']);
    });

    it('someone born on 29 February turns a year older on 1 March', async () => {
      try {
        pinClock(Date.UTC(2030, 1, 28, 12) / 1000);
        await expectNames('age=-30', ['age_29', 'age_30', 'leap_kid']);
        pinClock(Date.UTC(2030, 2, 1, 12) / 1000);
        await expectNames('age=-30', ['age_29', 'age_30']);
        // age_45 is 44 until 15 June
        await expectNames('age=30-45', ['age_44', 'age_45', 'leap_kid']);
      } finally {
        pinClock(TODAY);
      }
    });

    it('is_staff: a role, or none', async () => {
      await expectNames('is_staff=true', ['admin', 'mod_maria']);
      await expectNames('is_staff=1&user=mar', ['mod_maria']);
      const res = await search('is_staff=false&limit=100');
      expectStatus(res, 200);
      assert.ok(!names(res).includes('admin') && !names(res).includes('mod_maria'));
      const all = await search('limit=100');
      assert.equal(res.body.count, all.body.count - 2);
    });

    it('tag: carriers of the tag; a tag the caller may not see finds no one', async () => {
      await expectNames(`tag=${ids.tags.blue}`, ['mario', 'marion']);
      await expectNames(`tag=${ids.tags.secret}`, []);
      await expectNames(`tag=${ids.tags.secret}`, ['marion'], adminTok);
      await expectNames(`tag=${ids.tags.retired}`, []);
      await expectNames(`tag=${ids.tags.retired}`, ['zoe'], adminTok);
      await expectNames('tag=999999', []);
    });

    it('category: followers of the category', async () => {
      await expectNames(`category=${ids.categories.Travel}`, ['geo_a', 'mario']);
      await expectNames(`category=${ids.categories.Food}`, ['marion']);
      await expectNames('category=999999', []);
    });

    it('filters combine with AND', async () => {
      await expectNames(`user=mario&gender=Male&tag=${ids.tags.blue}`, ['mario']);
      await expectNames('user=mar&location=milano', ['mario', 'lrossi']);
      await expectNames(`user=mar&category=${ids.categories.Food}&gender=Female`, ['marion']);
      await expectNames('age=30-45&gender=Male', ['age_30']);
      await expectNames(`lat_lng=45,9&radius=10&category=${ids.categories.Travel}`, ['geo_a']);
      await expectNames('user=mario&gender=Female', ['marion']);
      await expectNames('user=mario&is_staff=true', []);
    });
  });

  describe('geo', () => {
    const ORIGIN = [45, 9];
    const expected = {
      viewer: km(...ORIGIN, 45.0, 9.0),
      geo_a: km(...ORIGIN, 45.0, 9.1),
      geo_b: km(...ORIGIN, 45.1, 9.0),
      geo_c: km(...ORIGIN, 46.0, 9.0),
      geo_far: km(...ORIGIN, -45.0, -171.0),
    };

    it('the hand-computed distances are what we think they are', () => {
      assert.equal(expected.geo_b, 11.12);
      assert.equal(expected.geo_c, 111.195);
      assert.equal(expected.geo_a, 7.863);
      assert.equal(expected.geo_far, 20015.114); // half the circumference: pi * R
    });

    it('ordering=distance: nearest first, with each distance in km', async () => {
      const res = await expectNames('lat_lng=45,9&ordering=distance', ['viewer', 'geo_a', 'geo_b', 'geo_c', 'geo_far']);
      for (const u of res.body.results) assert.equal(u.distance, expected[u.username], u.username);
    });

    it('the position wins over the location', async () => {
      const res = await search('lat_lng=45,9&radius=12');
      expectStatus(res, 200);
      const b = res.body.results.find((u) => u.username === 'geo_b');
      assert.ok(b, `geo_b within 12 km by its position: ${names(res)}`);
      assert.equal(b.distance, 11.12);
    });

    it('without ordering=distance the default order stays, with distances', async () => {
      const res = await expectNames('lat_lng=45,9', ['geo_a', 'geo_b', 'geo_c', 'geo_far', 'viewer']);
      for (const u of res.body.results) assert.equal(u.distance, expected[u.username]);
    });

    it('-distance: farthest first', async () => {
      await expectNames('lat_lng=45,9&ordering=-distance', ['geo_far', 'geo_c', 'geo_b', 'geo_a', 'viewer']);
    });

    it('radius is inclusive, to the metre', async () => {
      await expectNames('lat_lng=45,9&radius=11.12&ordering=distance', ['viewer', 'geo_a', 'geo_b']);
      await expectNames('lat_lng=45,9&radius=11.119&ordering=distance', ['viewer', 'geo_a']);
      await expectNames('lat_lng=45,9&radius=0&ordering=distance', ['viewer']);
      await expectNames('lat_lng=45,9&radius=30000&ordering=distance', ['viewer', 'geo_a', 'geo_b', 'geo_c', 'geo_far']);
    });

    it('user_position: the caller\'s own coordinates (here its location)', async () => {
      const res = await expectNames('user_position=true&ordering=distance&radius=20', ['viewer', 'geo_a', 'geo_b']);
      assert.deepEqual(res.body.results.map((u) => u.distance), [0, expected.geo_a, expected.geo_b]);
    });

    it('user_position without a position or location is 400', async () => {
      const res = await search('user_position=true', nowhereTok);
      expectFieldError(res, 400, 'user_position', 'no_position');
      // false is no origin at all
      const ok = await search('user_position=false&username=geo', nowhereTok);
      expectStatus(ok, 200);
      assert.ok(ok.body.results.every((u) => !('distance' in u)));
    });

    it('ordering=distance without an origin is ignored; users without coordinates never match an origin', async () => {
      const res = await search('ordering=distance&username=geo');
      expectStatus(res, 200);
      assert.deepEqual(names(res), ['geo_a', 'geo_b', 'geo_c', 'geo_far', 'geo_none']);
      const geo = await search('lat_lng=45,9&username=geo');
      assert.ok(!names(geo).includes('geo_none'));
    });

    it('the hidden user is left out for the hider, not for others', async () => {
      const mine = await search('lat_lng=45,9&radius=5&ordering=distance');
      assert.deepEqual(names(mine), ['viewer']);
      const admin = await search('lat_lng=45,9&radius=5&ordering=distance', adminTok);
      assert.deepEqual(names(admin), ['viewer', 'hidden_mario']);
      assert.equal(admin.body.results[1].distance, km(45, 9, 45.0, 9.05));
    });
  });

  describe('hidden and deleted users', () => {
    it('hidden users are never returned to the hider; soft- and hard-deleted users to no one', async () => {
      await expectNames('user=hidden', []);
      await expectNames('user=hidden', ['hidden_mario'], adminTok);
      await expectNames('user=gone', [], adminTok);
      await expectNames('user=erased', [], adminTok);
      await expectNames('user=mario', ['mario', 'mario_rossi', 'marion', 'supermario', 'hidden_mario', 'blocked_mario'], adminTok);
      const all = await search('limit=100', adminTok);
      assert.ok(!names(all).includes('gone_mario') && !names(all).includes('erased_mario'));
      // blocked users are still active: listed
      assert.ok(names(all).includes('blocked_mario'));
    });
  });

  describe('ordering and pagination', () => {
    it('default: username; ordering by username, real_name, location with -, then id', async () => {
      await expectNames('username=geo', ['geo_a', 'geo_b', 'geo_c', 'geo_far', 'geo_none']);
      // equal names, descending: ties still by id ascending
      const ties = await search('real_name=pager&limit=3&ordering=-real_name');
      assert.deepEqual(names(ties), ['pager01', 'pager02', 'pager03']);
      assert.equal(ties.body.count, 25);
      await expectNames('username=geo&ordering=-username', ['geo_none', 'geo_far', 'geo_c', 'geo_b', 'geo_a']);
      // equal real names: by id
      // "luigi verdi" < "mario bianchi" < "mario blocked" < "mario rossi" < "marion dupont"
      await expectNames('user=mario&ordering=real_name', ['supermario', 'mario', 'blocked_mario', 'mario_rossi', 'marion']);
      await expectNames('user=mario&ordering=-real_name', ['marion', 'mario_rossi', 'blocked_mario', 'mario', 'supermario']);
      // locations: "" first; ties by id
      await expectNames('user=mari&ordering=location', ['supermario', 'mod_maria', 'blocked_mario', 'mario', 'lrossi', 'marion', 'mario_rossi']);
      // unknown fields are ignored
      await expectNames('username=geo&ordering=nope,-username', ['geo_none', 'geo_far', 'geo_c', 'geo_b', 'geo_a']);
    });

    it('pages are stable: following next links gives every match once, in order', async () => {
      for (const ordering of ['', '&ordering=-username', '&ordering=real_name']) {
        const seen = [];
        let url = `/api/v2/user/search/?user=pager&limit=7${ordering}`;
        let count = null;
        for (let guard = 0; url && guard < 10; guard++) {
          const res = await s.api('GET', url, { token: viewerTok });
          expectStatus(res, 200);
          if (count === null) count = res.body.count;
          assert.equal(res.body.count, count, 'count is the same on every page');
          seen.push(...names(res));
          url = res.body.next;
        }
        assert.equal(count, 25);
        assert.equal(seen.length, 25);
        assert.equal(new Set(seen).size, 25, `no duplicates: ${seen}`);
        const sorted = [...seen].sort();
        if (ordering === '&ordering=-username') assert.deepEqual(seen, sorted.reverse());
        else assert.deepEqual(seen, sorted); // pagerNN by id = by name
      }
    });

    it('limit is clamped to 100 and bad values fall back to the defaults', async () => {
      const res = await search('limit=1000');
      expectStatus(res, 200);
      assert.equal(res.body.results.length, Math.min(100, res.body.count));
      const bad = await search('limit=abc&offset=-3&user=pager');
      expectStatus(bad, 200);
      assert.equal(bad.body.results.length, 20);
      const beyond = await search('user=pager&offset=500');
      expectStatus(beyond, 200);
      assert.equal(beyond.body.count, 25);
      assert.deepEqual(beyond.body.results, []);
    });
  });

  describe('invalid parameters are 400 with the field named', () => {
    const cases = [
      ['age=50', 'age', 'invalid_choice'],
      ['age=30-40', 'age', 'invalid_choice'],
      ['lat_lng=x', 'lat_lng', 'invalid'],
      ['lat_lng=91,0', 'lat_lng', 'invalid'],
      ['lat_lng=45,181', 'lat_lng', 'invalid'],
      ['lat_lng=45', 'lat_lng', 'invalid'],
      ['lat_lng=1e1,2', 'lat_lng', 'invalid'],
      ['tag=abc', 'tag', 'invalid'],
      ['tag=1.5', 'tag', 'invalid'],
      ['tag=-1', 'tag', 'invalid'],
      ['category=x', 'category', 'invalid'],
      ['radius=-5&lat_lng=45,9', 'radius', 'invalid'],
      ['radius=far&lat_lng=45,9', 'radius', 'invalid'],
      ['is_staff=maybe', 'is_staff', 'invalid'],
      ['user_position=yes', 'user_position', 'invalid'],
      ['gender=Other', 'gender', 'invalid_choice'],
      [`user=${'x'.repeat(256)}`, 'user', 'max_length'],
    ];
    for (const [query, field, code] of cases) {
      it(`${query.slice(0, 40)} -> ${field}`, async () => {
        expectFieldError(await search(query), 400, field, code);
      });
    }

    it('the literal `undefined` (the official client\'s unset parameters) is no filter', async () => {
      await expectNames('user=mario_rossi&age=undefined&tag=undefined&lat_lng=undefined', ['mario_rossi']);
    });
  });

  describe('changes through the API are searchable at once (the triggers)', () => {
    let zed;
    let zedTok;
    before(async () => {
      const file = path.join(s.dir, 'zed.json');
      fs.writeFileSync(file, JSON.stringify({ users: [{ username: 'zed_quux', real_name: 'Zed Quux' }] }));
      const r = await s.run(['seed', '--file', file]);
      assert.equal(r.code, 0, r.stderr);
      zed = JSON.parse(r.stdout).users.zed_quux;
      zedTok = jwt(zed);
    });

    it('a profile update: the new name, place and birth date are found, the old ones are not', async () => {
      const res = await s.api('PATCH', `/api/v2/user/${zed}/`, {
        token: zedTok,
        body: { real_name: 'Ünïque Wörd', location: 'Trondheim', location_lat_lng: '45.2,9.0', date_of_birth: '1990-06-16', gender: 'Female' },
      });
      expectStatus(res, 200);
      await expectNames('user=quux', ['zed_quux']); // the username still matches
      await expectNames('real_name=quux', []);
      await expectNames('user=unique%20word', ['zed_quux']);
      await expectNames('location=trond', ['zed_quux']);
      await expectNames('location=tr', ['zed_quux']);
      // born 1990-06-16: 39 on 2030-06-15, 40 the day after
      await expectNames('user=zed&age=30-45&gender=Female', ['zed_quux']);
      await expectNames('user=zed&age=-30', []);
      await expectNames('user=zed&gender=Male', []);
      const near = await expectNames('user=zed&lat_lng=45,9&radius=25', ['zed_quux']);
      assert.equal(near.body.results[0].distance, km(45, 9, 45.2, 9.0));
      const moved = await s.api('PATCH', `/api/v2/user/${zed}/`, { token: zedTok, body: { position_lat_lng: '50,9' } });
      expectStatus(moved, 200);
      await expectNames('user=zed&lat_lng=45,9&radius=25', []);
      const far = await expectNames('user=zed&lat_lng=45,9', ['zed_quux']);
      assert.equal(far.body.results[0].distance, km(45, 9, 50, 9));
    });

    it('hiding and unhiding through /hide/ takes the user out of and back into the results', async () => {
      expectStatus(await s.api('POST', `/api/v2/user/${zed}/hide/`, { token: viewerTok }), 204);
      await expectNames('user=zed', []);
      await expectNames('user=zed', ['zed_quux'], adminTok);
      expectStatus(await s.api('POST', `/api/v2/user/${zed}/hide/`, { token: viewerTok }), 204);
      await expectNames('user=zed', ['zed_quux']);
    });

    it('a tag given through /tag/{id}/add/ is a filter at once', async () => {
      expectStatus(await s.api('POST', `/api/v2/tag/${ids.tags.blue}/add/`, { token: adminTok, body: { user: zed } }), 204);
      await expectNames(`tag=${ids.tags.blue}&user=zed`, ['zed_quux']);
      expectStatus(await s.api('POST', `/api/v2/tag/${ids.tags.blue}/remove/`, { token: adminTok, body: { user: zed } }), 204);
      await expectNames(`tag=${ids.tags.blue}&user=zed`, []);
    });

    it('a soft delete and a hard delete through DELETE /user/{id}/ remove the user from every search', async () => {
      const file = path.join(s.dir, 'goners.json');
      fs.writeFileSync(file, JSON.stringify({ users: [{ username: 'soft_goner', real_name: 'Goner One', location_lat_lng: '45,9' }, { username: 'hard_goner', real_name: 'Goner Two', location_lat_lng: '45,9' }] }));
      const r = await s.run(['seed', '--file', file]);
      const goners = JSON.parse(r.stdout).users;
      await expectNames('user=goner', ['hard_goner', 'soft_goner'].sort((a, b) => goners[a] - goners[b]));
      expectStatus(await s.api('DELETE', `/api/v2/user/${goners.soft_goner}/`, { token: jwt(goners.soft_goner) }), 204);
      expectStatus(await s.api('DELETE', `/api/v2/user/${goners.hard_goner}/?hard=1`, { token: adminTok }), 204);
      await expectNames('user=goner', [], adminTok);
      await expectNames('lat_lng=45,9&radius=0.001&ordering=distance', ['viewer']);
      const all = await search('limit=100&user=goner', adminTok);
      assert.equal(all.body.count, 0);
    });
  });

  describe('the official client', () => {
    it('userSearch', async () => {
      const c = h.client(s.base, viewerTok);
      const page = await c.UserService.userSearch({ user: 'mario', limit: 3 });
      assert.equal(page.count, 5);
      assert.deepEqual(page.results.map((u) => u.username), ['mario', 'mario_rossi', 'marion']);
      assert.ok(page.next.includes('offset=3'));
      const ages = await c.UserService.userSearch({ age: '45+' });
      assert.deepEqual(ages.results.map((u) => u.username), ['age_45']);
      const near = await c.UserService.userSearch({ user_position: true, ordering: 'distance', radius: 10 });
      assert.deepEqual(near.results.map((u) => [u.username, u.distance]), [['viewer', 0], ['geo_a', 7.863]]);
      const err = await h.clientError(c.UserService.userSearch({ age: '99' }));
      assert.equal(err.response.status, 400);
      assert.deepEqual(c.formatHttpErrorCode(err), { ageError: { error: 'invalid_choice' } });
    });

    it('userAutocomplete ranks the same way and leaves out hidden users and `exclude`', async () => {
      const c = h.client(s.base, viewerTok);
      const page = await c.UserService.userAutocomplete({ search: 'mario' });
      assert.deepEqual(page.results.map((u) => u.username), ['mario', 'mario_rossi', 'marion', 'supermario', 'blocked_mario']);
      assert.deepEqual(Object.keys(page.results[0]).sort(), ['avatar', 'ext_id', 'id', 'real_name', 'username']);
      const without = await c.UserService.userAutocomplete({ search: 'mario', exclude: uid('mario') });
      assert.deepEqual(without.results.map((u) => u.username), ['mario_rossi', 'marion', 'supermario', 'blocked_mario']);
      assert.equal(without.count, 4);
    });

    it('/user/?search= ranks like search; ordering still wins', async () => {
      const c = h.client(s.base, viewerTok);
      const page = await c.UserService.getAllUsers({ search: 'mari' });
      assert.deepEqual(page.results.map((u) => u.username),
        ['mario', 'mario_rossi', 'marion', 'supermario', 'lrossi', 'mod_maria', 'blocked_mario']);
      const ordered = await c.UserService.getAllUsers({ search: 'mari', ordering: '-username' });
      assert.deepEqual(ordered.results.map((u) => u.username),
        ['supermario', 'mod_maria', 'marion', 'mario_rossi', 'mario', 'lrossi', 'blocked_mario']);
      const short = await c.UserService.getAllUsers({ search: 'ro' });
      assert.deepEqual(short.results.map((u) => u.username), ['mario_rossi', 'lrossi']);
    });
  });
});
