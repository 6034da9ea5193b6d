import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// What people do to a conversation, in its thread in the built-in inbox (Chromium), as Chatwoot
// shows it: "Sue self-assigned this conversation", "Assigned to Zed by Sue", "Conversation was
// closed by Sue", "Conversation was reopened by Sue". Before, only a workflow's own Assign and
// Close left a line. A name is shown as typed, never as markup, and isolated for right-to-left
// scripts as the other lines' names are.

const ZED = '<img src=x onerror="window.__pwned=1">Zed';
let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
const ids = { maria: '', first: '', zed: '' };
const admin = () => server.api(server.adminToken);

const lineTexts = () => page.$$eval('[data-testid="activity"] [data-testid="activity-text"]', (els) => els.map((el) => el.textContent ?? ''));
const waitForLines = (count: number) => page.waitForFunction((n: number) => document.querySelectorAll('[data-testid="activity"]').length === n, { timeout: 15_000 }, count);
const isolatedNames = (nth: number) => page.$$eval('[data-testid="activity"] [data-testid="activity-text"]', (els, i) => [...els[i]!.querySelectorAll('bdi')].map((b) => b.textContent), nth);

beforeAll(async () => {
  server = await startTestServer();
  const sue = await server.createUser('supervisor', { name: 'Sue' });
  ids.zed = (await server.createUser('agent', { name: ZED })).user.id;
  ids.maria = (await admin().post('/contacts', { firstName: 'Maria', lastName: 'Garcia' })).body.id;
  ids.first = (await admin().post('/conversations', { contactId: ids.maria })).body.id;
  await admin().post(`/conversations/${ids.first}/messages`, { text: 'Where is my parcel?', direction: 'incoming' });
  inbox = await openSignedInInbox(server.url, sue.token, { live: true });
  page = inbox.page;
}, 60_000);

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('a person\'s assign, close and reopen in the thread', () => {
  it('says who took it, who gave it to whom, who closed it and who reopened it; names as text', async () => {
    await page.goto(`${server.url}/inbox/c/${ids.first}`);
    await page.waitForSelector(`[data-conversation-id="${ids.first}"]:not([hidden])`);
    await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="assign-button"]')?.textContent === 'Assign to me');

    await page.click('[data-testid="assign-button"]');
    await waitForLines(1);
    await page.waitForSelector('[data-testid="assign-picker"]:not([hidden])');
    await page.select('[data-testid="assign-picker"]', ids.zed);
    await waitForLines(2);
    // The same assignment again (here through the API) changes nothing, and says nothing.
    expect((await admin().post(`/conversations/${ids.first}/assign`, { userId: ids.zed })).status).toBe(200);

    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    await page.click('[data-testid="close-confirm"]');
    await waitForLines(3);
    expect(await lineTexts()).toEqual([
      'Sue self-assigned this conversation',
      `Assigned to ${ZED} by Sue`,
      'Conversation was closed by Sue',
    ]);
    // Markup in a name is text: no image was made, nothing ran.
    expect(await page.$$('[data-testid="message-list"] img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Names isolated (a right-to-left name keeps the English around it in place).
    expect(await isolatedNames(0)).toEqual(['Sue']);
    expect(await isolatedNames(1)).toEqual([ZED, 'Sue']);
    expect(await isolatedNames(2)).toEqual(['Sue']);
    // Lines, not anyone's bubbles.
    expect(await page.$$eval('[data-testid="message"]', (els) => els.length)).toBe(1);

    await page.click('[data-testid="closed-notice-action"]');
    await page.waitForFunction((id: string) => {
      const shown = document.querySelector('[data-conversation-id]')?.getAttribute('data-conversation-id');
      return shown && shown !== id && document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Open';
    }, { timeout: 15_000 }, ids.first);
    // The earlier conversation's lines above, this one's first line under "This conversation opened".
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-activity"]').length === 3 && document.querySelectorAll('[data-testid="activity"]').length === 1, { timeout: 15_000 });
    expect(await lineTexts()).toEqual(['Conversation was reopened by Sue']);
    const order = await page.$$eval('[data-testid="message-list"] > li', (els) => els.map((el) => el.getAttribute('data-testid')).filter((t) => t !== null));
    expect(order.slice(-2)).toEqual(['conversation-start', 'activity']);
    expect(inbox.pageErrors).toEqual([]);
  });
});
