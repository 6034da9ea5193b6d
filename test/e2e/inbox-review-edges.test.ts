import { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { clickConversation, launchInboxChromium, type InboxBrowser } from './support/inbox-browser';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../integration/webhooks/support';
import { connectExtension, launchWithExtension, LAUNCHER, openConversation, type ExtensionBrowser } from './launcher-harness';

// The built-in inbox in Chromium: an error banner belongs to the conversation it was about, a
// workflow's messages name the workflow, and a browser without the extension is told how to get
// shortcuts (a hint that never shows, nor gets in the way, when the extension's launcher is there).

const HINT = '[data-testid="shortcuts-hint"]';
/** Longer than the hint's delay (SHORTCUTS_HINT_DELAY_MS, 2.5 s). */
const PAST_HINT_DELAY = 3500;

let server: TestServer;
let browser: Browser;
let page: Page;
let chromium: InboxBrowser;
let pageErrors: string[] = [];
const ids = { maria: '', mariaConv: '', bob: '', bobConv: '', workflow: '' };

const admin = () => server.api(server.adminToken);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const visible = (selector: string) => page.$eval(selector, (el) => !(el as HTMLElement).hidden && el.getClientRects().length > 0).catch(() => false);

async function signIn(p: Page) {
  await p.goto(`${server.url}/inbox`);
  await p.waitForSelector('[data-testid="signin-token"]', { visible: true });
  await p.type('[data-testid="signin-token"]', server.adminToken);
  await p.click('[data-testid="signin-submit"]');
  await p.waitForSelector('[data-testid="inbox"]', { visible: true });
}

async function open(conversationId: string) {
  await clickConversation(page, conversationId);
  await page.waitForSelector(`[data-conversation-id="${conversationId}"]:not([hidden])`);
  await page.waitForSelector('[data-testid="message-list"] [data-testid="message"], [data-testid="message-list"] [data-testid="note"]');
}

beforeAll(async () => {
  server = await startTestServer();
  const maria = await makeContact(server, { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222' });
  const bob = await makeContact(server, { firstName: 'Bob', lastName: 'Stone', phone: '+34600111333' });
  ids.maria = maria.id;
  ids.bob = bob.id;
  ids.mariaConv = (await admin().post('/conversations', { contactId: maria.id })).body.id;
  ids.bobConv = (await admin().post('/conversations', { contactId: bob.id })).body.id;
  await admin().post(`/conversations/${ids.bobConv}/messages`, { text: 'Hello from Bob', direction: 'incoming' });
  // "Order shipped" writes a note and a message into Maria's conversation.
  const wf = await publishWebhookWorkflow(server, {}, [
    { id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } },
    { id: 'tell', type: 'send_message', config: { text: 'Your order {{$trigger.orderId}} is on its way' } },
  ]);
  ids.workflow = wf.id;
  const hook = await server.request('POST', wf.path, { body: { phone: '+34600111222', order: { id: 'A-1042' } } });
  expect(hook.status, JSON.stringify(hook.body)).toBe(202);
  for (const runId of hook.body.runIds as string[]) expect((await waitForRun(server, runId)).status).toBe('completed');

  chromium = await launchInboxChromium();
  ({ browser, page, pageErrors } = chromium);
  await signIn(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-item"]').length === 2);
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('the built-in inbox, after the user review', () => {
  it('names the workflow that wrote a note or a message ("Workflow: Order shipped")', async () => {
    await open(ids.mariaConv);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message-list"] [data-testid="message-author"]').length === 2);
    const authors = await page.$$eval('[data-testid="message-list"] li[data-kind]', (els) => els.map((el) => [
      el.getAttribute('data-kind'), el.querySelector('[data-testid="message-text"]')?.textContent, el.querySelector('[data-testid="message-author"]')?.textContent,
    ]));
    expect(authors).toEqual([
      ['comment', 'Order A-1042 shipped', 'Workflow: Order shipped'],
      ['message', 'Your order A-1042 is on its way', 'Workflow: Order shipped'],
    ]);
  });

  it('takes an error banner down when the agent goes to another conversation', async () => {
    await open(ids.mariaConv);
    // A reply over the API's 4096 characters: the server refuses it, the banner says why.
    await page.$eval('[data-testid="composer-input"]', (el) => { (el as HTMLTextAreaElement).value = 'x'.repeat(5000); });
    await page.click('[data-testid="send-button"]');
    await page.waitForSelector('[data-testid="error-banner"]:not([hidden])');
    // Still up while Maria's conversation is shown (a refresh of it is not a navigation).
    await sleep(300);
    expect(await visible('[data-testid="error-banner"]')).toBe(true);

    await open(ids.bobConv);
    expect(await visible('[data-testid="error-banner"]')).toBe(false);
    expect(await page.$eval('[data-testid="conversation-title"]', (el) => el.textContent)).toBe('Bob Stone');
  });

  it('keeps the banner of a conversation that does not exist up on the list it sends the agent to', async () => {
    await page.goto(`${server.url}/inbox/c/cnv_does_not_exist`);
    await page.waitForSelector('[data-testid="error-banner"]:not([hidden])');
    expect(await page.$eval('[data-testid="error-banner"] .banner-text', (el) => el.textContent)).toContain('not found');
    expect(new URL(page.url()).pathname).toBe('/inbox/');
    await sleep(300);
    expect(await visible('[data-testid="error-banner"]')).toBe(true);
    // Opening a conversation from there is a navigation: it goes.
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${ids.bobConv}"]`);
    await open(ids.bobConv);
    expect(await visible('[data-testid="error-banner"]')).toBe(false);
  });

  it('without the extension, says after a moment how to get shortcuts, and remembers a dismissal', async () => {
    await page.goto(`${server.url}/inbox/c/${ids.bobConv}`);
    await page.waitForSelector(`[data-conversation-id="${ids.bobConv}"]:not([hidden])`);
    // Not at once: the extension gets its moment to mount first.
    expect(await visible(HINT)).toBe(false);
    await page.waitForSelector(`${HINT}:not([hidden])`, { timeout: 8000 });
    expect(await visible(HINT)).toBe(true);
    const text = await page.$eval(HINT, (el) => el.textContent ?? '');
    expect(text).toContain('Shortcuts need the browser extension');
    expect(text).toContain('Load the extension into Chrome');
    expect(await page.$eval('[data-testid="shortcuts-hint-server"]', (el) => el.textContent)).toBe(server.url);
    // Never inside the composer toolbar, where the extension mounts its launcher.
    expect(await page.$eval('[data-composer-toolbar]', (el) => el.querySelector('[data-testid="shortcuts-hint"]') === null && el.children.length)).toBe(1);
    await page.click('[data-testid="shortcuts-hint-steps"] summary');
    expect(await page.$eval('[data-testid="shortcuts-hint-steps"]', (el) => (el as HTMLDetailsElement).open)).toBe(true);

    await page.click('[data-testid="shortcuts-hint-dismiss"]');
    expect(await visible(HINT)).toBe(false);
    await page.reload();
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    await sleep(PAST_HINT_DELAY);
    expect(await visible(HINT)).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('shows no hint when a launcher is there, and takes it down when one mounts late', async () => {
    const other = await browser.newPage();
    try {
      await other.setViewport({ width: 1360, height: 820 });
      await other.evaluateOnNewDocument(() => localStorage.removeItem('inboxCompanion.shortcutsHint'));
      // A launcher mounted before the delay (as the extension's content script does).
      await other.evaluateOnNewDocument(() => document.addEventListener('DOMContentLoaded', () => {
        if (new URL(location.href).searchParams.has('late')) return;
        document.querySelector('[data-composer-toolbar]')?.append(document.createElement('inbox-companion-launcher'));
      }));
      await other.goto(`${server.url}/inbox/c/${ids.bobConv}`);
      await other.waitForSelector('[data-testid="inbox"]', { visible: true });
      await sleep(PAST_HINT_DELAY);
      expect(await other.$eval(HINT, (el) => (el as HTMLElement).hidden)).toBe(true);

      // No launcher: the hint shows; one floating in late (the extension enabled meanwhile) takes it down.
      await other.goto(`${server.url}/inbox/c/${ids.bobConv}?late=1`);
      await other.waitForSelector(`${HINT}:not([hidden])`, { timeout: 8000 });
      await other.evaluate(() => {
        const dock = document.createElement('div');
        dock.setAttribute('data-inbox-companion', 'floating-launcher');
        document.body.append(dock);
      });
      await other.waitForSelector(`${HINT}[hidden]`);
    } finally {
      await other.close();
    }
  });
});

describe('the built-in inbox with the extension installed', () => {
  let ext: ExtensionBrowser;
  afterAll(async () => { await ext?.close(); });

  it('mounts the launcher in the composer toolbar as before, and shows no hint', async () => {
    ext = await launchWithExtension();
    await connectExtension(ext, server.url, server.adminToken);
    const withExtension = await ext.browser.newPage();
    await withExtension.setViewport({ width: 1360, height: 820 });
    await openConversation(withExtension, server.url, server.adminToken, ids.bobConv);
    await withExtension.waitForSelector(LAUNCHER, { timeout: 10_000 });
    await sleep(PAST_HINT_DELAY);
    expect(await withExtension.$eval(HINT, (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(await withExtension.$eval('[data-composer-toolbar]', (el) => [...el.children].map((c) => c.tagName.toLowerCase())))
      .toEqual(['button', 'inbox-companion-launcher']);
  });
});
