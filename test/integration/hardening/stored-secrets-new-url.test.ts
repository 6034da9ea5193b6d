import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../webhooks/support';
import { startTestServer, type TestServer } from '../../support/server';

// The workspace's secrets are kept between reads while none changed (workspace-secrets.ts): a
// webhook URL given anew (POST /workflows/:id/webhook/regenerate) changes only its token, and a
// stored text quoting the new one is masked at the next read, as the old one was.

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

it('a stored error quoting a webhook URL made anew is shown masked', async () => {
  const admin = server.api(server.adminToken);
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server);
  expect((await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const runId = (await admin.get(`/workflows/${hook.id}/runs`)).body.runs[0].id as string;
  await waitForRun(server, runId);
  // Read once: the set of secrets is made and kept.
  expect((await admin.get(`/runs/${runId}`)).status).toBe(200);

  const regenerated = await admin.post(`/workflows/${hook.id}/webhook/regenerate`);
  expect(regenerated.status, JSON.stringify(regenerated.body)).toBe(200);
  const token = String(regenerated.body.url).split('/').pop()!;
  await sql`update runs set status = 'failed', error = ${`POST /hooks/${token} answered 404`} where id = ${runId}`.execute(server.app.services.db);
  expect((await admin.get(`/runs/${runId}`)).body.error).toBe('POST /hooks/[redacted] answered 404');
});
