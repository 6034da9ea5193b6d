import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite-adapter';

// Rows are read as arrays and made objects by a function compiled per statement (sqlite-rows.ts):
// they must be the objects node:sqlite itself makes, key for key and value for value.
const SETUP = `CREATE TABLE t (id text primary key, n integer, r real, b blob, note text);
  INSERT INTO t VALUES ('a', 1, 1.5, x'00ff', NULL), ('b"quoted', -2, 0.25, NULL, '<b>html</b>');`;

describe('SQLite rows as fast objects', () => {
  it('gives the same keys, order and values as node:sqlite, including repeated and odd column names', () => {
    const plain = new DatabaseSync(':memory:');
    plain.exec(SETUP);
    const db = openSqlite(':memory:');
    db.raw.exec(SETUP);
    for (const sql of [
      'SELECT * FROM t ORDER BY id',
      'SELECT id, n AS "x y", r AS "it\'s", n AS id2, id AS n, note AS "constructor" FROM t ORDER BY id',
      'SELECT count(*), max(n) FROM t',
      'SELECT 1 AS a, 2 AS b, 3 AS a',
    ]) {
      const expected = plain.prepare(sql).all().map((r) => ({ ...r }));
      const got = db.direct(sql, []) as Record<string, unknown>[];
      expect(got).toEqual(expected);
      expect(got.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
      expect(got.map((r) => Object.getPrototypeOf(r))).toEqual(got.map(() => Object.prototype));
    }
    const [row] = db.direct('SELECT b FROM t WHERE id = ?', ['a']) as { b: Uint8Array }[];
    expect([...row!.b]).toEqual([0, 255]);
  });

  it('reads rows through the statement interface Kysely uses (all and iterate) the same way', () => {
    const db = openSqlite(':memory:');
    db.raw.exec(SETUP);
    const stmt = db.prepare('SELECT id, n FROM t WHERE n > ? ORDER BY id');
    expect(stmt.all([-10])).toEqual([{ id: 'a', n: 1 }, { id: 'b"quoted', n: -2 }]);
    expect([...stmt.iterate([0])]).toEqual([{ id: 'a', n: 1 }]);
  });

  it('keeps a column named __proto__ an own property', () => {
    const db = openSqlite(':memory:');
    const [row] = db.direct('SELECT 1 AS "__proto__", 2 AS other', []) as Record<string, unknown>[];
    expect(Object.keys(row!)).toEqual(['__proto__', 'other']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe(1);
  });

  it('reads a column added by a migration after the statement was first used', async () => {
    const db = openSqlite(':memory:');
    db.raw.exec(SETUP);
    expect(Object.keys((db.direct('SELECT * FROM t WHERE id = ?', ['a']) as object[])[0]!)).toEqual(['id', 'n', 'r', 'b', 'note']);
    db.prepare('ALTER TABLE t ADD COLUMN extra text DEFAULT \'new\'').run([]);
    expect(db.direct('SELECT * FROM t WHERE id = ?', ['a'])).toEqual([{ id: 'a', n: 1, r: 1.5, b: new Uint8Array([0, 255]), note: null, extra: 'new' }]);
  });
});
