import { afterEach, expect, it } from 'vitest';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type ApiResponse, type TestServer } from '../support/server';
import { createWorkflow } from './engine-support';
import { settingsInUseSuite } from './settings-in-use-suite';

describePg('settings in use on PostgreSQL', () => {
  settingsInUseSuite(pgUrl);

  let server: TestServer | undefined;
  afterEach(async () => { await server?.close(); });

  it('a field delete waits for a publish that has read the field (FOR SHARE), then names the workflow (409)', async () => {
    server = await startTestServer({ databaseUrl: pgUrl(), workers: false });
    const admin = server.api(server.adminToken);
    expect((await admin.put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);
    const draft = await createWorkflow(server, {
      name: 'Racer', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
      steps: [{ id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Pro' } }],
    }, false);
    let deleted: Promise<ApiResponse> | undefined;
    // What a publish does, held open: it read the field as existing, the delete arrives, the publish commits.
    await server.store.db.transaction().execute(async (trx) => {
      await trx.selectFrom('field_definitions').select('key').where('key', '=', 'plan').forShare().execute();
      deleted = admin.del('/fields/plan');
      await new Promise((r) => setTimeout(r, 300));
      await trx.updateTable('workflows').set({ status: 'published' }).where('id', '=', draft.id).execute();
    });
    const answer = await deleted!;
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toContain(`"Racer" (${draft.id}) uses "plan" in step "set"`);
    expect(((await admin.get('/fields')).body.fields as { key: string }[]).map((f) => f.key)).toContain('plan');
  });

  it('a category list change waits for a publish that has read the list (FOR SHARE), then names the workflow (409)', async () => {
    server = await startTestServer({ databaseUrl: pgUrl(), workers: false });
    const admin = server.api(server.adminToken);
    expect((await admin.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] })).status).toBe(200);
    const draft = await createWorkflow(server, {
      name: 'Racer', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
      steps: [{ id: 'close', type: 'close_conversation', config: { category: 'Spam' } }],
    }, false);
    let changed: Promise<ApiResponse> | undefined;
    await server.store.db.transaction().execute(async (trx) => {
      await trx.selectFrom('settings').select('value').where('key', '=', 'closing_categories').forShare().execute();
      changed = admin.put('/settings/closing-categories', { categories: ['Resolved'] });
      await new Promise((r) => setTimeout(r, 300));
      await trx.updateTable('workflows').set({ status: 'published' }).where('id', '=', draft.id).execute();
    });
    const answer = await changed!;
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toContain(`"Racer" (${draft.id}) uses "Spam" in step "close"`);
  });
});
