import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { Workflow } from '../../lib/contracts/workflow';
import { listMessages } from '../../server/domain/conversations';
import { waitForRun } from '../support/builders';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, defineField, openFor, type WorkflowInput } from './engine-support';

// Template variables a run could not fill are refused when a workflow is published (422 naming
// the step's field, the variable and what it likely meant), not found by customers later; drafts
// keep them, and a version published before these checks still runs as it did.

let server: TestServer;
let admin: Api;
beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  admin = server.api(server.adminToken);
});
afterEach(async () => { await server.close(); });

/** The user review's text: three wrong `$contact` paths and a placeholder without `$`. */
const REVIEWED = 'a={{$contact.firstname}} g={{$contact.name}} c={{$contact.fields.nonexistent}} d={{ contact.firstName }}';

const manual = (steps: WorkflowInput['steps']): WorkflowInput => ({ name: 'Greeting', trigger: { type: 'manual' }, steps });

async function refusedDetails(body: WorkflowInput) {
  const draft = await createWorkflow(server, body, false);
  const res = await admin.post(`/workflows/${draft.id}/publish`);
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(Workflow.parse((await admin.get(`/workflows/${draft.id}`)).body).status).toBe('draft');
  return { body: ErrorBody.parse(res.body), draft };
}

/** An installed app whose `refund` action takes a required `order_id`; and a key that may start workflows. */
async function refundApp() {
  const appServer = await startAppSink(server);
  const registered = await admin.post('/apps', {
    key: 'refunds', name: 'Refunds', scopes: ['workflows.start', 'contacts.read'], subscribeUrl: appServer.urls.subscribeUrl,
    actions: [{
      key: 'refund', name: 'Refund',
      inputs: [{ key: 'order_id', label: 'Order', required: true }, { key: 'reason', label: 'Reason' }],
      request: { method: 'POST', url: 'https://refunds.example/refund', body: { order: '{{input.order_id}}', reason: '{{input.reason}}' } },
    }],
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const appId = registered.body.app.id as string;
  const installed = await admin.post(`/apps/${appId}/install`, { authValues: {} });
  expect(installed.status).toBe(201);
  return { appId, api: server.api(lastKey(appServer)) };
}

describe('publishing refuses template variables a run could not fill', () => {
  it('names the step field, the variable and what it likely meant (comment and message)', async () => {
    await defineField(server, 'order_id');
    const { body } = await refusedDetails(manual([
      { id: 'note', type: 'add_comment', config: { text: REVIEWED } },
      { id: 'say', type: 'send_message', config: { text: 'Hi {{$contact.firstname}}' } },
    ]));
    expect(body.error.details).toEqual([
      { path: 'steps.0.config.text', message: 'Unknown variable {{$contact.firstname}}: did you mean {{$contact.firstName}}?' },
      { path: 'steps.0.config.text', message: 'Unknown variable {{$contact.name}}: did you mean {{$contact.firstName}} or {{$contact.lastName}}?' },
      { path: 'steps.0.config.text', message: 'Unknown variable {{$contact.fields.nonexistent}}: there is no contact field "nonexistent" (the fields are order_id)' },
      { path: 'steps.0.config.text', message: '{{ contact.firstName }} is sent as written: did you mean {{$contact.firstName}}?' },
      { path: 'steps.1.config.text', message: 'Unknown variable {{$contact.firstname}}: did you mean {{$contact.firstName}}?' },
    ]);
    expect(body.error.message).toContain('steps.0.config.text: Unknown variable {{$contact.firstname}}: did you mean {{$contact.firstName}}?');
  });

  it('refuses a create that publishes at once, under body.', async () => {
    const res = await admin.post('/workflows', { ...manual([{ id: 'say', type: 'send_message', config: { text: '{{$conversation.assignee}}' } }]), status: 'published' });
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([
      { path: 'body.steps.0.config.text', message: 'Unknown variable {{$conversation.assignee}}: did you mean {{$conversation.assigneeId}}?' },
    ]);
  });

  it('checks custom fields against those defined now', async () => {
    const body = manual([{ id: 'note', type: 'add_comment', config: { text: 'Order {{$contact.fields.order_id}}' } }]);
    const { body: refused, draft } = await refusedDetails(body);
    expect(refused.error.details).toEqual([
      { path: 'steps.0.config.text', message: 'Unknown variable {{$contact.fields.order_id}}: there is no contact field "order_id" (no custom fields are defined yet)' },
    ]);
    await defineField(server, 'order_id');
    const published = await admin.post(`/workflows/${draft.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });

  it('publishes what is right, and leaves braces that are not ours alone', async () => {
    await defineField(server, 'plan');
    const wf = await createWorkflow(server, manual([
      { id: 'note', type: 'add_comment', config: { text: '{{$contact.firstName}} {{$contact.lastName}} {{$contact.fields.plan}} {{$conversation.id}} {{$system.now}} {{1}} {{first_name}}' } },
      { id: 'call', type: 'http_request', config: { method: 'POST', url: 'https://mailer.example/send', body: '{"template":"Hello {{contact.firstName}}","email":"{{$contact.email}}"}' } },
    ]));
    expect(wf.status).toBe('published');
  });

  it('refuses a mini-app action whose required input is empty', async () => {
    const { appId } = await refundApp();
    const { body } = await refusedDetails(manual([
      { id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { reason: 'late' } } },
      { id: 'again', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { order_id: '{{$trigger.orderId}}', amount: '5' } } },
    ]));
    expect(body.error.details).toEqual([
      { path: 'steps.0.config.inputs.order_id', message: '"Order" is a required input of the action "refund": give it a value' },
      { path: 'steps.1.config.inputs.amount', message: 'The action "refund" has no input "amount"' },
    ]);
  });
});

describe('a version published before these checks', () => {
  it('still runs as it did: unknown variables render empty, a placeholder without $ as written', async () => {
    const { api } = await refundApp();
    const wf = await createWorkflow(server, manual([{ id: 'note', type: 'add_comment', config: { text: 'hello' } }]));
    // As stored by an earlier release, which published it.
    const db = server.app.services.db;
    const definition = JSON.stringify({ ...JSON.parse((await db.selectFrom('workflows').select('definition').where('id', '=', wf.id).executeTakeFirstOrThrow()).definition as string),
      steps: [{ id: 'note', type: 'add_comment', config: { text: REVIEWED } }] });
    await db.updateTable('workflows').set({ definition }).where('id', '=', wf.id).execute();
    await db.updateTable('workflow_versions').set({ definition }).where('workflow_id', '=', wf.id).where('version', '=', wf.version).execute();

    const contact = (await admin.post('/contacts', { firstName: 'Ada' })).body as { id: string };
    const conversation = await openFor(server, contact.id);
    const res = await api.post(`/workflows/${wf.id}/start`, { contact: { id: contact.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(db, res.body.runIds[0]);
    expect(run.status).toBe('completed');
    expect((await listMessages(db, conversation.id)).map((m) => m.text)).toContain('a= g= c= d={{ contact.firstName }}');
  });
});
