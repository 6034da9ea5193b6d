import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';

// A Click-to-Chat workflow whose ads include Click-to-Messenger ones cannot send a WhatsApp
// template: each Messenger lead's run would fail at that step. Publishing says so, naming them.
let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const base = { adAccountId: 'act_1', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS' };
const ads = [
  { ...base, adId: '120210000000001', name: 'Summer sale WA', channel: 'whatsapp_cloud_api', destinationType: 'WHATSAPP' },
  { ...base, adId: '120210000000002', name: 'Summer sale FB', channel: 'messenger', destinationType: 'MESSENGER' },
  { ...base, adId: '120210000000003', name: 'Winter FB', channel: 'messenger', destinationType: 'MESSENGER' },
];
const template = { id: 'confirm', type: 'send_message', config: { kind: 'template', template: { name: 'order_confirmation', language: 'en_US' } } };
const hello = { id: 'hello', type: 'send_message', config: { text: 'Hi! How can we help?' } };

async function publish(adIds: string[], steps: unknown[]) {
  const admin = server.api(server.adminToken);
  for (const ad of ads) await admin.post('/ads', ad);
  return admin.post('/workflows', { name: 'Ad leads', status: 'published', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds }, steps });
}

describe('publishing a Click-to-Chat workflow with a WhatsApp template', () => {
  it('is refused when Messenger ads are among its ads, naming them on the template step', async () => {
    const res = await publish(ads.map((a) => a.adId), [hello, template]);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{
      path: 'body.steps.1.config.kind',
      message: 'Step 2 ("confirm") sends a WhatsApp template, which Messenger cannot carry, and this workflow also starts for the Click-to-Messenger ads "Summer sale FB" (120210000000002), "Winter FB" (120210000000003): send text, media or buttons instead, or put the WhatsApp and Messenger ads in separate workflows',
    }]);
  });

  it('publishes with WhatsApp ads only, and with Messenger ads when no step sends a template', async () => {
    expect((await publish([ads[0]!.adId], [hello, template])).status).toBe(201);
    expect((await publish(ads.map((a) => a.adId), [hello])).status).toBe(201);
  });
});
