import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  connectExtension, launchWithExtension, launcherState, openConversation, openLauncher, until, type ExtensionBrowser,
} from './launcher-harness';

// A run's toast in the built-in inbox, in Chromium with the built extension: it stays clear of the
// "Workflow … is waiting" line the page shows in the composer once the run has asked its
// question, names the contact, says so once the agent is elsewhere, and says why it was cancelled.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
const ids = { maria: '', other: '' };

interface Box { left: number; right: number; top: number; bottom: number }
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const rectOf = (selector: string) => page.$eval(selector, (el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
});
const toastText = () => page.$eval('pierce/.ic-toast', (el) => el.textContent ?? '').catch(() => '');

beforeAll(async () => {
  server = await startTestServer();
  const agent = await server.createUser('agent', { name: 'Ada Agent' });
  const admin = server.api(server.adminToken);
  const maria = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
  ids.maria = (await admin.post('/conversations', { contactId: maria.body.id })).body.id;
  const noor = await admin.post('/contacts', { firstName: 'Noor', lastName: 'Haddad' });
  ids.other = (await admin.post('/conversations', { contactId: noor.body.id })).body.id;
  // Assigned to the agent: in the list whichever of its views (Mine, All) the page opens with.
  for (const id of [ids.maria, ids.other]) expect((await admin.post(`/conversations/${id}/assign`, { userId: agent.user.id })).status).toBe(200);
  const ask = await admin.post('/workflows', {
    name: 'Ask order', status: 'published',
    trigger: { type: 'shortcut', icon: '❓', name: 'Ask order number', description: 'Ask the customer for their order number' },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 3600 } }],
  });
  expect(ask.status, JSON.stringify(ask.body)).toBe(201);

  ext = await launchWithExtension();
  await connectExtension(ext, server.url, agent.token);
  page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  await openConversation(page, server.url, agent.token, ids.maria);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the run toast in the built-in inbox', () => {
  it('moves above the waiting notice that appears in the composer after the launch, naming the contact', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
    await openLauncher(page);
    await page.keyboard.type('ask order');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/.ic-toast');
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 10_000 });
    await until(async () => (await toastText()).includes('Waiting for the customer’s answer'), 'the toast to say the run waits', 10_000);
    expect(await toastText()).toContain('Ask order number · Maria Garcia');

    // Placed again once the composer grew (a frame or two), then neither hides the other.
    await until(async () => !overlap(await rectOf('pierce/.ic-toast'), await rectOf('[data-testid="awaiting-answer"]')),
      'the toast to clear the notice', 3000);
    const toast = await rectOf('pierce/.ic-toast');
    expect(overlap(toast, await rectOf('[data-testid="take-over"]'))).toBe(false);
    expect(overlap(toast, await rectOf('[data-testid="composer-input"]'))).toBe(false);
    expect(toast.top).toBeGreaterThanOrEqual(0);
  });

  it('says so once the agent has opened another conversation, and why the run was cancelled when they take over', async () => {
    await page.click(`[data-testid="conversation-item"][data-id="${ids.other}"]`);
    await page.waitForSelector(`[data-conversation-id="${ids.other}"]:not([hidden])`);
    await until(async () => (await toastText()).includes('About a conversation no longer on screen.'), 'the toast to say it is about another conversation');
    expect(await toastText()).toContain('Maria Garcia');

    await page.click(`[data-testid="conversation-item"][data-id="${ids.maria}"]`);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 10_000 });
    await until(async () => !(await toastText()).includes('no longer on screen'), 'the note to go back in the conversation');
    await page.click('[data-testid="take-over"]');
    await until(async () => (await toastText()).includes('Cancelled: Stopped by Ada Agent, who took over the conversation'),
      'the toast to say who stopped the run', 10_000);
    // It goes by itself, as "Done" does (a little later: there is more to read).
    await until(async () => !(await page.$('pierce/.ic-toast')), 'the cancelled toast to go', 15_000);
  });
});
