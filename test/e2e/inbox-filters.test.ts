import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../fixtures/meta/payloads';
import type { GraphStandIn } from '../support/graph-standin';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { APP_SECRET, connectTestChannels, deliverSignedMeta, readsSince, startTestGraph } from '../integration/channels/support';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// An agent coming from Chatwoot or respond.io in the built inbox (Chromium): the Unread filter,
// the channel filter (the companion's WhatsApp number and Page through a Graph stand-in, a
// Chatwoot account's conversation through a Chatwoot stand-in, the built-in inbox) and a search
// that finds a conversation by a phrase a customer wrote, showing that message. Keyboard only,
// kept in the URL across a reload, and inside a 320 px screen.

let graph: GraphStandIn;
let p: ChatwootPair;
let inbox: InboxBrowser;
let page: Page;
let token = '';
const ids: Record<'builtIn' | 'whatsapp' | 'messenger' | 'chatwoot', string> = { builtIn: '', whatsapp: '', messenger: '', chatwoot: '' };

const admin = () => p.server.api(p.server.adminToken);
const deliver = async (payload: unknown) => { await deliverSignedMeta(p.server, payload); };
/** The rows shown, in order, once they are exactly `want` (polled by time: a background tab draws no frames). */
const rowsAre = async (want: string[]) => {
  await page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll<HTMLElement>('[data-testid="conversation-item"]')].map((el) => el.dataset.id).sort()) === JSON.stringify(w), { polling: 100, timeout: 10_000 }, [...want].sort())
    .catch(async (err) => { throw new Error(`rows ${JSON.stringify(await page.$$eval('[data-testid="conversation-item"]', (els) => els.map((el) => (el as HTMLElement).dataset.id)))}, wanted ${JSON.stringify(want)}: ${err}`); });
};
const pressOn = async (testid: string, key: 'Enter' | ' ') => {
  await page.focus(`[data-testid="${testid}"]`);
  await page.keyboard.press(key === ' ' ? 'Space' : key);
};

