import { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { launchInboxChromium, type InboxBrowser } from './support/inbox-browser';

// The contact panel's "Delete contact" in the built-in inbox, in Chromium: an admin is told what is
// erased, confirms, and the page goes back to the list without the contact's conversations; agents
// and supervisors are not offered it.

let server: TestServer;
let browser: Browser;
let page: Page;
let chromium: InboxBrowser;
let pageErrors: string[] = [];
const ids = { jane: '', janeConv: '', janeEarlier: '', otto: '', ottoConv: '' };
const admin = () => server.api(server.adminToken);

async function signIn(token: string, conversationId: string, beforeSubmit?: () => void) {
  await page.goto(`${server.url}/inbox`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${server.url}/inbox/c/${conversationId}`);
  await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
  await page.type('[data-testid="signin-token"]', token);
  beforeSubmit?.();
  await page.click('[data-testid="signin-submit"]');
  await page.waitForSelector('[data-testid="contact-name"]', { visible: true });
}

beforeAll(async () => {
  server = await startTestServer();
  const api = admin();
  await api.put('/settings/closing-categories', { categories: ['Resolved'] });
  ids.jane = (await api.post('/contacts', { firstName: 'Jane', lastName: 'Roe', phone: '+34600999111', tags: ['vip'] })).body.id;
  ids.otto = (await api.post('/contacts', { firstName: 'Otto', lastName: 'Lind' })).body.id;
  ids.janeEarlier = (await api.post('/conversations', { contactId: ids.jane })).body.id;
  await api.post(`/conversations/${ids.janeEarlier}/messages`, { text: 'My first question', direction: 'incoming' });
  await api.post(`/conversations/${ids.janeEarlier}/close`, { category: 'Resolved' });
  ids.janeConv = (await api.post('/conversations', { contactId: ids.jane })).body.id;
  await api.post(`/conversations/${ids.janeConv}/messages`, { text: 'Please delete my data', direction: 'incoming' });
  ids.ottoConv = (await api.post('/conversations', { contactId: ids.otto })).body.id;

  chromium = await launchInboxChromium();
  ({ browser, page, pageErrors } = chromium);
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('deleting a contact from the built-in inbox', () => {
  it.each(['agent', 'supervisor'] as const)('a %s is not offered Delete', async (role) => {
    const { token } = await server.createUser(role);
    let asked = 0;
    const count = (res: HTTPResponse) => { if (new URL(res.url()).pathname === '/api/v1/me') asked++; };
    await signIn(token, ids.janeConv, () => page.on('response', count));
    // Signing in asks who is signed in; the panel reads the role from that answer (no ask of its own
    // since the inbox follows role changes live): once it came and the panel shows the contact, it has decided.
    for (const end = Date.now() + 5000; asked < 1 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    page.off('response', count);
    expect(asked).toBe(1);
    await page.waitForSelector('[data-testid="contact-name"]');
    await new Promise((r) => setTimeout(r, 100));
    expect(await page.$('[data-testid="delete-section"]')).toBeNull();
  });

  it('an admin is told what goes, can step back, then deletes: the page is back on the list without them', async () => {
    await signIn(server.adminToken, ids.janeConv);
    await page.waitForSelector('[data-testid="delete-contact"]', { visible: true });
    await page.click('[data-testid="delete-contact"]');
    await page.waitForSelector('[data-testid="delete-contact-dialog"][open]', { visible: true });
    expect(await page.$eval('[data-testid="delete-contact-title"]', (el) => el.textContent)).toBe('Delete Jane Roe?');
    await page.waitForFunction(() => document.querySelector('[data-testid="delete-contact-conversations"]')?.textContent === '2 conversations and every message in them;');
    const erases = await page.$eval('[data-testid="delete-contact-dialog"]', (el) => el.textContent ?? '');
    expect(erases).toMatch(/tags and field values/);
    expect(erases).toMatch(/WhatsApp, Messenger and Chatwoot links/);
    expect(erases).toMatch(/workflow runs about them/);
    expect(erases).toMatch(/cannot be undone/);
    expect(erases).toMatch(/not deleted there: delete them in Chatwoot too/);

    // Cancel keeps everything.
    await page.click('[data-testid="delete-contact-cancel"]');
    await page.waitForSelector('[data-testid="delete-contact-dialog"]:not([open])');
    expect((await admin().get(`/contacts/${ids.jane}`)).status).toBe(200);

    await page.click('[data-testid="delete-contact"]');
    await page.waitForSelector('[data-testid="delete-contact-dialog"][open]', { visible: true });
    await page.click('[data-testid="delete-contact-confirm"]');
    await page.waitForFunction(() => location.pathname === '/inbox/');
    await page.waitForSelector('[data-testid="delete-contact-dialog"]:not([open])');
    await page.waitForSelector('[data-testid="contact-panel"]', { hidden: true });
    await page.waitForSelector('[data-testid="no-conversation"]', { visible: true });
    // The live update takes Jane's conversation off the list; Otto's stays.
    await page.waitForFunction((gone: string) => !document.querySelector(`[data-testid="conversation-item"][data-id="${gone}"]`)
      && ![...document.querySelectorAll('[data-testid="conversation-name"]')].some((el) => el.textContent?.includes('Jane')), {}, ids.janeConv);
    expect(await page.$$eval('[data-testid="conversation-name"]', (els) => els.map((el) => el.textContent))).toEqual(['Otto Lind']);
    expect(await page.$eval('[data-testid="error-banner"]', (el) => (el as HTMLElement).hidden)).toBe(true);

    expect((await admin().get(`/contacts/${ids.jane}`)).status).toBe(404);
    expect((await admin().get(`/conversations/${ids.janeEarlier}`)).status).toBe(404);
    expect((await admin().get(`/contacts/${ids.otto}`)).status).toBe(200);
    expect(pageErrors).toEqual([]);
  });
});
