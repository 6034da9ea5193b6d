import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Nothing reads runs by event any more (an event keeps its run ids, migration 010), yet every
// stored run paid an insert into this index and its pages in the commit.
export const dropRunsByEvent: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('runs_by_event').ifExists().execute();
  },
};
