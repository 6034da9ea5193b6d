import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// An Ask a Question step waiting for the contact's reply on a conversation. The run itself waits
// like any other (status waiting, wake_at = the timeout), holding no worker; an incoming message on
// the conversation is stored here as the answer and wakes the run at once.
export const questionWaits: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('question_waits')
      .addColumn('run_id', 'text', (c) => c.primaryKey())
      .addColumn('step_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('answer', 'text')
      .addColumn('answer_message_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('question_waits_by_conversation').on('question_waits').columns(['conversation_id', 'created_at']).execute();
  },
};
