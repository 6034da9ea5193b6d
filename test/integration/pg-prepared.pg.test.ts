import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrate, openStore, type Store } from '../../server/store/database';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';

// Issue 17: hot statements are parsed and planned once per connection (named prepared statements).
let open: { store: Store; schema: string } | undefined;
afterEach(async () => {
  if (!open) return;
  await open.store.close();
  await dropSchema(pgUrl()!, open.schema);
  open = undefined;
});

const start = async () => {
  const schema = freshSchemaName();
  // One connection: every statement below meets the same server session.
  const store = await openStore({ databaseUrl: pgUrl()!, pgSchema: schema, poolSize: 1 });
  open = { store, schema };
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