beforeAll(async () => {
  graph = await startTestGraph();
  p = await startChatwootPair({
    env: { META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify' },
    beforeConnect: async (_s, cw) => { cw.inboxes.push({ id: 4, name: 'Soporte', channel_type: 'Channel::Whatsapp' }); },
  });
  await connectTestChannels(p.server, graph);
  const ava = await p.server.createUser('agent', { name: 'Ava' });
  token = ava.token;
  // Ava joined, and the server began keeping reads, a minute ago: what comes below is unread.
  const minuteAgo = new Date(Date.now() - 60_000).toISOString();
  await readsSince(p.server, ava.user.id, minuteAgo);

  const walkIn = await admin().post('/contacts', { firstName: 'Walk-in' });
  ids.builtIn = (await admin().post('/conversations', { contactId: walkIn.body.id })).body.id;
  await admin().post(`/conversations/${ids.builtIn}/messages`, { text: 'At the counter', direction: 'incoming' });
  await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Where is my refund?', name: 'Kwame Mensah' }));
  await deliver(messengerText({ psid: '4871203918', text: 'Hi! The parcel never came <img src=x onerror="window.__hacked=1"> and the box was open' }));
  await deliver(messengerText({ psid: '4871203918', text: 'Any news?' }));
  const cwContact = p.cw.addContact({ name: 'Wanda' });
  const conv = p.cw.addConversation({ contactId: cwContact.id, inboxId: 4, firstMessage: { content: 'Hello from Chatwoot', incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));
  for (const c of (await admin().get('/conversations?limit=50')).body.conversations as { id: string; channelType: string | null; inboxKind: string | null }[]) {
    if (c.inboxKind === 'chatwoot') ids.chatwoot = c.id;
    else if (c.channelType === 'whatsapp') ids.whatsapp = c.id;
    else if (c.channelType === 'messenger') ids.messenger = c.id;
  }
  inbox = await openSignedInInbox(p.server.url, ava.token, { live: true });
  page = inbox.page;
  await rowsAre(Object.values(ids));
}, 120_000);

afterAll(async () => {
  await inbox?.close();
  await p?.close();
  await graph?.close();
});

describe('the inbox list\'s filters and message search, as an agent uses them', () => {
  it('filters to Unread with the keyboard: a conversation looked at leaves it; a reload keeps the filter', async () => {
    await clickConversation(page, ids.whatsapp);
    await page.waitForSelector(`[data-conversation-id="${ids.whatsapp}"]:not([hidden]) [data-testid="message"]`);
    // The look reaches the server (the page tells it as it shows the conversation).
    await expect.poll(async () => (await p.server.api(token).get('/conversations?unread=true&channel=whatsapp')).body.total, { timeout: 10_000 }).toBe(0);
    await pressOn('filter-unread', 'Enter');
    expect(await page.$eval('[data-testid="filter-unread"]', (el) => el.getAttribute('aria-pressed'))).toBe('true');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('unread') === '1');
    // The row on screen stays until the next answer; after the reload the server's says it was read.
    await page.reload();
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    await rowsAre([ids.builtIn, ids.messenger, ids.chatwoot]);
    expect(await page.$eval('[data-testid="filter-unread"]', (el) => el.getAttribute('aria-pressed'))).toBe('true');
    await pressOn('filter-unread', ' ');
    await rowsAre(Object.values(ids));
    expect(await page.evaluate(() => location.search)).toBe('');
  });

  it('filters to WhatsApp: the companion\'s own number, not a Chatwoot inbox on WhatsApp; the URL keeps it', async () => {
    await page.focus('[data-testid="filter-channel"]');
    await page.select('[data-testid="filter-channel"]', 'whatsapp');
    await rowsAre([ids.whatsapp]);
    await page.waitForFunction(() => new URLSearchParams(location.search).get('channel') === 'whatsapp');
    await page.reload();
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    await rowsAre([ids.whatsapp]);
    expect(await page.$eval('[data-testid="filter-channel"]', (el) => (el as HTMLSelectElement).value)).toBe('whatsapp');
    await page.select('[data-testid="filter-channel"]', 'chatwoot');
    await rowsAre([ids.chatwoot]);
    await page.select('[data-testid="filter-channel"]', '');
    await rowsAre(Object.values(ids));
  });

  it('finds a conversation by a phrase from a message, showing that message as text with the phrase marked', async () => {
    await page.click('[data-testid="conversation-search"]', { count: 3 });
    await page.type('[data-testid="conversation-search"]', 'PARCEL NEVER');
    await page.keyboard.press('Enter');
    await rowsAre([ids.messenger]);
    const row = `[data-testid="conversation-item"][data-id="${ids.messenger}"]`;
    // The message that matched, not the latest ("Any news?").
    expect(await page.$eval(`${row} [data-testid="match-snippet"]`, (el) => el.textContent)).toBe('Hi! The parcel never came <img src=x onerror="window.__hacked=1"> and the box was open');
    expect(await page.$eval(`${row} mark`, (el) => el.textContent)).toBe('parcel never');
    expect(await page.$$(`${row} img`)).toHaveLength(0);
    expect(await page.$eval('[data-testid="list-summary"]', (el) => el.textContent)).toBe('1 conversation matches “PARCEL NEVER”');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'PARCEL NEVER');
    // Opening it keeps the search in the URL: a reload comes back to the same list.
    await clickConversation(page, ids.messenger);
    await page.waitForFunction((id) => location.pathname === `/inbox/c/${id}` && new URLSearchParams(location.search).get('q') === 'PARCEL NEVER', {}, ids.messenger);
    await page.reload();
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    await rowsAre([ids.messenger]);
    expect(await page.$eval('[data-testid="conversation-search"]', (el) => (el as HTMLInputElement).value)).toBe('PARCEL NEVER');
    expect(await page.evaluate(() => (window as { __hacked?: number }).__hacked)).toBeUndefined();
  });

  it('fits the search and filters inside a 320 px screen', async () => {
    // The Chatwoot one is the only one not opened yet.
    await page.goto(`${p.server.url}/inbox/?unread=1&channel=chatwoot`);
    await page.setViewport({ width: 320, height: 640 });
    try {
      await rowsAre([ids.chatwoot]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      for (const selector of ['[data-testid="conversation-search"]', '[data-testid="filter-unread"]', '[data-testid="filter-channel"]']) {
        expect([selector, await page.$eval(selector, (el) => el.getBoundingClientRect().right <= 320)]).toEqual([selector, true]);
      }
    } finally {
      await page.setViewport({ width: 1360, height: 820 });
    }
    expect(inbox.pageErrors).toEqual([]);
  });

  it('says a common word\'s count is at least what it read ("N+"), as the search reads only its first matches', async () => {
    // More messages with the word than the count reads (SEARCH_COUNT_CAP), straight into the store: 2,600 conversations, two each.
    const db = p.server.store.db;
    const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    const n = (i: number) => String(i).padStart(6, '0');
    for (let start = 0; start < 2_600; start += 250) {
      const part = Array.from({ length: 250 }, (_, k) => start + k).filter((i) => i < 2_600);
      await db.insertInto('contacts').values(part.map((i) => ({ id: `con_E2ECAP${n(i)}`, first_name: 'Buyer', last_name: n(i), phone: null, email: null, tags: '[]', fields: '{}', created_at: at(i), updated_at: at(i) }))).execute();
      await db.insertInto('conversations').values(part.map((i) => ({ id: `cnv_E2ECAP${n(i)}`, contact_id: `con_E2ECAP${n(i)}`, status: 'open', opened_by_source: 'api', assignee_id: null, opened_at: at(i), closed_at: null }))).execute();
      await db.insertInto('messages').values(part.flatMap((i) => ['I want a refund', 'Still no refund'].map((text, k) => ({
        id: `msg_E2ECAP${n(i)}${k}`, conversation_id: `cnv_E2ECAP${n(i)}`, direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text, created_at: at(i + k),
      })))).execute();
    }
    await page.goto(`${p.server.url}/inbox/?q=refund`);
    await page.waitForFunction(() => /^\d+\+ conversations match “refund”$/.test(document.querySelector('[data-testid="list-summary"]')?.textContent ?? ''), { polling: 100, timeout: 10_000 });
    expect(await page.$eval('[data-testid="load-more"]', (el) => el.textContent)).toMatch(/^Load more \(50 of \d+\+ shown\)$/);
    expect(inbox.pageErrors).toEqual([]);
  }, 60_000);
});
