import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CwStandinContact, CwStandinConversation } from '../support/chatwoot-standin';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { waitFor } from '../support/wait';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox (dist/inbox) on a conversation mirrored from Chatwoot, in Chromium: the page
// says the conversation lives in Chatwoot (a badge linking there), and the reply, Close and
// Reopen an agent makes here happen in Chatwoot (the stand-in sees them), and so do the edits made
// in the contact panel, whose refusals it says in words.

let p: ChatwootPair;
let inbox: InboxBrowser;
let page: Page;
let conv: CwStandinConversation;
let maria: CwStandinContact;
let conversationId = '';

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const cwPosts = (suffix: string) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).map((r) => r.body);

beforeAll(async () => {
  p = await startChatwootPair();
  maria = p.cw.addContact({ name: 'Maria Garcia', email: 'maria@example.com' });
  conv = p.cw.addConversation({ contactId: maria.id, firstMessage: { content: 'My order arrived broken', incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  conversationId = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations[0].id;
  p.cw.requests.length = 0;
  inbox = await openSignedInInbox(p.server.url, p.server.adminToken);
  page = inbox.page;
});

afterAll(async () => {
  await inbox?.close();
  await p?.close();
});

describe('the inbox on a Chatwoot conversation', () => {
  it('shows that it lives in Chatwoot, linking there, and the composer says replies go through Chatwoot', async () => {
    await page.goto(`${p.server.url}/inbox/c/${conversationId}`);
    await page.waitForSelector('[data-testid="conversation-inbox"]:not([hidden])');
    // Which Chatwoot inbox it is in (Website), not only which account.
    expect(await text('[data-testid="conversation-inbox"]')).toBe(`Chatwoot · Website #${conv.id}`);
    expect(await page.$eval('[data-testid="conversation-inbox"]', (a) => a.getAttribute('href'))).toBe(`${p.cw.url}/app/accounts/1/conversations/${conv.id}`);
    expect(await page.$eval('[data-testid="conversation-inbox"]', (a) => a.getAttribute('title'))).toMatch(/lives in Chatwoot \(the Website inbox of Acme Support\): replies, notes, Close, Reopen and Assign act there/);
    expect(await page.$eval('[data-testid="composer-input"]', (el) => (el as HTMLTextAreaElement).placeholder)).toMatch(/^Write a reply \(sent through Chatwoot\)…/);
  });

  it('a reply is sent through Chatwoot, Close resolves it there and Reopen reopens it there', async () => {
    await page.type('[data-testid="composer-input"]', 'A new one ships today');
    await page.click('[data-testid="send-button"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message-text"]')].some((el) => el.textContent === 'A new one ships today'));
    expect(cwPosts('/messages')).toEqual([{ content: 'A new one ships today', message_type: 'outgoing', private: false }]);

    await page.click('[data-testid="close-button"]');
    await page.click('[data-testid="close-confirm"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed');
    expect(conv.status).toBe('resolved');

    await page.click('[data-testid="reopen-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Open');
    expect(conv.status).toBe('open');
    expect(cwPosts('/toggle_status')).toEqual([{ status: 'resolved' }, { status: 'open' }]);
    // The reopened period is Chatwoot's conversation again: same badge.
    expect(await text('[data-testid="conversation-inbox"]')).toBe(`Chatwoot · Website #${conv.id}`);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('the contact panel saves in Chatwoot, and says in words why Chatwoot did not take a change', async () => {
    const hint = (key: string) => page.$eval(`[data-testid="contact-${key}"] ~ .field-error`, (el) => (el as HTMLElement).hidden ? '' : el.textContent ?? '');
    const retype = async (key: string, value: string) => {
      await page.click(`[data-testid="contact-${key}"]`, { count: 3 });
      await page.type(`[data-testid="contact-${key}"]`, value);
      await page.keyboard.press('Tab');
    };
    await page.goto(`${p.server.url}/inbox/c/${conversationId}`);
    await page.waitForSelector('[data-testid="contact-email"]');
    p.cw.addContact({ name: 'Other Person', email: 'other@example.com' });
    await retype('email', 'other@example.com');
    await page.waitForSelector('[data-testid="contact-email"][aria-invalid="true"]');
    expect(await hint('email')).toBe(`Chatwoot refused this change to its contact ${maria.id} ("Email has already been taken"): another Chatwoot contact has this email (if they are the same person, merge the two in Chatwoot)`);
    expect(maria.email).toBe('maria@example.com');

    await p.cw.down();
    try {
      await retype('lastName', 'García');
      await page.waitForSelector('[data-testid="contact-lastName"][aria-invalid="true"]');
      expect(await hint('lastName')).toMatch(/^This contact lives in Chatwoot and Chatwoot cannot take the change now \(Cannot reach Chatwoot at .+\)\. Nothing was changed, here or in Chatwoot; try again in a moment Try again$/);
    } finally {
      await p.cw.up();
    }
    // Chatwoot back: Try again sends the same value, there first.
    await page.click('[data-testid="contact-lastName"] ~ .field-error [data-testid="field-retry"]');
    await waitFor('the name in Chatwoot', async () => (maria.name === 'Maria García' ? true : undefined));
    await page.waitForSelector('[data-testid="contact-lastName"]:not([aria-invalid])');
    expect(await hint('lastName')).toBe('');
    expect(inbox.pageErrors).toEqual([]);
  });

  it('a built-in conversation has no badge', async () => {
    const admin = p.server.api(p.server.adminToken);
    const contact = (await admin.post('/contacts', { firstName: 'Bob' })).body.id;
    const own = (await admin.post('/conversations', { contactId: contact })).body.id;
    await page.goto(`${p.server.url}/inbox/c/${own}`);
    await page.waitForSelector(`[data-conversation-id="${own}"] [data-testid="conversation-title"]`);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Bob');
    expect(await page.$eval('[data-testid="conversation-inbox"]', (el) => (el as HTMLElement).hidden)).toBe(true);
  });
});
