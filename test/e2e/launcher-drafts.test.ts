import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  connectExtension, fillField, launchWithExtension, launcherState, openConversation, openLauncher, openShortcutForm, until, type ExtensionBrowser,
} from './launcher-harness';

// What an agent typed in a shortcut's form survives the form going away, in Chromium with the
// built extension against the real server: the workspace switch turned off and on by a
// supervisor, and Escape. A launch sends what was kept, and clears it.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
let supervisorToken: string;
let workflowId: string;
let conversationId: string;

const shadowText = (selector: string) => page.$eval(`pierce/${selector}`, (el) => el.textContent ?? '').catch(() => '');
const valueOf = (label: string) => page.$eval(`::-p-aria(${label})`, (el) => (el as HTMLInputElement).value);
const switchShortcuts = async (on: boolean) =>
  expect((await server.api(supervisorToken).patch('/settings/restrictions', { agentsCanUseShortcuts: on })).status).toBe(200);

beforeAll(async () => {
  server = await startTestServer();
  const agent = await server.createUser('agent', { name: 'Ava Agent' });
  supervisorToken = (await server.createUser('supervisor', { name: 'Sam Supervisor' })).token;
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
  conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
  expect((await admin.post(`/conversations/${conversationId}/assign`, { userId: agent.user.id })).status).toBe(200);
  const refund = await admin.post('/workflows', {
    name: 'Refund order', status: 'published',
    trigger: {
      type: 'shortcut', icon: '💸', name: 'Refund order', description: 'Refund a paid order',
      form: { fields: [
        { label: 'Order number', type: 'text', variable: 'order', required: true },
        { label: 'Reason', type: 'list', variable: 'reason', required: true, options: ['Late', 'Damaged'] },
        { label: 'Refund note', type: 'text', variable: 'note' },
      ] },
    },
    steps: [{ id: 'note', type: 'add_comment', config: { text: 'Refunded {{$trigger.order}} ({{$trigger.reason}}): {{$trigger.note}}' } }],
  });
  expect(refund.status, JSON.stringify(refund.body)).toBe(201);
  workflowId = refund.body.id;

  ext = await launchWithExtension();
  await connectExtension(ext, server.url, agent.token);
  page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  await openConversation(page, server.url, agent.token, conversationId);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const openRefundForm = () => openShortcutForm(page, 'refund', 'Order number');

describe('a half-filled shortcut form', () => {
  it('comes back with what was typed when a supervisor turns shortcuts off for all agents and on again', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
    await openRefundForm();
    await fillField(page, 'Order number', '#1042');
    await fillField(page, 'Reason', 'Damaged');

    await switchShortcuts(false);
    await until(async () => (await shadowText('[data-testid="launcher-reason"]')) === 'A supervisor has turned shortcuts off for all agents', 'the switch to show', 5000);
    expect(await page.$('::-p-aria(Order number)')).toBeNull();

    await switchShortcuts(true);
    await page.waitForSelector('::-p-aria(Order number)', { timeout: 5000 });
    expect(await valueOf('Order number')).toBe('#1042');
    expect(await valueOf('Reason')).toBe('Damaged');
  });

  it('is kept on Escape; the menu marks it, and picking it again brings it back to launch', async () => {
    await fillField(page, 'Refund note', 'box crushed');
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('pierce/.ic-panel')), 'the panel to close');
    expect(await page.$eval('pierce/button[aria-label="Shortcuts"]', (b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);

    await openLauncher(page);
    expect(await shadowText('[role="option"]:has([data-testid="launcher-draft-mark"]) .ic-name')).toBe('Refund order');
    await page.keyboard.type('refund');
    await page.keyboard.press('Enter');
    await page.waitForSelector('::-p-aria(Order number)');
    expect([await valueOf('Order number'), await valueOf('Reason'), await valueOf('Refund note')]).toEqual(['#1042', 'Damaged', 'box crushed']);

    await (await page.waitForSelector('pierce/.ic-form button[type="submit"]'))!.click();
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="message-text"]')].some((m) => m.textContent === 'Refunded #1042 (Damaged): box crushed'),
      { timeout: 15_000 },
    );
    const runs = await server.api(server.adminToken).get(`/runs?workflowId=${workflowId}`);
    expect(runs.body.runs).toHaveLength(1);

    // Launched: nothing kept any more.
    await openRefundForm();
    expect(await valueOf('Order number')).toBe('');
  });
});
