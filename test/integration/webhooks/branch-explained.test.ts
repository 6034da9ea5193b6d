import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

// A run's Branch step says why it went where it went, over real HTTP: each branch tried, each
// condition as written with the value the variable had, and whether it held (as n8n's IF node
// shows its input), so an admin reading the run history sees "plan was Pro, not vip"; conditions
// an earlier one decided without are listed as skipped, so the run details show every condition.

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const route = {
  id: 'route', type: 'branch',
  config: {
    branches: [
      { name: 'VIP', conditions: { logic: 'and', rules: [
        { left: '{{$trigger.plan}}', operator: 'is', right: 'vip' },
        { left: '{{$trigger.country}}', operator: 'is', right: 'ES' },
      ] }, goTo: 'thanks' },
      { name: 'Same country as the shop', conditions: { logic: 'or', rules: [
        { left: '{{$trigger.country}}', operator: 'is', right: '{{$trigger.shopCountry}}' },
        { left: '{{$trigger.plan}}', operator: 'exists' },
      ] }, goTo: 'thanks' },
    ],
  },
};
const thanks = { id: 'thanks', type: 'add_comment', config: { text: 'Thanks' } };
const mappings = ['plan', 'country', 'shopCountry'].map((v) => ({ jsonKey: `$.${v}`, variable: v }));

async function runWith(body: Record<string, unknown>) {
  const hook = await publishWebhookWorkflow(server, { mappings }, [route, thanks]);
  const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550123', ...body }), headers: { 'content-type': 'application/json' } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const run = await waitForRun(server, res.body.runIds[0]);
  expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
  const read = await server.api(server.adminToken).get(`/runs/${run.id}`);
  return read.body.stepLog.find((s: { stepId: string }) => s.stepId === 'route');
}

describe('the run log of a Branch step', () => {
  beforeEach(async () => {
    const contact = await makeContact(server, { phone: '+14155550123' });
    await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
  });

  it('names each condition checked with the value it had; an "and" stops at the first that fails, an "or" at the first that holds, the rest listed as skipped', async () => {
    const step = await runWith({ plan: 'Pro', country: 'FR', shopCountry: 'FR' });
    expect(step.output).toEqual({
      branch: 'Same country as the shop', goTo: 'thanks',
      checked: [
        { branch: 'VIP', matched: false,
          conditions: [{ condition: '{{$trigger.plan}} is "vip"', left: '{{$trigger.plan}}', value: 'Pro', holds: false }],
          skipped: [{ condition: '{{$trigger.country}} is "ES"', left: '{{$trigger.country}}' }] },
        { branch: 'Same country as the shop', matched: true, conditions: [
          { condition: '{{$trigger.country}} is {{$trigger.shopCountry}} ("FR")', left: '{{$trigger.country}}', value: 'FR', holds: true },
        ], skipped: [{ condition: '{{$trigger.plan}} has a value', left: '{{$trigger.plan}}' }] },
      ],
    });
  });

  it('says why it went to else: every branch tried, a missing value shown as null', async () => {
    const step = await runWith({ country: 'FR', shopCountry: 'ES' });
    expect(step.output.branch).toBe('else');
    expect(step.output.checked).toEqual([
      { branch: 'VIP', matched: false,
        conditions: [{ condition: '{{$trigger.plan}} is "vip"', left: '{{$trigger.plan}}', value: null, holds: false }],
        skipped: [{ condition: '{{$trigger.country}} is "ES"', left: '{{$trigger.country}}' }] },
      { branch: 'Same country as the shop', matched: false, conditions: [
        { condition: '{{$trigger.country}} is {{$trigger.shopCountry}} ("ES")', left: '{{$trigger.country}}', value: 'FR', holds: false },
        { condition: '{{$trigger.plan}} has a value', left: '{{$trigger.plan}}', value: null, holds: false },
      ] },
    ]);
  });
});
