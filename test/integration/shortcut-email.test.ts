import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { LaunchResult, ShortcutList } from '../../lib/contracts/shortcuts';
import { EMAIL_MESSAGE } from '../../lib/workflow/form-schema';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, parseRun, shortcutWorkflow } from './engine-support';

// A shortcut form's email field on the server: the launch checks the address with the contacts
// API's schema (a bad one is a 422 naming the field), and a good one reaches the run lower-cased.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

/** The contacts API's message for the same address (lib/contracts/common.ts Email). */
const INVALID = 'Enter a valid email address';
const admin = () => server.api(server.adminToken);
const receipt = () => shortcutWorkflow({
  name: 'Receipt',
  trigger: {
    type: 'shortcut', name: 'Email the receipt', icon: '🧾',
    form: { fields: [
      { label: 'Order ID', type: 'text', variable: 'orderId' },
      { label: 'Customer email', type: 'email', variable: 'email', required: true },
    ] },
  },
});

async function setup() {
  const wf = await createWorkflow(server, receipt());
  const { token } = await server.createUser('agent');
  const conversation = await openFor(server, (await makeContact(server)).id);
  const launch = (values: Record<string, unknown>) => server.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values });
  return { wf, token, launch };
}

describe('shortcut forms with an email field', () => {
  it('are listed to agents with the field typed email', async () => {
    const { token } = await setup();
    const res = await server.api(token).get('/shortcuts');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ShortcutList.parse(res.body).shortcuts[0]?.form.fields[1]).toMatchObject({ type: 'email', variable: 'email', required: true });
  });

  it.each([
    ['no domain suffix', 'ana@example', INVALID],
    ['two @', 'ana@@example.com', INVALID],
    ['a space', 'ana garcia@example.com', INVALID],
    ['no @', 'example.com', INVALID],
    ['a number', 42, EMAIL_MESSAGE],
  ])('refuses %s with a 422 naming the field', async (_name, email, message) => {
    const { launch } = await setup();
    const res = await launch({ orderId: '1042', email });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const { error } = ErrorBody.parse(res.body);
    expect(error.code).toBe('invalid_content');
    expect(error.details).toEqual([{ path: 'values.email', message }]);
    expect(error.message).toContain('values.email');
    expect(await server.events('shortcut.launched')).toHaveLength(0);
  });

  it('refuses a missing address when the field is required', async () => {
    const { launch } = await setup();
    const res = await launch({ orderId: '1042', email: '  ' });
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'values.email', message: 'This field is required' }]);
  });

  it('launches a good address, trimmed and lower-cased, as $trigger.email', async () => {
    const { wf, launch } = await setup();
    const res = await launch({ orderId: '1042', email: '  Ana.Garcia@Example.COM ' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = parseRun((await admin().get(`/runs/${LaunchResult.parse(res.body).runId}`)).body);
    expect(run).toMatchObject({ workflowId: wf.id, status: 'queued' });
    expect(run.variables).toMatchObject({ trigger: { orderId: '1042', email: 'ana.garcia@example.com' } });
  });
});
