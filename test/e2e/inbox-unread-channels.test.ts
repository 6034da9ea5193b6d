import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../fixtures/meta/payloads';
import type { GraphStandIn } from '../support/graph-standin';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { APP_SECRET, connectTestChannels, deliverSignedMeta, readsSince, startTestGraph } from '../integration/channels/support';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// A WhatsApp-first team's list in Chromium (the built inbox): each row and the conversation's
// head say which channel it is on, in words a screen reader hears too; the unread counts are the
// server's for this agent, so they survive a reload and follow the agent's other tab. Before,
// nothing said the channel, and the dots lived in the page's memory: a reload cleared them all.

let graph: GraphStandIn;
let p: ChatwootPair;
let inbox: InboxBrowser;
let page: Page;
let token = '';
const ids: Record<'builtIn' | 'whatsapp' | 'messenger' | 'chatwoot', string> = { builtIn: '', whatsapp: '', messenger: '', chatwoot: '' };

const admin = () => p.server.api(p.server.adminToken);
const deliver = async (payload: unknown) => { await deliverSignedMeta(p.server, payload); };
const row = (id: string) => `[data-testid="conversation-item"][data-id="${id}"]`;
/** What each row's badge says aloud, and its unread count as shown ('' for none), by conversation. */
const rowsAsSeen = (pg: Page) => pg.$$eval('[data-testid="conversation-item"]', (els) => Object.fromEntries(els.map((el) => [
  (el as HTMLElement).dataset.id,
  { channel: el.querySelector('[data-testid="channel-badge"] .visually-hidden')?.textContent ?? null, unread: el.querySelector('[data-testid="unread-count"] [aria-hidden]')?.textContent ?? '' },
])));
// Polled by time: a tab in the background draws no animation frames, puppeteer's default.
const unreadShown = (pg: Page, id: string, text: string) => pg.waitForFunction((sel, want) => (document.querySelector(`${sel} [data-testid="unread-count"] [aria-hidden]`)?.textContent ?? '') === want, { polling: 100 }, row(id), text);
const customerWritesBuiltIn = (text: string) => admin().post(`/conversations/${ids.builtIn}/messages`, { text, direction: 'incoming' });
async function open(pg: Page, id: string) {
  await clickConversation(pg, id);
  await pg.waitForSelector(`[data-conversation-id="${id}"]:not([hidden]) [data-testid="message-list"] [data-testid="message"]`);
}

