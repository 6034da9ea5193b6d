import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';
import { waitFor } from '../../support/wait';
import { startTestServer, type TestServer } from '../../support/server';

// A workflow save (frequent while an admin builds) changes no sealed credential: the next read of
// the run history opens none of them again, and parses the saved workflow's new version alone. It
// once made the whole set again after every save: every webhook token and signing secret opened,
// every definition parsed (100–280 ms with 900 workflows; bench/runs-page-masking.ts). The new
// key typed in the save is masked in that workflow's stored runs from the next read.

const KEY = 'xk_9f8e7d6c5b4a';
const NEW_KEY = 'xk_1a2b3c4d5e6f';

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => { await server.close(); });

const definition = (key: string) => ({
  name: 'Order shipped', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } },
  steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/v1/orders', headers: [{ key: 'X-Api-Key', value: key }] } }],
});

it('a workflow save opens no sealed credential at the next read, and its new key is masked', async () => {
  const admin = server.api(server.adminToken);
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server, {}, definition(KEY).steps);
  expect((await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const db = server.app.services.db;
  const runId = await waitFor('the run', async () => (await db.selectFrom('runs').select('id').where('workflow_id', '=', hook.id).executeTakeFirst())?.id);
  expect((await admin.get('/runs')).status).toBe(200);

  const saved = await admin.put(`/workflows/${hook.id}`, definition(NEW_KEY));
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  // As a run stored by an older release, quoting the key typed in the save.
  await sql`update runs set status = 'failed', wake_at = null, error = ${`bad key ${NEW_KEY} (was ${KEY})`} where id = ${runId}`.execute(db);
  const open = vi.spyOn(server.app.services.vault, 'open');
  try {
    const listed = await admin.get('/runs');
    expect(listed.status).toBe(200);
    expect(listed.body.runs.find((r: { id: string }) => r.id === runId).error).toBe('bad key [redacted] (was [redacted])');
    expect(open).not.toHaveBeenCalled();
  } finally {
    open.mockRestore();
  }
});
