import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Api, TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';

// For the stored-secrets suites that read a run whose stored text quotes a credential
// (stored-secrets-many-workflows, stored-secrets-unreadable): the masking must hold on every read.

/**
 * Ada's order webhook starts a published workflow whose HTTP step sends `key` as X-Api-Key (to a
 * closed port); its run is then stored failed with `error`, as a release before the masking at
 * the source wrote it.
 */
export async function failedHttpStepRun(server: TestServer, key: string, error: string) {
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server, {}, [{
    id: 'crm', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/v1/orders', headers: [{ key: 'X-Api-Key', value: key }] },
  }]);
  expect((await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const db = server.app.services.db;
  const runId = await waitFor('the run', async () => (await db.selectFrom('runs').select('id').where('workflow_id', '=', hook.id).executeTakeFirst())?.id);
  await sql`update runs set status = 'failed', wake_at = null, error = ${error} where id = ${runId}`.execute(db);
  return { hook, runId };
}

/** Every one of `reads` answers the admin 200 (a 500 names the read and what it said). */
export async function expectReadsAnswer(admin: Api, reads: string[]) {
  for (const read of reads) {
    const res = await admin.get(read);
    expect(res.status, `${read}: ${JSON.stringify(res.body)}`).toBe(200);
  }
}
