import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readsSince } from '../integration/channels/support';
import { startTestServer, type TestServer } from '../support/server';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// Under Unread the conversation an agent opens stays in the list, read, until they move on (as in
// Gmail's, Slack's and Chatwoot's unread views): opening another one, or another filter, takes it
// out. It left at the server's next answer, the list jumping under the pointer (Chromium, the built inbox).

let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
const ids: string[] = [];
const admin = () => server.api(server.adminToken);

const listed = () => page.$$eval('[data-testid="conversation-item"]', (els) => els.map((el) => (el as HTMLElement).dataset.id));
const rowsAre = (want: string[]) => page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll<HTMLElement>('[data-testid="conversation-item"]')].map((el) => el.dataset.id)) === JSON.stringify(w), { polling: 100, timeout: 10_000 }, want);
const countIs = (text: string) => page.waitForFunction((t) => document.querySelector('[data-testid="view-all"]')?.textContent === t, { polling: 100, timeout: 10_000 }, text);
const unreadBadge = (id: string) => page.$(`[data-testid="conversation-item"][data-id="${id}"] [data-testid="unread-count"]`);
const focusedRow = () => page.evaluate(() => document.activeElement?.closest<HTMLElement>('[data-testid="conversation-item"]')?.dataset.id ?? document.activeElement?.tagName);

async function unreadConversation(name: string, text: string) {
  const contact = await admin().post('/contacts', { firstName: name });
  const conversation = await admin().post('/conversations', { contactId: contact.body.id });
  await admin().post(`/conversations/${conversation.body.id}/messages`, { text, direction: 'incoming' });
  return conversation.body.id as string;
}

beforeAll(async () => {
  server = await startTestServer();
  // The admin's reads are kept from a minute ago: the messages below are unread.
  await readsSince(server, (await admin().get('/me')).body.user.id, new Date(Date.now() - 60_000).toISOString());
  // Oldest first: the list shows Cy, Bo, Ana.
  for (const [name, text] of [['Ana', 'Where is my refund?'], ['Bo', 'Hello'], ['Cy', 'Thanks']] as const) ids.push(await unreadConversation(name, text));
  inbox = await openSignedInInbox(server.url, server.adminToken);
  page = inbox.page;
  await page.goto(`${server.url}/inbox/?unread=1`);
  await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
  await rowsAre([ids[2]!, ids[1]!, ids[0]!]);
}, 120_000);

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('the conversation opened under Unread', () => {
  const ana = () => ids[0]!;
  const bo = () => ids[1]!;
  const cy = () => ids[2]!;

  it('stays listed in its place, read and no longer counted, while it is open', async () => {
    await clickConversation(page, bo());
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${bo()}"].current`);
    // The server has it read (the count is the server's): the list was answered since.
    await countIs('All (2)');
    expect(await listed()).toEqual([cy(), bo(), ana()]);
    expect(await unreadBadge(bo())).toBeNull();
    expect(await page.$eval('[data-testid="tab-open"]', (el) => el.textContent)).toBe('Open (2)');
    expect(inbox.pageErrors).toEqual([]);
  });

  it('stays through a live redraw for a message elsewhere', async () => {
    const dee = await unreadConversation('Dee', 'Is anyone there?');
    ids.push(dee);
    await rowsAre([dee, cy(), bo(), ana()]);
    await countIs('All (3)');
    // Read, not counted, still the one open.
    expect(await unreadBadge(bo())).toBeNull();
    expect(await page.$eval(`[data-testid="conversation-item"][data-id="${bo()}"] a`, (el) => el.getAttribute('aria-current'))).toBe('true');
    expect(await page.$eval(`[data-testid="conversation-item"][data-id="${bo()}"] [data-testid="conversation-name"]`, (el) => el.textContent)).toBe('Bo');
    expect(inbox.pageErrors).toEqual([]);
  });

  it('leaves when the agent opens another one, the keyboard focus staying on that one', async () => {
    const dee = ids[3]!;
    await page.focus(`[data-testid="conversation-item"][data-id="${cy()}"] a`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.pathname === `/inbox/c/${id}`, {}, cy());
    await rowsAre([dee, cy(), ana()]);
    await countIs('All (2)');
    // Cy's, now open and read, stays in turn.
    expect(await listed()).toEqual([dee, cy(), ana()]);
    expect(await focusedRow()).toBe(cy());
    expect(inbox.pageErrors).toEqual([]);
  });

  it('leaves when the agent changes the filters', async () => {
    await page.click('[data-testid="filter-unread"]');
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('unread'));
    await page.click('[data-testid="filter-unread"]');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('unread') === '1');
    await rowsAre([ids[3]!, ana()]);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('leaves at a reload, the conversation still open', async () => {
    await clickConversation(page, ids[3]!);
    await countIs('All (1)');
    await rowsAre([ids[3]!, ana()]);
    await page.reload();
    await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    await page.waitForSelector('[data-testid="conversation"]:not([hidden])');
    await rowsAre([ana()]);
    expect(await page.evaluate(() => location.pathname)).toBe(`/inbox/c/${ids[3]!}`);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('leaves when it no longer belongs to the tab: closed by a colleague while open', async () => {
    await clickConversation(page, ana());
    await countIs('All (0)');
    await rowsAre([ana()]);
    expect((await admin().post(`/conversations/${ana()}/close`, {})).status).toBe(200);
    await rowsAre([]);
    expect(await page.evaluate(() => location.pathname)).toBe(`/inbox/c/${ids[0]!}`);
    expect(inbox.pageErrors).toEqual([]);
  });
});
