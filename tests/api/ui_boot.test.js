'use strict';
// What SelfCommunity's UI kit reads when it starts and in its category
// widgets (docs/api.md, "Using SelfCommunity's UI kit"): the feature list,
// the preference rows with their defaults, the CSS colour check on colour
// preferences, the category fields followers_counter / followed /
// content_only_staff, and the tag calls of the official client (updateTag,
// searchUserTags). Through the official client where it has the call,
// fetch otherwise.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const sc = require('@selfcommunity/api-services');

const { expectStatus, expectError, expectFieldError, expectJSONType, clientError } = h;

// SCFeatureName of the installed @selfcommunity/types, else a fixed copy (0.8.0-alpha.12)
let FEATURE_NAMES;
try {
  FEATURE_NAMES = Object.values(require('@selfcommunity/types').SCFeatureName);
} catch (_) {
  FEATURE_NAMES = ['interests', 'customize', 'addons', 'domain', 'social_providers', 'community_subscription', 'seo',
    'advertising', 'google_cloud_api', 'hotjar', 'sqreen', 'incubators', 'cms', 'legal_pages', 'scoring', 'user_roles',
    'email_manager', 'loyalty', 'broadcast', 'invitation', 'app_settings', 'moderation_flags', 'moderation_contents',
    'moderation_users_blocked', 'moderation_users', 'data_provisioning_dashboard', 'data_provisioning_users',
    'data_provisioning_contents', 'data_provisioning_interests', 'data_provisioning_polls',
    'data_provisioning_reports', 'registration_alerts', 'social_share', 'stream_settings', 'tagging', 'api_v2',
    'webhook', 'headless', 'customize_headless', 'system_pages', 'reaction', 'grouping', 'event', 'live_stream',
    'payments', 'course'];
}

// ui-kit.md §1: the rows and their defaults
const DEFAULTS = {
  'configurations.url_template_post': '/post/{id}/{slug}',
  'configurations.url_template_discussion': '/discussion/{id}/{slug}',
  'configurations.url_template_status': '/status/{id}/{slug}',
  'configurations.url_template_comment': '/{contribution_type}/{contribution_id}/{contribution_slug}?comment={id}',
  'configurations.url_template_category': '/category/{slug}',
  'configurations.url_template_categories_list': '/categories',
  'configurations.url_template_profile': '/u/{username}',
  'configurations.url_template_profile_settings': '/settings',
  'configurations.url_template_notifications': '/notifications',
  'configurations.url_template_private_message': '/messages',
  'configurations.url_template_incubator': '/incubator/{id}',
  'configurations.url_template_live_stream': '/live/{id}',
  'text.application_name': 'hearth',
  'colors.colorsecondary': '#9c27b0',
  'colors.navbarback': '#ffffff',
  'colors.colorprimary': '#1976d2',
  'colors.colorback': '#f5f5f5',
  'colors.font_color': '#212121',
  'colors.font_color_secondary': '#757575',
};

const GOOD_COLOURS = ['#fff', '#FFFA', '#9c27b0', '#9c27b0cc', 'rgb(255, 0, 12)', 'rgba(1,2,3,0.5)', 'rgb(10% 20% 30% / 40%)',
  'hsl(120, 50%, 25%)', 'hsla(120deg, 50%, 25%, .3)', 'red', 'RebeccaPurple', 'transparent'];
const BAD_COLOURS = ['', 'blue;', '#ggg', '#12345', 'rgb(256,0,0)', 'rgb(-1,0,0)', 'rgba(0,0,0,2)', 'hsl(400,50%,50%)',
  'hsl(0,120%,50%)', 'rgb(0,0)', 'url(x)', 'reddish', ' #fff', 'rgb(0,0,0) ; background: url(x)', 'x'.repeat(100)];

const key = (p) => `${p.section}.${p.name}`;

