import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The run history filtered by contact (GET /runs?contactId=), newest first, reads this index
// instead of scanning every run.
export const runsByContact: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('runs_by_contact').on('runs').columns(['contact_id', 'id']).execute();
  },
};
