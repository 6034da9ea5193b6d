import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// WhatsApp / Messenger channels (issue 12).
// - meta_deliveries: one row per inbound webhook item handled (a wamid, a mid, a postback or a
//   referral), inserted in the item's own transaction: Meta repeats deliveries, and a repeat
//   (also one arriving concurrently, or after a restart) finds the row and changes nothing.
// - messages.send_key: the idempotency key of an outgoing send (run id + step id, or the inbox
//   request's message id), written BEFORE the Graph call; unique, so a resumed step finds its
//   earlier attempt instead of sending again. messages.attachments: JSON list of
//   { type, url?, id?, caption?, filename? } kept from inbound media and outbound sends.
export const metaChannels: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('meta_deliveries')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('messages').addColumn('send_key', 'text').execute();
    await db.schema.alterTable('messages').addColumn('attachments', 'text').execute();
    await db.schema.alterTable('messages').addColumn('delivery_updated_at', 'text').execute();
    await sql`CREATE UNIQUE INDEX messages_by_send_key ON messages (send_key) WHERE send_key IS NOT NULL`.execute(db);
  },
};
