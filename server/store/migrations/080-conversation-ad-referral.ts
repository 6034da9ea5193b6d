import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// `conversations.ad_referral`: the Click-to-WhatsApp / Click-to-Messenger ad a conversation came
// from, as JSON (lib/contracts/ad-referral.ts): agents see which ad, templates read it
// (`$conversation.adReferral.*`, a Conversation Opened run included), and WhatsApp's ctwa_clid is
// kept for Meta's Conversions API. Older conversations have none (the referral was not kept).
export const conversationAdReferral: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.alterTable('conversations').addColumn('ad_referral', text).execute();
  },
};
