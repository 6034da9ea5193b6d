import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from '../integration/channels/support';
import { waitForRun } from '../integration/webhooks/support';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { until } from './launcher-harness';

// The admin builds a Send message step in the real options page by picking a WhatsApp template
// the server read from the Business Account (Graph stand-in), and the run sends it to Meta with
// its named parameters. Template shapes: Meta's template management page
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/).

let w: ChannelWorld;
let ext: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  w = await startChannelWorld();
  w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: [
    { id: '9002', name: 'order_confirmation', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Hi {{customer_name}}, your order {{order_number}} has been confirmed!' }] },
    { id: '9003', name: 'welcome_back', language: 'en_US', status: 'PENDING', category: 'MARKETING', parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Welcome back!' }] },
  ] });
  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, w.server.url, w.server.adminToken);
  await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
});

afterAll(async () => {
  await ext?.close();
  await w?.close();
});

const byLabel = async (label: string) => (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 }))! as ElementHandle<HTMLInputElement>;
const click = async (name: string) => (await options.waitForSelector(`::-p-aria(${name}[role="button"])`, { timeout: 10_000 }))!.click();
const choose = async (label: string, value: string) => (await byLabel(label) as unknown as ElementHandle<HTMLSelectElement>).select(value);

describe('options page: a WhatsApp template picked from Meta', () => {
  it('picks an approved template with named parameters, publishes, and the run sends it with parameter_name', async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi, is my order confirmed?', name: 'Ana Lima' }))).status).toBe(200);
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);

    await click('New workflow');
    await (await byLabel('Workflow name')).type('Confirm order');
    await (await byLabel('Shortcut name')).type('Confirm order');
    await choose('New step', 'send_message');
    await click('Add step');
    await choose('Message type', 'template');
    const pick = await byLabel('Pick a template');
    await until(async () => (await pick.evaluate((s) => (s as unknown as HTMLSelectElement).options.length)) > 1, 'the templates read from Meta', 10_000);
    expect(await pick.evaluate((s) => [...(s as unknown as HTMLSelectElement).options].filter((o) => o.disabled).map((o) => o.textContent))).toEqual([
      'welcome_back (en_US) — Not sendable from a workflow: its status is PENDING (only approved templates are sent)',
    ]);
    await choose('Pick a template', `${w.whatsappId} order_confirmation en_US`);
    await (await byLabel('Parameter {{customer_name}}')).type('Ana');
    await (await byLabel('Parameter {{order_number}}')).type('A-1042');
    await click('Publish');
    await options.waitForSelector('.badge-published', { timeout: 10_000 });

    const admin = w.server.api(w.server.adminToken);
    const saved = (await admin.get('/workflows')).body.workflows.find((x: { name: string }) => x.name === 'Confirm order');
    expect(saved.steps[0].config).toMatchObject({ kind: 'template', template: { name: 'order_confirmation', language: 'en_US', parameters: ['Ana', 'A-1042'], parameterNames: ['customer_name', 'order_number'] } });
    const launched = await admin.post(`/shortcuts/${saved.id}/launch`, { conversationId: conversation.id, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const run = await waitForRun(w.server, launched.body.runId);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(w.graph.sent.map((s) => s.body.template)).toEqual([{
      name: 'order_confirmation', language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Ana' }, { type: 'text', parameter_name: 'order_number', text: 'A-1042' }] }],
    }]);
  });
});
