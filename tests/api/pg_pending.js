'use strict';
// The one list of API tests skipped on PostgreSQL because what they test is
// not on PostgreSQL yet (HEARTH_TEST_PG set; on SQLite they all run). A test
// names its entry with { skip: h.pgPending('key') }; a key not listed here
// throws, so the list and the tests cannot drift apart. `node
// tests/api/pg_pending.js` prints the list and how many there are.
//
// All of them need user search (store_search_*), the second part of the
// PostgreSQL backend: /user/search/, the user list's text filters
// (?username=, ?real_name=, ?search= go through the search engine),
// autocomplete, the users part of /suggestion/ and POST /user/match/, and
// hearth seed --file (which search.test.js uses to build its population).
// Tests that only used a text filter to see that a refused request created
// no user count the rows with SQL on PostgreSQL instead, and run.

const LIST = 'the user list\'s text filters (username, real_name, search) are user search';
const SEARCH = '/user/search/ is user search';
const AUTOCOMPLETE = 'autocomplete is user search';

const tests = {
  'search.test.js': 'user search, and hearth seed --file for its population',
  'account_delete.test.js search': `${LIST}; ${AUTOCOMPLETE} (the rest of the test runs)`,
  'account_profile.test.js real_name filter': LIST,
  'graph_hide.test.js: /user/ and autocomplete': `${LIST}; ${AUTOCOMPLETE}`,
  'hostile_auth.test.js private fields in search results': `${LIST}; ${SEARCH}`,
  'names.test.js real_name filter': `${LIST} (found by either spelling)`,
  'sc_user_suite.test.js: User Autocomplete': AUTOCOMPLETE,
  'sc_user_suite.test.js: Search user': SEARCH,
  // GET /suggestion/?search= (its users are /user/search/'s: 5 tests) and
  // the /user/autocomplete/ item POST /user/match/ is compared with (1 test)
  'suggestions.test.js: user search': `${SEARCH}; ${AUTOCOMPLETE}`,
  // the user list's username filter and /user/search/ with its tag filter (2 tests)
  'tags.test.js: user search': `${LIST}; ${SEARCH}`,
  'ui_kit.test.js: SearchAutocomplete: typing a name asks hearth and shows the user': 'the widget asks /suggestion/ ?search=, whose users part is user search',
  'user_filters.test.js: a 200-character multibyte term is accepted and matches': LIST,
  'users.test.js: count and absolute next/previous URLs carrying limit, offset and the other parameters': `${LIST} (pages of ?username=pg)`,
  'users.test.js: next keeps the request path as received (no trailing slash)': `${LIST} (pages of ?username=pg)`,
  'users.test.js: walking next with ordering=-username gives the 45 users once each, descending': `${LIST} (pages of ?username=pg)`,
  'users.test.js: username is a case-insensitive contains filter': LIST,
  'users.test.js: a username term of one or two characters matches the start of a word': LIST,
  'users.test.js: a filter matching nothing is an empty page': LIST,
  'users.test.js: search ranks exact username first, then prefix, then contains': LIST,
  'users.test.js: search with ordering uses the ordering': LIST,
  'users.test.js: real_name filter: contains, and word start for short terms': LIST,
  'users.test.js: search also matches the real name': LIST,
  'users.test.js: private fields in lists follow the same rule': `${LIST} (?username=alice)`,
  'users.test.js: userAutocomplete through the official client': AUTOCOMPLETE,
};

module.exports = { tests };

if (require.main === module) {
  for (const [k, v] of Object.entries(tests)) console.log(`${k}\n    ${v}`);
  const files = Object.keys(tests).filter((k) => k.endsWith('.test.js')).length;
  console.log(`${Object.keys(tests).length} entries skipped on PostgreSQL until user search is there ` +
    `(${files} whole file, ${Object.keys(tests).length - files} tests, groups or parts of tests)`);
}
