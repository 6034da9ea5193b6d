import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationList } from '../../lib/contracts/conversations';
import { ShortcutList } from '../../lib/contracts/shortcuts';
import { WorkflowSummaryList } from '../../server/engine/workflows/queries';
import { startTestServer, type TestServer } from '../support/server';
import { parseRun } from './engine-support';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ env: { COMPANION_DEMO: '1' }, workers: false }); });
afterAll(async () => { await server.close(); });

it('seeds three published shortcuts and a published webhook workflow', async () => {
  const { workflows } = WorkflowSummaryList.parse((await server.api(server.adminToken).get('/workflows')).body);
  expect(workflows.map((w) => [w.name, w.triggerType, w.status]).sort()).toEqual([
    ['Mark VIP', 'shortcut', 'published'],
    ['Order shipped', 'incoming_webhook', 'published'],
    ['Request refund', 'shortcut', 'published'],
    ['Schedule callback', 'shortcut', 'published'],
  ]);
  const hook = workflows.find((w) => w.name === 'Order shipped');
  expect(hook?.trigger).toMatchObject({ url: expect.stringMatching(/\/hooks\/[\w-]{43}$/) });
  const shortcuts = ShortcutList.parse((await server.api(server.adminToken).get('/shortcuts')).body);
  expect(shortcuts.shortcuts.map((s) => [s.name, s.form.fields.map((f) => f.type)])).toEqual([
    ['Mark VIP', []],
    ['Request refund', ['text', 'list', 'number', 'date']],
    ['Schedule callback', ['date', 'time', 'phone']],
  ]);
});

it('launches "Request refund" from a demo conversation', async () => {
  const admin = server.api(server.adminToken);
  const { shortcuts } = ShortcutList.parse((await admin.get('/shortcuts')).body);
  const refund = shortcuts.find((s) => s.name === 'Request refund')!;
  const { conversations } = ConversationList.parse((await admin.get('/conversations?status=open')).body);
  const res = await admin.post(`/shortcuts/${refund.id}/launch`, { conversationId: conversations[0]!.id, values: { orderId: '1042', reason: 'Damaged' } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const run = parseRun((await admin.get(`/runs/${res.body.runId}`)).body);
  expect(run.variables).toMatchObject({ trigger: { orderId: '1042', reason: 'Damaged', amount: null } });
});
