import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';
import { waitFor } from '../../support/wait';
import { startTestServer, type TestServer } from '../../support/server';

// When the credentials that stored texts are masked with cannot be read, the run history still
// answers: masked with what could be read (here the run's own HTTP step key) and by the shapes the
// logs hide (a Meta token), not a 500 on every read.

const KEY = 'xk_9f8e7d6c5b4a';
const META_TOKEN = 'EAAGm0PX4ZCpsBAstored1234';

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => {
  await sql`alter table apps_unreadable rename to apps`.execute(server.app.services.db).catch(() => undefined);
  await server.close();
});

it('a run is shown masked when the workspace\'s sealed credentials cannot be read', async () => {
  const admin = server.api(server.adminToken);
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server, {}, [{
    id: 'crm', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/v1/orders', headers: [{ key: 'X-Api-Key', value: KEY }] },
  }]);
  expect((await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const db = server.app.services.db;
  const runId = await waitFor('the run', async () => (await db.selectFrom('runs').select('id').where('workflow_id', '=', hook.id).executeTakeFirst())?.id);
  await sql`update runs set status = 'failed', wake_at = null, error = ${`bad key ${KEY}; then ${META_TOKEN} refused`} where id = ${runId}`.execute(db);
  // The apps' sealed secrets cannot be read now (as a query the database refuses).
  await sql`alter table apps rename to apps_unreadable`.execute(db);

  for (const read of [`/runs/${runId}`, '/runs', '/channels']) {
    const res = await admin.get(read);
    expect(res.status, `${read}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  expect((await admin.get(`/runs/${runId}`)).body.error).toBe('bad key [redacted]; then [redacted] refused');
});
