import { CompiledQuery, sql, type Compilable, type Insertable, type RawBuilder } from 'kysely';
import { directQuery, type Executor } from './database';
import type { DB } from './schema';
import { DEFERRED } from './pg-prepared';

// A webhook batch or a run round runs the same few statements, differing only in how many rows
// or list items they carry; building and compiling Kysely's query tree for each cost ~10 µs per
// statement (and, inside a SQLite transaction, the direct path skips Kysely's executor too).
// Each shape is compiled once (by Kysely, so the SQL stays the dialect's own) and later batches
// of that shape only bind new parameters. A shape is cached only when the parameters its caller
// computes are exactly those Kysely produced for it: any disagreement keeps the plain path.

const texts = new Map<string, string>();
const MAX_SHAPES = 2_000;

const sameParams = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Runs `build()`'s query, or the SQL compiled earlier for `shape` with `params`. `shape` must
 * name everything the SQL text depends on (statement, row or list count, columns); `params`
 * must be the values `build()` would bind, in Kysely's order.
 *
 * `deferred`: inside a transaction, nobody reads the result (PostgreSQL sends the statement with
 * the next one, see DEFERRED); it resolves to no rows.
 */
export async function runShaped<R>(db: Executor, shape: string, params: readonly unknown[], build: () => Compilable<R> | RawBuilder<R>, { deferred = false } = {}): Promise<R[]> {
  // Both dialects may be open in one process (tests): the SQL text is per adapter.
  const key = `${db.getExecutor().adapter.constructor.name}|${deferred ? 'deferred:' : ''}${shape}`;
  const sql = texts.get(key);
  if (sql !== undefined) {
    const direct = directQuery(db);
    if (direct) return direct(sql, params) as R[];
    return (await db.executeQuery<R>(CompiledQuery.raw(sql, params as unknown[]))).rows;
  }
  const built = build();
  // A raw `sql` query compiles against a database (its dialect); a query builder knows its own.
  let compiled = 'isRawBuilder' in built ? built.compile(db) : built.compile();
  if (deferred) compiled = CompiledQuery.raw(DEFERRED + compiled.sql, compiled.parameters as unknown[]);
  if (sameParams(compiled.parameters, params)) {
    if (texts.size >= MAX_SHAPES) texts.clear();
    texts.set(key, compiled.sql);
  }
  return (await db.executeQuery(compiled)).rows;
}

/**
 * The column names of rows to insert (first-row key order), each value handed to `visit`, row by
 * row; undefined when Kysely would not bind every value (an undefined value becomes DEFAULT,
 * rows with other keys change the column list).
 */
function bindableColumns(rows: readonly object[], visit: (row: number, column: number, value: unknown) => void): string[] | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const columns = Object.keys(first);
  for (let r = 0; r < rows.length; r++) {
    const keys = r === 0 ? columns : Object.keys(rows[r]!);
    if (keys.length !== columns.length) return undefined;
    for (let c = 0; c < columns.length; c++) if (keys[c] !== columns[c]) return undefined;
    // In key order, as Object.keys: no property read by a computed name (megamorphic, ~20 a row).
    const values = Object.values(rows[r]!);
    for (let c = 0; c < columns.length; c++) {
      const value = values[c];
      if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) return undefined;
      visit(r, c, value);
    }
  }
  return columns;
}

/** Parameters of a multi-row insert in Kysely's order (row by row), with the shape naming the columns; undefined as bindableColumns. */
export function insertParams(rows: readonly object[]): { columns: string; params: unknown[] } | undefined {
  const params: unknown[] = [];
  const columns = bindableColumns(rows, (_r, _c, value) => { params.push(value); });
  return columns && { columns: columns.join(','), params };
}

/**
 * Inserts one row, its SQL compiled once per table and column list (runShaped); `deferred` as
 * runShaped's. A row Kysely would not bind whole (an undefined value, an object) takes the plain
 * path, at once.
 */
export async function insertOne<T extends keyof DB & string>(db: Executor, table: T, row: Insertable<DB[T]>, { deferred = false } = {}): Promise<void> {
  const build = () => db.insertInto(table).values(row as never);
  const shaped = insertParams([row]);
  if (shaped) await runShaped(db, `insert:${table}:1:${shaped.columns}`, shaped.params, build, { deferred });
  else await build().execute();
}

/** PostgreSQL types of the inserted columns that are not text. */
const INTEGER_COLUMNS = new Set(['depth', 'workflow_version', 'cursor', 'attempts', 'jumps', 'blocked']);

/** Rows of values as one array per column (PostgreSQL unnest takes them so). */
export const toColumns = (rows: readonly (readonly unknown[])[]): unknown[][] => rows[0]!.map((_, c) => rows.map((row) => row[c]));

/** Rows as one array per column (insertFromColumns); undefined as bindableColumns. */
export function columnArrays(rows: readonly object[]): { names: string[]; arrays: unknown[][] } | undefined {
  const arrays: unknown[][] = [];
  const names = bindableColumns(rows, (r, c, value) => { (arrays[c] ??= new Array<unknown>(rows.length))[r] = value; });
  return names && { names, arrays };
}

/**
 * PostgreSQL: INSERT of rows given as one array per column. Its text (one prepared statement, one
 * plan) is the same for any number of rows, where a VALUES list made a text, and plans, per count.
 * Its parameters are `columns.arrays`, in order.
 */
export const insertFromColumns = (table: string, { names, arrays }: { names: readonly string[]; arrays: readonly unknown[][] }) =>
  sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))}) SELECT * FROM unnest(${sql.join(arrays.map((a, i) =>
    sql`${a}::${sql.raw(INTEGER_COLUMNS.has(names[i]!) ? 'int' : 'text')}[]`))})`;
