'use strict';
// The one list of API tests skipped on PostgreSQL because what they test is
// not on PostgreSQL yet (HEARTH_TEST_PG set; on SQLite they all run). A test
// names its entry with { skip: h.pgPending('key') }; a key not listed here
// throws, so the list and the tests cannot drift apart. `node
// tests/api/pg_pending.js` prints the list and how many there are.
//
// User search (store_search_*: /user/search/, the user list's text filters,
// suggestions' user part, hearth seed's search rebuild) and seeding
// (store_seed*) are the second part of the PostgreSQL backend.

const SEARCH = 'user search on PostgreSQL is the second part of the PostgreSQL backend';
const SEED = 'hearth seed on PostgreSQL comes with search, in the second part of the PostgreSQL backend';

const tests = {
  'search.test.js': SEARCH,
  'hostile_auth.test.js private fields in search results': SEARCH,
  'names.test.js real_name filter': SEARCH,
  'names.test.js username filter': SEARCH,
  'account_profile.test.js real_name filter': SEARCH,
  'account_delete.test.js search': SEARCH,
  'seed_progress.test.js': SEED,
  'graph_hide.test.js: /user/ and autocomplete': SEARCH,
  // the user list's username filter, the tag filter of /user/search/ (3 tests)
  'tags.test.js: user search': SEARCH,
  // GET /suggestion/?search= (its users are /user/search/'s: 5 tests) and
  // the /user/autocomplete/ item POST /user/match/ is compared with (1 test)
  'suggestions.test.js: user search': SEARCH,
};

module.exports = { tests };

if (require.main === module) {
  for (const [k, v] of Object.entries(tests)) console.log(`${k}: ${v}`);
  console.log(`${Object.keys(tests).length} entries skipped on PostgreSQL`);
}
