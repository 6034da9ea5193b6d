import { sql, type Compilable } from 'kysely';
import type { Store } from '../../server/store/database';

/**
 * The plan the store's database makes for `query`, as text: SQLite's EXPLAIN QUERY PLAN details,
 * or PostgreSQL's EXPLAIN. A small table is cheaper to scan (or sort) than to seek, so on
 * PostgreSQL scanning is discouraged, and sorting too with `noSort`: the plan then shows whether
 * an index can give the rows (in order).
 */
export async function queryPlan(store: Store, query: Compilable<unknown>, opts: { noSort?: boolean } = {}): Promise<string> {
  const { db } = store;
  const compiled = query.compile();
  if (store.dialect === 'sqlite') {
    return (await db.executeQuery<{ detail: string }>({ ...compiled, sql: `EXPLAIN QUERY PLAN ${compiled.sql}` })).rows.map((r) => r.detail).join('\n');
  }
  return db.connection().execute(async (c) => {
    await sql`SET enable_seqscan = off`.execute(c);
    if (opts.noSort) await sql`SET enable_sort = off`.execute(c);
    try {
      return (await c.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `EXPLAIN ${compiled.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await sql`RESET enable_seqscan`.execute(c);
      if (opts.noSort) await sql`RESET enable_sort`.execute(c);
    }
  });
}
