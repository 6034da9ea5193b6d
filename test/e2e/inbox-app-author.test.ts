import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// A reply and a note a mini-app posted with its API key (a shop's sync, a CRM), in the built-in
// inbox in Chromium: they said "Agent", as if a teammate had written them. Now they name the app,
// as Chatwoot names an integration's messages, in the thread and the list's preview; the name is
// shown as text, never read as HTML.

const NAME = '<b>Shop</b> & "Co" <img src=x onerror="document.title=\'owned\'">';
let server: TestServer;
let inbox: InboxBrowser | undefined;
let page: Page;
let conversationId = '';

beforeAll(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const admin = server.api(server.adminToken);
  const sink = await startAppSink(server);
  const app = await admin.post('/apps', { key: 'shop-sync', name: NAME, scopes: ['messages.write'], subscribeUrl: sink.urls.subscribeUrl });
  expect(app.status, JSON.stringify(app.body)).toBe(201);
  expect((await admin.post(`/apps/${app.body.app.id}/install`, { authValues: {} })).status).toBe(201);
  const key = server.api(lastKey(sink));
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Test' });
  conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
  expect((await admin.post(`/conversations/${conversationId}/messages`, { text: 'Where is my order?', direction: 'incoming' })).status).toBe(201);
  expect((await key.post(`/conversations/${conversationId}/messages`, { text: 'Tracking synced', kind: 'comment' })).status).toBe(201);
  expect((await key.post(`/conversations/${conversationId}/messages`, { text: 'Your order shipped today' })).status).toBe(201);
  const agent = await server.createUser('agent', { name: 'Ava Agent' });
  inbox = await openSignedInInbox(server.url, agent.token);
  page = inbox.page;
}, 60_000);
afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

it('names the app beside its reply and note, and in the list\'s preview, as text', async () => {
  const preview = `[data-testid="conversation-item"][data-id="${conversationId}"] .item-preview`;
  await page.waitForSelector(preview);
  expect(await page.$eval(preview, (el) => el.textContent)).toBe(`${NAME} (app): Your order shipped today`);
  await clickConversation(page, conversationId);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message-list"] [data-testid="message-author"]').length === 3);
  const authors = await page.$$eval('[data-testid="message-list"] [data-testid="message-author"]', (els) => els.map((el) => el.textContent));
  expect(authors).toEqual(['Maria Test', `App: ${NAME}`, `App: ${NAME}`]);
  // Shown, not parsed: no element came out of the name, and nothing ran.
  expect(await page.$$eval('[data-testid="message-list"] [data-testid="message-author"] b, [data-testid="message-list"] img, .item-preview b, .item-preview img', (els) => els.length)).toBe(0);
  expect(await page.title()).not.toBe('owned');
});
