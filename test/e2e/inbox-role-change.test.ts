import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { clickConversation, openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// An admin changes someone's role while they have the built-in inbox open. The server applied it
// at once, but the page read who it was signed in as once: a demoted supervisor kept the "Assign
// to" menu (and it worked) and a promoted agent lacked it, until a reload. The page now follows
// the live `user.changed` event, and the team's names with it.

let server: TestServer;
let inbox: InboxBrowser | undefined;
let page: Page;
let admin: Api;
const people = { eve: { id: '', token: '' }, sam: { id: '', token: '' }, gus: { id: '', token: '' } };
let conversation = '';

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const visible = (selector: string) => page.$eval(selector, (el) => !(el as HTMLElement).hidden && el.getClientRects().length > 0).catch(() => false);
const pickerShown = (shown: boolean) => page.waitForFunction((want: boolean) => {
  const el = document.querySelector<HTMLElement>('[data-testid="assign-picker"]');
  return !!el && (!el.hidden && el.getClientRects().length > 0) === want;
}, { timeout: 5000 }, shown);
const roleIs = (role: string) => page.waitForFunction((want: string) => document.querySelector('[data-testid="me-role"]')?.textContent === want, { timeout: 5000 }, role);
const offered = () => page.$$eval('[data-testid="assign-picker"] option', (els) => els.map((el) => el.textContent));

/** Signed in as `who` (a browser of their own), the conversation open. */
async function openAs(who: { token: string }) {
  await inbox?.close();
  inbox = await openSignedInInbox(server.url, who.token, { live: true });
  page = inbox.page;
  await clickConversation(page, conversation);
  await page.waitForFunction((cid: string) => document.querySelector('[data-testid="conversation"]')?.getAttribute('data-conversation-id') === cid
    && (document.querySelector('[data-testid="conversation-meta"]')?.textContent ?? '') !== '', {}, conversation);
}

beforeAll(async () => {
  server = await startTestServer();
  admin = server.api(server.adminToken);
  for (const [key, role, name] of [['eve', 'agent', 'Eve Agent'], ['sam', 'supervisor', 'Sam Supervisor'], ['gus', 'agent', 'Gus Agent']] as const) {
    const made = await server.createUser(role, { name });
    people[key] = { id: made.user.id, token: made.token };
  }
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Test' });
  conversation = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('a role changed while the inbox is open', () => {
  it('an agent promoted to supervisor gets the header and the Assign-to menu without a reload', async () => {
    await openAs(people.eve);
    expect(await text('[data-testid="me-role"]')).toBe('agent');
    expect(await visible('[data-testid="assign-picker"]')).toBe(false);
    expect((await admin.patch(`/users/${people.eve.id}`, { role: 'supervisor' })).status).toBe(200);
    await roleIs('supervisor');
    await pickerShown(true);
    expect(await offered()).toEqual(expect.arrayContaining(['Unassigned', 'Eve Agent (you)', 'Gus Agent', 'Sam Supervisor']));
  });

  it('a supervisor\'s Assign-to menu drops a teammate deactivated meanwhile', async () => {
    await openAs(people.sam);
    await pickerShown(true);
    expect(await offered()).toContain('Gus Agent');
    expect((await admin.patch(`/users/${people.gus.id}`, { active: false })).status).toBe(200);
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="assign-picker"] option')].some((o) => o.textContent === 'Gus Agent'), { timeout: 5000 });
  });

  it('a supervisor demoted to agent loses the menu at once (the server refuses it anyway), keeping Assign to me', async () => {
    expect((await admin.patch(`/users/${people.sam.id}`, { role: 'agent' })).status).toBe(200);
    await roleIs('agent');
    await pickerShown(false);
    expect(await text('[data-testid="assign-button"]')).toBe('Assign to me');
  });

  it('two changes in a row on a slow network: the latest role shows, not the one in between', async () => {
    // Gus, deactivated above, back at work.
    expect((await admin.patch(`/users/${people.gus.id}`, { active: true })).status).toBe(200);
    await openAs(people.gus);
    await roleIs('agent');
    // The review's steps: 1.2 s latency, supervisor then admin 400 ms later.
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 1_200, downloadThroughput: -1, uploadThroughput: -1 });
    expect((await admin.patch(`/users/${people.gus.id}`, { role: 'supervisor' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect((await admin.patch(`/users/${people.gus.id}`, { role: 'admin' })).status).toBe(200);
    await page.waitForFunction(() => document.querySelector('[data-testid="me-role"]')?.textContent === 'admin', { timeout: 10_000 });
    // And it stays: no later answer puts "supervisor" back.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await text('[data-testid="me-role"]')).toBe('admin');
    await pickerShown(true);
  });
});
