import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  connectExtension, launchWithExtension, launcherState, openConversation, openLauncher, until, type ExtensionBrowser,
} from './launcher-harness';

// The run's toast on a shorter window (800×700), in Chromium with the built extension: it moves
// out of the way when the launcher's panel grows from the menu to a tall form, and it does not
// sit bright above the inbox's modal Close dialog.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;

interface Box { left: number; right: number; top: number; bottom: number }
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const rectOf = (selector: string) => page.$eval(selector, (el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
});
const toastShown = () => page.$eval('pierce/.ic-toast', (el) => getComputedStyle(el).visibility === 'visible').catch(() => false);

beforeAll(async () => {
  server = await startTestServer();
  const agent = await server.createUser('agent', { name: 'Ava Agent' });
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
  const conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
  expect((await admin.post(`/conversations/${conversationId}/assign`, { userId: agent.user.id })).status).toBe(200);
  const ask = await admin.post('/workflows', {
    name: 'Ask order', status: 'published',
    trigger: { type: 'shortcut', icon: '❓', name: 'Ask order number', description: 'Ask the customer for their order number' },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 3600 } }],
  });
  expect(ask.status, JSON.stringify(ask.body)).toBe(201);
  const all = await admin.post('/workflows', {
    name: 'All fields', status: 'published',
    trigger: {
      type: 'shortcut', icon: '🧾', name: 'All fields', description: 'Every kind of field',
      form: { fields: [
        { label: 'Order number', type: 'text', variable: 'order', required: true },
        { label: 'Reason', type: 'list', variable: 'reason', options: ['Late', 'Damaged'] },
        { label: 'Refund shipping', type: 'checkbox', variable: 'shipping' },
        { label: 'Amount', type: 'number', variable: 'amount' },
        { label: 'Delivered on', type: 'date', variable: 'day' },
        { label: 'Call back at', type: 'time', variable: 'at' },
        { label: 'Phone', type: 'phone', variable: 'phone' },
        { label: 'Email', type: 'email', variable: 'email' },
        { label: 'Tracking page', type: 'url', variable: 'tracking' },
      ] },
    },
    steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.order}}' } }],
  });
  expect(all.status, JSON.stringify(all.body)).toBe(201);

  ext = await launchWithExtension();
  await connectExtension(ext, server.url, agent.token);
  page = await ext.browser.newPage();
  await page.setViewport({ width: 800, height: 700 });
  await openConversation(page, server.url, agent.token, conversationId);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the run toast on an 800×700 window', () => {
  it('moves above the panel when it grows from the menu to a form, leaving its title and fields readable', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
    await openLauncher(page);
    await page.keyboard.type('ask order');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/.ic-toast');
    // Settled: the inbox's waiting notice grew the composer and the toast moved above it.
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 10_000 });
    await until(async () => (await page.$eval('pierce/.ic-toast', (el) => el.textContent ?? '')).includes('Waiting'), 'the toast to say the run waits', 10_000);
    await new Promise((r) => setTimeout(r, 300));

    await openLauncher(page);
    const menu = await rectOf('pierce/.ic-panel');
    expect(overlap(await rectOf('pierce/.ic-toast'), menu)).toBe(false);
    await page.keyboard.type('all fields');
    await page.keyboard.press('Enter');
    await page.waitForSelector('::-p-aria(Order number)');
    // The form made the panel taller (upwards, over the thread).
    await until(async () => (await rectOf('pierce/.ic-panel')).top < menu.top - 50, 'the panel to grow', 3000);

    await until(async () => !overlap(await rectOf('pierce/.ic-toast'), await rectOf('pierce/.ic-panel')), 'the toast to clear the form', 3000);
    const toast = await rectOf('pierce/.ic-toast');
    expect(overlap(toast, await rectOf('pierce/.ic-form-header'))).toBe(false);
    expect(toast.top).toBeGreaterThanOrEqual(0);
  });

  it('hides while the inbox\'s modal Close dialog is open, and shows again once it is closed', async () => {
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('pierce/.ic-panel')), 'the panel to close');
    expect(await toastShown()).toBe(true);

    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    await until(async () => !(await toastShown()), 'the toast to hide behind the dialog', 3000);
    // Nothing of the toast above the backdrop: the dialog is what lies at its place.
    const box = await rectOf('pierce/.ic-toast');
    const hit = await page.evaluate((x, y) => document.elementFromPoint(x, y)?.closest('dialog')?.getAttribute('data-testid') ?? document.elementFromPoint(x, y)?.tagName, (box.left + box.right) / 2, (box.top + box.bottom) / 2);
    expect(hit).not.toBe('INBOX-COMPANION-LAUNCHER');

    await page.click('[data-testid="close-cancel"]');
    await until(async () => toastShown(), 'the toast to come back', 3000);
  });
});
