import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from '../integration/engine-support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// A support lead's review of the built inbox, in Chromium: after a reload nothing showed what
// workflows launched in a conversation had done (retrying, failed); Close gave no warning while a
// workflow waited for the customer's answer, which the close then lost; Take over left the
// conversation unassigned and no trace. Now the thread has activity lines, the close dialog warns,
// and Take over hands the conversation to the agent and says so.

let server: TestServer;
let remote: HttpServer;
let inbox: InboxBrowser | undefined;
let page: Page;
const agents = { ava: { id: '', token: '' }, ben: { id: '', token: '' } };
const flows = { ask: '', rate: '', vip: '', sync: '', invoice: '' };
let ava: Api;
const admin = () => server.api(server.adminToken);

const lineTexts = () => page.$$eval('[data-testid="activity-text"]', (els) => els.map((el) => el.textContent ?? ''));
const waitForLine = (pattern: string) => page.waitForFunction((p: string) =>
  [...document.querySelectorAll('[data-testid="activity-text"]')].some((el) => new RegExp(p).test(el.textContent ?? '')), { timeout: 8000 }, pattern);

async function signInAs(token: string) {
  await inbox?.close();
  inbox = await openSignedInInbox(server.url, token, { live: true });
  page = inbox.page;
}
async function openConversation(id: string) {
  await page.goto(`${server.url}/inbox/c/${id}`);
  await page.waitForSelector(`[data-conversation-id="${id}"]:not([hidden])`);
  await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
}
async function lena(name: string) {
  const contact = await admin().post('/contacts', { firstName: name, lastName: 'Weber' });
  return (await admin().post('/conversations', { contactId: contact.body.id })).body.id as string;
}
async function launch(workflowId: string, conversationId: string, until: ('waiting' | 'completed' | 'failed')[]) {
  const res = await ava.post(`/shortcuts/${workflowId}/launch`, { conversationId, values: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return waitForRun(server.app.services.db, res.body.runId, until);
}

beforeAll(async () => {
  remote = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (req.url?.startsWith('/sync')) res.writeHead(429, { 'retry-after': '0' }).end('slow down');
    else res.writeHead(500).end('boom');
  });
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  for (const key of ['ava', 'ben'] as const) {
    const created = await server.createUser('agent', { name: key === 'ava' ? 'Ava' : 'Ben' });
    agents[key] = { id: created.user.id, token: created.token };
  }
  ava = server.api(agents.ava.token);
  const shortcut = async (name: string, steps: StepInput[]) => (await createWorkflow(server, shortcutWorkflow({ name, trigger: { type: 'shortcut', name }, steps }))).id;
  flows.ask = await shortcut('Ask order number', [
    { id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 600, saveToVariable: 'order' } } as StepInput,
    { id: 'said', type: 'add_comment', config: { text: 'Customer said {{$step.order}}' } },
  ]);
  flows.rate = await shortcut('Rating U', [
    { id: 'ask', type: 'ask_question', config: { question: 'How did we do (1-5)?', answerType: 'text', timeoutSeconds: 600, saveToVariable: 'rating' } } as StepInput,
  ]);
  flows.vip = await shortcut('Mark VIP', [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }]);
  flows.sync = await shortcut('Order sync', [{ id: 'call', type: 'http_request', config: { method: 'POST', url: `${remote.url}/sync`, body: '{}' } } as StepInput]);
  flows.invoice = await shortcut('Invoice', [{ id: 'call', type: 'http_request', config: { method: 'POST', url: `${remote.url}/invoice`, body: '{}' } } as StepInput]);
}, 60_000);

afterAll(async () => {
  await inbox?.close();
  await server?.close();
  await remote?.close();
});

