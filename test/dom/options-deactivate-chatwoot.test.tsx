import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChatwootSettings } from '../../components/options/ChatwootSettings';
import { UsersSettings } from '../../components/options/UsersSettings';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { startChatwootStandin, cwFaults, type ChatwootStandin } from '../support/chatwoot-standin';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// Deactivating an agent whose conversations are in Chatwoot, on the options page against the real
// server and the Chatwoot stand-in: the answer listed what Chatwoot did not unassign
// (`chatwootUnassignFailed`), but the page said only "2 open conversations were unassigned", so
// the admin believed them free in Chatwoot too. Now it says which are still theirs there, and
// whether the next sync does it (Chatwoot busy: 503) or the admin must (refused: 422), linked.

const ADMIN = `ict_${'C'.repeat(43)}`;
const ASSIGN = /^POST \/api\/v1\/accounts\/1\/conversations\/\d+\/assignments$/;
let cw: ChatwootStandin;
let server: ServerProcess;
let dataDir: string;
/** Each agent's Chatwoot conversations (display ids), assigned to them here and there. */
const theirs = new Map<string, number[]>();

const call = (method: string, p: string, body?: unknown) => callOk(server, ADMIN, method, p, body);

beforeAll(async () => {
  cw = await startChatwootStandin();
  dataDir = await mkdtemp(path.join(tmpdir(), 'f-left2-deactivate-'));
  const port = await freePort();
  server = await spawnServer({
    DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0', PUBLIC_URL: `http://127.0.0.1:${port}`,
  }, port);
  const account = await call('POST', '/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token });
  // The stand-in's agents 8 (bea@example.com) and 7 (alex@example.com).
  for (const [name, email, customers] of [['Bea', 'bea@example.com', ['Maria', 'Juan']], ['Alex Agent', 'alex@example.com', ['Olga', 'Pedro']]] as const) {
    const user = await call('POST', '/users', { name, email, role: 'agent' });
    const ids: number[] = [];
    for (const customer of customers) {
      const conv = cw.addConversation({ contactId: cw.addContact({ name: customer }).id, firstMessage: { content: `Hi, ${customer} here`, incoming: true } });
      expect((await cw.deliver(account.webhookUrl, cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
      const mirror = (await call('GET', '/conversations?status=open')).conversations.find((c: { externalId: string }) => c.externalId === String(conv.id));
      await call('POST', `/conversations/${mirror.id}/assign`, { userId: user.user.id });
      ids.push(conv.id);
    }
    theirs.set(name, ids);
  }
}, 60_000);
afterAll(async () => {
  if (server) await killHard(server);
  await cw?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => { vi.restoreAllMocks(); });

async function deactivate(name: string) {
  const user = userEvent.setup();
  vi.spyOn(window, 'confirm').mockReturnValue(true);
  // The page's API calls, through the background, to the real server.
  const client = createApiClient({ serverUrl: server.url, token: ADMIN });
  serveMessages({ api: async ({ method, path: p, body }) => client.raw(method, p, body) });
  renderWithProviders(<><UsersSettings /><ChatwootSettings /></>);
  await user.click(await screen.findByRole('button', { name: `Deactivate ${name}` }, { timeout: 10_000 }));
  const said = (await screen.findByText(new RegExp(`^${name} is deactivated`), {}, { timeout: 10_000 })).closest<HTMLElement>('[role="status"]')!;
  const lines = () => [...said.querySelectorAll('p')].map((p) => p.textContent);
  return { user, said, lines };
}
const assigneeThere = (id: number) => cw.conversations.get(id)?.assigneeId;
const DEACTIVATED = (name: string) => `${name} is deactivated: their token and inbox sessions no longer work. 2 open conversations were unassigned.`;

it('Chatwoot busy (503): says the conversations are still theirs there, and that the next sync unassigns them; Sync now does', async () => {
  cw.failNext(ASSIGN, cwFaults.unavailable(), cwFaults.unavailable());
  const { user, said, lines } = await deactivate('Bea');
  expect(said.textContent).toMatch(new RegExp(`^${DEACTIVATED('Bea')}`));
  expect(lines()).toEqual(['2 Chatwoot conversations are still Bea’s in Chatwoot, which was busy or unreachable: they are unassigned there at the next sync (Sync now, in the Chatwoot section below, does it at once).']);
  expect(within(said).queryAllByRole('link')).toEqual([]);
  for (const id of theirs.get('Bea')!) expect(assigneeThere(id)).toBe(8);

  await user.click(await screen.findByRole('button', { name: /^Sync .* now$/ }));
  const notes = await screen.findByRole('list', { name: 'Sync notes' }, { timeout: 10_000 });
  expect(notes.textContent).toContain('unassigned in Chatwoot from Bea');
  for (const id of theirs.get('Bea')!) expect(assigneeThere(id)).toBeNull();
});

it('Chatwoot refusing (422): says which are still theirs there, to unassign by hand, each linked to Chatwoot\'s conversation with Chatwoot\'s answer', async () => {
  // AssignmentsController#set_assignee saves with save! (app/controllers/api/v1/accounts/conversations/assignments_controller.rb):
  // an invalid conversation is RequestExceptionHandler#render_record_invalid, 422 `{ message, attributes }`.
  const invalid = { status: 422, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ message: 'Contact can\'t be blank', attributes: ['contact'] }) };
  cw.failNext(ASSIGN, invalid, invalid);
  const { said, lines } = await deactivate('Alex Agent');
  expect(said.textContent).toMatch(new RegExp(`^${DEACTIVATED('Alex Agent')}`));
  expect(lines()).toEqual(['2 Chatwoot conversations are still Alex Agent’s in Chatwoot, which refused to unassign them: unassign them in Chatwoot by hand.']);
  const items = within(within(said).getByRole('list', { name: 'Still assigned in Chatwoot' })).getAllByRole('listitem');
  const ids = [...theirs.get('Alex Agent')!].sort((a, b) => a - b);
  expect(items.map((li) => li.textContent).sort()).toEqual(ids.map((id) => expect.stringMatching(new RegExp(`^#${id}: Chatwoot did not do it: .*422.*Contact can't be blank`))));
  expect(items.map((li) => { const a = within(li).getByRole('link'); return [a.textContent, a.getAttribute('href'), a.getAttribute('target')]; }).sort())
    .toEqual(ids.map((id) => [`#${id}`, `${cw.url}/app/accounts/1/conversations/${id}`, '_blank']));
  for (const id of ids) expect(assigneeThere(id)).toBe(7);
});
