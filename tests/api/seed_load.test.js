'use strict';
// hearth seed on PostgreSQL drops the loaded tables' secondary indexes, the
// link tables' primary keys and the foreign keys for its COPY and makes
// them again after it, in the same transaction: after a seed the schema is
// the one it found, and a seed that fails leaves it, and the rows, as they
// were.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./harness');

const BIN = process.env.HEARTH_BIN || path.join(h.REPO, 'build', 'hearth');

// every index and constraint of the seeded tables, with its definition
const SCHEMA = `SELECT i.indexrelid::regclass::text || ' ' || pg_get_indexdef(i.indexrelid) FROM pg_index i
  WHERE i.indrelid IN ('users'::regclass, 'follows'::regclass, 'user_tags'::regclass, 'category_follows'::regclass)
  UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint
  WHERE conrelid IN ('users'::regclass, 'follows'::regclass, 'user_tags'::regclass, 'category_follows'::regclass)
  ORDER BY 1`;

describe('hearth seed on PostgreSQL: indexes and constraints around the load',
  { skip: h.pg ? false : 'PostgreSQL only: how the seed loads there' }, () => {
    let dir;
    let env;
    let db;
    const sql = (q) => {
      const r = spawnSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', q], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    const hearth = (...args) => spawnSync(BIN, args, { env, encoding: 'utf8' });
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-seed-load-'));
      db = await h.createDatabase();
      env = { PATH: process.env.PATH, HEARTH_DATA_DIR: dir, HEARTH_PASSWORD_COST: 'min', HEARTH_DB: db.url };
      const r = hearth('migrate');
      assert.equal(r.status, 0, r.stderr);
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (db) await h.dropDatabase(db.name);
    });

    it('makes every index and constraint again, and the rows are all there', () => {
      const schema = sql(SCHEMA);
      assert.match(schema, /follows_pkey PRIMARY KEY \(follower_id, followed_id\) true/);
      assert.match(schema, /users_search_words /);
      const r = hearth('seed', '--users', '300', '--follows-per-user', '3');
      assert.equal(r.status, 0, r.stderr);
      const stats = JSON.parse(r.stdout.trim());
      assert.equal(sql(SCHEMA), schema);
      assert.equal(Number(sql('SELECT count(*) FROM users')), stats.users);
      assert.equal(Number(sql('SELECT count(*) FROM follows')), stats.follows);
      assert.equal(Number(sql('SELECT count(*) FROM category_follows')), stats.category_follows);
      // the identity goes on after the seeded ids
      assert.equal(Number(sql("SELECT nextval(pg_get_serial_sequence('users', 'id'))")), stats.users + 1);
    });

    it('a seed that fails leaves the schema and the rows as they were', () => {
      // a follow the seed makes breaks this check (the seed's follow rows
      // come from every active user, so one of the new ones trips it)
      sql('ALTER TABLE follows ADD CONSTRAINT seed_probe CHECK (follower_id < 400)');
      const schema = sql(SCHEMA);
      const users = sql('SELECT count(*) FROM users');
      const r = hearth('seed', '--users', '300', '--follows-per-user', '3');
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /seed_probe/);
      assert.equal(sql(SCHEMA), schema);
      assert.equal(sql('SELECT count(*) FROM users'), users);
      sql('ALTER TABLE follows DROP CONSTRAINT seed_probe');
    });

    it('computes the counts the triggers keep, long lists included, and keeps their tables\' keys', () => {
      const KEYS = `SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid IN ('list_order_counts'::regclass, 'list_counts'::regclass, 'list_edge_counts'::regclass)
        ORDER BY 1`;
      const keys = sql(KEYS);
      assert.match(keys, /list_edge_counts_pkey PRIMARY KEY \(owner, list, level, block\)/);
      assert.match(keys, /list_order_counts_pkey PRIMARY KEY \(kind, level, prefix, block\)/);
      // 3,000 users with 10 follows each: a few have 1,000+ followers
      const r = hearth('seed', '--users', '3000', '--follows-per-user', '10');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(sql(KEYS), keys);
      assert.ok(Number(sql('SELECT count(DISTINCT owner) FROM list_edge_counts WHERE list = 0')) >= 1);
      assert.ok(Number(sql('SELECT count(*) FROM list_edge_counts WHERE list = 0 AND level = 3')) >= 100);
      assert.ok(Number(sql('SELECT count(*) FROM list_order_counts')) > 3000);
      const check = hearth('check');
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /counters: ok/);
      // and the triggers are back: a follow of a long list's owner is counted
      const owner = sql('SELECT owner FROM list_edge_counts WHERE list = 0 ORDER BY owner LIMIT 1');
      const before = sql(`SELECT sum(n) FROM list_edge_counts WHERE owner = ${owner} AND list = 0 AND level = 1`);
      sql(`INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, ${owner}, 1 FROM users
        WHERE status = 'a' AND id <> ${owner} AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = users.id
        AND followed_id = ${owner}) ORDER BY id LIMIT 1`);
      assert.equal(Number(sql(`SELECT sum(n) FROM list_edge_counts WHERE owner = ${owner} AND list = 0 AND level = 1`)),
        Number(before) + 1);
    });
  });
