import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { eachPaymentsWorld, type PaymentsWorld } from '../apps-support';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../webhooks/support';

// A workspace secret may be short or an ordinary word: an app's PIN, an API key "demo". A stored
// error (as a release before the masking at the source wrote it) is shown with that secret masked
// where it stands as a word, and with every other word whole: "demonstration" and "43210" are not
// the secret "demo" or "4321", and "[redacted]nstration" would hide nothing but the text.

let world: PaymentsWorld;
eachPaymentsWorld((w) => { world = w; });

it('masks a short or word-like secret where it stands alone, not inside other words and numbers', async () => {
  const { server, payments } = world;
  const admin = server.api(server.adminToken);
  const manifest = payments.manifest();
  manifest.authInputs.push({ key: 'apiKey', label: 'API key', type: 'secret', required: true, maxLength: 64 }, { key: 'pin', label: 'PIN', type: 'secret', required: true, maxLength: 8 });
  const registered = await admin.post('/apps', manifest);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  payments.setSigningSecret(registered.body.signingSecret);
  const installed = await admin.post(`/apps/${registered.body.app.id}/install`, { authValues: { accountId: 'acct_42', apiKey: 'demo', pin: '4321' } });
  expect(installed.status, JSON.stringify(installed.body)).toBe(201);

  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server);
  expect((await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const runId = (await admin.get(`/workflows/${hook.id}/runs`)).body.runs[0].id as string;
  await waitForRun(server, runId);
  const stored = 'Payments answered 401 for the demonstration account: key demo refused (order 43210, PIN 4321; {"key":"demo","pin":"4321"})';
  await sql`update runs set status = 'failed', error = ${stored} where id = ${runId}`.execute(server.app.services.db);

  const shown = 'Payments answered 401 for the demonstration account: key [redacted] refused (order 43210, PIN [redacted]; {"key":"[redacted]","pin":"[redacted]"})';
  expect((await admin.get(`/runs/${runId}`)).body.error).toBe(shown);
  expect((await admin.get('/runs')).body.runs.find((r: { id: string }) => r.id === runId).error).toBe(shown);
});