beforeAll(async () => {
  graph = await startTestGraph();
  p = await startChatwootPair({
    env: { META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify' },
    // An inbox name with markup: the badge shows it as text.
    beforeConnect: async (_s, cw) => { cw.inboxes.push({ id: 4, name: '<img src=x onerror="window.__hacked=1">Soporte', channel_type: 'Channel::Whatsapp' }); },
  });
  await connectTestChannels(p.server, graph);
  const ava = await p.server.createUser('agent', { name: 'Ava' });
  token = ava.token;
  // Ava joined, and the server began keeping reads, a minute ago (Chatwoot's times are whole seconds).
  const minuteAgo = new Date(Date.now() - 60_000).toISOString();
  await readsSince(p.server, ava.user.id, minuteAgo);

  const walkIn = await admin().post('/contacts', { firstName: 'Walk-in' });
  ids.builtIn = (await admin().post('/conversations', { contactId: walkIn.body.id })).body.id;
  await customerWritesBuiltIn('At the counter');
  await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Where is my refund?', name: 'Kwame Mensah' }));
  await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Order R-77', name: 'Kwame Mensah' }));
  await deliver(messengerText({ psid: '4871203918', text: 'Olá' }));
  const cwContact = p.cw.addContact({ name: 'Wanda' });
  const conv = p.cw.addConversation({ contactId: cwContact.id, inboxId: 4, firstMessage: { content: 'Hello from Chatwoot', incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));
  for (const c of (await admin().get('/conversations?limit=50')).body.conversations as { id: string; channelType: string | null; inboxKind: string | null; contact: { firstName: string } }[]) {
    if (c.inboxKind === 'chatwoot') ids.chatwoot = c.id;
    else if (c.channelType === 'whatsapp') ids.whatsapp = c.id;
    else if (c.channelType === 'messenger') ids.messenger = c.id;
  }
  inbox = await openSignedInInbox(p.server.url, token, { live: true });
  page = inbox.page;
  await page.waitForSelector(row(ids.chatwoot));
}, 120_000);

afterAll(async () => {
  await inbox?.close();
  await p?.close();
  await graph?.close();
});

describe('the inbox list: which channel, and what this agent has not read', () => {
  it('badges each row and the head with its channel, as text (a Chatwoot inbox\'s name too)', async () => {
    const rows = await rowsAsSeen(page);
    expect(rows[ids.builtIn]).toEqual({ channel: 'Channel: Built-in', unread: '1' });
    expect(rows[ids.whatsapp]).toEqual({ channel: 'Channel: WhatsApp', unread: '2' });
    expect(rows[ids.messenger]).toEqual({ channel: 'Channel: Messenger', unread: '1' });
    expect(rows[ids.chatwoot]).toEqual({ channel: 'Channel: Chatwoot (WhatsApp, inbox <img src=x onerror="window.__hacked=1">Soporte)', unread: '1' });
    expect(await page.$eval(`${row(ids.chatwoot)} [data-testid="channel-badge"] [aria-hidden]`, (el) => el.textContent)).toBe('Chatwoot');
    expect(await page.$$(`${row(ids.chatwoot)} img`)).toHaveLength(0);
    expect(await page.$eval(`${row(ids.whatsapp)} [data-testid="unread-count"]`, (el) => el.getAttribute('title'))).toBe('2 unread messages');

    await open(page, ids.whatsapp);
    await page.waitForSelector('[data-testid="conversation-channel"]:not([hidden])');
    expect(await page.$eval('[data-testid="conversation-channel"]', (el) => el.textContent)).toBe('Channel: WhatsApp');
    await open(page, ids.chatwoot);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-channel"]')?.textContent === 'Channel: WhatsApp');
    expect(await page.$eval('[data-testid="conversation-inbox"]', (el) => el.textContent)).toMatch(/^Chatwoot · <img src=x onerror="window.__hacked=1">Soporte #/);
    await open(page, ids.builtIn);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-channel"]')?.textContent === 'Channel: Built-in');
    expect(await page.evaluate(() => (window as { __hacked?: number }).__hacked)).toBeUndefined();
    expect(inbox.pageErrors).toEqual([]);
  });

  it('keeps the counts across a reload: the ones opened are read, the others still count', async () => {
    // Opened above: WhatsApp, Chatwoot and the built-in one (shown now). Messenger was not.
    await page.reload();
    await page.waitForSelector(`${row(ids.messenger)} [data-testid="unread-count"]`);
    const rows = await rowsAsSeen(page);
    expect([rows[ids.whatsapp]!.unread, rows[ids.chatwoot]!.unread, rows[ids.builtIn]!.unread, rows[ids.messenger]!.unread]).toEqual(['', '', '', '1']);
  });

  it('a message into the conversation on screen is read; one elsewhere counts, and still does after a reload', async () => {
    await open(page, ids.builtIn);
    await customerWritesBuiltIn('Still here');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message"]')].some((m) => m.textContent?.includes('Still here')));
    await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Hello?', name: 'Kwame Mensah' }));
    await unreadShown(page, ids.whatsapp, '1');
    // The server took the look at the built-in one (a moment: the page tells it at most every 2 s).
    await new Promise((r) => setTimeout(r, 2500));
    await page.reload();
    await page.waitForSelector(`${row(ids.whatsapp)} [data-testid="unread-count"]`);
    const rows = await rowsAsSeen(page);
    expect([rows[ids.builtIn]!.unread, rows[ids.whatsapp]!.unread]).toEqual(['', '1']);
  });

  it('follows the agent\'s other tab: what they open there is read here too, live', async () => {
    await page.goto(`${p.server.url}/inbox/`);
    await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    await unreadShown(page, ids.messenger, '1');
    // The same agent in a second tab (signed in by the token the first one keeps).
    const second = await inbox.browser.newPage();
    try {
      await second.goto(`${p.server.url}/inbox/`);
      await second.waitForSelector(`${row(ids.messenger)} [data-testid="unread-count"]`);
      await open(second, ids.messenger);
      await unreadShown(page, ids.messenger, '');
      expect((await rowsAsSeen(page))[ids.whatsapp]!.unread).toBe('1');
    } finally {
      await second.close();
    }
    expect(inbox.pageErrors).toEqual([]);
  });

  // Every live change redraws the rows: a keyboard user's focus fell to the page's body each time
  // a message came in anywhere, and Tab started again from the top.
  it('a keyboard user\'s focus stays on their row while another conversation gets a message', async () => {
    await page.goto(`${p.server.url}/inbox/`);
    await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    await page.focus(`${row(ids.builtIn)} a`);
    const before = (await rowsAsSeen(page))[ids.whatsapp]!.unread;
    await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Anyone there?', name: 'Kwame Mensah' }));
    await page.waitForFunction((sel, was) => (document.querySelector(`${sel} [data-testid="unread-count"] [aria-hidden]`)?.textContent ?? '') !== was, { polling: 100 }, row(ids.whatsapp), before);
    expect(await page.evaluate(() => document.activeElement?.closest<HTMLElement>('[data-testid="conversation-item"]')?.dataset.id ?? document.activeElement?.tagName)).toBe(ids.builtIn);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('conversation-link'))).toBe(true);
  });
});
