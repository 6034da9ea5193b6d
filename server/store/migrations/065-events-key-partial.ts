import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Most events carry no idempotency key (every event a run round records, and webhooks sent
// without one), yet a UNIQUE column indexes its NULLs too: each event paid an entry at the
// right edge of that index, the page every concurrent inserter writes. Only keyed events need
// the index. PostgreSQL only: SQLite cannot drop a column constraint without rebuilding the
// table, and there the entry costs a page already in the commit.
export const eventsKeyPartial: Migration = {
  async up(db: Kysely<any>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS events_by_idempotency_key ON events (idempotency_key) WHERE idempotency_key IS NOT NULL`.execute(db);
    await sql`ALTER TABLE events DROP CONSTRAINT IF EXISTS events_idempotency_key_key`.execute(db);
  },
};

