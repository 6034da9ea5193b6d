import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describePg, freshPgStores } from '../support/postgres';

// Array parameters are written as literals by JSON.stringify (pg-array-literal.ts) where that is
// exact, by pg otherwise: PostgreSQL must read back exactly the strings that were sent, either way.
const open = freshPgStores();

const HOSTILE = [
  'plain', '', 'NULL', 'null', ' padded ', 'comma,inside', '{braces}', 'say "hi"', 'back\\slash', '\\"', 'ends with \\',
  '<script>alert(1)</script>', "it's", 'ünïcödé', '🙂 emoji', '{"json":"value","n":[1,2]}', '\u007f',
];

describePg('array parameters on PostgreSQL', () => {
  it('reads back every string of a text[] as sent, with and without characters pg must encode itself', async () => {
    const store = await open();
    for (const values of [HOSTILE, [...HOSTILE, 'new\nline', 'tab\there', 'lone \ud800'], [...HOSTILE, 'C:\\new\\table'], [null, 'x', null]]) {
      // Twice: the second time the statement goes out named (prepared), the same way.
      for (let i = 0; i < 2; i++) {
        const { rows } = await sql<{ a: (string | null)[] }>`SELECT ${values}::text[] AS a`.execute(store.db);
        expect(rows[0]!.a).toEqual(values.map((v) => (v === 'lone \ud800' ? 'lone \ufffd' : v)));
      }
    }
    const { rows } = await sql<{ n: string[] }>`SELECT ${[1, -2.5, 0, null]}::numeric[]::text[] AS n`.execute(store.db);
    expect(rows[0]!.n).toEqual(['1', '-2.5', '0', null]);
  });

  it('stores rows passed as column arrays (the batch insert) with their quotes and backslashes', async () => {
    const store = await open();
    await sql`CREATE TABLE t_cols (id text primary key, body text)`.execute(store.db);
    const ids = HOSTILE.map((_, i) => `row_${i}`);
    await sql`INSERT INTO t_cols (id, body) SELECT * FROM unnest(${ids}::text[], ${HOSTILE}::text[])`.execute(store.db);
    const { rows } = await sql<{ id: string; body: string }>`SELECT id, body FROM t_cols ORDER BY id`.execute(store.db);
    expect(new Map(rows.map((r) => [r.id, r.body]))).toEqual(new Map(ids.map((id, i) => [id, HOSTILE[i]!])));
  });
});
