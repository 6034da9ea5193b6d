import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The contact's lifecycle stage (one of the ordered stages in settings), a standard contact field:
// Contact Field Updated watches it as `lifecycle`.
export const contactLifecycle: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('contacts').addColumn('lifecycle', 'text').execute();
  },
};
