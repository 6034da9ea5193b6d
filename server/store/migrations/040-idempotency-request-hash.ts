import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// An idempotency key names one request: a repeat of it with another body must be told apart
// from a retry (Stripe answers such a reuse with an error, not the first request's answer).
// Events with a key keep the SHA-256 of the body that first used it; earlier rows stay null
// (their repeats are answered as before: there is nothing to compare with).
export const idempotencyRequestHash: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('events').addColumn('request_hash', 'text').execute();
  },
};
