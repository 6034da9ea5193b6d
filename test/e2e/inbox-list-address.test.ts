import type { HTTPRequest, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readsSince } from '../integration/channels/support';
import { startTestServer, type TestServer } from '../support/server';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The list's search and filters as an agent moves about (Chromium, the built inbox): Back and
// Forward bring each address's search back, a slow typist's search asks once per pause, a search
// that finds nothing under a filter says so, aloud too, and a row leaving Unread hands the keyboard
// focus on.

let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
const ids: string[] = [];
const admin = () => server.api(server.adminToken);

const rowsAre = (want: string[]) => page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll<HTMLElement>('[data-testid="conversation-item"]')].map((el) => el.dataset.id).sort()) === JSON.stringify(w), { polling: 100, timeout: 10_000 }, [...want].sort());
const searchBox = () => page.$eval('[data-testid="conversation-search"]', (el) => (el as HTMLInputElement).value);
const clearSearch = async () => {
  await page.click('[data-testid="conversation-search"]', { count: 3 });
  await page.keyboard.press('Backspace');
};

beforeAll(async () => {
  server = await startTestServer();
  // The admin's reads are kept from a minute ago: the messages below are unread.
  await readsSince(server, (await admin().get('/me')).body.user.id, new Date(Date.now() - 60_000).toISOString());
  for (const [name, text] of [['Ana', 'Where is my refund?'], ['Bo', 'Hello'], ['Cy', 'Thanks']] as const) {
    const contact = await admin().post('/contacts', { firstName: name });
    const conversation = await admin().post('/conversations', { contactId: contact.body.id });
    ids.push(conversation.body.id);
    await admin().post(`/conversations/${conversation.body.id}/messages`, { text, direction: 'incoming' });
  }
  inbox = await openSignedInInbox(server.url, server.adminToken, { live: true });
  page = inbox.page;
  await rowsAre(ids);
}, 120_000);

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('the list\'s search across Back and Forward, typing and empty answers', () => {
  it('asks once per pause while an agent types slowly, the counts kept', async () => {
    const asked: string[] = [];
    const onRequest = (r: HTTPRequest) => { if (new URL(r.url()).pathname === '/api/v1/conversations') asked.push(new URL(r.url()).search); };
    page.on('request', onRequest);
    await page.click('[data-testid="conversation-search"]');
    // Slower than the debounce: each letter is a search of its own.
    await page.type('[data-testid="conversation-search"]', 'refund', { delay: 400 });
    await rowsAre([ids[0]!]);
    await page.waitForFunction(() => document.querySelector('[data-testid="list-summary"]')?.textContent === '1 conversation matches “refund”');
    page.off('request', onRequest);
    // Only the rows; the tabs' and views' counts (without the search) were asked again each time (24 requests).
    expect(asked.filter((s) => !new URLSearchParams(s).get('q'))).toEqual([]);
    expect(asked.length).toBeLessThanOrEqual(6);
    expect(await page.$eval('[data-testid="view-all"]', (el) => el.textContent)).toBe('All (3)');
    expect(await page.$eval('[data-testid="tab-open"]', (el) => el.textContent)).toBe('Open (3)');
  });

  it('Back brings the search of the address it returns to, Forward the next one\'s', async () => {
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'refund');
    await clickConversation(page, ids[0]!);
    await page.waitForFunction((id) => location.pathname === `/inbox/c/${id}`, {}, ids[0]);
    await clearSearch();
    await rowsAre(ids);
    await page.waitForFunction(() => location.search === '');

    await page.goBack();
    await page.waitForFunction(() => location.pathname.replace(/\/$/, '') === '/inbox' && new URLSearchParams(location.search).get('q') === 'refund');
    // The list and the box show what the address says (they kept the later, cleared search).
    await rowsAre([ids[0]!]);
    expect(await searchBox()).toBe('refund');

    await page.goForward();
    await page.waitForFunction((id) => location.pathname === `/inbox/c/${id}`, {}, ids[0]);
    await rowsAre(ids);
    expect(await searchBox()).toBe('');
    expect(inbox.pageErrors).toEqual([]);
  });

  it('says a search under a filter found nothing, naming the filter, in the list\'s live region too', async () => {
    await page.goto(`${server.url}/inbox/?q=parcel&unread=1`);
    const said = 'No conversations match “parcel” with these filters.';
    await page.waitForFunction((text) => document.querySelector('[data-testid="conversation-list-empty"]:not([hidden])')?.textContent === text, { polling: 100, timeout: 10_000 }, said);
    // What a screen reader hears: the polite live region, present and holding the same words.
    const live = await page.$eval('[aria-live="polite"][data-testid="list-summary"]', (el) => ({ text: el.textContent, hidden: (el as HTMLElement).hidden || getComputedStyle(el).display === 'none' }));
    expect(live).toEqual({ text: said, hidden: false });
    // Said once on screen: the live region is visually hidden while the empty line shows.
    expect(await page.$eval('[data-testid="list-summary"]', (el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(1);
    expect(inbox.pageErrors).toEqual([]);
  });

  // A row leaving Unread (read in the agent's other tab) took the focus on it down to the page's
  // body, and a screen reader said nothing of where the agent was. (The row opened here stays: inbox-unread-stays.)
  it('hands the keyboard focus to the next row when the focused row leaves Unread', async () => {
    await page.goto(`${server.url}/inbox/?unread=1`);
    await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    // Ana's was opened above; Bo's and Cy's are unread, newest first.
    await rowsAre([ids[1]!, ids[2]!]);
    const [first, second] = await page.$$eval('[data-testid="conversation-item"]', (els) => els.map((el) => (el as HTMLElement).dataset.id));
    await page.focus(`[data-testid="conversation-item"][data-id="${first}"] a`);
    expect((await admin().post(`/conversations/${first}/seen`)).status).toBe(200);
    await rowsAre([second!]);
    expect(await page.evaluate(() => document.activeElement?.closest<HTMLElement>('[data-testid="conversation-item"]')?.dataset.id ?? document.activeElement?.tagName)).toBe(second);
    expect(inbox.pageErrors).toEqual([]);
  });
});
