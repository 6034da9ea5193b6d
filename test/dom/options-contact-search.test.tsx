import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Shell } from '../../components/options/Shell';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// The options page's Contacts section against the real server (a child process on a loopback
// port, SQLite): the background's `api` message answered by the extension's own API client, as
// the background answers it. Admins and supervisors search by name, phone, email and a custom
// field's value, page through the matches with their count, and open a contact's conversation
// in the inbox; agents have no such page.

const ADMIN = `ict_${'C'.repeat(43)}`;
let server: ServerProcess;
let dataDir: string;
let conversationId: string;
const tokens: Record<'supervisor' | 'agent', string> = { supervisor: '', agent: '' };

const call = (method: string, p: string, body?: unknown) => callOk(server, ADMIN, method, p, body);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'f-contacts-dom-'));
  server = await spawnServer({ DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN }, await freePort());
  await call('PUT', '/fields/order_id', { label: 'Order ID', type: 'text' });
  await call('PUT', '/fields/orders', { label: 'Orders', type: 'number' });
  const ana = await call('POST', '/contacts', { firstName: 'Ana', lastName: 'López', phone: '+34600111222', email: 'ana@example.com', tags: ['vip', 'lead'], fields: { order_id: 'order-12345' } });
  await call('POST', '/contacts', { firstName: 'Bea', email: 'bea@example.com', fields: { order_id: 'order-777' } });
  await call('POST', '/contacts/import', { contacts: Array.from({ length: 55 }, (_, i) => ({ firstName: 'Person', lastName: String(i + 1).padStart(2, '0') })) });
  conversationId = (await call('POST', '/conversations', { contactId: ana.id })).id;
  for (const role of ['supervisor', 'agent'] as const) {
    tokens[role] = (await call('POST', '/users', { name: `Sam ${role}`, email: `${role}@example.com`, role })).token;
  }
}, 90_000);
afterAll(async () => {
  if (server) await killHard(server);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

/** The options page as `role` sees it, its `api` messages going to the real server. */
async function openContacts(role: 'supervisor' | 'agent') {
  const client = createApiClient({ serverUrl: server.url, token: tokens[role] });
  serveMessages({ api: ({ method, path: p, body }) => client.raw(method, p, body) });
  window.location.hash = '#/contacts';
  renderWithProviders(<Shell me={await client.me()} serverUrl={server.url} />);
}
const rows = (table: HTMLElement) => within(table).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent));
const shownNames = () => rows(screen.getByRole('table', { name: 'Contacts' })).map((r) => r[0]);

describe('options: finding contacts', () => {
  it('lists every contact 50 at a time with how many there are, and finds them by name, phone, email or a custom field\'s value', async () => {
    const user = userEvent.setup();
    await openContacts('supervisor');
    const search = within(await screen.findByRole('region', { name: 'Find contacts' }));
    expect(await search.findByText('Showing 50 of 57 contacts', {}, { timeout: 5_000 })).toBeTruthy();
    expect(rows(search.getByRole('table', { name: 'Contacts' }))[0]).toEqual(['Ana López', '+34600111222', 'ana@example.com', 'vip, lead']);
    await user.click(search.getByRole('button', { name: 'Load more contacts' }));
    expect(await search.findByText('57 contacts')).toBeTruthy();
    expect(shownNames()).toHaveLength(57);
    expect(search.queryByRole('button', { name: 'Load more contacts' })).toBeNull();

    const box = search.getByLabelText('Search');
    for (const [typed, names] of [['lópez', ['Ana López']], ['600 111 222', ['Ana López']], ['bea@example', ['Bea']], ['Person 5', ['Person 50', 'Person 51', 'Person 52', 'Person 53', 'Person 54', 'Person 55']]] as const) {
      await user.clear(box);
      await user.type(box, typed);
      await waitFor(() => expect(shownNames()).toEqual(names), { timeout: 3_000 });
      expect(search.getByRole('status').textContent).toBe(`${names.length} contact${names.length === 1 ? '' : 's'}`);
    }
    // A text search is not counted past its first page (the server says null): what is shown, and that more match.
    await user.clear(box);
    await user.type(box, 'Person');
    expect(await search.findByText('Showing 50 contacts; more match', {}, { timeout: 3_000 })).toBeTruthy();
    await user.click(search.getByRole('button', { name: 'Load more contacts' }));
    expect(await search.findByText('55 contacts')).toBeTruthy();
    await user.clear(box);
    await user.type(box, 'nobody here');
    expect(await search.findByText('No contact matches.', {}, { timeout: 3_000 })).toBeTruthy();
    await user.clear(box);

    // The value of a custom field, exactly (the API's ?field=&value=).
    expect((search.getByLabelText('Value') as HTMLInputElement).disabled).toBe(true);
    await user.selectOptions(search.getByLabelText('Custom field'), 'Order ID');
    await user.type(search.getByLabelText('Value'), 'order-777');
    await waitFor(() => expect(shownNames()).toEqual(['Bea']), { timeout: 3_000 });
    await user.type(box, 'ana');
    expect(await search.findByText('No contact matches.', {}, { timeout: 3_000 })).toBeTruthy();

    // A value the field could never hold: the server's reason, not an empty list.
    await user.clear(box);
    await user.selectOptions(search.getByLabelText('Custom field'), 'Orders');
    await user.clear(search.getByLabelText('Value'));
    await user.type(search.getByLabelText('Value'), 'many');
    await waitFor(() => expect(search.getByRole('alert').textContent).toBe('"orders" is a number field: "many" is not a number'), { timeout: 3_000 });
  });

  it('opens a contact\'s conversation in the inbox, and says when there is none', async () => {
    const user = userEvent.setup();
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    await openContacts('supervisor');
    const search = within(await screen.findByRole('region', { name: 'Find contacts' }));
    await search.findByText('Showing 50 of 57 contacts', {}, { timeout: 5_000 });
    await user.click(search.getByRole('button', { name: 'Open Ana López\'s conversation in the inbox' }));
    await waitFor(() => expect(opened).toHaveBeenCalledWith(`${server.url}/inbox/c/${conversationId}`, '_blank', 'noopener'));
    await user.click(search.getByRole('button', { name: 'Open Bea\'s conversation in the inbox' }));
    const bea = search.getAllByRole('row').find((r) => r.textContent?.startsWith('Bea'))!;
    expect(await within(bea).findByText('No conversation yet')).toBeTruthy();
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('is not there for agents', async () => {
    await openContacts('agent');
    expect(await screen.findByText('Nothing to configure')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Find contacts' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Contacts' })).toBeNull();
  });
});
