import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A workflow's free-form WhatsApp message with a fallback template: WhatsApp usually takes it (a
// wamid) and refuses it only later, by a `failed` status webhook with 131047 (channels/late-fallback.ts).
// The fallback as the step rendered it (`spec`, JSON SendSpec) is kept beside the message, by the
// send key the message carries, from before the Graph call until WhatsApp's verdict can no longer
// come; `due_at` is set, in the status webhook's transaction, when the refusal arrives: the worker
// sends the fallback then (and again after a crash, under the fallback's own send key, so once).
// `conversation_id` lets a contact's erasure find it (delete-contact.ts).
export const lateFallbacks: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.createTable('late_fallbacks')
      .addColumn('send_key', text, (c) => c.primaryKey())
      .addColumn('conversation_id', text, (c) => c.notNull())
      .addColumn('spec', text, (c) => c.notNull())
      .addColumn('due_at', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    // Only the few WhatsApp refused are indexed.
    await sql`CREATE INDEX late_fallbacks_due ON late_fallbacks (due_at) WHERE due_at IS NOT NULL`.execute(db);
  },
};
