import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The list's search reads messages' text too (domain/message-search.ts): a substring, which no
// b-tree serves, so each search read every message (200,000: about +55 ms a search on SQLite and
// +200 ms on PostgreSQL over the contacts' search alone; bench/inbox-search.ts). An index of each message's trigrams (three characters in a
// row) finds the messages that hold every trigram of the text searched for; the search's own
// test then keeps those that hold the text.
// - SQLite: FTS5's trigram tokenizer (compiled into node:sqlite), over messages' own rows (an
//   external-content table: the text is not stored twice), kept by triggers. It points at rowids:
//   a manual VACUUM (or a copy made with VACUUM INTO) may renumber them, after which
//   SEARCH_REINDEX_SQLITE makes it again (README, Backup and restore; `.backup` keeps them).
// - PostgreSQL without extensions (pg_trgm is a contrib one, not always allowed): a GIN index of
//   each message's distinct trigrams as an array, by an immutable SQL function, lowercased A–Z as
//   ILIKE on COLLATE "C" text folds; `@>` with the searched text's trigrams uses it.
// Only what people wrote is indexed and searched (SEARCHED_MESSAGES): customers', agents' and
// apps' messages and notes, not a workflow's (the same words in thousands of conversations, and
// the engine's hot path: indexing each of a three-step run's two comments cost it 43 µs of
// ~150, bench/cpu-per-run.ts, bench/RESULTS.md) nor activity lines.
export const messageSearch: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`CREATE FUNCTION message_trigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(l, i, 3)), '{}') FROM (SELECT lower(t COLLATE "C") AS l) AS s, generate_series(1, length(l) - 2) AS i
      $$`.execute(db);
      await sql`CREATE INDEX messages_by_trigrams ON messages USING gin (message_trigrams(text)) WHERE ${sql.raw(searchedMessages(''))}`.execute(db);
      return;
    }
    await sql`CREATE VIRTUAL TABLE messages_search USING fts5(text, content = 'messages', content_rowid = 'rowid', tokenize = 'trigram')`.execute(db);
    // An external-content index must be told exactly what it holds: every trigger asks the same
    // question of the row it indexes or removes.
    await sql`CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN ${sql.raw(searchedMessages('new.'))} BEGIN
      INSERT INTO messages_search (rowid, text) VALUES (new.rowid, new.text); END`.execute(db);
    await sql`CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN ${sql.raw(searchedMessages('old.'))} BEGIN
      INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.rowid, old.text); END`.execute(db);
    // One trigger, the old row out before the new one in: two would fire in an order SQLite does not promise.
    await sql`CREATE TRIGGER messages_search_update AFTER UPDATE OF text, kind, author_type ON messages BEGIN
      INSERT INTO messages_search (messages_search, rowid, text) SELECT 'delete', old.rowid, old.text WHERE ${sql.raw(searchedMessages('old.'))};
      INSERT INTO messages_search (rowid, text) SELECT new.rowid, new.text WHERE ${sql.raw(searchedMessages('new.'))}; END`.execute(db);
    // Not 'rebuild': that indexes every row of the content table, workflows' too.
    await sql`INSERT INTO messages_search (rowid, text) SELECT rowid, text FROM messages WHERE ${sql.raw(searchedMessages(''))}`.execute(db);
  },
};

/** The messages search reads and its index holds, as SQL over a row named by `row` ('new.', 'old.', 'messages.' or ''). */
export function searchedMessages(row: string): string {
  return `${row}kind IN ('message', 'comment') AND ${row}author_type <> 'workflow'`;
}

/** Makes the SQLite search index again after a VACUUM renumbered messages' rowids (README). */
export const SEARCH_REINDEX_SQLITE = `INSERT INTO messages_search (messages_search) VALUES ('delete-all'); INSERT INTO messages_search (rowid, text) SELECT rowid, text FROM messages WHERE ${searchedMessages('')};`;
