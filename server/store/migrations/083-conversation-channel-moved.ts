import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A conversation moved onto a WhatsApp number or Page (a workflow's Open conversation naming one, a
// template sent from the built-in inbox, the customer writing on another number or Page) kept the
// channel it had: null for a built-in one, messenger for one moved to WhatsApp, so
// `$conversation.channelType` and Conversation Closed's channel rule said where it had been. The
// moves now take the channel with them (conversation-place.ts onChannelColumns); those moved since
// migration 081 take it here. Only the rows that differ are written.
export const conversationChannelMoved: Migration = {
  async up(db: Kysely<any>) {
    await sql`UPDATE conversations SET channel_type = (SELECT kind FROM connections WHERE connections.id = conversations.connection_id)
      WHERE EXISTS (SELECT 1 FROM connections WHERE connections.id = conversations.connection_id AND connections.kind IN ('whatsapp', 'messenger')
        AND (conversations.channel_type IS NULL OR conversations.channel_type <> connections.kind))`.execute(db);
  },
};
