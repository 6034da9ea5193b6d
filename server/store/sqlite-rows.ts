import type { StatementSync } from 'node:sqlite';

/** Makes one row object from a row read as an array (`setReturnArrays`), in column order. */
export type RowBuilder = (values: readonly unknown[]) => Record<string, unknown>;

/**
 * node:sqlite builds each row as a null-prototype object in dictionary mode (V8's slow
 * properties), so every later property read is a hash lookup and every `{ ...row }` a slow
 * copy. Read as arrays instead, a row becomes an object literal made by a function compiled
 * once per statement: every row of a statement has the same hidden class, with its properties
 * in the object. Measured on 64 runs rows (23 columns): reading them 2.3 → 1.3 µs a row; reading,
 * spreading and using them 4.7 → 1.4 µs a row.
 *
 * The same object as node:sqlite's, keys and values (a name given twice: first place, last value,
 * as an object literal has it), but with Object.prototype. Undefined when a name would not be an
 * own data property in a literal (`__proto__`): that statement keeps node:sqlite's objects.
 */
export function rowBuilder(stmt: StatementSync): RowBuilder | undefined {
  const names = stmt.columns().map((c) => c.name);
  if (names.includes('__proto__')) return undefined;
  // Names are quoted by JSON.stringify: any column name is a plain key.
  return new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} };`) as RowBuilder;
}

/** Rows read as arrays, as objects. */
export function toRows(arrays: readonly unknown[][], build: RowBuilder): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(arrays.length);
  for (let i = 0; i < arrays.length; i++) rows[i] = build(arrays[i]!);
  return rows;
}
