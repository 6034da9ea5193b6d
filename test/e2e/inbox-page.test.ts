import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { clickConversation } from './support/inbox-browser';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const SCREENSHOT = path.join(tmpdir(), 'inbox-page.png');

let server: TestServer;
let browser: Browser;
let page: Page;
let userDataDir: string;
const pageErrors: string[] = [];
const dialogs: string[] = [];
const ids = { maria: '', mariaConv: '', xss: '', xssConv: '' };

async function until<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const admin = () => server.api(server.adminToken);

beforeAll(async () => {
  server = await startTestServer();
  const api = admin();
  await api.put('/fields/plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro'] });
  await api.put('/fields/vip', { label: 'VIP', type: 'checkbox' });
  await api.put('/fields/order_id', { label: 'Order ID', type: 'text' });
  await api.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] });
  const maria = await api.post('/contacts', { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222', email: 'maria@example.com', tags: ['demo'] });
  const xss = await api.post('/contacts', { firstName: XSS_NAME, lastName: '' });
  ids.maria = maria.body.id;
  ids.xss = xss.body.id;
  ids.xssConv = (await api.post('/conversations', { contactId: ids.xss })).body.id;
  ids.mariaConv = (await api.post('/conversations', { contactId: ids.maria })).body.id;
  await api.post(`/conversations/${ids.mariaConv}/messages`, { text: 'Hi! My order #1042 has not arrived yet.', direction: 'incoming' });
  await api.post(`/conversations/${ids.xssConv}/messages`, { text: '<b>bold?</b> <script>alert(2)</script>', direction: 'incoming' });

  userDataDir = await mkdtemp(path.join(tmpdir(), 'inbox-e2e-chrome-'));
  browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('the built-in inbox in Chromium', () => {
  it('signs in with a token and shows who is signed in', async () => {
    await page.goto(`${server.url}/inbox`);
    await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
    await page.type('[data-testid="signin-token"]', server.adminToken);
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    expect(await text('[data-testid="me-name"]')).toBe('Admin');
    expect(await page.evaluate(() => localStorage.length)).toBe(1);
  });

  it('lists the open conversations, names shown as text', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-item"]').length === 2);
    const names = await page.$$eval('[data-testid="conversation-name"]', (els) => els.map((e) => e.textContent));
    expect(names).toEqual(expect.arrayContaining(['Maria Garcia', XSS_NAME]));
    expect(await page.$('img')).toBeNull();
  });

  it('opens a conversation: deep link, marked id, messages', async () => {
    await clickConversation(page, ids.mariaConv);
    await page.waitForSelector(`[data-conversation-id="${ids.mariaConv}"]:not([hidden])`);
    expect(new URL(page.url()).pathname).toBe(`/inbox/c/${ids.mariaConv}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message-list"] [data-testid="message"]').length === 1);
    expect(await text('[data-testid="message"][data-direction="incoming"] [data-testid="message-text"]')).toBe('Hi! My order #1042 has not arrived yet.');
    expect(await text('[data-testid="contact-name"]')).toBe('Maria Garcia');
    // Only the open conversation carries the attribute the extension reads.
    expect(await page.$$eval('[data-conversation-id]', (els) => els.length)).toBe(1);
    expect(await page.$eval('[data-composer-toolbar]', (el) => !!el.closest(`[data-conversation-id]`))).toBe(true);
  });

  it('below 1000 px, opens the contact panel as a drawer from the conversation header', async () => {
    const shown = () => page.$eval('[data-testid="contact-panel"]', (el) => {
      const r = el.getBoundingClientRect();
      return getComputedStyle(el).display !== 'none' && r.width > 200 && r.right <= window.innerWidth + 1 && r.top < window.innerHeight;
    });
    const toggleDisplay = () => page.$eval('[data-testid="contact-toggle"]', (el) => getComputedStyle(el).display);
    // The toggle says what is true of the panel at every width: a column shown beside the conversation is expanded.
    const expanded = () => page.$eval('[data-testid="contact-toggle"]', (el) => el.getAttribute('aria-expanded'));
    expect(await shown()).toBe(true);
    expect(await toggleDisplay()).toBe('none');
    expect(await expanded()).toBe('true');
    await page.setViewport({ width: 900, height: 820 });
    try {
      expect(await shown()).toBe(false);
      await until(async () => (await expanded()) === 'false', 'the toggle to say the drawer is closed');
      await page.click('[data-testid="contact-toggle"]');
      expect(await shown()).toBe(true);
      expect(await page.$eval('[data-testid="contact-toggle"]', (el) => el.getAttribute('aria-expanded'))).toBe('true');
      expect(await text('[data-testid="contact-name"]')).toBe('Maria Garcia');
      await page.keyboard.press('Escape');
      expect(await shown()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('contact-toggle');
    } finally {
      await page.setViewport({ width: 1360, height: 820 });
    }
    expect(await shown()).toBe(true);
    await until(async () => (await expanded()) === 'true', 'the toggle to say the panel is shown again');
    // Escape at this width leaves the (always shown) panel and the focus where they are.
    await page.focus('[data-testid="composer-input"]');
    await page.keyboard.press('Escape');
    expect(await expanded()).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer-input');
  });

  it('sends a reply with Enter and a note with the Note toggle, both through the API as the user', async () => {
    await page.type('[data-testid="composer-input"]', 'Sorry about that, checking now.');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="message"][data-direction="outgoing"]');
    expect(await text('[data-testid="message"][data-direction="outgoing"] [data-testid="message-text"]')).toBe('Sorry about that, checking now.');
    expect(await page.$eval('[data-testid="composer-input"]', (el) => (el as HTMLTextAreaElement).value)).toBe('');

    await page.click('[data-testid="note-toggle"]');
    await page.type('[data-testid="composer-input"]', 'Courier says Tuesday.');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Shift');
    await page.type('[data-testid="composer-input"]', 'Second line.');
    await page.click('[data-testid="send-button"]');
    await page.waitForSelector('[data-testid="note"][data-kind="comment"]');
    expect(await text('[data-testid="note"] [data-testid="message-text"]')).toBe('Courier says Tuesday.\nSecond line.');

    const detail = (await admin().get(`/conversations/${ids.mariaConv}`)).body;
    expect(detail.messages.map((m: { kind: string; direction: string; text: string }) => [m.direction, m.kind, m.text])).toEqual([
      ['incoming', 'message', 'Hi! My order #1042 has not arrived yet.'],
      ['outgoing', 'message', 'Sorry about that, checking now.'],
      ['outgoing', 'comment', 'Courier says Tuesday.\nSecond line.'],
    ]);
    const created = (await server.events('message.created')).filter((e) => e.payload.conversationId === ids.mariaConv);
    expect(created.slice(-2).map((e) => e.source)).toEqual(['user', 'user']);
  });

  it('adds and removes tags', async () => {
    await page.type('[data-testid="tag-input"]', 'vip-customer');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="tag"][data-tag="vip-customer"]');
    expect((await admin().get(`/contacts/${ids.maria}`)).body.tags).toEqual(expect.arrayContaining(['demo', 'vip-customer']));

    await page.click('[data-testid="tag"][data-tag="demo"] [data-testid="tag-remove"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="tag"][data-tag="demo"]'));
    expect((await admin().get(`/contacts/${ids.maria}`)).body.tags).toEqual(['vip-customer']);
  });

  it('edits custom fields per type and refuses an invalid email with the API message', async () => {
    await page.select('[data-testid="field-plan"]', 'Pro');
    await page.click('[data-testid="field-vip"]');
    await page.type('[data-testid="field-order_id"]', '1042');
    await page.keyboard.press('Tab');
    const fields = await until(async () => {
      const c = (await admin().get(`/contacts/${ids.maria}`)).body;
      return c.fields.plan === 'Pro' && c.fields.vip === true && c.fields.order_id === '1042' && c.fields;
    }, 'the field edits to reach the API');
    expect(fields).toEqual({ plan: 'Pro', vip: true, order_id: '1042' });

    await page.click('[data-testid="contact-email"]', { count: 3 });
    await page.type('[data-testid="contact-email"]', 'not-an-email');
    await page.keyboard.press('Tab');
    await page.waitForSelector('[data-testid="contact-email"][aria-invalid="true"]');
    await page.waitForSelector('[data-testid="error-banner"]:not([hidden])');
    expect((await admin().get(`/contacts/${ids.maria}`)).body.email).toBe('maria@example.com');
    // The refused value stays for the agent to fix, even when a live refresh arrives.
    await new Promise((r) => setTimeout(r, 400));
    expect(await page.$eval('[data-testid="contact-email"]', (el) => (el as HTMLInputElement).value)).toBe('not-an-email');
    await page.click('[data-testid="contact-email"]', { count: 3 });
    await page.type('[data-testid="contact-email"]', 'maria.g@example.com');
    await page.keyboard.press('Tab');
    await until(async () => (await admin().get(`/contacts/${ids.maria}`)).body.email === 'maria.g@example.com', 'the corrected email');
    await page.waitForSelector('[data-testid="contact-email"]:not([aria-invalid])');
    await page.click('[data-testid="error-banner"] .banner-close');
    await page.screenshot({ path: SCREENSHOT });
  });

  it('keeps a value that is being saved when a live refresh arrives before the answer', async () => {
    const email = () => page.$eval('[data-testid="contact-email"]', (el) => (el as HTMLInputElement).value);
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let holding = false;
    await page.setRequestInterception(true);
    const hold = (req: import('puppeteer-core').HTTPRequest) => {
      if (req.isInterceptResolutionHandled()) return;
      if (req.method() === 'PATCH' && (req.postData() ?? '').includes('still-not-an-email')) {
        holding = true;
        void held.then(() => req.continue());
      } else {
        void req.continue();
      }
    };
    page.on('request', hold);
    try {
      await page.click('[data-testid="contact-email"]', { count: 3 });
      await page.type('[data-testid="contact-email"]', 'still-not-an-email');
      await page.keyboard.press('Tab');
      await until(async () => holding, 'the email PATCH to be on its way');
      // Someone else changes the contact while that PATCH waits: the live event re-renders the panel.
      await admin().patch(`/contacts/${ids.maria}`, { lastName: 'García' });
      await page.waitForFunction(() => (document.querySelector('[data-testid="contact-lastName"]') as HTMLInputElement | null)?.value === 'García', { timeout: 8000 });
      expect(await email()).toBe('still-not-an-email');
      release();
      await page.waitForSelector('[data-testid="contact-email"][aria-invalid="true"]');
      expect(await email()).toBe('still-not-an-email');
    } finally {
      release();
      page.off('request', hold);
      await page.setRequestInterception(false);
    }
    await page.click('[data-testid="contact-email"]', { count: 3 });
    await page.type('[data-testid="contact-email"]', 'maria.g@example.com');
    await page.keyboard.press('Tab');
    await page.waitForSelector('[data-testid="contact-email"]:not([aria-invalid])');
    await page.click('[data-testid="error-banner"] .banner-close').catch(() => undefined);
  });

  it('shows changes made elsewhere without a reload', async () => {
    const live = await admin().post('/contacts', { firstName: 'Lena', lastName: 'Schmidt' });
    const conv = (await admin().post('/conversations', { contactId: live.body.id })).body;
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${conv.id}"]`, { timeout: 8000 });
    await admin().post(`/conversations/${ids.mariaConv}/messages`, { text: 'Thanks!', direction: 'incoming' });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message-text"]')].some((e) => e.textContent === 'Thanks!'), { timeout: 8000 });
  });

  it('tells the agent while a workflow waits for the customer\'s answer, and stops once it came', async () => {
    const wf = await admin().post('/workflows', {
      name: 'Order <b>check</b>', status: 'published', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['ask-order'] },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 3600 } }],
    });
    expect(wf.status).toBe(201);
    const contact = await admin().post('/contacts', { firstName: 'Noor', lastName: 'Haddad' });
    const conv = (await admin().post('/conversations', { contactId: contact.body.id })).body;
    await page.goto(`${server.url}/inbox/c/${conv.id}`);
    await page.waitForSelector(`[data-conversation-id="${conv.id}"]:not([hidden])`);
    expect(await page.$eval('[data-testid="awaiting-answer"]', (el) => (el as HTMLElement).hidden)).toBe(true);

    await admin().post(`/contacts/${contact.body.id}/tags`, { tags: ['ask-order'] });
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 8000 });
    expect(await text('[data-testid="awaiting-answer-text"]')).toMatch(/^Workflow “Order <b>check<\/b>” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/);
    expect(await page.$('[data-testid="awaiting-answer"] b')).toBeNull();

    await admin().post(`/conversations/${conv.id}/messages`, { text: 'A-1042', direction: 'incoming' });
    await page.waitForSelector('[data-testid="awaiting-answer"][hidden]', { timeout: 8000 });

    // Asked again; this time the agent takes over: the workflow stops, the next message is theirs.
    await admin().del(`/contacts/${contact.body.id}/tags/ask-order`);
    await admin().post(`/contacts/${contact.body.id}/tags`, { tags: ['ask-order'] });
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 8000 });
    await page.click('[data-testid="take-over"]');
    await page.waitForSelector('[data-testid="awaiting-answer"][hidden]', { timeout: 8000 });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer-input');
    const runs = (await admin().get(`/runs?workflowId=${wf.body.id}`)).body.runs as { status: string; error: string | null }[];
    expect(runs.map((r) => r.status).sort()).toEqual(['cancelled', 'completed']);
    expect(runs.find((r) => r.status === 'cancelled')!.error).toMatch(/^Stopped by .+, who took over the conversation$/);
    await admin().post(`/conversations/${conv.id}/messages`, { text: 'Thanks, I will wait', direction: 'incoming' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await admin().get(`/runs?workflowId=${wf.body.id}`)).body.runs.map((r: { status: string }) => r.status).sort()).toEqual(['cancelled', 'completed']);
    expect(await page.$eval('[data-testid="awaiting-answer"]', (el) => (el as HTMLElement).hidden)).toBe(true);
    // Back where the next tests expect the page.
    await page.goto(`${server.url}/inbox/c/${ids.mariaConv}`);
    await page.waitForSelector(`[data-conversation-id="${ids.mariaConv}"]:not([hidden])`);
  });

  it('closes with a category and summary, then reopens', async () => {
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    await page.select('[data-testid="close-category"]', 'Resolved');
    await page.type('[data-testid="close-summary"]', 'Parcel located.');
    await page.click('[data-testid="close-confirm"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed · Resolved');
    const closed = (await admin().get(`/conversations/${ids.mariaConv}`)).body;
    expect(closed).toMatchObject({ status: 'closed', category: 'Resolved', summary: 'Parcel located.', closedBySource: 'user' });
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="conversation-item"][data-id="${id}"]`), {}, ids.mariaConv);

    await page.click('[data-testid="tab-closed"]');
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${ids.mariaConv}"]`);

    // What the extension mounts in the toolbar must survive switching conversations.
    await page.$eval('[data-composer-toolbar]', (el) => { const b = document.createElement('button'); b.id = 'mounted-by-extension'; el.append(b); });
    await page.click('[data-testid="reopen-button"]');
    await page.waitForFunction((id) => {
      const el = document.querySelector('[data-conversation-id]');
      return el && el.getAttribute('data-conversation-id') !== id && document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Open';
    }, {}, ids.mariaConv);
    const reopenedId = await page.$eval('[data-conversation-id]', (el) => el.getAttribute('data-conversation-id'));
    const open = (await admin().get(`/conversations?status=open&contactId=${ids.maria}`)).body.conversations;
    expect(open.map((c: { id: string }) => c.id)).toEqual([reopenedId]);
    expect(open[0].openedBySource).toBe('user');
    expect(new URL(page.url()).pathname).toBe(`/inbox/c/${reopenedId}`);
    expect(await page.$('[data-composer-toolbar] #mounted-by-extension')).not.toBeNull();
  });

  it('renders hostile names and messages as text', async () => {
    await page.goto(`${server.url}/inbox/c/${ids.xssConv}`);
    await page.waitForSelector(`[data-conversation-id="${ids.xssConv}"]:not([hidden])`);
    await page.waitForSelector('[data-testid="message"]');
    expect(await text('[data-testid="conversation-title"]')).toBe(XSS_NAME);
    expect(await text('[data-testid="contact-name"]')).toBe(XSS_NAME);
    expect(await text('[data-testid="message-text"]')).toBe('<b>bold?</b> <script>alert(2)</script>');
    expect(await page.$('img, [data-testid="message-list"] b, [data-testid="message-list"] script')).toBeNull();
    expect(dialogs).toEqual([]);
  });

  it('falls back to polling every 5 s when the event stream is unavailable', async () => {
    const polling = await browser.newPage();
    await polling.setRequestInterception(true);
    polling.on('request', (req) => (req.url().includes('/api/v1/events/stream') ? req.abort() : req.continue()));
    await polling.goto(`${server.url}/inbox/`); // same origin: the saved token signs in
    await polling.waitForSelector('[data-testid="live-state"][data-state="polling"]');
    const contact = await admin().post('/contacts', { firstName: 'Polly', lastName: 'Poll' });
    const conv = (await admin().post('/conversations', { contactId: contact.body.id })).body;
    await polling.waitForSelector(`[data-testid="conversation-item"][data-id="${conv.id}"]`, { timeout: 8000 });
    await polling.close();
  });

  it('signs out', async () => {
    await page.click('[data-testid="signout"]');
    await page.waitForSelector('[data-testid="signin"]', { visible: true });
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