describe('what workflows did, in the conversation', () => {
  it('after a reload the thread still says who launched what, that one waits to try again (at the agent\'s time) and that one failed', async () => {
    const conversation = await lena('Lena');
    await launch(flows.vip, conversation, ['completed']);
    const retrying = await launch(flows.sync, conversation, ['waiting']);
    const failed = await launch(flows.invoice, conversation, ['failed']);
    await signInAs(agents.ava.token);
    await openConversation(conversation);
    await page.reload();
    await page.waitForSelector(`[data-conversation-id="${conversation}"]:not([hidden])`);
    await waitForLine('failed');
    const at = await page.evaluate((iso: string) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso)), retrying.wakeAt!);
    expect(await lineTexts()).toEqual([
      'Ava launched “Mark VIP”',
      'Ava launched “Order sync”',
      // The answers' statuses, not what the other side said (the run log keeps that).
      `Workflow “Order sync” is waiting to try step “call” again at ${at} (${retrying.stepLog.at(-1)!.error!.replace(': slow down', '')})`,
      'Ava launched “Invoice”',
      `Workflow “Invoice” failed at step “call”: ${failed.error!.replace(': boom', '')}`,
    ]);
    // Lines, not anyone's bubbles.
    expect(await page.$$eval('[data-testid="activity"]', (els) => els.every((el) => !el.classList.contains('msg')))).toBe(true);
    expect(await page.$$('[data-testid="message"]')).toHaveLength(0);
    expect(inbox!.pageErrors).toEqual([]);
  });

  it('a line its run replaces (a new try) changes in the open thread, as the same line', async () => {
    const conversation = await lena('Lou');
    await signInAs(agents.ava.token);
    await openConversation(conversation);
    const run = await launch(flows.sync, conversation, ['waiting']);
    const line = async () => (await ava.get(`/conversations/${conversation}`)).body.messages.find((m: { kind: string; author: { type: string } }) => m.kind === 'activity' && m.author.type === 'workflow') as { id: string; createdAt: string };
    const shown = (m: { id: string; createdAt: string }) => page.waitForSelector(`[data-testid="activity"][data-id="${m.id}"] time[datetime="${m.createdAt}"]`, { timeout: 8000 });
    const before = await line();
    await shown(before);
    expect((await admin().post(`/runs/${run.id}/retry-now`)).status).toBe(200);
    const until = Date.now() + 8000;
    let after = await line();
    while (after.createdAt === before.createdAt && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      after = await line();
    }
    // Replaced in place: the same message, with the time of its new try; the page shows it without a reload.
    expect(after.id).toBe(before.id);
    expect(after.createdAt).not.toBe(before.createdAt);
    await shown(await line());
    expect(await page.$$('[data-testid="activity"][data-id="' + before.id + '"]')).toHaveLength(1);
    expect(inbox!.pageErrors).toEqual([]);
  });

  it('Close warns that a workflow waits for the customer\'s answer; closing stops it and the thread says so', async () => {
    const conversation = await lena('Lina');
    await openConversation(conversation);
    // Nothing waits: no warning.
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    expect(await page.$eval('[data-testid="close-warning"]', (el) => (el as HTMLElement).hidden)).toBe(true);
    await page.click('[data-testid="close-cancel"]');

    const run = await launch(flows.ask, conversation, ['waiting']);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 8000 });
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    expect(await page.$eval('[data-testid="close-warning"]', (el) => (el as HTMLElement).hidden ? null : el.textContent)).toBe(
      // Launched from the shortcut: named by its label, as the notice above the composer names it.
      'Closing stops Shortcut “Ask order number”, which is waiting for the customer’s answer: their next message opens a new conversation and no workflow gets it. Cancel to keep the conversation open.');
    await page.click('[data-testid="close-confirm"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed');
    await waitForLine('^Conversation was closed by Ava: shortcut “Ask order number” stopped waiting for the customer’s answer$');
    expect((await admin().get(`/runs/${run.id}`)).body).toMatchObject({ status: 'cancelled', error: 'Stopped: the conversation was closed by Ava' });
    expect(inbox!.pageErrors).toEqual([]);
  });

  it('with two workflows waiting, Close names both, as closing stops both', async () => {
    const conversation = await lena('Lore');
    const order = await launch(flows.ask, conversation, ['waiting']);
    const rating = await launch(flows.rate, conversation, ['waiting']);
    await openConversation(conversation);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 8000 });
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    expect(await page.$eval('[data-testid="close-warning"]', (el) => (el as HTMLElement).hidden ? null : el.textContent)).toBe(
      'Closing stops Shortcut “Rating U” and Shortcut “Ask order number”, which are waiting for the customer’s answer: their next message opens a new conversation and no workflow gets it. Cancel to keep the conversation open.');
    await page.click('[data-testid="close-confirm"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed');
    await waitForLine('^Conversation was closed by Ava: shortcut “Rating U” stopped waiting for the customer’s answer$');
    await waitForLine('^Conversation was closed by Ava: shortcut “Ask order number” stopped waiting for the customer’s answer$');
    for (const run of [order, rating]) expect((await admin().get(`/runs/${run.id}`)).body).toMatchObject({ status: 'cancelled' });
    expect(inbox!.pageErrors).toEqual([]);
  });
});

describe('Take over', () => {
  const meta = () => page.$eval('[data-testid="conversation-meta"]', (el) => el.textContent ?? '');

  it('gives the agent an unassigned conversation, says so beside the composer, and the thread records it', async () => {
    const conversation = await lena('Lea');
    await launch(flows.ask, conversation, ['waiting']);
    await signInAs(agents.ben.token);
    await openConversation(conversation);
    expect(await meta()).toMatch(/Unassigned$/);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])');
    await page.click('[data-testid="take-over"]');
    await page.waitForSelector('[data-testid="take-over-note"]:not([hidden])');
    expect(await page.$eval('[data-testid="take-over-note"]', (el) => el.textContent)).toBe('You took over: the conversation is assigned to you.');
    // The header, as for any conversation of one's own.
    await page.waitForFunction(() => /Assigned to You$/.test(document.querySelector('[data-testid="conversation-meta"]')?.textContent ?? ''), { timeout: 8000 });
    await waitForLine('^Ben took over: shortcut “Ask order number” stopped; the conversation is assigned to Ben$');
    expect((await admin().get(`/conversations/${conversation}`)).body.assigneeId).toBe(agents.ben.id);
  });

  it('keeps a conversation a colleague has, and says so', async () => {
    const conversation = await lena('Leo');
    expect((await ava.post(`/conversations/${conversation}/assign`, { userId: agents.ava.id })).status).toBe(200);
    await launch(flows.ask, conversation, ['waiting']);
    await openConversation(conversation);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])');
    await page.click('[data-testid="take-over"]');
    await page.waitForSelector('[data-testid="take-over-note"]:not([hidden])');
    expect(await page.$eval('[data-testid="take-over-note"]', (el) => el.textContent)).toBe('You took over; the conversation stays assigned to Ava.');
    await waitForLine('^Ben took over: shortcut “Ask order number” stopped; it stays assigned to Ava$');
    expect(await meta()).toMatch(/Assigned to Ava$/);
    expect(inbox!.pageErrors).toEqual([]);
  });
});
