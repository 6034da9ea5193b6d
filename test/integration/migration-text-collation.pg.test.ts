import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrations } from '../../server/store/migrations/index';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';

// Migration 066: every text column compares bytes (COLLATE "C"), as on SQLite. A later migration
// that adds a text column without COLLATE "C" fails the first test: joined with a "C" column, its
// indexes could not serve the comparison.
async function migrateUpTo(db: Kysely<any>, schema: string, last?: string) {
  const names = Object.keys(migrations).filter((n) => last === undefined || n <= last);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!])) }, allowUnorderedMigrations: true, migrationTableSchema: schema });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

const notBytewise = (db: Kysely<any>) => sql<{ column: string }>`
  SELECT c.table_name || '.' || c.column_name AS column FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
  WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying') AND c.collation_name IS DISTINCT FROM 'C'
    AND c.table_name NOT LIKE 'kysely\\_%' ORDER BY 1`.execute(db).then((r) => r.rows.map((x) => x.column));

describePg('migration 066: text compares bytes on PostgreSQL', () => {
  const url = pgUrl()!;
  let schema: string;
  let db: Kysely<any>;

  beforeEach(async () => {
    schema = freshSchemaName();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` }) }) });
  });
  afterEach(async () => { await db.destroy(); await dropSchema(url, schema); });

  it('leaves no text column with the database collation', async () => {
    await migrateUpTo(db, schema, '065-events-key-partial');
    expect(await notBytewise(db)).toContain('runs.contact_id');
    await migrateUpTo(db, schema);
    expect(await notBytewise(db)).toEqual([]);
  });

  it('keeps the rows of an upgraded database, and the engine queue still reads them through its indexes', async () => {
    await migrateUpTo(db, schema, '065-events-key-partial');
    const now = '2026-12-03T10:00:00.000Z';
    const run = (id: string, status: string) => ({
      id, workflow_id: 'wf_1', workflow_version: 1, contact_id: 'ct_1', conversation_id: null, event_id: 'evt_1', event_type: 'webhook.received',
      variables: '{"name":"Zoë"}', status, cursor: 0, step_log: '[]', wake_at: null, attempts: 0, jumps: 0, depth: 0,
      lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
    });
    await db.insertInto('contacts').values({ id: 'ct_1', first_name: 'Zoë', last_name: '', phone: '+34600111222', email: null, tags: '[]', fields: '{}', created_at: now, updated_at: now }).execute();
    await db.insertInto('runs').values([run('run_01B', 'queued'), run('run_01A', 'completed'), run('run_01C', 'queued')]).execute();

    await migrateUpTo(db, schema);
    expect(await db.selectFrom('contacts').select(['first_name', 'phone']).execute()).toEqual([{ first_name: 'Zoë', phone: '+34600111222' }]);
    expect((await db.selectFrom('runs').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['run_01A', 'run_01B', 'run_01C']);
    // Unique indexes were rebuilt, not dropped.
    await expect(db.insertInto('contacts').values({ id: 'ct_2', first_name: '', last_name: '', phone: '+34600111222', email: null, tags: '[]', fields: '{}', created_at: now, updated_at: now }).execute())
      .rejects.toMatchObject({ code: '23505' });

    // A pair probe joins runs with itself and compares with parameters: the (contact, workflow,
    // status, id) index serves it after the change of collation.
    await sql`SET enable_seqscan = off`.execute(db);
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT r.id FROM runs r WHERE r.status = 'queued' AND NOT EXISTS (
      SELECT 1 FROM runs e WHERE e.contact_id = r.contact_id AND e.workflow_id = r.workflow_id AND e.status = 'queued' AND e.id < r.id)
      AND r.contact_id = ${'ct_1'}`.execute(db);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using runs_by_contact_workflow/);
    const heads = await sql<{ id: string }>`SELECT r.id FROM runs r WHERE r.status = 'queued' AND NOT EXISTS (
      SELECT 1 FROM runs e WHERE e.contact_id = r.contact_id AND e.workflow_id = r.workflow_id AND e.status = 'queued' AND e.id < r.id)`.execute(db);
    expect(heads.rows.map((r) => r.id)).toEqual(['run_01B']);
  });
});
