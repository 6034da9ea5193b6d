import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Where a conversation lives. A connection is an outside system the companion talks to: a
// WhatsApp Cloud API number, a Facebook Page, a Chatwoot account. Its non-secret settings are
// JSON in `config`; its credentials are sealed by the vault (server/secrets) in `secrets`.
// A conversation with a connection_id is carried by that connection's connector (external_id is
// its id there: a Chatwoot display id, a customer's wa_id or PSID); without one it is built-in.
// A message delivered through or received from a connection keeps the outside id
// (wamid, mid, Chatwoot message id): unique per connection, so a repeated delivery is stored once.
export const connections: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('secrets', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('last_synced_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('connections_by_kind').on('connections').columns(['kind']).execute();

    await db.schema.alterTable('conversations').addColumn('connection_id', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('external_id', 'text').execute();
    await sql`CREATE INDEX conversations_by_external ON conversations (connection_id, external_id) WHERE connection_id IS NOT NULL`.execute(db);

    await db.schema.alterTable('messages').addColumn('connection_id', 'text').execute();
    await db.schema.alterTable('messages').addColumn('external_id', 'text').execute();
    await db.schema.alterTable('messages').addColumn('delivery_status', 'text').execute();
    await db.schema.alterTable('messages').addColumn('delivery_error', 'text').execute();
    await sql`CREATE UNIQUE INDEX messages_by_external ON messages (connection_id, external_id) WHERE external_id IS NOT NULL`.execute(db);
  },
};