describe('UI kit boot', () => {
  let s;
  let alice; let bob; let carol;
  let aliceTok; let bobTok;
  let seq = 0;

  const as = (token) => { sc.http.setBasePortal(s.base); if (token) sc.http.setAuthorizeToken(token); else sc.http.setAuthorizeToken(); };
  const uniq = (p) => `${p}${++seq}`;

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret', email: 'alice@example.com' });
    bob = await s.createUser({ username: 'bob', password: 'B0b-secret!', email: 'bob@example.com' });
    carol = await s.createUser({ username: 'carol', password: 'C4rol-secret', email: 'carol@example.com' });
    aliceTok = await s.token(alice.id);
    bobTok = await s.token(bob.id);
  });
  after(async () => { if (s) await s.stop(); });

  // ---------------------------------------------------------------- features

  describe('GET /api/v2/feature/', () => {
    it('FeatureService.getAllFeatures(), anonymous: every SCFeatureName, all disabled, one page', async () => {
      as();
      const page = await sc.FeatureService.getAllFeatures();
      assert.equal(FEATURE_NAMES.length, 46);
      assert.equal(page.count, FEATURE_NAMES.length);
      assert.equal(page.next, null);
      assert.equal(page.previous, null);
      assert.equal(page.results.length, FEATURE_NAMES.length);
      assert.deepEqual(page.results.map((f) => f.name).sort(), [...FEATURE_NAMES].sort());
      const ids = new Set();
      for (const f of page.results) {
        assert.deepEqual(Object.keys(f).sort(), ['enabled', 'id', 'name'], JSON.stringify(f));
        assert.ok(Number.isInteger(f.id) && f.id > 0, JSON.stringify(f));
        assert.ok(!ids.has(f.id), `duplicate id ${f.id}`);
        ids.add(f.id);
        assert.equal(f.enabled, false, `${f.name} must be disabled`);
      }
    });

    it('one page whatever limit and offset say; ids stable between calls', async () => {
      const first = await s.api('GET', '/api/v2/feature/');
      expectStatus(first, 200);
      expectJSONType(first);
      for (const q of ['?limit=1', '?limit=5&offset=10', '?offset=100', '?limit=0', '?limit=abc']) {
        const r = await s.api('GET', `/api/v2/feature/${q}`);
        expectStatus(r, 200, q);
        assert.deepEqual(r.body, first.body, q);
      }
    });

    it('?name= filters by exact name; an unknown or overlong name gives an empty page', async () => {
      const all = (await s.api('GET', '/api/v2/feature/')).body.results;
      const reaction = all.find((f) => f.name === 'reaction');
      let r = await s.api('GET', '/api/v2/feature/?name=reaction');
      expectStatus(r, 200);
      assert.deepEqual(r.body, { count: 1, next: null, previous: null, results: [reaction] });
      as();
      const viaClient = await sc.FeatureService.getAllFeatures({ name: 'live_stream' });
      assert.equal(viaClient.count, 1);
      assert.equal(viaClient.results[0].name, 'live_stream');
      assert.equal(viaClient.results[0].enabled, false);
      for (const q of ['Reaction', 'react', 'nope', 'x'.repeat(500), 'reaction%00']) {
        r = await s.api('GET', `/api/v2/feature/?name=${encodeURIComponent(q)}`);
        expectStatus(r, 200, q);
        assert.deepEqual(r.body, { count: 0, next: null, previous: null, results: [] }, q);
      }
    });

    it('the method is GET only', async () => {
      const r = await s.api('POST', '/api/v2/feature/', { token: s.admin.token, body: {} });
      assert.equal(r.status, 405);
    });
  });

  // ---------------------------------------------------------------- preferences

  describe('preferences the kit reads', () => {
    async function prefs() {
      as();
      const page = await sc.PreferenceService.getAllPreferences();
      return Object.fromEntries(page.results.map((p) => [key(p), p.value]));
    }

    it('every row of ui-kit.md §1 is there with its default, plus the two the kit also needs', async () => {
      const all = await prefs();
      for (const [k, v] of Object.entries(DEFAULTS)) assert.equal(all[k], v, `${k}: ${JSON.stringify(all[k])}`);
      assert.equal(typeof all['images.user_default_cover'], 'string');
      assert.equal(typeof all['configurations.user_metadata_definition'], 'string');
      assert.equal(typeof JSON.parse(all['configurations.user_metadata_definition']), 'object');
      // the booleans the kit reads instead of features
      for (const k of ['configurations.follow_enabled', 'configurations.connection_enabled', 'addons.private_messages_enabled']) {
        assert.equal(typeof all[k], 'boolean', k);
      }
    });

    it('searchPreferences(section "colors") lists the six colours', async () => {
      as();
      const page = await sc.PreferenceService.searchPreferences(undefined, 'colors');
      assert.deepEqual(page.results.map((p) => p.name).sort(),
        ['colorback', 'colorprimary', 'colorsecondary', 'font_color', 'font_color_secondary', 'navbarback']);
    });

    it('a colour preference takes every CSS colour form (JSON body, updatePreferences)', async () => {
      for (const c of GOOD_COLOURS) {
        as(s.admin.token);
        const rows = await sc.PreferenceService.updatePreferences({ 'colors.colorprimary': c });
        assert.equal(rows.length, 1);
        assert.equal(rows[0].value, c);
        assert.equal((await prefs())['colors.colorprimary'], c, c);
      }
      as(s.admin.token);
      await sc.PreferenceService.updatePreferences({ 'colors.colorprimary': DEFAULTS['colors.colorprimary'] });
    });

    it('anything else is 400 on the field, and nothing changes (not even the valid keys of the request)', async () => {
      const before = await prefs();
      for (const c of BAD_COLOURS) {
        const r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
          token: s.admin.token, body: { 'colors.colorsecondary': c, 'colors.navbarback': '#000000', 'text.application_name': 'Changed' },
        });
        expectFieldError(r, 400, 'colors.colorsecondary', 'invalid');
        assert.equal(r.body.errors.length, 1, JSON.stringify(r.body));
      }
      // a bare name as the key, through the official client
      as(s.admin.token);
      const err = await clientError(sc.PreferenceService.updatePreferences({ navbarback: 'not a colour' }));
      assert.equal(err.response.status, 400);
      assert.equal(err.response.data.errors[0].field, 'navbarback');
      // wrong types stay a type error
      const r = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'colors.font_color': 255 } });
      expectFieldError(r, 400, 'colors.font_color', 'invalid');
      assert.deepEqual(await prefs(), before);
    });

    it('form bodies are checked the same way', async () => {
      let r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
        token: s.admin.token, form: { 'colors.colorback': 'hsl(0, 0%, 96%)', 'colors.font_color': '#111' },
      });
      expectStatus(r, 200);
      let all = await prefs();
      assert.equal(all['colors.colorback'], 'hsl(0, 0%, 96%)');
      assert.equal(all['colors.font_color'], '#111');
      const before = all;
      r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
        token: s.admin.token, form: { 'colors.colorback': 'rgb(300,0,0)', 'colors.font_color': '#222' },
      });
      expectFieldError(r, 400, 'colors.colorback', 'invalid');
      r = await s.api('PATCH', '/api/v2/dynamic_preference/', {
        token: s.admin.token, multipart: { 'colors.font_color_secondary': 'javascript:alert(1)' },
      });
      expectFieldError(r, 400, 'colors.font_color_secondary', 'invalid');
      all = await prefs();
      assert.deepEqual(all, before);
    });

    it('hearth pref set checks colours too', async () => {
      const bad = await s.run(['pref', 'set', 'colors.colorprimary', '"#12"']);
      assert.notEqual(bad.code, 0);
      const good = await s.run(['pref', 'set', 'colors.colorprimary', '"#123456"']);
      assert.equal(good.code, 0, good.stderr);
      assert.equal((await prefs())['colors.colorprimary'], '#123456');
    });

    it('other string preferences take any string; non-admins cannot change colours', async () => {
      let r = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: s.admin.token, body: { 'text.application_name': 'not #a colour' } });
      expectStatus(r, 200);
      r = await s.api('PATCH', '/api/v2/dynamic_preference/', { token: aliceTok, body: { 'colors.colorprimary': '#000' } });
      expectError(r, 403);
      assert.equal((await prefs())['colors.colorprimary'], '#123456');
    });
  });

  // ---------------------------------------------------------------- categories

  describe('category fields', () => {
    let cat; let other;
    const userCats = async (id, token) => {
      const r = await s.api('GET', `/api/v2/user/${id}/categories/`, { token });
      expectStatus(r, 200);
      return r.body;
    };
    const stored = (id) => Number(s.sql(`SELECT followers_counter FROM categories WHERE id = ${id}`));
    const counterOf = async (id) => (await s.api('GET', `/api/v2/category/${id}/`, { token: s.admin.token })).body.followers_counter;
    const checkOk = async () => {
      const r = await s.run(['check']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /counters: ok/);
    };

    before(async () => {
      as(s.admin.token);
      cat = await sc.CategoryService.createCategory({ name: uniq('Gardening') });
      other = await sc.CategoryService.createCategory({ name: uniq('Cooking'), content_only_staff: true });
    });

    it('a new category: followers_counter 0, content_only_staff false (or as created), followed for the admin', async () => {
      assert.equal(cat.followers_counter, 0);
      assert.equal(cat.content_only_staff, false);
      assert.equal(cat.followed, false);
      assert.equal(other.content_only_staff, true);
      as(s.admin.token);
      const got = await sc.CategoryService.getSpecificCategory(other.id);
      assert.equal(got.content_only_staff, true);
      const p = await sc.CategoryService.patchASpecificCategory(other.id, { content_only_staff: false });
      assert.equal(p.content_only_staff, false);
      assert.equal(Number(s.sql(`SELECT content_only_staff FROM categories WHERE id = ${other.id}`)), 0);
      const r = await s.api('PATCH', `/api/v2/category/${other.id}/`, { token: s.admin.token, body: { content_only_staff: 'maybe' } });
      expectFieldError(r, 400, 'content_only_staff');
    });

    it('follow: the counter counts it; followed is true for the follower, false for others, absent anonymously', async () => {
      as(aliceTok);
      await sc.CategoryService.followCategory(cat.id);
      as(bobTok);
      await sc.CategoryService.followCategory(cat.id);
      await sc.CategoryService.followCategory(other.id);
      assert.equal(stored(cat.id), 2);

      const anon = await userCats(alice.id);
      assert.equal(anon.length, 1);
      assert.equal(anon[0].id, cat.id);
      assert.equal(anon[0].followers_counter, 2);
      assert.equal(anon[0].content_only_staff, false);
      assert.ok(!('followed' in anon[0]), 'no followed for anonymous callers');

      const mine = await userCats(alice.id, aliceTok);
      assert.equal(mine[0].followed, true);
      // carol looks at bob's categories: follows neither
      const carolTok = await s.token(carol.id);
      const seen = await userCats(bob.id, carolTok);
      assert.deepEqual(seen.map((c) => [c.id, c.followed, c.followers_counter]).sort((a, b) => a[0] - b[0]),
        [[cat.id, false, 2], [other.id, false, 1]]);
      // alice looks at bob's: follows cat only
      as(aliceTok);
      const viaClient = await sc.UserService.getUserFollowedCategories(bob.id);
      const byId = Object.fromEntries(viaClient.map((c) => [c.id, c]));
      assert.equal(byId[cat.id].followed, true);
      assert.equal(byId[other.id].followed, false);
      await checkOk();
    });

    it('unfollow moves the counter and followed back', async () => {
      as(aliceTok);
      await sc.CategoryService.followCategory(cat.id); // toggles off
      assert.equal(stored(cat.id), 1);
      const mine = await userCats(bob.id, aliceTok);
      const c = mine.find((x) => x.id === cat.id);
      assert.equal(c.followers_counter, 1);
      assert.equal(c.followed, false);
      assert.deepEqual(await userCats(alice.id, aliceTok), []);
      await checkOk();
    });

    it('feed items carry the fields too', async () => {
      as(aliceTok);
      await sc.CategoryService.followCategory(cat.id);
      const post = await s.api('POST', '/api/v2/post/', { token: aliceTok, body: { text: 'Tomatoes', categories: [cat.id] } });
      expectStatus(post, 201);
      assert.equal(post.body.categories[0].followed, true);
      assert.equal(post.body.categories[0].followers_counter, 2);
      let feed = await s.api('GET', `/api/v2/user/${alice.id}/feed/`);
      expectStatus(feed, 200);
      let c = feed.body.results[0].post.categories[0];
      assert.equal(c.followers_counter, 2);
      assert.equal(c.content_only_staff, false);
      assert.ok(!('followed' in c));
      const carolTok = await s.token(carol.id);
      feed = await s.api('GET', `/api/v2/user/${alice.id}/feed/`, { token: carolTok });
      c = feed.body.results[0].post.categories[0];
      assert.equal(c.followed, false);
      const got = await s.api('GET', `/api/v2/post/${post.body.id}/`, { token: bobTok });
      assert.equal(got.body.categories[0].followed, true);
    });

    it('blocking keeps a follower counted (as user counters do); soft delete and hard delete remove it', async () => {
      assert.equal(await counterOf(cat.id), 2); // alice, bob
      s.sql(`UPDATE users SET status = 'b' WHERE id = ${bob.id}`);
      assert.equal(await counterOf(cat.id), 2);
      s.sql(`UPDATE users SET status = 'a' WHERE id = ${bob.id}`);
      await checkOk();

      const dave = await s.createUser({ username: uniq('dave'), password: 'D4ve-secret!' });
      const daveTok = await s.token(dave.id);
      as(daveTok);
      await sc.CategoryService.followCategory(cat.id);
      assert.equal(await counterOf(cat.id), 3);
      let r = await s.api('DELETE', `/api/v2/user/${dave.id}/`, { token: daveTok });
      expectStatus(r, 204);
      assert.equal(await counterOf(cat.id), 2, 'a soft-deleted follower no longer counts');
      s.sql(`UPDATE users SET status = 'a' WHERE id = ${dave.id}`);
      assert.equal(await counterOf(cat.id), 3, 'restored, counted again');
      r = await s.api('DELETE', `/api/v2/user/${dave.id}/?hard=1`, { token: s.admin.token });
      expectStatus(r, 204);
      assert.equal(await counterOf(cat.id), 2, 'a hard-deleted follower is gone');
      await checkOk();
    });

    it('hearth check reports a followers_counter that drifted', async () => {
      s.sql(`UPDATE categories SET followers_counter = 7 WHERE id = ${cat.id}`);
      const r = await s.run(['check']);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, new RegExp(`category ${cat.id}: followers_counter is 7, the edges give 2`));
      s.sql(`UPDATE categories SET followers_counter = 2 WHERE id = ${cat.id}`);
      await checkOk();
    });

    it('the admin list carries followed for the admin', async () => {
      as(s.admin.token);
      await sc.CategoryService.followCategory(other.id);
      const page = await sc.CategoryService.getAllCategories({ limit: 100 });
      const byId = Object.fromEntries(page.results.map((c) => [c.id, c]));
      assert.equal(byId[other.id].followed, true);
      assert.equal(byId[cat.id].followed, false);
      assert.equal(byId[other.id].followers_counter, 2);
    });
  });

  // ---------------------------------------------------------------- tags

  describe('tags as the official client calls them', () => {
    let tag;
    before(async () => {
      as(s.admin.token);
      tag = await sc.TagService.createTag({ name: uniq('Gardener'), description: 'green thumbs' });
    });

    it('updateTag (PUT /tag/{id}/): 200 with the tag, stored', async () => {
      as(s.admin.token);
      const name = uniq('Grower');
      const t = await sc.TagService.updateTag(tag.id, { name, color: '#00aa00', visible: false });
      assert.equal(t.id, tag.id);
      assert.equal(t.name, name);
      assert.equal(t.color, '#00aa00');
      assert.equal(t.visible, false);
      assert.equal(t.description, 'green thumbs', 'fields not given keep their values');
      const again = await sc.TagService.getSpecificTag(tag.id);
      assert.deepEqual(again, t);
      // the client's own test: the same name again
      const same = await sc.TagService.updateTag(tag.id, { name });
      assert.equal(same.name, name);
      tag = same;
    });

    it('PUT needs name and a valid body; unknown ids 404; admins only', async () => {
      let r = await s.api('PUT', `/api/v2/tag/${tag.id}/`, { token: s.admin.token, body: { description: 'x' } });
      expectFieldError(r, 400, 'name', 'required');
      r = await s.api('PUT', `/api/v2/tag/${tag.id}/`, { token: s.admin.token, body: { name: '' } });
      expectFieldError(r, 400, 'name');
      r = await s.api('PUT', `/api/v2/tag/${tag.id}/`, { token: s.admin.token, body: { name: 'ok', color: 'red' } });
      expectFieldError(r, 400, 'color');
      as(s.admin.token);
      const err = await clientError(sc.TagService.updateTag(tag.id)); // body null
      assert.equal(err.response.status, 400);
      r = await s.api('PUT', '/api/v2/tag/999999/', { token: s.admin.token, body: { name: 'x' } });
      expectError(r, 404);
      r = await s.api('PUT', `/api/v2/tag/${tag.id}/`, { token: aliceTok, body: { name: 'mine' } });
      expectError(r, 403);
      r = await s.api('PUT', `/api/v2/tag/${tag.id}/`, { form: { name: 'anon' } });
      expectError(r, 401);
      const t = (await s.api('GET', `/api/v2/tag/${tag.id}/`, { token: s.admin.token })).body;
      assert.deepEqual(t, tag, 'nothing changed');
    });

    it('searchUserTags (GET /tag/user/search/): user tags by name; non-admins see visible active ones', async () => {
      as(s.admin.token);
      const visible = await sc.TagService.createTag({ name: 'Seed saver' });
      const inactive = await sc.TagService.createTag({ name: 'Seed hoarder', active: false });
      const deleted = await sc.TagService.createTag({ name: 'Seed thief', deleted: true });
      const catTag = await sc.TagService.createTag({ name: 'Seed category', type: 'category' });
      await sc.TagService.patchTag(tag.id, { name: 'Seed grower', visible: false });

      const names = (page) => page.results.map((t) => t.name).sort();
      const all = await sc.TagService.searchUserTags({ search: 'seed' });
      assert.deepEqual(names(all), ['Seed grower', 'Seed hoarder', 'Seed saver']);
      assert.equal(all.count, 3);
      for (const t of all.results) assert.equal(t.type, 'user');
      const active = await sc.TagService.searchUserTags({ search: 'SEED', active: true });
      assert.deepEqual(names(active), ['Seed grower', 'Seed saver']);
      const page = await sc.TagService.searchUserTags({ search: 'seed', limit: 1 });
      assert.equal(page.count, 3);
      assert.equal(page.results.length, 1);
      assert.ok(page.next);
      // the client's own test calls it with no parameters
      const every = await sc.TagService.searchUserTags();
      assert.ok(Array.isArray(every.results));
      assert.ok(!every.results.some((t) => [deleted.id, catTag.id].includes(t.id)));

      as(aliceTok);
      const user = await sc.TagService.searchUserTags({ search: 'seed', active: false, visible: false });
      assert.deepEqual(user.results.map((t) => t.id), [visible.id], 'non-admins see only visible, active tags');
      assert.ok(!user.results.some((t) => t.id === inactive.id));

      let r = await s.api('GET', '/api/v2/tag/user/search/?search=seed');
      expectError(r, 401);
      r = await s.api('GET', `/api/v2/tag/user/search/?search=${'s'.repeat(300)}`, { token: aliceTok });
      expectFieldError(r, 400, 'search');
    });
  });
});
