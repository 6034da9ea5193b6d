import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox on a long thread: it opens on the latest page (not all 300 messages: 2,006
// took 525 KB and a second to draw), reads older pages as the agent asks (the button, or
// scrolling up, as in Chatwoot) without moving what they were reading, keeps new messages coming
// at the end, and shows the contact's earlier conversation only once the thread's start is shown.

const TOTAL = 300;
const PAGE = 50;
let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
let pageErrors: string[] = [];
let conversationId = '';
const admin = () => server.api(server.adminToken);
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

const shownTexts = () => page.$$eval('[data-testid="message-list"] [data-testid="message"] [data-testid="message-text"]', (els) => els.map((el) => el.textContent ?? ''));
const shownCount = (n: number) => page.waitForFunction((count) => document.querySelectorAll('[data-testid="message-list"] [data-testid="message"]').length === count, {}, n);
/** Where message `text` is in the viewport (its top, in px). */
const topOf = (text: string) => page.$$eval('[data-testid="message-text"]', (els, t) => els.find((el) => el.textContent === t)!.getBoundingClientRect().top, text);

beforeAll(async () => {
  server = await startTestServer();
  const api = admin();
  const contact = (await api.post('/contacts', { firstName: 'Lena', lastName: 'Long' })).body.id as string;
  const before = (await api.post('/conversations', { contactId: contact })).body.id as string;
  await api.post(`/conversations/${before}/messages`, { text: 'Earlier question', direction: 'incoming' });
  await api.post(`/conversations/${before}/close`, {});
  conversationId = (await api.post('/conversations', { contactId: contact })).body.id as string;
  for (let n = 1; n <= TOTAL; n++) {
    const res = await api.post(`/conversations/${conversationId}/messages`, { text: `m${n}`, direction: n % 2 ? 'incoming' : 'outgoing' });
    expect(res.status).toBe(201);
  }
  inbox = await openSignedInInbox(server.url, server.adminToken, { live: true });
  ({ page, pageErrors } = inbox);
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('a 300-message thread in the inbox', () => {
  it('opens on the latest page, scrolled to its end, with "Load older messages" above it', async () => {
    await page.goto(`${server.url}/inbox/c/${conversationId}`);
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message-text"]')].some((el) => el.textContent === 'm300'));
    expect(await shownTexts()).toEqual(numbered(TOTAL - PAGE + 1, TOTAL));
    // The earlier conversation waits for the thread's start.
    expect(await page.$$('[data-testid="history-message"]')).toHaveLength(0);
    const button = await page.$('[data-testid="message-list"] [data-testid="load-older"]');
    expect(await button!.evaluate((el) => [el.textContent, el.tagName, el.closest('li') === el.closest('ol')!.firstElementChild])).toEqual(['Load older messages', 'BUTTON', true]);
    expect(await page.$eval('[data-testid="message-list"]', (el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);
  });

  it('reads the page before as the agent scrolls to the top, keeping the messages they were reading in place', async () => {
    // Where m251 is the moment the list reaches its top, before the older page comes.
    const wasAt = await page.$eval('[data-testid="message-list"]', (list) => {
      list.scrollTop = 0;
      return [...list.querySelectorAll('[data-testid="message-text"]')].find((el) => el.textContent === 'm251')!.getBoundingClientRect().top;
    });
    await shownCount(2 * PAGE);
    expect(await shownTexts()).toEqual(numbered(TOTAL - 2 * PAGE + 1, TOTAL));
    expect(Math.abs(await topOf('m251') - wasAt)).toBeLessThan(2);
  });

  it('reads the page before on the button, by keyboard, the focus staying on it for the next', async () => {
    // Focused without scrolling (a scroll to the top reads on its own, tested above).
    await page.$eval('[data-testid="load-older"]', (el) => (el as HTMLElement).focus({ preventScroll: true }));
    await page.keyboard.press('Enter');
    await shownCount(3 * PAGE);
    expect(await shownTexts()).toEqual(numbered(TOTAL - 3 * PAGE + 1, TOTAL));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('load-older');
  });

  it('appends a new message at the end, keeping the older pages read', async () => {
    expect((await admin().post(`/conversations/${conversationId}/messages`, { text: `m${TOTAL + 1}`, direction: 'incoming' })).status).toBe(201);
    await shownCount(3 * PAGE + 1);
    expect(await shownTexts()).toEqual(numbered(TOTAL - 3 * PAGE + 1, TOTAL + 1));
  });

  it('reads the rest as the agent scrolls up, in order and each once, then the earlier conversation above', async () => {
    // Until there is nothing older: the thread's start (a reopen writes an activity line first), then the earlier conversation.
    let reads = 0;
    for (; reads < 12 && await page.$('[data-testid="load-older"]'); reads++) {
      const items = await page.$$eval('[data-testid="message-list"] > li', (els) => els.length);
      await page.$eval('[data-testid="message-list"]', (el) => { el.scrollTop = 0; });
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message-list"] > li').length !== n, {}, items);
    }
    // 150 older messages, 50 at a time (and the reopen line, which may fall on a read of its own).
    expect(reads).toBeGreaterThanOrEqual(3);
    await page.waitForSelector('[data-testid="history-message"]');
    expect(await shownTexts()).toEqual(numbered(1, TOTAL + 1));
    const ids = await page.$$eval('[data-testid="message-list"] [data-testid="message"]', (els) => els.map((el) => (el as HTMLElement).dataset.id));
    expect(new Set(ids).size).toBe(TOTAL + 1);
    expect(await page.$$eval('[data-testid="history-message"] [data-testid="message-text"]', (els) => els.map((el) => el.textContent))).toEqual(['Earlier question']);
    expect(await page.$$eval('[data-testid="conversation-start"]', (els) => els.length)).toBe(1);
    // Nothing more to read: no button.
    expect(await page.$('[data-testid="load-older"]')).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
