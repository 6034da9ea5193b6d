import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Shell } from '../../components/options/Shell';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// "Load more" takes the keyboard to the first row it added, but only for the press that asked:
// the review's steps against the real server. A press whose page failed (the server stopped)
// later took the focus from the Status select to a row of the new filter's list ("Flow 051"),
// and so did a press whose page was still loading when the filter or the search changed
// (WCAG 3.2.2: no change of context on input).

const ADMIN = `ict_${'L'.repeat(43)}`;
const WORKFLOWS = 60;
const CONTACTS = 55;
let server: ServerProcess;
let port: number;
let dataDir: string;
/** While set, pages after the first (`cursor=`) wait for it: a slow network, on those only. */
let hold: Promise<void> | null = null;

const env = () => ({ DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN });
const call = (method: string, p: string, body?: unknown) => callOk(server, ADMIN, method, p, body);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'f-ui37-load-more-'));
  port = await freePort();
  server = await spawnServer(env(), port);
  // "Flow 000"…"Flow 059": the even ones published, the odd ones drafts (the review's list).
  for (let i = 0; i < WORKFLOWS; i++) {
    await call('POST', '/workflows', { name: `Flow ${String(i).padStart(3, '0')}`, trigger: { type: 'conversation_opened' }, steps: [], status: i % 2 ? 'draft' : 'published' });
  }
  await call('POST', '/contacts/import', { contacts: Array.from({ length: CONTACTS }, (_, i) => ({ firstName: 'Person', lastName: String(i + 1).padStart(2, '0') })) });
}, 90_000);
afterAll(async () => {
  if (server) await killHard(server);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  hold = null;
  window.location.hash = '';
  sessionStorage.clear();
});

/** The options page as the admin sees it at `hash`, its `api` messages going to the real server. */
async function open(hash: string) {
  const client = createApiClient({ serverUrl: server.url, token: ADMIN });
  serveMessages({
    api: async ({ method, path: p, body }) => {
      if (hold && p.includes('cursor=')) await hold;
      return client.raw(method, p, body);
    },
  });
  window.location.hash = hash;
  renderWithProviders(<Shell me={await client.me()} serverUrl={server.url} />);
}
const workflowRows = () => [...document.querySelectorAll('table[aria-label="Workflows"] tbody tr > td:first-child > a')];
const contactRows = () => [...document.querySelectorAll('table[aria-label="Contacts"] tbody > tr > td:first-child')];
const count = () => screen.getByTestId('workflow-count').textContent;
/** Long enough for a focus move the page would make (it made it at once, with the rows). */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('"Load more" moves the keyboard only for the press that asked for it', () => {
  it('a press whose page failed (the server stopped) does not take the focus when a filter is chosen later', async () => {
    const user = userEvent.setup();
    await open('#/workflows');
    await waitFor(() => expect(count()).toBe(`Showing 50 of ${WORKFLOWS} workflows`), { timeout: 10_000 });
    await killHard(server);
    const more = screen.getByRole('button', { name: 'Load more workflows' });
    more.focus();
    await user.keyboard('{Enter}');
    expect((await screen.findByRole('alert', {}, { timeout: 10_000 })).textContent).not.toBe('');
    server = await spawnServer(env(), port);
    const status = screen.getByRole('combobox', { name: 'Status' });
    status.focus();
    await user.selectOptions(status, 'Draft');
    await waitFor(() => expect(count()).toBe(`Showing ${WORKFLOWS / 2} of ${WORKFLOWS / 2} matching workflows`), { timeout: 10_000 });
    await settle();
    expect(document.activeElement).toBe(status);
    // The press that works still goes on from the first row it added.
    await user.selectOptions(status, '');
    await waitFor(() => expect(count()).toBe(`Showing 50 of ${WORKFLOWS} workflows`));
    await user.click(screen.getByRole('button', { name: 'Load more workflows' }));
    await waitFor(() => expect(workflowRows()).toHaveLength(WORKFLOWS));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Flow 050'));
  }, 60_000);

  it('a press whose page is still loading when the filter changes does not take the focus', async () => {
    const user = userEvent.setup();
    let release!: () => void;
    await open('#/workflows');
    await waitFor(() => expect(count()).toBe(`Showing 50 of ${WORKFLOWS} workflows`), { timeout: 10_000 });
    hold = new Promise((r) => { release = r; });
    await user.click(screen.getByRole('button', { name: 'Load more workflows' }));
    const status = screen.getByRole('combobox', { name: 'Status' });
    status.focus();
    await user.selectOptions(status, 'Draft');
    await waitFor(() => expect(count()).toBe(`Showing ${WORKFLOWS / 2} of ${WORKFLOWS / 2} matching workflows`), { timeout: 10_000 });
    release();
    await settle();
    expect(document.activeElement).toBe(status);
  });

  it('typing a search while more contacts load keeps the keyboard in the search box', async () => {
    const user = userEvent.setup();
    let release!: () => void;
    await open('#/contacts');
    const search = within(await screen.findByRole('region', { name: 'Find contacts' }));
    await search.findByText(`Showing 50 of ${CONTACTS} contacts`, {}, { timeout: 10_000 });
    // A search that keeps the last row shown, with others after it ("Person 50" → "Person 5").
    const last = contactRows().at(-1)!.textContent!;
    const query = last.slice(0, -1);
    hold = new Promise((r) => { release = r; });
    await user.click(search.getByRole('button', { name: 'Load more contacts' }));
    const box = search.getByRole('searchbox', { name: 'Search' });
    await user.type(box, query);
    await waitFor(() => {
      const names = contactRows().map((c) => c.textContent!);
      expect(names.length).toBeLessThan(20);
      expect(names.every((n) => n.includes(query))).toBe(true);
      expect(names.indexOf(last)).toBeLessThan(names.length - 1);
    }, { timeout: 10_000 });
    release();
    await settle();
    expect(document.activeElement).toBe(box);
  });
});
