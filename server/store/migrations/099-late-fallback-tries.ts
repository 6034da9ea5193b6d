import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A late fallback (migration 097) Meta did not take for now (throttling, an outage) is tried again
// on the schedule of a step's own sends (engine/executor/step-retry.ts): `tries` counts the sends
// made, so the worker knows when to give up and the run's log says on which try it went.
export const lateFallbackTries: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('late_fallbacks').addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
