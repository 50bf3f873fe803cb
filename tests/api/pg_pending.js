'use strict';
// The one list of API tests skipped on PostgreSQL because what they test is
// not on PostgreSQL yet (HEARTH_TEST_PG set; on SQLite they all run). A test
// names its entry with { skip: h.pgPending('key') }; a key not listed here
// throws, so the list and the tests cannot drift apart. `node
// tests/api/pg_pending.js` prints the list and how many there are.
//
// Empty: everything runs on PostgreSQL.

const tests = {
};

module.exports = { tests };

if (require.main === module) {
  for (const [k, v] of Object.entries(tests)) console.log(`${k}\n    ${v}`);
  const files = Object.keys(tests).filter((k) => k.endsWith('.test.js')).length;
  console.log(`${Object.keys(tests).length} entries skipped on PostgreSQL ` +
    `(${files} whole file, ${Object.keys(tests).length - files} tests, groups or parts of tests)`);
}
