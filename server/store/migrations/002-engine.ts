import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const engine: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('workflows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('trigger_type', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('webhook_token', 'text', (c) => c.unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .execute();
    await db.schema.createTable('workflow_versions')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('workflow_versions_pk', ['workflow_id', 'version'])
      .execute();
    await db.schema.createTable('trigger_index')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('trigger_type', 'text', (c) => c.notNull())
      .addColumn('trigger_key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('trigger_index_pk', ['trigger_type', 'trigger_key', 'workflow_id'])
      .execute();
    await db.schema.createIndex('trigger_index_by_workflow').on('trigger_index').column('workflow_id').execute();
    await db.schema.createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('variables', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('step_log', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('wake_at', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('jumps', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .execute();
    await db.schema.createIndex('runs_due').on('runs').columns(['status', 'wake_at']).execute();
    await db.schema.createIndex('runs_by_workflow').on('runs').columns(['workflow_id', 'id']).execute();
    await db.schema.createIndex('runs_by_contact_workflow').on('runs').columns(['workflow_id', 'contact_id', 'status']).execute();
    await db.schema.createIndex('runs_by_event').on('runs').column('event_id').execute();
    await db.schema.createTable('enrollments')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('enrollments_pk', ['workflow_id', 'contact_id'])
      .execute();
    await db.schema.createTable('step_effects')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
