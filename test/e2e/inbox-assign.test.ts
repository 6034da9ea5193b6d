import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// Who has a conversation, in the built-in inbox in Chromium. Before, an agent saw "Assigned to
// Agent" and replies signed "Agent" (only supervisors could read the team's names), "Assign to me"
// took a teammate's conversation without a word, supervisors could assign only themselves, the
// list had no Mine / Unassigned views and previewed each conversation's first customer message.

let server: TestServer;
let inbox: InboxBrowser | undefined;
let page: Page;
const users = { ava: '', ben: '', sue: '' };
const tokens = { ben: '', sue: '' };
const conv = { maria: '', bob: '', carla: '' };
let ava: Api;
const admin = () => server.api(server.adminToken);

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const visible = (selector: string) => page.$eval(selector, (el) => !(el as HTMLElement).hidden && el.getClientRects().length > 0).catch(() => false);
const rowIds = () => page.$$eval('[data-testid="conversation-item"]', (els) => els.map((el) => (el as HTMLElement).dataset.id ?? ''));
const rows = (ids: string[]) => page.waitForFunction((want: string[]) =>
  JSON.stringify([...document.querySelectorAll<HTMLElement>('[data-testid="conversation-item"]')].map((el) => el.dataset.id).sort()) === JSON.stringify([...want].sort()), {}, ids);
const textIs = (selector: string, want: string) => page.waitForFunction((s: string, w: string) => document.querySelector(s)?.textContent === w, {}, selector, want);
const assigneeOf = async (id: string) => (await admin().get(`/conversations/${id}`)).body.assigneeId as string | null;
const preview = (id: string) => `[data-testid="conversation-item"][data-id="${id}"] .item-preview`;

async function open(id: string) {
  await clickConversation(page, id);
  await page.waitForSelector(`[data-conversation-id="${id}"]:not([hidden])`);
  await page.waitForFunction((cid: string) => document.querySelector('[data-testid="conversation"]')?.getAttribute('data-conversation-id') === cid
    && (document.querySelector('[data-testid="conversation-meta"]')?.textContent ?? '') !== '', {}, id);
}

async function signInAs(token: string) {
  await inbox?.close();
  inbox = await openSignedInInbox(server.url, token, { live: true });
  page = inbox.page;
}

