import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Webhook URL tokens are found by their SHA-256 (the column `webhook_token` keeps the token
// sealed, so the URL can be shown again). Existing rows are converted at start, with the vault
// key (server/secrets/at-rest.ts), which migrations do not have.
export const webhookTokenHash: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('workflows').addColumn('webhook_token_hash', 'text').execute();
    await db.schema.createIndex('workflows_by_webhook_token_hash').unique().on('workflows').column('webhook_token_hash').execute();
  },
};
