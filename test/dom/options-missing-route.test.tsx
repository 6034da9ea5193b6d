import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Shell } from '../../components/options/Shell';
import { RunListQuery } from '../../lib/contracts/runs';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { startOlderRelease, type OlderRelease } from '../support/older-release';
import { startFailingCrmCompanion, type FailingCrmCompanion } from '../support/failing-crm-companion';
import type { ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// The Chrome Web Store updates the extension before a self-hosted server is upgraded. Connected
// to a real server one release older than Run again (its POST routes answered by the real
// not-found handler, "No route …") and before the Runs page's "Launched by" filter (its strict
// query refuses the parameter, 422), the Runs page says which route or parameter the server lacks
// and to update it, in one wording, not a bare "No route" or the server's 422; an item the server
// lacks (a deleted workflow) still says it is missing.

const ADMIN = `ict_${'M'.repeat(43)}`;
let server: ServerProcess;
let older: OlderRelease;
let companion: FailingCrmCompanion;
let workflowId: string;

const call = (method: string, p: string, body?: unknown, token = ADMIN) => callOk(server, token, method, p, body);

beforeAll(async () => {
  // The workflow's outside call is refused: its run fails, to be run again.
  companion = await startFailingCrmCompanion(ADMIN, 'f-older-dom-');
  ({ server, workflowId } = companion);
  const { agent } = companion;
  const ana = await call('POST', '/contacts', { firstName: 'Ana' });
  const conversation = await call('POST', '/conversations', { contactId: ana.id });
  await call('POST', `/shortcuts/${workflowId}/launch`, { conversationId: conversation.id, values: {} }, agent.token);
  const deadline = Date.now() + 30_000;
  while ((await call('GET', `/runs?workflowId=${workflowId}&status=failed`)).runs.length < 1) {
    if (Date.now() > deadline) throw new Error('the run did not fail in time');
    await new Promise((r) => setTimeout(r, 200));
  }
  older = await startOlderRelease(server, [
    { method: 'POST', url: '/api/v1/runs/:id/rerun' },
    { method: 'POST', url: '/api/v1/workflows/:id/runs/rerun' },
    { method: 'GET', url: '/api/v1/runs', parameters: { absent: ['launchedBy'], takes: Object.keys(RunListQuery.shape).filter((k) => k !== 'launchedBy') } },
  ]);
}, 90_000);
afterAll(async () => {
  await older?.close();
  await companion?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

/** The options page as the admin sees it at `hash`, connected to the server at `serverUrl`. */
async function open(hash: string, serverUrl: string) {
  const client = createApiClient({ serverUrl, token: ADMIN });
  serveMessages({ api: ({ method, path: p, body }) => client.raw(method, p, body) });
  window.location.hash = hash;
  renderWithProviders(<Shell me={await client.me()} serverUrl={serverUrl} />);
}
const runRows = () => [...document.querySelectorAll<HTMLElement>('table[aria-label="Runs"] tbody > tr[data-run-id]')];
const olderThanThis = (lacks: string) => `The companion server at ${older.url} is older than this extension: it ${lacks}. Ask whoever runs the companion server to update it.`;
const updateServer = (route: string) => olderThanThis(`does not have ${route}`);

describe('the options page on a server older than the extension', () => {
  it('Run again and Run all failed again say the server lacks them and to update it', async () => {
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await open('#/runs', older.url);
    await waitFor(() => expect(runRows()).toHaveLength(1), { timeout: 5_000 });
    await user.click(within(runRows()[0]!).getByRole('button', { name: 'Run again from the start' }));
    expect((await within(runRows()[0]!).findByRole('alert')).textContent).toBe(updateServer('POST /api/v1/runs/:id/rerun'));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Workflow' }), workflowId);
    const bulk = (await screen.findByRole('button', { name: 'Run all failed again' })).closest('p')!;
    await user.click(within(bulk).getByRole('button', { name: 'Run all failed again' }));
    expect((await within(bulk).findByRole('alert')).textContent?.trim()).toBe(updateServer('POST /api/v1/workflows/:id/runs/rerun'));
    // Both were asked of the older release, which has neither.
    expect(older.refused).toEqual([expect.stringMatching(/^POST \/api\/v1\/runs\/run_\w+\/rerun$/), `POST /api/v1/workflows/${workflowId}/runs/rerun`]);
  });

  it('a filter the server does not take yet says so in the same words, naming the parameter', async () => {
    const user = userEvent.setup();
    await open('#/runs', older.url);
    await waitFor(() => expect(runRows()).toHaveLength(1), { timeout: 5_000 });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Launched by' }), await screen.findByRole('option', { name: 'Ava Agent' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 5_000 });
    expect(alert.textContent).toBe(olderThanThis('does not take the “launchedBy” parameter'));
    expect(older.refused).toContain('GET /api/v1/runs');
  });

  it('a workflow the server does not have (deleted meanwhile) still says it is not found', async () => {
    const gone = (await call('POST', '/workflows', { name: 'Gone soon', trigger: { type: 'manual' }, steps: [] })).id;
    expect((await fetch(`${server.url}/api/v1/workflows/${gone}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(204);
    await open(`#/workflows/${gone}`, older.url);
    const alert = await screen.findByRole('alert', {}, { timeout: 5_000 });
    expect(alert.textContent).toBe(`Could not load the workflow: Workflow ${gone} not found`);
  });
});
