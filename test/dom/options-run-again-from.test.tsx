import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run, RunStatus } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';
import { rerunStarts, runListRoutes, runRow as row } from './run-history-harness';

// "Run again from the failed step" in the run history: a failed run the server says may go on
// where it failed offers it beside "Run again from the start", asks first (saying the steps before
// are not done again), and sends `from: failed_step`; one it may not names why instead; a server
// without the choice (no `failedStep`) is offered the start only, as it would run it from there.

const at = '2025-01-01T09:00:00.000Z';
const run = (id: string, status: RunStatus, more: Partial<Run> = {}): Run => ({
  id, workflowId: 'wf_ship', workflowVersion: 1, contactId: 'ct_1', conversationId: 'cnv_1',
  triggerEvent: { id: 'ev_1', type: 'shortcut.launched' }, variables: { trigger: { order: 'A-17' } }, status, cursor: status === 'failed' ? 1 : 0,
  stepLog: [], wakeAt: null, attempts: 0, error: status === 'failed' ? 'Step crm answered HTTP 404' : null, createdAt: at, endedAt: at, launchedBy: null, ...more,
});
const CHANGED = 'workflow “Ship notice” was changed since it ran (it ran version 1; version 2 is published now). Run it again from the start';
const LIST = 'GET /runs?limit=50&workflowId=wf_ship';

function serve(runs: Run[], more: Parameters<typeof serveApi>[0] = {}) {
  return serveApi({
    'GET /runs/workflows': ok({ workflows: [{ id: 'wf_ship', name: 'Ship notice', deleted: false }] }),
    ...runListRoutes(LIST, runs, at),
    ...more,
  });
}
const FROM_START = { name: 'Run again from the start' };
const FROM_FAILED = { name: 'Run again from the failed step' };

afterEach(() => vi.restoreAllMocks());

