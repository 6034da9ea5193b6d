import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Shell } from '../../components/options/Shell';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { startFailingCrmCompanion, type FailingCrmCompanion } from '../support/failing-crm-companion';
import type { ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// Where the keyboard is after a press that removes or replaces the pressed button (the review: it
// fell to the page's top, WCAG 2.4.3), against the real server on a loopback port: "Load older
// runs" and "Load more contacts" go on from the first row they added, Run again and Run all
// failed again from their result, Clear filters from the search box (as n8n's lists do).

const ADMIN = `ict_${'F'.repeat(43)}`;
const RUNS = 55;
let server: ServerProcess;
let companion: FailingCrmCompanion;
let workflowId: string;

const call = (method: string, p: string, body?: unknown, token = ADMIN) => callOk(server, token, method, p, body);

beforeAll(async () => {
  // The workflow's outside call is refused: every run of it fails, to be run again.
  companion = await startFailingCrmCompanion(ADMIN, 'f-focus-dom-');
  ({ server, workflowId } = companion);
  const { agent } = companion;
  await call('POST', '/contacts/import', { contacts: Array.from({ length: RUNS - 1 }, (_, i) => ({ firstName: 'Person', lastName: String(i + 1).padStart(2, '0') })) });
  const ana = await call('POST', '/contacts', { firstName: 'Ana' });
  const conversation = await call('POST', '/conversations', { contactId: ana.id });
  for (let i = 0; i < RUNS; i++) await call('POST', `/shortcuts/${workflowId}/launch`, { conversationId: conversation.id, values: {} }, agent.token);
  const deadline = Date.now() + 30_000;
  while ((await call('GET', `/runs?workflowId=${workflowId}&status=failed&limit=100`)).runs.length < RUNS) {
    if (Date.now() > deadline) throw new Error('the runs did not fail in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);
afterAll(async () => {
  await companion?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

/** The options page as the admin sees it at `hash`, its `api` messages going to the real server. */
async function open(hash: string) {
  const client = createApiClient({ serverUrl: server.url, token: ADMIN });
  serveMessages({ api: ({ method, path: p, body }) => client.raw(method, p, body) });
  window.location.hash = hash;
  renderWithProviders(<Shell me={await client.me()} serverUrl={server.url} />);
}
const runRows = () => [...document.querySelectorAll<HTMLElement>('table[aria-label="Runs"] tbody > tr[data-run-id]')];

describe('the keyboard\'s place after a press in the options page', () => {
  it('"Load older runs" goes on from the first run it added, the button gone with the last page', async () => {
    const user = userEvent.setup();
    await open('#/runs');
    await waitFor(() => expect(runRows()).toHaveLength(50), { timeout: 5_000 });
    await user.click(screen.getByRole('button', { name: 'Load older runs' }));
    await waitFor(() => expect(runRows()).toHaveLength(RUNS));
    expect(screen.queryByRole('button', { name: 'Load older runs' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(runRows()[50]));
  });

  it('"Load more contacts" goes on from the first contact it added', async () => {
    const user = userEvent.setup();
    await open('#/contacts');
    const search = within(await screen.findByRole('region', { name: 'Find contacts' }));
    await search.findByText(`Showing 50 of ${RUNS} contacts`, {}, { timeout: 5_000 });
    await user.click(search.getByRole('button', { name: 'Load more contacts' }));
    await search.findByText(`${RUNS} contacts`);
    const rows = [...document.querySelectorAll('table[aria-label="Contacts"] tbody > tr')];
    await waitFor(() => expect(document.activeElement).toBe(rows[50]));
  });

  it('Run again: the keyboard is on what it started ("Run again as run_…")', async () => {
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await open('#/runs');
    await waitFor(() => expect(runRows()).toHaveLength(50), { timeout: 5_000 });
    const first = runRows()[0]!;
    await user.click(within(first).getByRole('button', { name: 'Run again from the start' }));
    const started = await within(first).findByRole('status');
    expect(started.textContent).toMatch(/^Run again as run_/);
    await waitFor(() => expect(document.activeElement).toBe(started));
  });

  it('Run all failed again: the keyboard is on how many it started', async () => {
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await open('#/runs');
    await waitFor(() => expect(runRows()).toHaveLength(50), { timeout: 5_000 });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Workflow' }), workflowId);
    await user.click(await screen.findByRole('button', { name: 'Run all failed again' }));
    const result = await screen.findByText(/Started \d+ runs again\./, {}, { timeout: 5_000 });
    await waitFor(() => expect(document.activeElement).toBe(result));
    expect(result.getAttribute('role')).toBe('status');
  });

  it('Clear filters on the Workflows list: the keyboard goes on from the search box', async () => {
    const user = userEvent.setup();
    await open('#/workflows');
    const box = await screen.findByRole('searchbox', { name: 'Search by name' }, { timeout: 5_000 });
    await user.type(box, 'sync');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Published');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
    expect((box as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(box);
  });
});
