import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Shell } from '../../components/options/Shell';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// "3 runs failed in the last 24 hours and were not run again · Show failed runs", against the real
// server: the press shows exactly those 3. It showed the failure already run again too (its
// count left it out), from the count's bound rounded down to the minute.

const ADMIN = `ict_${'R'.repeat(43)}`;
let server: ServerProcess;
let crm: HttpServer;
let dataDir: string;
const failed: string[] = [];

const call = (method: string, p: string, body?: unknown, token = ADMIN) => callOk(server, token, method, p, body);
async function settled(id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = await call('GET', `/runs/${id}`);
    if (run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} did not fail in time: ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  crm = await startHttpServer((_req, res) => { res.statusCode = 403; res.end('{"error":"not allowed"}'); });
  dataDir = await mkdtemp(path.join(tmpdir(), 'f-ui37-failed-runs-'));
  server = await spawnServer({ DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' }, await freePort());
  const agent = await call('POST', '/users', { name: 'Ava Agent', email: 'ava@example.com', role: 'agent' });
  const workflowId = (await call('POST', '/workflows', {
    name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, status: 'published',
    steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } }],
  })).id;
  for (const name of ['Ana', 'Bea', 'Cy']) {
    const contact = await call('POST', '/contacts', { firstName: name });
    const conversation = await call('POST', '/conversations', { contactId: contact.id });
    const launched = await call('POST', `/shortcuts/${workflowId}/launch`, { conversationId: conversation.id, values: {} }, agent.token);
    failed.push((await settled(launched.runId)).id);
  }
  // Ana's is run again and fails again: hers is handled (not counted), the rerun is counted.
  failed.push((await settled((await call('POST', `/runs/${failed[0]}/rerun`)).id)).id);
}, 90_000);
afterAll(async () => {
  if (server) await killHard(server);
  await crm?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('"Show failed runs" shows exactly the runs the count counted, from its bound to the second', async () => {
  const user = userEvent.setup();
  const client = createApiClient({ serverUrl: server.url, token: ADMIN });
  // What the page was told and asked: the count's bound, and the list it then read.
  const answers: { path: string; body: unknown }[] = [];
  serveMessages({
    api: async ({ method, path: p, body }) => {
      const answer = await client.raw(method, p, body);
      answers.push({ path: p, body: answer.body });
      return answer;
    },
  });
  window.location.hash = '#/runs';
  renderWithProviders(<Shell me={await client.me()} serverUrl={server.url} />);
  const notice = await screen.findByRole('status', { name: 'Failed runs' }, { timeout: 10_000 });
  expect(notice.textContent).toBe('3 runs failed in the last 24 hours and were not run again. Show failed runs');
  const rows = () => [...document.querySelectorAll('table[aria-label="Runs"] tbody > tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));
  await waitFor(() => expect(rows()).toHaveLength(4));
  await user.click(within(notice).getByRole('button', { name: 'Show failed runs' }));
  const [ana, bea, cy, anaAgain] = failed;
  await waitFor(() => expect(rows()).toEqual([anaAgain, cy, bea]));
  expect(rows()).not.toContain(ana);
  // The table says it is narrowed so; the From field holds the count's own bound.
  expect(screen.getByTestId('not-run-again-filter').textContent).toContain('Not run again');
  const counted = answers.filter((a) => a.path === '/runs/failed-count').at(-1)!.body as { since: string };
  const from = (screen.getByLabelText('From') as HTMLInputElement).value;
  expect(new Date(from).toISOString()).toBe(counted.since);
  const asked = answers.map((a) => new URL(a.path, 'http://x')).filter((u) => u.pathname === '/runs' && u.searchParams.get('status') === 'failed').at(-1)!;
  expect(asked.searchParams.get('since')).toBe(counted.since);
  // Cleared, the failures run again show too.
  await user.click(screen.getByRole('button', { name: 'Show the runs run again too' }));
  await waitFor(() => expect(rows()).toEqual([anaAgain, cy, bea, ana]));
});