describe('run history: Run again from the failed step', () => {
  it('offers both where the server allows it, asks first, sends from: failed_step and shows the new run as from step 2', async () => {
    const runs = [run('run_f', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: null } })];
    const rerun = run('run_new', 'queued', { cursor: 1, error: null, endedAt: null, rerunOf: 'run_f', rerunFromStep: 2, rerunBy: { id: 'usr_sam', name: 'Sam Supervisor' } });
    const calls = serve(runs, {
      'POST /runs/run_f/rerun': rerunStarts(runs, rerun),
    });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    expect(row('run_f').getByRole('button', FROM_START)).toBeTruthy();

    await user.click(row('run_f').getByRole('button', FROM_FAILED));
    expect(confirm).toHaveBeenCalledWith('Run this failed run again from step 2 (“crm”)? It goes on from the step that failed, with the same contact and conversation and the variables '
      + 'the run had there: the steps before it (a note, a message to the customer) are not done again.');
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_f/rerun', body: { from: 'failed_step' } }));
    expect((await row('run_f').findByRole('status')).textContent).toBe('Run again as run_new');
    expect(row('run_f').queryByRole('button', FROM_FAILED)).toBeNull();
    await waitFor(() => expect(row('run_new').getByText('· run again', { exact: false }).textContent).toBe(' · run again from step 2'));

    await user.click(row('run_new').getByRole('button', { name: 'Details' }));
    expect((await screen.findByText(/^Run again from failed run/)).textContent)
      .toBe('Run again from failed run run_f by Sam Supervisor, from step 2, where that run failed: the steps before it ran in that run, not again.');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('where it is not allowed, says why and offers the start only; a server without the choice is offered the start only', async () => {
    const calls = serve([
      run('run_changed', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: CHANGED } }),
      run('run_older_server', 'failed'),
    ]);
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });

    expect(row('run_changed').queryByRole('button', FROM_FAILED)).toBeNull();
    expect(row('run_changed').getByText(/^Not from the failed step/).textContent).toBe(`Not from the failed step: ${CHANGED}.`);
    expect(row('run_older_server').queryByRole('button', FROM_FAILED)).toBeNull();
    expect(row('run_older_server').queryByText(/^Not from the failed step/)).toBeNull();
    await user.click(row('run_changed').getByRole('button', FROM_START));
    expect(confirm.mock.calls[0]![0]).toMatch(/^Run this failed run again\? It starts over from the first step/);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('refused whichever step it starts from (conversation closed, assignee deactivated): says why, and offers no Run again', async () => {
    const CLOSED = 'Run run_closed cannot run again: shortcuts run in an open conversation, and its conversation is closed now: launch the shortcut again in the contact\'s open conversation';
    const GONE = '“Ship notice” cannot run again: it assigns to Jordan Lee, who is deactivated; an admin must choose someone else in its workflow';
    serve([
      run('run_closed', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: CHANGED }, rerunRefused: CLOSED }),
      run('run_assignee', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: GONE }, rerunRefused: GONE }),
    ]);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    for (const [id, why] of [['run_closed', CLOSED], ['run_assignee', GONE]] as const) {
      expect(row(id).queryByRole('button', FROM_START)).toBeNull();
      expect(row(id).queryByRole('button', FROM_FAILED)).toBeNull();
      expect(row(id).getByText(why, { exact: false }).textContent).toBe(`${why}.`);
    }
    // Not advised to run it again from the start, which is refused too.
    expect(row('run_closed').queryByText(/^Not from the failed step/)).toBeNull();
  });

  it('refused from the start only (an Assign before the failed step, its assignee deactivated since): offers the failed step, says why not the start', async () => {
    const GONE = '“Ship notice” cannot run again: it assigns to Jordan Lee, who is deactivated; an admin must choose someone else in its workflow';
    const runs = [run('run_f', 'failed', { cursor: 2, failedStep: { step: 3, stepId: 'crm', refused: null }, rerunRefused: GONE })];
    const calls = serve(runs, { 'POST /runs/run_f/rerun': rerunStarts(runs, run('run_new', 'queued', { cursor: 2, error: null, endedAt: null, rerunOf: 'run_f', rerunFromStep: 3 })) });
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    expect(row('run_f').queryByRole('button', FROM_START)).toBeNull();
    expect(row('run_f').getByText(/^Not from the start/).textContent).toBe(`Not from the start: ${GONE}.`);
    await user.click(row('run_f').getByRole('button', FROM_FAILED));
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_f/rerun', body: { from: 'failed_step' } }));
    expect((await row('run_f').findByRole('status')).textContent).toBe('Run again as run_new');
  });

  it('saved since with only the failed step changed: the button says it runs the workflow as saved now, and the confirmation says when it was saved', async () => {
    const savedAt = '2025-01-02T10:00:00.000Z';
    const runs = [run('run_f', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: null, savedAt } })];
    const calls = serve(runs, { 'POST /runs/run_f/rerun': rerunStarts(runs, run('run_new', 'queued', { workflowVersion: 2, error: null, endedAt: null, rerunOf: 'run_f', rerunFromStep: 2 })) });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    expect(row('run_f').queryByRole('button', FROM_FAILED)).toBeNull();
    await user.click(row('run_f').getByRole('button', { name: 'Run again from the failed step with the workflow as saved now' }));
    expect(confirm.mock.calls[0]![0]).toBe(`Run this failed run again from step 2 (“crm”) with the workflow as saved now (saved ${new Date(savedAt).toLocaleString()}): `
      + 'the failed step and the steps after it as they are now? It goes on from the step that failed, with the same contact and conversation and the variables the run had there: '
      + 'the steps before it (a note, a message to the customer) are not done again.');
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_f/rerun', body: { from: 'failed_step' } }));
    expect((await row('run_f').findByRole('status')).textContent).toBe('Run again as run_new');
  });

  it('Run all failed again from their failed steps sends from: failed_step, with the workflow as saved now, and says how many were left out and why', async () => {
    const calls = serve([run('run_f', 'failed', { failedStep: { step: 2, stepId: 'crm', refused: null } })], {
      'POST /workflows/wf_ship/runs/rerun': ok({ started: 2, reruns: [{ runId: 'run_n1', rerunOf: 'run_f' }, { runId: 'run_n2', rerunOf: 'run_g' }], remaining: 0, earlierVersion: 3, assigneeDeactivated: 1 }),
    });
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_ship" configure={false} />);
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(await screen.findByRole('button', { name: 'Run all failed again from their failed steps with the workflow as saved now' }));
    expect(confirm.mock.calls[0]![0]).toBe('Run every failed run of “Ship notice” again from the step where it failed, with the workflow as saved now (up to 1,000 at a time)? '
      + 'Runs whose steps before the failed one were changed since are left to run again from the start. It goes on from the step that failed, with the same contact and conversation and the variables the run had there: '
      + 'the steps before it (a note, a message to the customer) are not done again.');
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/workflows/wf_ship/runs/rerun', body: { status: 'failed', from: 'failed_step' } }));
    const said = await screen.findByText(/^Started 2 runs again/);
    expect(said.textContent).toBe(' Started 2 runs again. 3 failed runs of an earlier version of the workflow were left out: steps before their failed step were changed since: run them again from the start, or from the failed step with the original workflow.'
      + ' One failed run was left out: from its failed step on, a step assigns to a deactivated user; an admin must choose someone else in the workflow. Show them');
  });
});
