import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { searchedMessages } from './096-message-search';

// PostgreSQL's trigram index (096) folds A–Z only, so a word with no three plain-ASCII letters in
// a row ("ação", "çà", "Ωμέγα") had no trigram to look up and the search read every message
// (238 ms on 200,000, bench/inbox-search.ts). This one holds, for the messages with a character
// beyond ASCII (only they can hold such text), their trigrams that have one, in the search's own
// fold: lower() under the collation search_fold after Σ/ς to σ, as containsText's ILIKE folds
// (PostgreSQL's ILIKE lowercases both sides with the collation's lower()). The query side goes
// through the same function, so a fold where ICU and JavaScript differ still finds its match.
// The collation is named with its schema: PostgreSQL 17 runs ANALYZE and REINDEX under a
// search_path of pg_catalog only, where an unqualified name in an index's function fails.
export const messageSearchBeyondAscii: Migration = {
  async up(db: Kysely<any>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
    const collation = sql.id(rows[0]!.schema, 'search_fold');
    // The folded text back under "C": DISTINCT sorted the trigrams with ICU's collation, which
    // costs more than comparing bytes and gives the same set.
    await sql`CREATE FUNCTION message_folded_trigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT substr(l, i, 3)) FILTER (WHERE octet_length(substr(l, i, 3)) > 3), '{}')
      FROM (SELECT lower(translate(t, 'Σς', 'σσ') COLLATE ${collation}) COLLATE "C" AS l) AS s, generate_series(1, length(l) - 2) AS i
    $$`.execute(db);
    await sql`CREATE INDEX messages_by_folded_trigrams ON messages USING gin (message_folded_trigrams(text))
      WHERE ${sql.raw(searchedMessages(''))} AND octet_length(text) > length(text)`.execute(db);
  },
};
