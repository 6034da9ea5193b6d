import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// An Ask a Question step whose question a channel did not take for now (Meta throttling or
// down, Chatwoot busy) keeps its wait row, marked unsent, while the run waits to try again: the
// row keeps the question's send key (created_at, attempts) for the retry, and takes no reply
// meanwhile (the customer has not seen the question; their message goes to the usual triggers).
export const questionWaitsUnsent: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('question_waits').addColumn('unsent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
