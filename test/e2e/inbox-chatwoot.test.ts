import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CwStandinConversation } from '../support/chatwoot-standin';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox (dist/inbox) on a conversation mirrored from Chatwoot, in Chromium: the page
// says the conversation lives in Chatwoot (a badge linking there), and the reply, Close and
// Reopen an agent makes here happen in Chatwoot (the stand-in sees them).

let p: ChatwootPair;
let inbox: InboxBrowser;
let page: Page;
let conv: CwStandinConversation;
let conversationId = '';

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const cwPosts = (suffix: string) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).map((r) => r.body);

beforeAll(async () => {
  p = await startChatwootPair();
  const contact = p.cw.addContact({ name: 'Maria Garcia', email: 'maria@example.com' });
  conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'My order arrived broken', incoming: true } });
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
    expect(await text('[data-testid="conversation-inbox"]')).toBe(`Chatwoot #${conv.id}`);
    expect(await page.$eval('[data-testid="conversation-inbox"]', (a) => a.getAttribute('href'))).toBe(`${p.cw.url}/app/accounts/1/conversations/${conv.id}`);
    expect(await page.$eval('[data-testid="conversation-inbox"]', (a) => a.getAttribute('title'))).toMatch(/lives in Chatwoot \(Acme Support\): replies, notes, Close, Reopen and Assign act there/);
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
    expect(await text('[data-testid="conversation-inbox"]')).toBe(`Chatwoot #${conv.id}`);
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
