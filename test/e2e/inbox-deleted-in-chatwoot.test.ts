import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorDeletedInChatwoot, startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox (dist/inbox) in Chromium on a conversation Chatwoot deleted (a sync closed it
// here as `deleted_in_chatwoot`). The API refuses Reopen, a reply, Assign and Close there (409) and
// keeps notes here; the page offered Reopen as on any closed conversation and no way to write a
// note. Now it says so in one line, offers none of what is refused, and takes notes.

let p: ChatwootPair;
let inbox: InboxBrowser;
let page: Page;
let mirrorId = '';
let displayId = 0;

const visible = (selector: string) => page.$eval(selector, (el) => !(el as HTMLElement).hidden && (el as HTMLElement).offsetParent !== null).catch(() => false);
const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

beforeAll(async () => {
  p = await startChatwootPair();
  const deleted = await mirrorDeletedInChatwoot(p);
  mirrorId = deleted.mirror.id;
  displayId = deleted.displayId;
  // An agent the admin could assign it to (the supervisor's picker).
  await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' });
  inbox = await openSignedInInbox(p.server.url, p.server.adminToken);
  page = inbox.page;
  p.cw.requests.length = 0;
});

afterAll(async () => {
  await inbox?.close();
  await p?.close();
});

describe('the inbox on a conversation deleted in Chatwoot', () => {
  it('says notes are kept here only, offers no Reopen, Assign or reply, and keeps a note without asking Chatwoot', async () => {
    await page.goto(`${p.server.url}/inbox/c/${mirrorId}`);
    await page.waitForSelector(`[data-conversation-id="${mirrorId}"]:not([hidden])`);
    await page.waitForFunction(() => /Closed/.test(document.querySelector('[data-testid="conversation-status"]')?.textContent ?? ''));
    await page.waitForSelector('[data-testid="closed-notice"]:not([hidden])');
    expect(await text('[data-testid="closed-notice-text"]')).toBe('Deleted in Chatwoot: notes are kept here only. A new conversation starts when the customer writes in Chatwoot.');
    expect(await text('[data-testid="conversation-inbox"]')).toBe(`Chatwoot (deleted) · Website #${displayId}`);
    // What the API refuses is not offered.
    for (const refused of ['reopen-button', 'closed-notice-action', 'assign-button', 'assign-picker', 'close-button', 'note-toggle', 'template-button']) {
      expect(await visible(`[data-testid="${refused}"]`), refused).toBe(false);
    }
    // The composer takes notes only.
    expect(await visible('[data-testid="composer"]')).toBe(true);
    expect(await page.$eval('[data-testid="note-toggle"]', (el) => el.getAttribute('aria-pressed'))).toBe('true');
    expect(await text('[data-testid="send-button"]')).toBe('Add note');
    expect(await page.$eval('[data-testid="composer-input"]', (el) => (el as HTMLTextAreaElement).placeholder)).toMatch(/^Internal note \(kept here only: the conversation was deleted in Chatwoot\)/);

    await page.type('[data-testid="composer-input"]', 'Spam, deleted by Bea');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="note"] [data-testid="message-text"]')].some((el) => el.textContent === 'Spam, deleted by Bea'));
    const detail = (await p.server.api(p.server.adminToken).get(`/conversations/${mirrorId}`)).body as { messages: { kind: string; text: string }[] };
    expect(detail.messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['Spam, deleted by Bea']);
    expect(p.cw.requests).toEqual([]);
    // No refusal banner: nothing refused was tried.
    expect(await visible('[data-testid="error-banner"]')).toBe(false);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('the next conversation opened from the list takes replies again', async () => {
    const admin = p.server.api(p.server.adminToken);
    const contact = (await admin.post('/contacts', { firstName: 'Ann' })).body.id as string;
    const open = (await admin.post('/conversations', { contactId: contact })).body.id as string;
    await page.goto(`${p.server.url}/inbox/c/${mirrorId}`);
    await page.waitForSelector('[data-testid="closed-notice"]:not([hidden])');
    await page.click('[data-testid="tab-open"]');
    await clickConversation(page, open);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Ann');
    expect(await visible('[data-testid="note-toggle"]')).toBe(true);
    expect(await page.$eval('[data-testid="note-toggle"]', (el) => el.getAttribute('aria-pressed'))).toBe('false');
    expect(await text('[data-testid="send-button"]')).toBe('Send');
    expect(await visible('[data-testid="closed-notice"]')).toBe(false);
    expect(await visible('[data-testid="close-button"]')).toBe(true);
    expect(await visible('[data-testid="assign-button"]')).toBe(true);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('a conversation of the companion\'s own still offers Reopen and replies once closed', async () => {
    const admin = p.server.api(p.server.adminToken);
    const contact = (await admin.post('/contacts', { firstName: 'Bob' })).body.id as string;
    const own = (await admin.post('/conversations', { contactId: contact })).body.id as string;
    expect((await admin.post(`/conversations/${own}/close`, {})).status).toBe(200);
    await page.goto(`${p.server.url}/inbox/c/${own}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Bob');
    await page.waitForSelector('[data-testid="closed-notice"]:not([hidden])');
    expect(await text('[data-testid="closed-notice-text"]')).toBe('This conversation is closed. Reopen it to reply.');
    expect(await visible('[data-testid="reopen-button"]')).toBe(true);
    expect(await visible('[data-testid="closed-notice-action"]')).toBe(true);
    expect(await visible('[data-testid="composer"]')).toBe(false);
    expect(await visible('[data-testid="conversation-inbox"]')).toBe(false);
  });
});
