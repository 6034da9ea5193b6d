import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { until } from './launcher-harness';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedOptions, pressButton, selectLabelled } from './support/options-page';

// An admin builds respond.io's "Assign to: team" in the built extension's options page: the teams
// offered are the connected Chatwoot account's (GET /api/v1/accounts/{id}/teams, through the
// companion), the builder says teams need Chatwoot, and a published step hands the next
// Chatwoot conversation to the team there (POST …/assignments { team_id }).

let p: ChatwootPair;
let ext: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  p = await startChatwootPair({ workers: true });
  ({ ext, options } = await openConnectedOptions(p.server.url, p.server.adminToken, '::-p-aria(New workflow[role="button"])'));
}, 120_000);
afterAll(async () => { await ext?.close(); await p?.close(); });

const click = (name: string) => pressButton(options, name);
const choose = async (label: string, value: string) => (await selectLabelled(options, label)).select(value);
const bodyText = () => options.evaluate(() => document.body.innerText);
const waitText = (text: string, ms = 10_000) => until(async () => (await bodyText()).includes(text), `"${text}" on the options page`, ms);
async function fill(label: string, value: string) {
  const el = (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 }))! as ElementHandle<HTMLInputElement>;
  await el.click({ count: 3 });
  await el.type(value);
}

it('offers the Chatwoot account\'s teams, says teams need Chatwoot, and hands the next conversation to the team chosen', async () => {
  await click('New workflow');
  await fill('Workflow name', 'New chats to Support');
  await choose('Trigger type', 'conversation_opened');
  await choose('New step', 'assign_to');
  await click('Add step');
  await choose('Assignment logic', 'team');
  await waitText('Teams are Chatwoot\'s: a conversation in Chatwoot goes to the team');
  const offered = await (await selectLabelled(options, 'Team')).evaluate((s) => [...(s as HTMLSelectElement).options].map((o) => o.textContent));
  expect(offered).toEqual(['Choose a Chatwoot team…', 'Sales', 'Support']);

  await choose('Team', '5');
  await click('Publish');
  await options.waitForSelector('.badge-published', { timeout: 10_000 });
  const saved = (await p.server.api(p.server.adminToken).get('/workflows')).body.workflows.find((w: { name: string }) => w.name === 'New chats to Support');
  expect(saved).toMatchObject({ status: 'published', steps: [{ type: 'assign_to', config: { pick: 'team', teamId: 5 } }] });

  const contact = p.cw.addContact({ name: 'Jane', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
  expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
  await until(async () => conv.teamId === 5, 'the conversation to go to Support in Chatwoot', 15_000);
});
