import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// The contact panel's Merge action in the built-in inbox, in Chromium: a supervisor merges a
// duplicate into the contact they are looking at; an agent is not offered it.

let server: TestServer;
let browser: Browser;
let page: Page;
let userDataDir: string;
const pageErrors: string[] = [];
const ids = { ana: '', anaConv: '', dup: '', dupConv: '' };
const admin = () => server.api(server.adminToken);

async function signIn(token: string, conversationId: string) {
  await page.goto(`${server.url}/inbox`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${server.url}/inbox/c/${conversationId}`);
  await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
  await page.type('[data-testid="signin-token"]', token);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForSelector('[data-testid="contact-name"]', { visible: true });
}

beforeAll(async () => {
  server = await startTestServer();
  const api = admin();
  ids.ana = (await api.post('/contacts', { firstName: 'Ana', lastName: 'Pérez', phone: '+34600999111', tags: ['vip'] })).body.id;
  ids.dup = (await api.post('/contacts', { firstName: 'Ana P.', lastName: '', email: 'ana.perez@example.com', tags: ['newsletter'] })).body.id;
  ids.anaConv = (await api.post('/conversations', { contactId: ids.ana })).body.id;
  ids.dupConv = (await api.post('/conversations', { contactId: ids.dup })).body.id;
  await api.post(`/conversations/${ids.dupConv}/messages`, { text: 'Hello from my other number', direction: 'incoming' });

  userDataDir = await mkdtemp(path.join(tmpdir(), 'inbox-merge-chrome-'));
  browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('merging contacts from the built-in inbox', () => {
  it('an agent is not offered Merge', async () => {
    const { token } = await server.createUser('agent');
    await signIn(token, ids.anaConv);
    expect(await page.$('[data-testid="merge-section"]')).toBeNull();
  });

  it('a supervisor finds the duplicate, confirms, and the panel shows the merged contact', async () => {
    const { token } = await server.createUser('supervisor');
    await signIn(token, ids.anaConv);
    await page.waitForSelector('[data-testid="merge-section"]', { visible: true });
    await page.type('[data-testid="merge-search"]', 'ana.perez');
    await page.click('[data-testid="merge-find"]');
    await page.waitForSelector(`[data-testid="merge-candidate"][data-contact-id="${ids.dup}"]`);
    const choose = `[data-testid="merge-candidate"][data-contact-id="${ids.dup}"] [data-testid="merge-choose"]`;
    await page.click(choose);
    expect(await page.$eval(choose, (el) => el.textContent)).toMatch(/^Confirm: merge Ana P\./);
    await page.click(choose);
    await page.waitForFunction(() => /Merged Ana P\. into this contact; their open conversation was closed/.test(document.querySelector('[data-testid="merge-status"]')?.textContent ?? ''));
    await page.waitForSelector('[data-testid="tag"][data-tag="newsletter"]');
    expect(await page.$eval('[data-testid="contact-email"]', (el) => (el as HTMLInputElement).value)).toBe('ana.perez@example.com');

    expect((await admin().get(`/contacts/${ids.dup}`)).status).toBe(404);
    const moved = (await admin().get(`/conversations/${ids.dupConv}`)).body;
    expect(moved).toMatchObject({ contactId: ids.ana, status: 'closed', closeReason: 'merge' });
    expect(pageErrors).toEqual([]);
  });
});
