import { sql } from 'kysely';
import type { Dialect, Executor } from './database';

/**
 * Every table of this database with a column of this name (ours, and those of connectors): what
 * merging or erasing a contact must visit, including tables added after that code was written.
 */
export async function tablesWithColumn(db: Executor, dialect: Dialect, column: string): Promise<string[]> {
  const rows = dialect === 'postgres'
    ? await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.columns
        WHERE column_name = ${column} AND table_schema = current_schema() ORDER BY table_name`.execute(db)
    : await sql<{ name: string }>`SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) p
        WHERE m.type = 'table' AND p.name = ${column} ORDER BY m.name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** A list cut into parts of at most `size` (statements bind a bounded number of parameters). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
