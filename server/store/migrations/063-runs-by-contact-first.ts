import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// One contact-keyed index instead of two. Every stored run paid an insert into both
// runs_by_contact (contact_id, id) and runs_by_contact_workflow (workflow_id, contact_id, status,
// id); deliveries for many contacts land on a different leaf page of each per run, so those two
// were most of the pages an ingest commit writes. Contact first serves both: a pair's queue
// (contact and workflow, then status and id) and a contact's run history (GET /runs?contactId=,
// whose runs are sorted after the seek).
export const runsByContactFirst: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('runs_by_contact_workflow').ifExists().execute();
    await db.schema.dropIndex('runs_by_contact').ifExists().execute();
    await db.schema.createIndex('runs_by_contact_workflow').on('runs').columns(['contact_id', 'workflow_id', 'status', 'id']).execute();
  },
};
