import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The instances executing runs on one PostgreSQL database, each with when it last said so
// (server/engine/executor/peers.ts): they share the queue heads out by contact instead of all
// picking the oldest ones and passing over each other's. SQLite has one process; the table is
// created there too, so that both schemas stay the same.
export const enginePeers: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('engine_peers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('seen_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};
