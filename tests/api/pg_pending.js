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
};

module.exports = { tests };

if (require.main === module) {
  for (const [k, v] of Object.entries(tests)) console.log(`${k}: ${v}`);
  console.log(`${Object.keys(tests).length} entries skipped on PostgreSQL`);
}
