import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A run queued behind an unfinished run of the same (workflow, contact) is marked blocked, so a
// claim reads queue heads only: before, every claim walked a contact's whole queued backlog
// (4 ms per claim with 5,000 webhook deliveries for one contact). runs_ready holds the heads;
// the contact index gains the id, so "the next queued run of this pair" is one seek.
export const runQueueHeads: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('runs').addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('runs_ready').on('runs').column('id').where(sql<boolean>`status = 'queued' and blocked = 0`).execute();
    await db.schema.dropIndex('runs_by_contact_workflow').execute();
    await db.schema.createIndex('runs_by_contact_workflow').on('runs').columns(['workflow_id', 'contact_id', 'status', 'id']).execute();
    // Queued runs now come from runs_ready; waiting and expired-lease runs from runs_due.
    await db.schema.dropIndex('runs_claim').execute();
  },
};