beforeAll(async () => {
  server = await startTestServer();
  const a = await server.createUser('agent', { name: 'Ava Agent' });
  const b = await server.createUser('agent', { name: 'Ben Agent' });
  const s = await server.createUser('supervisor', { name: 'Sue Supervisor' });
  Object.assign(users, { ava: a.user.id, ben: b.user.id, sue: s.user.id });
  Object.assign(tokens, { ben: b.token, sue: s.token });
  ava = server.api(a.token);
  // Not offered in the assignee menu: a bot, and someone deactivated.
  expect((await admin().post('/users', { name: 'Order Bot', email: 'bot@x.test', role: 'agent', kind: 'bot' })).status).toBe(201);
  const gone = await server.createUser('agent', { name: 'Gus Gone' });
  expect((await admin().patch(`/users/${gone.user.id}`, { active: false })).status).toBe(200);
  for (const [key, name] of [['maria', 'Maria'], ['bob', 'Bob'], ['carla', 'Carla']] as const) {
    const contact = await admin().post('/contacts', { firstName: name, lastName: 'Test' });
    conv[key] = (await admin().post('/conversations', { contactId: contact.body.id })).body.id;
  }
  await admin().post(`/conversations/${conv.maria}/messages`, { text: 'Where is my refund?', direction: 'incoming' });
  // Ava takes Maria's conversation and answers.
  expect((await ava.post(`/conversations/${conv.maria}/assign`, { userId: users.ava })).status).toBe(200);
  expect((await ava.post(`/conversations/${conv.maria}/messages`, { text: 'Your refund left today' })).status).toBe(201);
  await admin().post(`/conversations/${conv.bob}/messages`, { text: 'Hi, quick question', direction: 'incoming' });
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('an agent sees the team', () => {
  beforeAll(async () => { await signInAs(tokens.ben); });

  it('names the teammate who has the conversation and who replied, in the list too', async () => {
    await page.waitForSelector(preview(conv.maria));
    expect(await text(preview(conv.maria))).toBe('Ava Agent: Your refund left today');
    expect(await text(preview(conv.bob))).toBe('Hi, quick question');
    expect(await text(preview(conv.carla))).toBe('New conversation');
    await open(conv.maria);
    expect(await text('[data-testid="conversation-meta"]')).toContain('Assigned to Ava Agent');
    const authors = await page.$$eval('[data-testid="message-list"] [data-testid="message-author"]', (els) => els.map((el) => el.textContent));
    expect(authors).toEqual(['Maria Test', 'Ava Agent']);
    // Agents get no assignee menu: that is a supervisor's.
    expect(await visible('[data-testid="assign-picker"]')).toBe(false);
  });

  it('asks before taking a teammate\'s conversation; Cancel leaves it with them', async () => {
    await open(conv.maria);
    await page.click('[data-testid="assign-button"]');
    await page.waitForSelector('[data-testid="assign-confirm-box"]:not([hidden])');
    expect(await text('[data-testid="assign-confirm-text"]')).toBe('Assigned to Ava Agent — take it?');
    expect(await visible('[data-testid="assign-button"]')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('assign-confirm');
    await page.click('[data-testid="assign-cancel"]');
    expect(await visible('[data-testid="assign-confirm-box"]')).toBe(false);
    expect(await visible('[data-testid="assign-button"]')).toBe(true);
    expect(await assigneeOf(conv.maria)).toBe(users.ava);

    await page.click('[data-testid="assign-button"]');
    await page.click('[data-testid="assign-confirm"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to You'));
    expect(await assigneeOf(conv.maria)).toBe(users.ben);
    expect(await text('[data-testid="assign-button"]')).toBe('Unassign');
  });

  it('takes an unassigned conversation at once, and lets go of their own', async () => {
    await open(conv.carla);
    expect(await text('[data-testid="conversation-meta"]')).toContain('Unassigned');
    await page.click('[data-testid="assign-button"]');
    await textIs('[data-testid="assign-button"]', 'Unassign');
    expect(await visible('[data-testid="assign-confirm-box"]')).toBe(false);
    expect(await assigneeOf(conv.carla)).toBe(users.ben);
    await page.click('[data-testid="assign-button"]');
    await textIs('[data-testid="assign-button"]', 'Assign to me');
    expect(await assigneeOf(conv.carla)).toBeNull();
  });

  // Each change disabled the focused button (or the question's "Take it" vanished under it) while
  // it was on its way: the focus fell to the page's body, and Tab started again from the top.
  it('keeps a keyboard user on the button through Assign to me, Unassign and Take it', async () => {
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await open(conv.carla);
    await page.focus('[data-testid="assign-button"]');
    await page.keyboard.press('Enter');
    await textIs('[data-testid="assign-button"]', 'Unassign');
    expect(await focused()).toBe('assign-button');
    await page.keyboard.press('Enter');
    await textIs('[data-testid="assign-button"]', 'Assign to me');
    expect(await focused()).toBe('assign-button');

    expect((await ava.post(`/conversations/${conv.carla}/assign`, { userId: users.ava })).status).toBe(200);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to Ava Agent'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="assign-confirm-box"]:not([hidden])');
    expect(await focused()).toBe('assign-confirm');
    await page.keyboard.press('Enter');
    await textIs('[data-testid="assign-button"]', 'Unassign');
    expect(await assigneeOf(conv.carla)).toBe(users.ben);
    expect(await focused()).toBe('assign-button');
    // Carla's is nobody's again, as the next test expects.
    await page.keyboard.press('Enter');
    await textIs('[data-testid="assign-button"]', 'Assign to me');
    expect(await assigneeOf(conv.carla)).toBeNull();
  });

  it('lists Mine, Unassigned and All with their counts, following assignments live', async () => {
    // Ben has Maria's; Bob's and Carla's are nobody's.
    await textIs('[data-testid="view-all"]', 'All (3)');
    await page.click('[data-testid="view-mine"]');
    await rows([conv.maria]);
    await textIs('[data-testid="view-mine"]', 'Mine (1)');
    await textIs('[data-testid="view-unassigned"]', 'Unassigned (2)');
    await textIs('[data-testid="tab-open"]', 'Open (1)');
    await page.click('[data-testid="view-unassigned"]');
    await rows([conv.bob, conv.carla]);
    // Ava takes Bob's meanwhile: it leaves Unassigned without a reload.
    expect((await ava.post(`/conversations/${conv.bob}/assign`, { userId: users.ava })).status).toBe(200);
    await rows([conv.carla]);
    await textIs('[data-testid="view-unassigned"]', 'Unassigned (1)');
    // The view is kept for next time.
    await page.reload();
    await page.waitForSelector('[data-testid="inbox"]', { visible: true });
    await rows([conv.carla]);
    expect(await page.$eval('[data-testid="view-unassigned"]', (el) => el.getAttribute('aria-selected'))).toBe('true');
    await page.click('[data-testid="view-all"]');
    await rows([conv.maria, conv.bob, conv.carla]);
  });

  it('previews the latest message as it comes: "You:" for their own reply, the customer\'s as it is', async () => {
    await open(conv.maria);
    await page.type('[data-testid="composer-input"]', 'I am on it');
    await page.click('[data-testid="send-button"]');
    await textIs(preview(conv.maria), 'You: I am on it');
    expect((await rowIds())[0]).toBe(conv.maria);
    await admin().post(`/conversations/${conv.carla}/messages`, { text: 'Hello?', direction: 'incoming' });
    await textIs(preview(conv.carla), 'Hello?');
    expect((await rowIds())[0]).toBe(conv.carla);
    await ava.post(`/conversations/${conv.carla}/messages`, { text: 'Customer called back', kind: 'comment' });
    await textIs(preview(conv.carla), 'Note · Ava Agent: Customer called back');
    expect(inbox!.pageErrors).toEqual([]);
  });
});

describe('a supervisor assigns anyone', () => {
  beforeAll(async () => { await signInAs(tokens.sue); });

  it('offers the active people of the team, and assigns or unassigns with one choice', async () => {
    await page.waitForSelector(`[data-testid="conversation-item"][data-id="${conv.bob}"]`);
    await open(conv.bob);
    await page.waitForSelector('[data-testid="assign-picker"]:not([hidden])');
    const options = await page.$$eval('[data-testid="assign-picker"] option', (els) => els.map((el) => el.textContent));
    expect(options).toEqual(['Unassigned', 'Admin', 'Ava Agent', 'Ben Agent', 'Sue Supervisor (you)']);
    expect(await page.$eval('[data-testid="assign-picker"]', (el) => (el as HTMLSelectElement).value)).toBe(users.ava);
    expect(await text('[data-testid="conversation-meta"]')).toContain('Assigned to Ava Agent');

    await page.select('[data-testid="assign-picker"]', users.ben);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to Ben Agent'));
    expect(await assigneeOf(conv.bob)).toBe(users.ben);
    await page.select('[data-testid="assign-picker"]', '');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Unassigned'));
    expect(await assigneeOf(conv.bob)).toBeNull();
    // Their own "Assign to me" asks too when someone has it.
    await admin().post(`/conversations/${conv.bob}/assign`, { userId: users.ava });
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to Ava Agent'));
    await page.click('[data-testid="assign-button"]');
    expect(await text('[data-testid="assign-confirm-text"]')).toBe('Assigned to Ava Agent — take it?');
    await page.keyboard.press('Escape');
    expect(await visible('[data-testid="assign-confirm-box"]')).toBe(false);
    expect(await assigneeOf(conv.bob)).toBe(users.ava);
    expect(inbox!.pageErrors).toEqual([]);
  });
});
