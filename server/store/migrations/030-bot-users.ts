import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A user is a person (`human`) or a bot (an AI agent or script acting with its own API token).
// What a bot does is recorded with source `bot`, so Conversation Closed can tell it from a person.
export const botUsers: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('users').addColumn('kind', 'text', (c) => c.notNull().defaultTo('human')).execute();
  },
};
