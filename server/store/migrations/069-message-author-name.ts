import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A workflow's message carries the workflow's name (the inbox shows "Workflow: Order shipped"),
// written with the message by the step that sends it: listing a conversation reads no workflow.
// Messages written before keep their workflow id (author_id): they are named from the workflow
// as it is now, once, here; a workflow deleted since leaves them unnamed ("Workflow").
export const messageAuthorName: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    // Text compares bytes (migration 066): a new text column says so on PostgreSQL.
    if (postgres) await sql`ALTER TABLE messages ADD COLUMN author_name text COLLATE "C"`.execute(db);
    else await db.schema.alterTable('messages').addColumn('author_name', 'text').execute();
    await sql`
      UPDATE messages SET author_name = (SELECT w.name FROM workflows w WHERE w.id = messages.author_id)
      WHERE author_type = 'workflow' AND author_id IS NOT NULL`.execute(db);
  },
};
