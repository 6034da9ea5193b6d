import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox's conversation list past the first page: 205 open conversations, the oldest
// of which the customer just wrote in. Before, the page asked for the 200 newest-created, read
// "Open (200)" and never showed that one; it had no search and no way to load more.
const COUNT = 205;

let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
let pageErrors: string[] = [];
const people: { contactId: string; conversationId: string }[] = [];
const pad = (i: number) => String(i).padStart(3, '0');
const admin = () => server.api(server.adminToken);

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const rowIds = () => page.$$eval('[data-testid="conversation-item"]', (els) => els.map((el) => (el as HTMLElement).dataset.id ?? ''));
const rowCount = (n: number) => page.waitForFunction((k) => document.querySelectorAll('[data-testid="conversation-item"]').length === k, {}, n);

beforeAll(async () => {
  server = await startTestServer();
  for (let start = 0; start < COUNT; start += 10) {
    const batch = Array.from({ length: Math.min(10, COUNT - start) }, (_, k) => start + k);
    people.push(...await Promise.all(batch.map(async (i) => {
      const contact = await admin().post('/contacts', { firstName: 'Person', lastName: pad(i), phone: `+3460000${String(i).padStart(4, '0')}`, email: `person.${pad(i)}@example.com` });
      const conversation = await admin().post('/conversations', { contactId: contact.body.id });
      return { contactId: contact.body.id as string, conversationId: conversation.body.id as string };
    })));
  }
  await new Promise((r) => setTimeout(r, 5));
  const urgent = await admin().post(`/conversations/${people[0]!.conversationId}/messages`, { text: 'URGENT', direction: 'incoming' });
  expect(urgent.status).toBe(201);

  inbox = await openSignedInInbox(server.url, server.adminToken, { live: true });
  ({ page, pageErrors } = inbox);
}, 120_000);

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('the inbox list past the first page', () => {
  it('counts every open conversation and shows the one the customer just wrote in first', async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-open"]')?.textContent === 'Open (205)');
    await rowCount(50);
    const ids = await rowIds();
    expect(ids[0]).toBe(people[0]!.conversationId);
    expect(await text('[data-testid="conversation-item"] [data-testid="conversation-name"]')).toBe('Person 000');
    expect(await text('[data-testid="conversation-item"] .item-preview')).toBe('URGENT');
    expect(await page.$eval('[data-testid="load-more"]', (el) => (el as HTMLElement).hidden)).toBe(false);
    expect(await text('[data-testid="load-more"]')).toBe('Load more (50 of 205 shown)');
  });

  it('loads more until every conversation is listed, each once, newest activity first', async () => {
    for (const shown of [100, 150, 200, 205]) {
      await page.click('[data-testid="load-more"]');
      await rowCount(shown);
    }
    await page.waitForSelector('[data-testid="load-more"][hidden]');
    const ids = await rowIds();
    expect(new Set(ids).size).toBe(COUNT);
    const rest = people.slice(1).map((p) => p.conversationId).sort().reverse();
    expect(ids).toEqual([people[0]!.conversationId, ...rest]);
  });

  it('moves a conversation to the top when a message arrives, keeping the rows loaded; a close takes one out and the count follows', async () => {
    const last = (await rowIds()).at(-1)!;
    await admin().post(`/conversations/${last}/messages`, { text: 'Still waiting…', direction: 'incoming' });
    await page.waitForFunction((id) => document.querySelector('[data-testid="conversation-item"]')?.getAttribute('data-id') === id, {}, last);
    expect(await rowIds()).toHaveLength(COUNT);
    expect(await page.$eval(`[data-testid="conversation-item"][data-id="${last}"] .unread-dot`, () => true)).toBe(true);

    await admin().post(`/conversations/${people[100]!.conversationId}/close`, {});
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-open"]')?.textContent === 'Open (204)');
    await rowCount(COUNT - 1);
    expect(await rowIds()).not.toContain(people[100]!.conversationId);
  });

  it('searches by name, phone as typed and email on the server, counting the matches; the tab keeps its count', async () => {
    const search = async (q: string) => {
      await page.click('[data-testid="conversation-search"]', { count: 3 });
      await page.keyboard.press('Backspace');
      await page.type('[data-testid="conversation-search"]', q);
    };
    await search('person 123');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-item"]').length === 1);
    expect(await rowIds()).toEqual([people[123]!.conversationId]);
    expect(await text('[data-testid="list-summary"]')).toBe('1 conversation matches “person 123”');
    expect(await text('[data-testid="tab-open"]')).toBe('Open (204)');
    expect(await page.$eval('[data-testid="load-more"]', (el) => (el as HTMLElement).hidden)).toBe(true);

    await search('+34 600 000 042');
    await page.waitForFunction((id) => {
      const rows = document.querySelectorAll('[data-testid="conversation-item"]');
      return rows.length === 1 && rows[0]?.getAttribute('data-id') === id;
    }, {}, people[42]!.conversationId);

    // "person.1" is in the emails of 100 to 199, one of them closed: 99 open matches, paged.
    await search('person.1');
    await page.waitForFunction(() => document.querySelector('[data-testid="list-summary"]')?.textContent === '99 conversations match “person.1”');
    await rowCount(50);
    await page.click('[data-testid="load-more"]');
    await rowCount(99);

    await search('nobody at all');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-list-empty"]:not([hidden])')?.textContent === 'No conversations match “nobody at all”.');

    await search('');
    await rowCount(50);
    expect(await page.$eval('[data-testid="list-summary"]', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(await text('[data-testid="load-more"]')).toBe('Load more (50 of 204 shown)');
  });

  it('counts the closed tab while it is shown', async () => {
    await page.click('[data-testid="tab-closed"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-closed"]')?.textContent === 'Closed (1)');
    await rowCount(1);
    expect(await rowIds()).toEqual([people[100]!.conversationId]);
    expect(await text('[data-testid="tab-open"]')).toBe('Open (204)');
    expect(pageErrors).toEqual([]);
  });
});
