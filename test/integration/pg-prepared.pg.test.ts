import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrate, type Store } from '../../server/store/database';
import { DEFERRED } from '../../server/store/pg-prepared';
import { columnArrays, insertFromColumns, runShaped } from '../../server/store/compiled-sql';
import { describePg, freshPgStores } from '../support/postgres';

// Issue 17: hot statements are parsed and planned once per connection (named prepared statements).
const open = freshPgStores();
const start = async () => {
  const store = await open();
  await migrate(store.db);
  return store;
};

const prepared = async (store: Store) =>
  (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(store.db)).rows.map((r) => r.statement);

describePg('named prepared statements on PostgreSQL', () => {
  it('prepares a statement the second time it is sent, and reuses it with new values', async () => {
    const store = await start();
    const find = (id: string) => store.db.selectFrom('contacts').select('id').where('id', '=', id).execute();
    await find('con_a');
    expect((await prepared(store)).some((s) => s.includes('from "contacts"'))).toBe(false);
    await find('con_b');
    await find('con_c');
    const named = (await prepared(store)).filter((s) => s.includes('from "contacts"'));
    expect(named).toHaveLength(1);
    await store.db.insertInto('field_definitions').values({ key: 'plan', label: 'Plan', type: 'text', options: '[]', created_at: '2026-01-01T00:00:00.000Z' }).execute();
    for (let i = 0; i < 3; i++) expect(await store.db.selectFrom('field_definitions').select('key').execute()).toEqual([{ key: 'plan' }]);
  });

  it('keeps several statements in one parameterless text working (simple protocol)', async () => {
    const store = await start();
    for (let i = 0; i < 3; i++) await sql`CREATE TABLE IF NOT EXISTS t_multi (n int); INSERT INTO t_multi VALUES (1)`.execute(store.db);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM t_multi`.execute(store.db)).rows[0]!.n).toBe(3);
  });

  it('goes back to an unnamed statement when a schema change makes the prepared one stale', async () => {
    const store = await start();
    await sql`CREATE TABLE t_stale (a int)`.execute(store.db);
    await sql`INSERT INTO t_stale VALUES (1)`.execute(store.db);
    const read = () => sql<Record<string, number>>`SELECT * FROM t_stale WHERE a = ${1}`.execute(store.db);
    await read();
    await read();
    await sql`ALTER TABLE t_stale ADD COLUMN b int`.execute(store.db);
    // PostgreSQL refuses the stale plan (0A000): outside a transaction it is sent again, unnamed.
    expect((await read()).rows).toEqual([{ a: 1, b: null }]);
    await sql`ALTER TABLE t_stale ADD COLUMN c int`.execute(store.db);
    expect((await read()).rows).toEqual([{ a: 1, b: null, c: null }]);
  });

  it('inside a transaction, a stale prepared statement fails that transaction only; the next one works', async () => {
    const store = await start();
    await sql`CREATE TABLE t_stale_tx (a int)`.execute(store.db);
    await sql`INSERT INTO t_stale_tx VALUES (1)`.execute(store.db);
    const read = (db: typeof store.db) => sql<Record<string, number>>`SELECT * FROM t_stale_tx WHERE a = ${1}`.execute(db);
    await read(store.db);
    await read(store.db);
    await sql`ALTER TABLE t_stale_tx ADD COLUMN b int`.execute(store.db);
    const failed = await store.db.transaction().execute((trx) => read(trx)).then(() => 'ok', (err: { code?: string }) => err.code);
    expect(failed).toBe('0A000');
    expect((await store.db.transaction().execute((trx) => read(trx))).rows).toEqual([{ a: 1, b: null }]);
  });
});

// Issue 17: a transaction's BEGIN, and statements whose results nobody reads (DEFERRED), go out
// with the transaction's next statement: one write and one round trip instead of one each.
describePg('statements sent ahead of the next one on PostgreSQL', () => {
  type Db = Store['db'];
  const deferredInsert = (db: Db, a: number) => sql`${sql.raw(DEFERRED)}INSERT INTO t_ahead (a) VALUES (${a})`.execute(db);
  const rows = async (db: Db) => (await sql<{ a: number }>`SELECT a FROM t_ahead ORDER BY a`.execute(db)).rows.map((r) => r.a);

  /** A store on one connection, the table, and the store's count of round trips (one ReadyForQuery each). */
  const ready = async () => {
    const store = await start();
    await sql`CREATE TABLE t_ahead (a int PRIMARY KEY)`.execute(store.db);
    // A text is named the second time it is seen (and parsed then): from the third, it can go ahead.
    for (const a of [100, 101]) await store.db.transaction().execute((trx) => deferredInsert(trx, a));
    await sql`DELETE FROM t_ahead`.execute(store.db);
    return { store, trips: () => store.counters!.roundTrips! };
  };

  it('sends a transaction with BEGIN, a deferred write, a read and COMMIT in two round trips, and the read sees the write', async () => {
    const { store, trips } = await ready();
    const before = trips();
    const seen = await store.db.transaction().execute(async (trx) => {
      await deferredInsert(trx, 1);
      return rows(trx);
    });
    expect(seen).toEqual([1]);
    expect(trips() - before).toBe(2);
    expect(await rows(store.db)).toEqual([1]);
    // Only deferred writes: they go out with the COMMIT, one round trip in all.
    const alone = trips();
    await store.db.transaction().execute(async (trx) => { await deferredInsert(trx, 2); await deferredInsert(trx, 3); });
    expect(trips() - alone).toBe(1);
    expect(await rows(store.db)).toEqual([1, 2, 3]);
    // Nothing in the transaction: nothing is sent.
    const empty = trips();
    await store.db.transaction().execute(async () => {});
    expect(trips() - empty).toBe(0);
  });

  it('fails the transaction at its next statement when a deferred write fails: nothing of it stays, and the connection goes on', async () => {
    const { store } = await ready();
    await sql`INSERT INTO t_ahead (a) VALUES (${1})`.execute(store.db);
    const failed = await store.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t_ahead (a) VALUES (${2})`.execute(trx);
      await deferredInsert(trx, 1); // a duplicate key: fails when it goes out, with the COMMIT
    }).then(() => 'committed', (err: { code?: string }) => err.code);
    expect(failed).toBe('23505');
    expect(await rows(store.db)).toEqual([1]);
    const midway = await store.db.transaction().execute(async (trx) => {
      await deferredInsert(trx, 1);
      return rows(trx); // the statement the failing one went out with
    }).then(() => 'answered', (err: { code?: string }) => err.code);
    expect(midway).toBe('23505');
    await store.db.transaction().execute((trx) => deferredInsert(trx, 3));
    expect(await rows(store.db)).toEqual([1, 3]);
  });

  it('drops deferred writes when the transaction rolls back, sent or not', async () => {
    const { store } = await ready();
    const rolledBack = (body: (trx: Db) => Promise<unknown>) => store.db.transaction().execute(async (trx) => {
      await body(trx);
      throw new Error('changed my mind');
    }).catch((err: Error) => err.message);
    expect(await rolledBack((trx) => deferredInsert(trx, 5))).toBe('changed my mind');
    expect(await rolledBack(async (trx) => { await deferredInsert(trx, 6); await rows(trx); })).toBe('changed my mind');
    expect(await rows(store.db)).toEqual([]);
  });

  it('a deferred statement gone stale (schema change) fails its transaction once; the next one goes through', async () => {
    const { store, trips } = await ready();
    await sql`CREATE TABLE t_stale_ahead (a int)`.execute(store.db);
    const write = (db: Db) => sql`${sql.raw(DEFERRED)}INSERT INTO t_stale_ahead SELECT * FROM t_stale_ahead WHERE a = ${0} RETURNING *`.execute(db);
    for (let i = 0; i < 3; i++) await store.db.transaction().execute((trx) => write(trx));
    await sql`ALTER TABLE t_stale_ahead ADD COLUMN b int`.execute(store.db);
    const failed = await store.db.transaction().execute(async (trx) => { await write(trx); await deferredInsert(trx, 1); })
      .then(() => 'committed', (err: { code?: string }) => err.code);
    expect(failed).toBe('0A000');
    expect(await rows(store.db)).toEqual([]);
    const before = trips();
    await store.db.transaction().execute(async (trx) => { await write(trx); await deferredInsert(trx, 1); });
    // Both texts go out at once now (unnamed), BEGIN still ahead of the first: BEGIN + write, insert, COMMIT.
    expect(trips() - before).toBe(3);
    expect(await rows(store.db)).toEqual([1]);
  });

  it('a ROLLBACK TO SAVEPOINT keeps the transaction going: later deferred writes still go out with the COMMIT', async () => {
    const { store, trips } = await ready();
    let afterRollback = 0;
    await store.db.transaction().execute(async (trx) => {
      await deferredInsert(trx, 1);
      await sql`SAVEPOINT row`.execute(trx);
      const failed = await sql`INSERT INTO t_ahead (a) VALUES (${1})`.execute(trx).then(() => 'inserted', (err: { code?: string }) => err.code);
      expect(failed).toBe('23505');
      await sql`ROLLBACK TO SAVEPOINT row`.execute(trx);
      afterRollback = trips();
      await deferredInsert(trx, 2);
      await deferredInsert(trx, 3);
    });
    // Both with the COMMIT: one round trip (a store that took the ROLLBACK TO for the end sent each alone).
    expect(trips() - afterRollback).toBe(1);
    expect(await rows(store.db)).toEqual([1, 2, 3]);
  });

  it('sends several statements in one parameterless text after the deferred ones, in order', async () => {
    const { store } = await ready();
    await store.db.transaction().execute(async (trx) => {
      await deferredInsert(trx, 7);
      await sql`INSERT INTO t_ahead (a) SELECT a + 1 FROM t_ahead WHERE a = 7; INSERT INTO t_ahead (a) VALUES (9)`.execute(trx);
    });
    expect(await rows(store.db)).toEqual([7, 8, 9]);
  });
});

