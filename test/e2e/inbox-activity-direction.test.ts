import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, shortcutWorkflow } from '../integration/engine-support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// Activity lines name agents and shortcuts: "אבי launched “طلب استرداد”". The server writes plain
// text; the inbox shows each name isolated (<bdi>), so a Hebrew or Arabic name keeps its own
// direction and the English around it stays in order. The text itself is unchanged.

let server: TestServer;
let inbox: InboxBrowser;
let conversationId = '';

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const wf = await createWorkflow(server, shortcutWorkflow({ name: 'Refund', trigger: { type: 'shortcut', name: 'طلب استرداد', icon: '💸' } }));
  const { token } = await server.createUser('agent', { name: 'אבי' });
  conversationId = (await openFor(server, (await makeContact(server)).id)).id;
  const launched = await server.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId, values: {} });
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  inbox = await openSignedInInbox(server.url, token);
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('activity lines with right-to-left names', () => {
  it('isolates the agent and the quoted shortcut and workflow names, the text unchanged (the agent\'s own line)', async () => {
    const { page } = inbox;
    await page.goto(`${server.url}/inbox/c/${conversationId}`);
    await page.waitForFunction(() => /launched/.test(document.querySelector('[data-testid="activity-text"]')?.textContent ?? ''), { timeout: 8000 });
    const line = await page.$eval('[data-testid="activity-text"]', (el) => ({
      text: el.textContent,
      isolated: [...el.querySelectorAll('bdi')].map((b) => b.textContent),
    }));
    expect(line).toEqual({ text: 'אבי launched “طلب استرداد” (workflow “Refund”)', isolated: ['אבי', 'طلب استرداد', 'Refund'] });
    expect(inbox.pageErrors).toEqual([]);
  });

  it('isolates the agent\'s name for a colleague reading the line too', async () => {
    await inbox.close();
    inbox = await openSignedInInbox(server.url, server.adminToken);
    const { page } = inbox;
    await page.goto(`${server.url}/inbox/c/${conversationId}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="activity-text"] bdi')?.textContent === 'אבי', { timeout: 8000 });
    expect(await page.$eval('[data-testid="activity-text"]', (el) => el.textContent)).toBe('אבי launched “طلب استرداد” (workflow “Refund”)');
    expect(inbox.pageErrors).toEqual([]);
  });
});
