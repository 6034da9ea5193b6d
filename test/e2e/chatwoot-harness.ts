import type { ElementHandle, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { startChatwootStandin, type ChatwootStandin } from '../support/chatwoot-standin';
import { startTestServer, type TestServer } from '../support/server';
import { startChatwootDashboardPage, type ChatwootDashboardPage } from './support/chatwoot-dashboard-page';
import type { ExtensionBrowser } from './support/browser';
import { FILTER, connectExtension, launchWithExtension, until } from './launcher-harness';
import { waitForRun } from '../support/builders';

// Page objects and setup for the Chatwoot e2e tests: a companion connected to the Chatwoot API
// stand-in (test/support/chatwoot-standin.ts) through a loopback dashboard page that serves
// Chatwoot's markup and passes /api to the stand-in, so dashboard and API share one origin.

export interface ChatwootWorld {
  cw: ChatwootStandin;
  dashboard: ChatwootDashboardPage;
  server: TestServer;
  account: ChatwootAccount;
  agent: { id: string; token: string };
  /** The Chatwoot conversation (display id) mirrored in the companion. */
  conversationId: number;
  close(): Promise<void>;
}

export async function startChatwootWorld(): Promise<ChatwootWorld> {
  const cw = await startChatwootStandin();
  const dashboard = await startChatwootDashboardPage(cw.url);
  const server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' } });
  const admin = server.api(server.adminToken);
  const connected = await admin.post('/chatwoot/accounts', { baseUrl: dashboard.url, accountId: cw.accountId, apiAccessToken: cw.token });
  expect(connected.status, JSON.stringify(connected.body)).toBe(201);
  const account = ChatwootAccount.parse(connected.body);

  const contact = cw.addContact({ name: 'Maria Garcia', email: 'maria@example.com', phone_number: '+34600111222' });
  const conversation = cw.addConversation({ contactId: contact.id, firstMessage: { content: 'My order #1042 arrived broken', incoming: true } });
  const delivered = await cw.deliver(account.webhookUrl, cw.conversationPayload(conversation.id, 'conversation_created'));
  expect(delivered.status, JSON.stringify(delivered.body)).toBeLessThan(300);

  const a = await server.createUser('agent', { name: 'Alex Agent' });
  cw.requests.length = 0;
  return {
    cw, dashboard, server, account, agent: { id: a.user.id, token: a.token }, conversationId: conversation.id,
    close: async () => { await server.close(); await dashboard.close(); await cw.close(); },
  };
}

/** A published shortcut with a form whose steps write a private note and add a label (a contact tag). */
export async function publishRefundShortcut(server: TestServer) {
  const admin = server.api(server.adminToken);
  const created = await admin.post('/workflows', {
    name: 'Refund order',
    trigger: {
      type: 'shortcut', icon: '💸', name: 'Refund order', description: 'Refund a paid order',
      form: { fields: [
        { label: 'Order number', type: 'text', variable: 'order', required: true },
        { label: 'Reason', type: 'list', variable: 'reason', required: true, options: ['Late', 'Damaged'] },
      ] },
    },
    steps: [
      { id: 'note', type: 'add_comment', config: { text: 'Refunded {{$trigger.order}} ({{$trigger.reason}})' } },
      { id: 'label', type: 'update_contact_tag', config: { action: 'add', tags: ['refund'] } },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin.post(`/workflows/${created.body.id}/publish`)).status).toBe(200);
  return created.body.id as string;
}

/** A published shortcut whose workflow asks the customer for their order number (an Ask a Question step). */
export async function publishAskShortcut(server: TestServer, workflowName: string, label = 'Ask the order', question = 'Your order number?') {
  const admin = server.api(server.adminToken);
  const created = await admin.post('/workflows', {
    name: workflowName, trigger: { type: 'shortcut', icon: '❓', name: label, description: `Ask the customer: ${question}` },
    steps: [{ id: 'ask', type: 'ask_question', config: { question, answerType: 'text', timeoutSeconds: 3600 } }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin.post(`/workflows/${created.body.id}/publish`)).status).toBe(200);
  return created.body.id as string;
}

/** The customer writes in Chatwoot: the message is in its conversation and its message_created webhook reaches the companion. */
export async function customerWrites(world: ChatwootWorld, id: number, content: string) {
  const conv = world.cw.conversations.get(world.conversationId)!;
  const reply = { id, content, message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' };
  conv.messages.push(reply as (typeof conv.messages)[number]);
  expect((await world.cw.deliver(world.account.webhookUrl, world.cw.messagePayload(world.conversationId, reply.id))).status).toBeLessThan(300);
}

/**
 * Two shortcuts' questions waiting on the conversation's customer: "Ask for a rating" first, then
 * "Ask the size" (asked last: a typed reply goes to it). Their run ids, the one asked last first.
 */
export async function askTwoQuestions(world: ChatwootWorld) {
  const agent = world.server.api(world.agent.token);
  const conversations = (await agent.get('/conversations?status=open')).body.conversations as { id: string }[];
  expect(conversations).toHaveLength(1);
  const ids: string[] = [];
  for (const [name, label, question] of [['Rating', 'Ask for a rating', 'How would you rate us?'], ['Sizes', 'Ask the size', 'Which size?']] as const) {
    const workflowId = await publishAskShortcut(world.server, name, label, question);
    const launched = await agent.post(`/shortcuts/${workflowId}/launch`, { conversationId: conversations[0]!.id, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    await waitForRun(world.server.app.services.db, launched.body.runId, ['waiting']);
    ids.unshift(launched.body.runId as string);
  }
  return { size: ids[0]!, rating: ids[1]! };
}

/** Each run's status, by id. */
export async function runStatuses(server: TestServer, ...runIds: string[]) {
  const admin = server.api(server.adminToken);
  return Promise.all(runIds.map(async (id) => (await admin.get(`/runs/${id}`)).body.status as string));
}

/** The workflow's first run answered, its second stopped by the agent who took over. */
export async function expectAnsweredThenTakenOver(server: TestServer, workflowId: string) {
  const runs = (await server.api(server.adminToken).get(`/runs?workflowId=${workflowId}`)).body.runs as { status: string; error: string | null }[];
  expect(runs.map((r) => r.status).sort()).toEqual(['cancelled', 'completed']);
  expect(runs.find((r) => r.status === 'cancelled')!.error).toMatch(/^Stopped by .+, who took over the conversation$/);
}

/** Adds an inbox origin with its adapter through the options page, as an admin does. */
export async function addInboxOrigin(ext: ExtensionBrowser, origin: string, adapter: 'Chatwoot' | 'Built-in inbox') {
  const options = await ext.openOptions();
  await options.goto(options.url().replace(/#.*$/, '') + '#/settings');
  const input = await options.waitForSelector('::-p-aria(Inbox address)', { timeout: 15_000 });
  await input!.type(origin);
  const select = (await options.waitForSelector('::-p-aria(Inbox type)')) as ElementHandle<HTMLSelectElement>;
  await select.select(adapter === 'Chatwoot' ? 'chatwoot' : 'builtin');
  await (await options.waitForSelector('::-p-aria(Add inbox[role="button"])'))!.click();
  await options.waitForFunction((o) => [...document.querySelectorAll('code')].some((c) => c.textContent === o), { timeout: 10_000 }, origin);
  await options.close();
}

/**
 * The built extension as an agent gets it: the admin of this browser added the dashboard's origin
 * with the Chatwoot adapter (an admin's setting), then the world's agent connected.
 */
export async function extensionForChatwoot(world: ChatwootWorld): Promise<ExtensionBrowser> {
  const ext = await launchWithExtension();
  await connectExtension(ext, world.server.url, world.server.adminToken);
  await addInboxOrigin(ext, world.dashboard.url, 'Chatwoot');
  await connectExtension(ext, world.server.url, world.agent.token);
  return ext;
}

/** That extension with a page (1360×820) on the world's conversation in the Chatwoot dashboard. */
export async function openChatwootWithExtension(world: ChatwootWorld): Promise<{ ext: ExtensionBrowser; page: Page }> {
  const ext = await extensionForChatwoot(world);
  const page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  await page.goto(`${world.dashboard.url}/app/accounts/${world.cw.accountId}/conversations/${world.conversationId}`);
  return { ext, page };
}

/** Launches a shortcut by keyboard from the Shortcuts `button`: Enter opens the menu, `filter` finds `name`, Enter picks it. */
export async function launchByKeyboard(page: Page, button: ElementHandle, filter: string, name: string) {
  await button.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector(FILTER);
  await page.keyboard.type(filter);
  await until(async () => (await shadowText(page, '[role="listbox"]')).includes(name), 'the shortcut in the menu', 10_000);
  await page.keyboard.press('Enter');
}

/** The Chatwoot requests the companion made that match, e.g. POST …/conversations/101/messages. */
export const requestsTo = (cw: ChatwootStandin, method: string, pathPart: string) =>
  cw.requests.filter((r) => r.method === method && r.path.split('?')[0]!.endsWith(pathPart));

export async function shadowText(page: Page, selector: string) {
  return page.$eval(`pierce/${selector}`, (el) => el.textContent ?? '').catch(() => '');
}
