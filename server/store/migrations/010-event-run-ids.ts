import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A repeated delivery (same idempotency key) is answered with the first one's event and runs.
// The runs were found through runs_by_event, an index every stored run paid for (one more
// B-tree insert and ~3 WAL pages per webhook commit) to serve only those repeats. The event
// now keeps its runs' ids when it has a key (null otherwise), filled in here for earlier ones.
export const eventRunIds: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('events').addColumn('run_ids', 'text').execute();
    const runIds = db.getExecutor().adapter instanceof PostgresAdapter
      ? sql`(SELECT COALESCE(json_agg(r.id ORDER BY r.id), '[]'::json)::text FROM runs r WHERE r.event_id = events.id)`
      : sql`(SELECT json_group_array(id) FROM (SELECT r.id FROM runs r WHERE r.event_id = events.id ORDER BY r.id))`;
    await sql`UPDATE events SET run_ids = ${runIds} WHERE idempotency_key IS NOT NULL`.execute(db);
    await db.schema.dropIndex('runs_by_event').execute();
  },
};
