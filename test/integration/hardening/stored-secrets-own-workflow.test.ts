import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { amendStep } from '../../../server/channels/late-fallback-note';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';
import { openSse } from '../../support/sse';
import { waitFor } from '../../support/wait';
import { startTestServer, type TestServer } from '../../support/server';

// A credential typed into an HTTP step is masked in the runs of the workflow that holds it, as n8n
// hides a credential where it was used: a draft's `X-Api-Key: help` does not garble "help" in
// another workflow's runs, and a Jira step's `{"project": {"key": "HELP"}}` is no credential at all,
// so its runs' issue keys (HELP-123) read as Jira wrote them.

const JIRA_KEY = 'jira_9f8e7d6c5b4a';
const SANDBOX_KEY = 'help';

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => { await server.close(); });

const stepLog = (text: string) => JSON.stringify([{
  stepId: 'jira', type: 'http_request', status: 'completed', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z',
  notes: [text], output: { status: 201, response: '{"key":"HELP-123"}', issueKey: 'HELP-123' },
}]);

it('masks an HTTP step\'s credential in its own workflow\'s runs only, and no identifier as one', async () => {
  const admin = server.api(server.adminToken);
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const jira = await publishWebhookWorkflow(server, {}, [{
    id: 'jira', type: 'http_request', config: {
      method: 'POST', url: 'http://127.0.0.1:9/rest/api/2/issue', headers: [{ key: 'Authorization', value: `Bearer ${JIRA_KEY}` }],
      body: JSON.stringify({ fields: { project: { key: 'HELP' }, summary: 'Order {{$trigger.orderId}}', issuetype: { name: 'Task' } } }),
    },
  }]);
  const sandbox = await admin.post('/workflows', {
    name: 'Sandbox test', trigger: { type: 'manual' },
    steps: [{ id: 'try', type: 'http_request', config: { method: 'GET', url: 'http://127.0.0.1:9/quote', headers: [{ key: 'X-Api-Key', value: SANDBOX_KEY }] } }],
  });
  expect(sandbox.status, JSON.stringify(sandbox.body)).toBe(201);

  expect((await server.request('POST', jira.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const db = server.app.services.db;
  const jiraRun = await waitFor('the run', async () => (await db.selectFrom('runs').select('id').where('workflow_id', '=', jira.id).executeTakeFirst())?.id);
  const text = `Customer 50 asks for help with their order; key ${JIRA_KEY} refused`;
  await sql`update runs set status = 'failed', wake_at = null, error = ${text}, step_log = ${stepLog(text)} where id = ${jiraRun}`.execute(db);
  // A run of the sandbox workflow (as a test run of it would be stored), quoting the same words.
  const sandboxRun = `${jiraRun.slice(0, -4)}SAND`;
  const row = await db.selectFrom('runs').selectAll().where('id', '=', jiraRun).executeTakeFirstOrThrow();
  await db.insertInto('runs').values({ ...row, id: sandboxRun, workflow_id: sandbox.body.id, event_id: `${row.event_id}-sandbox` }).execute();

  const shownJira = (await admin.get(`/runs/${jiraRun}`)).body;
  expect(shownJira.error).toBe('Customer 50 asks for help with their order; key [redacted] refused');
  expect(shownJira.stepLog[0].notes).toEqual(['Customer 50 asks for help with their order; key [redacted] refused']);
  expect(shownJira.stepLog[0].output).toEqual({ status: 201, response: '{"key":"HELP-123"}', issueKey: 'HELP-123' });
  const listed = (await admin.get('/runs')).body.runs as { id: string; error: string }[];
  expect(listed.find((r) => r.id === jiraRun)!.error).toBe('Customer 50 asks for help with their order; key [redacted] refused');

  // In the sandbox workflow's own runs its key is masked where it stands as a word; the Jira key is not its.
  expect((await admin.get(`/runs/${sandboxRun}`)).body.error).toBe(`Customer 50 asks for [redacted] with their order; key ${JIRA_KEY} refused`);
  expect(listed.find((r) => r.id === sandboxRun)!.error).toBe(`Customer 50 asks for [redacted] with their order; key ${JIRA_KEY} refused`);
});

it('the live stream\'s run.updated shows a stored error with its own workflow\'s HTTP step key masked', async () => {
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const jira = await publishWebhookWorkflow(server, {}, [{
    id: 'jira', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/rest/api/2/issue', headers: [{ key: 'Authorization', value: `Bearer ${JIRA_KEY}` }] },
  }]);
  expect((await server.request('POST', jira.path, { body: { phone: '+14155550123', order: { id: '1' } } })).status).toBeLessThan(300);
  const db = server.app.services.db;
  const runId = await waitFor('the run', async () => (await db.selectFrom('runs').select('id').where('workflow_id', '=', jira.id).executeTakeFirst())?.id);
  const text = `Jira answered 401: key ${JIRA_KEY} refused`;
  await sql`update runs set status = 'failed', wake_at = null, error = ${text}, step_log = ${stepLog(text)} where id = ${runId}`.execute(db);
  const sse = await openSse(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${server.adminToken}` });
  try {
    await sse.waitFor(/: connected/);
    // As a late WhatsApp refusal notes itself on a step (late-fallbacks.ts): the run's stored error goes out with the event.
    expect(await amendStep(server.app.services, `${runId}:jira`, (entry) => { entry.notes = [...(entry.notes ?? []), 'noted later']; return true; })).toBe(true);
    let event = await sse.next('run.updated');
    while (event.type === 'run.updated' && event.runId !== runId) event = await sse.next('run.updated');
    expect(event).toMatchObject({ type: 'run.updated', runId, error: 'Jira answered 401: key [redacted] refused' });
    expect(sse.text()).not.toContain(JIRA_KEY);
  } finally {
    sse.close();
  }
});

it('masks MSG91\'s authkey header and a key under "auth" in its workflow\'s runs, as its file leaves them out', async () => {
  const AUTHKEY = '412345AbCdEf6789GhIjKlMn01';
  const NESTED = 'zq81LmB7vX2pQr9sT4wY';
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const sms = await publishWebhookWorkflow(server, {}, [{
    id: 'jira', type: 'http_request', config: {
      method: 'POST', url: 'http://127.0.0.1:9/api/v5/flow/', headers: [{ key: 'authkey', value: AUTHKEY }],
      body: JSON.stringify({ auth: { key: NESTED }, mobiles: '{{$contact.phone}}' }),
    },
  }]);
  expect((await server.request('POST', sms.path, { body: { phone: '+14155550123' } })).status).toBeLessThan(300);
  const db = server.app.services.db;
  const runId = await waitFor('the run', async () => (await db.selectFrom('runs').select('id').where('workflow_id', '=', sms.id).executeTakeFirst())?.id);
  // As a release before HTTP answers were masked at the source might have stored it.
  const text = `MSG91 answered 401: authkey ${AUTHKEY} or key ${NESTED} is not valid`;
  await sql`update runs set status = 'failed', wake_at = null, error = ${text}, step_log = ${stepLog(text)} where id = ${runId}`.execute(db);
  const shown = (await server.api(server.adminToken).get(`/runs/${runId}`)).body;
  expect(shown.error).toBe('MSG91 answered 401: authkey [redacted] or key [redacted] is not valid');
  expect(JSON.stringify(shown)).not.toContain(AUTHKEY);
});
