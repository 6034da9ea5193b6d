import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

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
  await clickConversation(page, conversationId);
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

// The head's "Assigned to Sam Lee" and Assign to me's "Assigned to Sam Lee — take it?" named
// neither one: the supervisor could not tell whose conversation they were about to take.
it('says which of the two has the conversation, in the head and in the take-it question; a name no one shares stays as it is', async () => {
  const north = sams.find((s) => s.email === 'sam.lee@north.test')!;
  expect((await admin().post(`/conversations/${conversationId}/assign`, { userId: north.id })).status).toBe(200);
  await page.goto(`${server.url}/inbox/c/${conversationId}`);
  const meta = async () => page.$eval('[data-testid="conversation-meta"]', (el) => el.textContent);
  await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to'));
  expect(await meta()).toMatch(/ · Assigned to Sam Lee \(sam\.lee@north\.test\)$/);

  await page.click('[data-testid="assign-button"]');
  await page.waitForSelector('[data-testid="assign-confirm-box"]:not([hidden])');
  expect(await page.$eval('[data-testid="assign-confirm-text"]', (el) => el.textContent)).toBe('Assigned to Sam Lee (sam.lee@north.test) — take it?');
  await page.click('[data-testid="assign-cancel"]');

  const ava = (await admin().get('/teammates')).body.users.find((u: { name: string }) => u.name === 'Ava Agent');
  expect((await admin().post(`/conversations/${conversationId}/assign`, { userId: ava.id })).status).toBe(200);
  await page.goto(`${server.url}/inbox/c/${conversationId}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to'));
  expect(await meta()).toMatch(/ · Assigned to Ava Agent$/);
  await page.click('[data-testid="assign-button"]');
  await page.waitForSelector('[data-testid="assign-confirm-box"]:not([hidden])');
  expect(await page.$eval('[data-testid="assign-confirm-text"]', (el) => el.textContent)).toBe('Assigned to Ava Agent — take it?');
  expect(inbox!.pageErrors).toEqual([]);
});
