import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';
import { waitFor } from '../../support/wait';
import { startTestServer, type TestServer } from '../../support/server';

// The credentials an admin wrote into an HTTP step (a key header, a Bearer token, `?api_key=`, a
// URL's password, a body's client_secret) may be quoted by a run an older release stored, before
// HTTP answers were masked at the source: the run history shows them masked, every other word whole.
// SQLite (stored-secrets-http-step.test.ts) and PostgreSQL (.pg).

const KEY = 'xk_9f8e7d6c5b4a';
const BEARER = 'abcd1234efgh5678';
const QUERY_KEY = 'q+K3yZ9abc';
const PASSWORD = 'hunter22';
const CLIENT_SECRET = 'cs"quoted-secret';

export function storedHttpCredentialsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
  afterEach(async () => { await server.close(); });

  it('a stored run quoting an HTTP step\'s credentials is shown with them masked', async () => {
    const admin = server.api(server.adminToken);
    await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server, {}, [{
      id: 'crm', type: 'http_request', config: {
        method: 'POST', url: `http://bob:${PASSWORD}@127.0.0.1:9/v1/orders?api_key=${encodeURIComponent(QUERY_KEY)}`,
        headers: [{ key: 'X-Api-Key', value: KEY }, { key: 'Authorization', value: `Bearer ${BEARER}` }],
        body: JSON.stringify({ client_secret: CLIENT_SECRET, order: '{{$trigger.orderId}}' }),
      },
    }]);
    expect((await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
    const runId = (await admin.get(`/workflows/${hook.id}/runs`)).body.runs[0].id as string;
    // Refused (nothing listens there): it waits to try again; stored as failed, as that release left it.
    await waitFor('the run waiting to try again', async () => ((await admin.get(`/runs/${runId}`)).body.status === 'waiting' ? true : undefined));
    const stored = `POST http://bob:${PASSWORD}@127.0.0.1:9/v1/orders?api_key=${encodeURIComponent(QUERY_KEY)} answered 401: `
      + `{"error":"bad key ${KEY}","auth":"Bearer ${BEARER}","echo":${JSON.stringify({ client_secret: CLIENT_SECRET })}}`;
    await sql`update runs set status = 'failed', wake_at = null, error = ${stored} where id = ${runId}`.execute(server.app.services.db);

    const shown = (await admin.get(`/runs/${runId}`)).body.error as string;
    for (const secret of [KEY, BEARER, QUERY_KEY, encodeURIComponent(QUERY_KEY), PASSWORD, JSON.stringify(CLIENT_SECRET).slice(1, -1)]) expect(shown).not.toContain(secret);
    expect(shown).toBe('POST http://[redacted]@127.0.0.1:9/v1/orders?api_key=[redacted] answered 401: '
      + '{"error":"bad key [redacted]","auth":"Bearer [redacted]","echo":{"client_secret":"[redacted]"}}');
  });
}