// Issue 17: rows given as one array per column keep one statement text for any row count.
describePg('inserts from column arrays on PostgreSQL', () => {
  it('stores every value as given (quotes, backslashes, braces, NULLs, "NULL", numbers) with one prepared statement for any count', async () => {
    const store = await start();
    await sql`CREATE TABLE t_cols (id text PRIMARY KEY, depth int NOT NULL, payload text, note text)`.execute(store.db);
    const awkward = ['{"a":"b\\\\c","d":[1,2]}', 'quote " and \\ backslash', '{braces}, commas', 'NULL', 'ünïcödé ✓', ''];
    const batches = [1, 2, 3, 2, 1, 3].map((n, b) => Array.from({ length: n }, (_, i) => ({
      id: `r${b}-${i}`, depth: b * 10 + i, payload: awkward[(b + i) % awkward.length]!, note: i % 2 ? null : 'x',
    })));
    for (const rows of batches) {
      const columns = columnArrays(rows)!;
      await runShaped(store.db, `test:t_cols:${columns.names}`, columns.arrays, () => insertFromColumns('t_cols', columns));
    }
    const stored = (await sql<{ id: string; depth: number; payload: string; note: string | null }>`SELECT * FROM t_cols ORDER BY id`.execute(store.db)).rows;
    expect(stored).toEqual(batches.flat().sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect((await prepared(store)).filter((s) => s.includes('INTO "t_cols"'))).toHaveLength(1);
  });
});
