import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A webhook trigger's signing secret (whsec_…) leaves the stored definition (and its versions)
// for a column of its own, sealed with the vault key. Existing definitions are converted at
// start (server/secrets/at-rest.ts), where the key is available.
export const webhookSigningSecret: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('workflows').addColumn('webhook_signing_secret', 'text').execute();
  },
};
