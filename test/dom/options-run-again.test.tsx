import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run, RunStatus } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';
import { rerunStarts, runListRoutes, runRow as row } from './run-history-harness';

// "Run again" in the run history (the review: a failed run could not be retried by anyone): a
// failed run offers it, asks first, then names the new run, a link that shows it; a failed run
// already run again names its rerun instead; one workflow's failed runs run again together.

const at = '2025-01-01T09:00:00.000Z';
const ava = { id: 'usr_ava', name: 'Ava Agent' };
const run = (id: string, status: RunStatus, more: Partial<Run> = {}): Run => ({
  id, workflowId: 'wf_sync', workflowVersion: 1, contactId: 'ct_1', conversationId: 'cnv_1',
  triggerEvent: { id: 'ev_1', type: 'shortcut.launched' }, variables: { trigger: { order: 'A-17', launchedBy: ava.id } }, status, cursor: 0,
  stepLog: [], wakeAt: null, attempts: 0, error: status === 'failed' ? 'Step crm answered HTTP 404' : null, createdAt: at, endedAt: at, launchedBy: ava, ...more,
});
const CONFIRM = 'Run this failed run again? It starts over from the first step of the workflow as published now, with the same contact, conversation and trigger data: steps that already ran (a note, a message to the customer) run again.';
const LIST = 'GET /runs?limit=50&workflowId=wf_sync';

function serve(runs: Run[], more: Parameters<typeof serveApi>[0] = {}) {
  return serveApi({
    'GET /workflows/wf_sync': ok({ id: 'wf_sync', name: 'Sync to CRM', status: 'published', version: 2, createdAt: at, updatedAt: at, publishedAt: at, trigger: { type: 'shortcut', name: 'Sync to CRM' }, oncePerContact: false, steps: [] }),
    'GET /runs/workflows': ok({ workflows: [{ id: 'wf_sync', name: 'Sync to CRM', deleted: false }] }),
    ...runListRoutes(LIST, runs, at),
    ...more,
  });
}
const shownIds = () => [...document.querySelectorAll('tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));

afterEach(() => vi.restoreAllMocks());

describe('run history: Run again', () => {
  it('runs a failed run again after a confirmation, names the new run and shows it at a press', async () => {
    const runs = [run('run_f', 'failed'), run('run_c', 'completed')];
    const rerun = run('run_new', 'queued', { workflowVersion: 2, error: null, endedAt: null, rerunOf: 'run_f', rerunBy: { id: 'usr_sam', name: 'Sam Supervisor' } });
    const calls = serve(runs, {
      'POST /runs/run_f/rerun': rerunStarts(runs, rerun),
    });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_sync" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    expect(row('run_c').queryByRole('button', { name: 'Run again from the start' })).toBeNull();

    await user.click(row('run_f').getByRole('button', { name: 'Run again from the start' }));
    expect(confirm).toHaveBeenCalledWith(CONFIRM);
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_f/rerun' }));
    const started = await row('run_f').findByRole('status');
    expect(started.textContent).toBe('Run again as run_new');
    expect(row('run_f').queryByRole('button', { name: 'Run again from the start' })).toBeNull();
    await waitFor(() => expect(shownIds()).toEqual(['run_new', 'run_f', 'run_c']));
    expect(row('run_new').getByText('· run again', { exact: false }).getAttribute('title')).toBe('Run again from failed run run_f');

    await user.click(within(started).getByRole('button', { name: 'run_new' }));
    const details = await screen.findByText(/^Run again from failed run/);
    expect(details.textContent).toBe('Run again from failed run run_f by Sam Supervisor, from the first step.');
    expect(row('run_new').getByRole('button', { name: 'Hide' })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('sends nothing when the confirmation is declined; a run already run again names its rerun; a refusal is shown', async () => {
    const calls = serve([run('run_f', 'failed'), run('run_done', 'failed', { rerunAs: 'run_2nd' }), run('run_x', 'failed')], {
      'POST /runs/run_x/rerun': { status: 409, body: { error: { code: 'workflow_not_published', message: 'Workflow “Sync to CRM” is not published: publish it to run its runs again (a run again follows the published version)' } } },
    });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    renderWithProviders(<RunHistory workflowId="wf_sync" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(row('run_f').getByRole('button', { name: 'Run again from the start' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    expect(row('run_done').queryByRole('button', { name: 'Run again from the start' })).toBeNull();
    expect(row('run_done').getByRole('status').textContent).toBe('Run again as run_2nd');

    confirm.mockReturnValue(true);
    await user.click(row('run_x').getByRole('button', { name: 'Run again from the start' }));
    expect((await row('run_x').findByRole('alert')).textContent).toBe('Workflow “Sync to CRM” is not published: publish it to run its runs again (a run again follows the published version)');
  });
});

describe('run history: Run all failed again', () => {
  it('runs one workflow\'s failed runs again after a confirmation and says how many started and how many are left', async () => {
    const calls = serve([run('run_f', 'failed')], {
      'POST /workflows/wf_sync/runs/rerun': ok({ started: 2, reruns: [{ runId: 'run_n1', rerunOf: 'run_f' }, { runId: 'run_n2', rerunOf: 'run_g' }], remaining: 3 }),
    });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_sync" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(await screen.findByRole('button', { name: 'Run all failed again' }));
    expect(confirm.mock.calls[0]![0]).toBe('Run every failed run of “Sync to CRM” again (up to 1,000 at a time)? Each one not run again yet: '
      + 'It starts over from the first step of the workflow as published now, with the same contact, conversation and trigger data: steps that already ran (a note, a message to the customer) run again.');
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/workflows/wf_sync/runs/rerun', body: { status: 'failed' } }));
    const said = await screen.findByText(/^Started 2 runs again/);
    expect(said.textContent).toBe(' Started 2 runs again. 3 more failed runs are left: press again for the next ones. Show them');
  });

  it('is offered for one workflow\'s runs only (the server runs again a workflow\'s failures)', async () => {
    serveApi({
      'GET /runs/workflows': ok({ workflows: [{ id: 'wf_sync', name: 'Sync to CRM', deleted: false }] }),
      'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ana', lastName: '', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
      'GET /runs?limit=50': ok({ runs: [run('run_f', 'failed')], nextCursor: null }),
    });
    renderWithProviders(<RunHistory configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    expect(row('run_f').getByRole('button', { name: 'Run again from the start' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Run all failed again' })).toBeNull();
  });
});
