import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from './database';

/**
 * `column` holds `text` anywhere, ignoring the case of A–Z on both stores: SQLite's LIKE ignores
 * ASCII case, PostgreSQL's needs ILIKE (its text columns are COLLATE "C", so ASCII too). "%" and
 * "_" are searched for as themselves (an email's "john_doe", a workflow's "100% refund"). A
 * substring reads every candidate row: callers bound it by an indexed filter or a small table.
 */
export function containsText(dialect: Dialect, column: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> {
  const op = dialect === 'postgres' ? sql`ILIKE` : sql`LIKE`;
  return sql<SqlBool>`${column} ${op} ${`%${text.replace(/[\\%_]/g, '\\$&')}%`} ESCAPE '\\'`;
}
