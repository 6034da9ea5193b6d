import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// Two teammates of one name in the built-in inbox's Assign-to menu, in Chromium: it listed
// "Sam Lee" twice, and a supervisor could not tell which one they gave the conversation to.
// Each now shows their email beside the name, as Chatwoot's agent lists do; others keep the name.

let server: TestServer;
let inbox: InboxBrowser | undefined;
let page: Page;
let conversationId = '';
const sams: { id: string; email: string }[] = [];
const admin = () => server.api(server.adminToken);
const assigneeOf = async (id: string) => (await admin().get(`/conversations/${id}`)).body.assigneeId as string | null;

beforeAll(async () => {
  server = await startTestServer();
  await server.createUser('agent', { name: 'Ava Agent' });
  for (const email of ['sam.lee@north.test', 'sam.lee@south.test']) {
    const sam = await server.createUser('agent', { name: 'Sam Lee', email });
    sams.push({ id: sam.user.id, email });
  }
  const sue = await server.createUser('supervisor', { name: 'Sue Supervisor' });
  const contact = await admin().post('/contacts', { firstName: 'Maria', lastName: 'Test' });
  conversationId = (await admin().post('/conversations', { contactId: contact.body.id })).body.id;
  inbox = await openSignedInInbox(server.url, sue.token);
  page = inbox.page;
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

it('tells two teammates of one name apart by their email, and assigns the one chosen', async () => {
  await page.click(`[data-testid="conversation-item"][data-id="${conversationId}"] a`);
  await page.waitForSelector('[data-testid="assign-picker"]:not([hidden])');
  const options = await page.$$eval('[data-testid="assign-picker"] option', (els) => els.map((el) => el.textContent));
  // Equal names keep the order of their ids, as every list of names does.
  const samsInOrder = [...sams].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => `Sam Lee (${s.email})`);
  expect(options).toEqual(['Unassigned', 'Admin', 'Ava Agent', ...samsInOrder, 'Sue Supervisor (you)']);

  const south = sams.find((s) => s.email === 'sam.lee@south.test')!;
  await page.select('[data-testid="assign-picker"]', south.id);
  await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to Sam Lee'));
  expect(await assigneeOf(conversationId)).toBe(south.id);
  expect(inbox!.pageErrors).toEqual([]);
});
