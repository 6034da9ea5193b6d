import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../integration/webhooks/support';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// Long unbroken values in Chromium: a run whose step output held 900 KB made the options page
// 5,114,012 px wide (its Status and Contact columns off-screen); the inbox's contact panel and
// messages must not scroll sideways for a long name, tag, field value or message either.

let server: TestServer;
const admin = () => server.api(server.adminToken);
const ids = { contact: '', conversation: '', workflow: '', run: '' };

/** How far the page, and each of `selectors`, scrolls sideways (0: it fits). */
const overflow = (page: Page, selectors: string[]) => page.evaluate((sels) => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  ...Object.fromEntries(sels.map((s) => {
    const el = document.querySelector(s);
    return [s, el ? el.scrollWidth - el.clientWidth : -1];
  })),
}), selectors);

beforeAll(async () => {
  server = await startTestServer();
  expect((await admin().put('/fields/pay_note', { label: 'Payment note', type: 'text' })).status).toBe(200);
  const contact = await makeContact(server, { firstName: 'M'.repeat(100), lastName: 'Garcia', phone: '+34600111222' });
  ids.contact = contact.id;
  expect((await admin().patch(`/contacts/${contact.id}`, { fields: { pay_note: 'x'.repeat(10_000) } })).status).toBe(200);
  // A tag as a version before tags from templates were checked could write it.
  await server.app.services.db.updateTable('contacts').set({ tags: JSON.stringify(['vip', 't'.repeat(2_000)]) }).where('id', '=', contact.id).execute();
  ids.conversation = (await admin().post('/conversations', { contactId: contact.id })).body.id;
  await admin().post(`/conversations/${ids.conversation}/messages`, { text: 'w'.repeat(4_000), direction: 'incoming' });

  const wf = await publishWebhookWorkflow(server, {}, [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}}' } }]);
  ids.workflow = wf.id;
  const hook = await server.request('POST', wf.path, { body: { phone: '+34600111222', order: { id: 'A-1' } } });
  expect(hook.status, JSON.stringify(hook.body)).toBe(202);
  ids.run = hook.body.runIds[0];
  const run = await waitForRun(server, ids.run);
  // As an older version stored it: a step output and a variable of 900 KB each.
  const big = 's'.repeat(900_000);
  await server.app.services.db.updateTable('runs').set({
    variables: JSON.stringify({ ...run.variables, payload: big }),
    step_log: JSON.stringify(run.stepLog.map((e: { stepId: string }) => (e.stepId === 'note' ? { ...e, output: { text: big } } : e))),
  }).where('id', '=', ids.run).execute();
});

afterAll(async () => { await server?.close(); });

describe('the inbox with long values', () => {
  let inbox: InboxBrowser;
  afterAll(async () => { await inbox?.close(); });

  it('keeps the contact panel and the messages within their columns', async () => {
    inbox = await openSignedInInbox(server.url, server.adminToken);
    const { page } = inbox;
    // The list loads after the page shows (one request): wait for the row, then open it.
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${ids.conversation}"] a`);
    await page.click(`[data-testid="conversation-item"][data-id="${ids.conversation}"] a`);
    await page.waitForSelector('[data-testid="contact-panel"]:not([hidden]) [data-testid="tag"]');
    await page.waitForSelector('[data-testid="message-list"] [data-testid="message"]');
    expect(await overflow(page, ['[data-testid="contact-panel"]', '[data-testid="message-list"]'])).toEqual({
      page: 0, '[data-testid="contact-panel"]': 0, '[data-testid="message-list"]': 0,
    });
    expect(inbox.pageErrors).toEqual([]);
  });
});

describe('run history with a 900 KB step output', () => {
  let ext: ExtensionBrowser;
  afterAll(async () => { await ext?.close(); });

  it('opens Details without widening the page: the columns stay on screen, the output shows its start', async () => {
    ext = await launchWithExtension();
    const options = await ext.openOptions();
    await options.setViewport({ width: 1280, height: 900 });
    await fillConnectForm(options, server.url, server.adminToken);
    await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
    await options.goto(`chrome-extension://${ext.extensionId}/options.html#/workflows/${ids.workflow}/runs`);
    await (await options.waitForSelector(`tr[data-run-id="${ids.run}"] ::-p-aria(Details[role="button"])`, { timeout: 10_000 }))!.click();
    await options.waitForSelector('.run-details pre.output');
    expect((await overflow(options, [])).page).toBe(0);
    const headers = await options.$$eval('table.table thead th', (ths) => ths.map((th) => [th.textContent, Math.round(th.getBoundingClientRect().right)]));
    for (const [name, right] of headers) expect(right, `${name} column`).toBeLessThanOrEqual(1280);
    const output = await options.$eval('.run-details pre.output', (el) => el.textContent!.length);
    expect(output).toBeLessThanOrEqual(10_001);
    await (await options.waitForSelector('.run-details pre.output + p ::-p-aria(Show all[role="button"])'))!.click();
    await options.waitForFunction(() => document.querySelector('.run-details pre.output')!.textContent!.length > 900_000);
    expect((await overflow(options, [])).page).toBe(0);
  });
});
