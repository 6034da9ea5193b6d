import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run, RunStatus } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';
import { runListRoutes, runRow as row } from './run-history-harness';

// n8n's "Retry of #N" / "Retried in #M": a rerun's details link the failed run it retries and say
// what it ran with; that link opens the failed run even when the loaded pages do not hold it (a
// failure weeks older than the first page), and its details link the rerun back. A failed run
// saved since offers "with the original workflow" beside "as saved now".

const at = '2025-01-01T09:00:00.000Z';
const run = (id: string, status: RunStatus, more: Partial<Run> = {}): Run => ({
  id, workflowId: 'wf_ship', workflowVersion: 1, contactId: 'ct_1', conversationId: 'cnv_1',
  triggerEvent: { id: 'ev_1', type: 'shortcut.launched' }, variables: {}, status, cursor: 1,
  stepLog: [], wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: at, launchedBy: null, ...more,
});
const LIST = 'GET /runs?limit=50&workflowId=wf_ship';
const serve = (runs: Run[], more: Parameters<typeof serveApi>[0] = {}) => serveApi({
  'GET /runs/workflows': ok({ workflows: [{ id: 'wf_ship', name: 'Ship notice', deleted: false }] }),
  ...runListRoutes(LIST, runs, at),
  ...more,
});

afterEach(() => vi.restoreAllMocks());

describe('run history: a rerun and the run it retries', () => {
  it('says what a rerun ran with, and opens its failed run from the link though no loaded page holds it; that one links the rerun back', async () => {
    const rerun = run('run_new', 'completed', { workflowVersion: 3, rerunOf: 'run_old', rerunOfVersion: 1, rerunFromStep: 2, rerunBy: { id: 'usr_sam', name: 'Sam Supervisor' } });
    const old = run('run_old', 'failed', { error: 'Step crm answered HTTP 404', rerunAs: 'run_new', failedStep: { step: 2, stepId: 'crm', refused: null } });
    serve([rerun], { 'GET /runs/run_old': ok(old) });
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(row('run_new').getByRole('button', { name: 'Details' }));
    const details = await screen.findByRole('region', { name: 'Run run_new' });
    expect(details.querySelector('.rerun-of')!.textContent).toBe('Run again from failed run run_old by Sam Supervisor, from step 2, where that run failed: the steps before it ran in that run, not again.'
      + ' It ran the workflow as saved since: version 3 (that run ran version 1).');

    await user.click(screen.getByRole('button', { name: 'run_old' }));
    const shown = await screen.findByRole('region', { name: 'Run run_old' });
    await waitFor(() => expect(document.activeElement).toBe(shown));
    expect(shown.querySelector('.rerun-as-details')!.textContent).toBe('Run again as run_new: open it to see how that went.');
  });

  it('beside a failed run saved since, offers the original workflow, asks first, and sends workflow: original', async () => {
    const failed = run('run_f', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: 'workflow “Ship notice” was changed before its failed step since it ran', originalRefused: null } });
    const calls = serve([failed], { 'POST /runs/run_f/rerun': { status: 201, body: run('run_new', 'queued', { rerunOf: 'run_f', rerunFromStep: 2 }) } });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    expect(row('run_f').getByText(/^Not from the failed step with the workflow as saved now:/)).toBeTruthy();
    await user.click(row('run_f').getByRole('button', { name: 'Run again from the failed step with the original workflow (version 1)' }));
    expect(confirm.mock.calls[0]![0]).toMatch(/^Run this failed run again from step 2 \(“crm”\) with the original workflow \(version 1\), as that run ran it\? Whatever was saved since/);
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_f/rerun', body: { from: 'failed_step', workflow: 'original' } }));
  });

  it('runs all of a workflow\'s failures again with their original workflow from the bulk form, after asking', async () => {
    const calls = serve([run('run_f', 'failed')], { 'POST /workflows/wf_ship/runs/rerun': ok({ started: 2, reruns: [], remaining: 0, earlierVersion: 0 }) });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await user.click(await screen.findByRole('button', { name: 'Run all failed again from their failed steps with their original workflow' }));
    expect(confirm.mock.calls[0]![0]).toMatch(/^Run every failed run of “Ship notice” again from the step where it failed, with the version of the workflow it ran \(up to 1,000 at a time\)\?/);
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/workflows/wf_ship/runs/rerun', body: { status: 'failed', from: 'failed_step', workflow: 'original' } }));
    expect((await screen.findByText(/^Started 2 runs again\./)).textContent).not.toMatch(/left out/);
  });
});
