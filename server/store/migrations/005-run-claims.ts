import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Claims read due runs oldest first per status; with (status, id) the scan stops after the
// first few claimable rows instead of sorting the whole backlog on every claim.
export const runClaims: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('runs_claim').on('runs').columns(['status', 'id']).execute();
  },
};
