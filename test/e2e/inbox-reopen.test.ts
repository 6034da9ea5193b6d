import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox (dist/inbox) on a closed conversation: no composer but a Reopen action, and
// after a reopen (by the agent, or by the customer writing again) the earlier conversations'
// messages above the new one, not "No messages yet".

let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
let pageErrors: string[] = [];
const ids = { maria: '', first: '', second: '' };
const admin = () => server.api(server.adminToken);

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const texts = (selector: string) => page.$$eval(selector, (els) => els.map((el) => el.textContent ?? ''));
const isHidden = (selector: string) => page.$eval(selector, (el) => (el as HTMLElement).hidden || getComputedStyle(el).display === 'none');
const shownId = () => page.$eval('[data-conversation-id]', (el) => el.getAttribute('data-conversation-id'));

beforeAll(async () => {
  server = await startTestServer();
  const api = admin();
  await api.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] });
  ids.maria = (await api.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' })).body.id;
  ids.first = (await api.post('/conversations', { contactId: ids.maria })).body.id;
  await api.post(`/conversations/${ids.first}/messages`, { text: 'Where is my parcel?', direction: 'incoming' });
  await api.post(`/conversations/${ids.first}/messages`, { text: 'It ships on Monday.' });
  await api.post(`/conversations/${ids.first}/close`, { category: 'Resolved', summary: 'Shipping date given' });

  inbox = await openSignedInInbox(server.url, server.adminToken);
  ({ page, pageErrors } = inbox);
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('a closed conversation in the inbox', () => {
  it('has no composer but a Reopen action', async () => {
    await page.goto(`${server.url}/inbox/c/${ids.first}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed · Resolved');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 2);
    expect(await isHidden('[data-testid="composer"]')).toBe(true);
    expect(await isHidden('[data-testid="closed-notice"]')).toBe(false);
    expect(await text('[data-testid="closed-notice-text"]')).toBe('This conversation is closed. Reopen it to reply.');
    expect(await text('[data-testid="closed-notice-action"]')).toBe('Reopen');
    // The launcher's mount point stays in the page (hidden with the composer), for the extension.
    expect(await page.$('[data-composer-toolbar]')).not.toBeNull();
  });

  it('reopens into a new conversation that shows the earlier messages, not "No messages yet"', async () => {
    await page.click('[data-testid="closed-notice-action"]');
    await page.waitForFunction((id) => {
      const shown = document.querySelector('[data-conversation-id]')?.getAttribute('data-conversation-id');
      return shown && shown !== id && document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Open';
    }, {}, ids.first);
    ids.second = (await shownId())!;
    expect(new URL(page.url()).pathname).toBe(`/inbox/c/${ids.second}`);
    await page.waitForSelector('[data-testid="history-message"]');
    expect(await texts('[data-testid="history-message"] [data-testid="message-text"]')).toEqual(['Where is my parcel?', 'It ships on Monday.']);
    expect(await texts('[data-testid="history-divider"]')).toEqual([expect.stringMatching(/^Closed · Resolved — Shipping date given — /)]);
    expect(await texts('[data-testid="conversation-start"]')).toEqual([expect.stringMatching(/^This conversation opened /)]);
    expect(await page.$$('[data-testid="message"]')).toHaveLength(0);
    const listText = await text('[data-testid="message-list"]');
    expect(listText).not.toContain('No messages yet');
    expect(await isHidden('[data-testid="composer"]')).toBe(false);
    expect(await isHidden('[data-testid="closed-notice"]')).toBe(true);

    await page.type('[data-testid="composer-input"]', 'Anything else I can do?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="message"][data-direction="outgoing"]');
    expect(await texts('[data-testid="message"] [data-testid="message-text"]')).toEqual(['Anything else I can do?']);
    // The reopen's own line first (who reopened it), then the reply.
    expect((await admin().get(`/conversations/${ids.second}`)).body.messages.map((m: { text: string }) => m.text)).toEqual(['Conversation was reopened by Admin', 'Anything else I can do?']);
  });

  it('when the customer writes on the closed conversation, points to the one it opened, which shows the whole history', async () => {
    expect((await admin().post(`/conversations/${ids.second}/close`, { category: 'Spam' })).status).toBe(200);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed · Spam', { timeout: 8000 });
    await page.waitForSelector('[data-testid="closed-notice"]:not([hidden])');

    const posted = await admin().post(`/conversations/${ids.second}/messages`, { text: 'one more thing', direction: 'incoming' });
    expect(posted.status).toBe(201);
    const third = posted.body.conversationId as string;
    expect(third).not.toBe(ids.second);
    // Live: the shown (closed) conversation now says where the conversation goes on.
    await page.waitForFunction(() => document.querySelector('[data-testid="closed-notice-action"]')?.textContent === 'Go to the open conversation', { timeout: 8000 });
    expect(await text('[data-testid="closed-notice-text"]')).toBe("This conversation is closed. Maria Garcia's conversation goes on in an open one.");

    await page.click('[data-testid="closed-notice-action"]');
    await page.waitForFunction((id) => document.querySelector('[data-conversation-id]')?.getAttribute('data-conversation-id') === id, {}, third);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 1);
    expect(await texts('[data-testid="message"] [data-testid="message-text"]')).toEqual(['one more thing']);
    expect(await texts('[data-testid="history-message"] [data-testid="message-text"]')).toEqual(['Where is my parcel?', 'It ships on Monday.', 'Anything else I can do?']);
    expect(await texts('[data-testid="history-divider"]')).toEqual([expect.stringMatching(/^Closed · Resolved/), expect.stringMatching(/^Closed · Spam/)]);
    expect(await text('[data-testid="conversation-status"]')).toBe('Open');
    expect(await isHidden('[data-testid="composer"]')).toBe(false);
    // It is in the Open tab.
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${third}"]`, { timeout: 8000 });
    expect(pageErrors).toEqual([]);
  });
});
