import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run, RunStatus } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const workflow = {
  id: 'wf_1', name: 'Refunds', status: 'published', version: 2, createdAt: at, updatedAt: at, publishedAt: at,
  trigger: { type: 'incoming_webhook', mappings: [] }, oncePerContact: false, steps: [],
};
const run = (id: string, status: RunStatus, eventType: string, endedAt: string | null = null): Run => ({
  id, workflowId: 'wf_1', workflowVersion: 2, contactId: 'ct_1', conversationId: null,
  triggerEvent: { id: `ev_${id}`, type: eventType }, variables: {}, status, cursor: 0, stepLog: [],
  wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt,
});

/** Run history's server: one queued and one completed run; the queued one cancels, or has just completed. */
function serve({ endedMeanwhile = false } = {}) {
  const runs = [run('run_q', 'queued', 'webhook.received'), run('run_c', 'completed', 'contact.tag_added', at)];
  return serveApi({
    'GET /workflows/wf_1': ok(workflow),
    'GET /workflows/wf_1/runs': () => ok({ runs }),
    'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ada', lastName: 'Lovelace', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
    'POST /runs/run_q/cancel': () => {
      if (endedMeanwhile) {
        runs[0] = { ...runs[0]!, status: 'completed', endedAt: at };
        return { status: 409, body: { error: { code: 'run_ended', message: 'Run run_q has already ended (completed)' } } };
      }
      runs[0] = { ...runs[0]!, status: 'cancelled', error: 'Cancelled by Admin', endedAt: at };
      return ok(runs[0]);
    },
  });
}

async function rows() {
  const table = await screen.findByRole('table', { name: 'Runs' });
  const [queued, completed] = within(table).getAllByRole('row').slice(1);
  return { queued: within(queued!), completed: within(completed!) };
}

afterEach(() => vi.restoreAllMocks());

describe('run history', () => {
  it('names triggers in words and cancels an unfinished run after confirmation', async () => {
    const calls = serve();
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const { queued, completed } = await rows();

    expect(queued.getByText('Incoming webhook').getAttribute('title')).toBe('webhook.received');
    expect(completed.getByText('Tag added').getAttribute('title')).toBe('contact.tag_added');
    expect(completed.queryByRole('button', { name: 'Cancel run' })).toBeNull();

    await user.click(queued.getByRole('button', { name: 'Cancel run' }));
    expect(confirm).toHaveBeenCalledWith('Cancel this run? Steps already done are not undone.');
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_q/cancel' }));
    expect(await queued.findByText('cancelled')).toBeTruthy();
    expect(queued.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sends nothing when the confirmation is declined', async () => {
    const calls = serve();
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const { queued } = await rows();
    await user.click(queued.getByRole('button', { name: 'Cancel run' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(queued.getByText('queued')).toBeTruthy();
  });

  it('shows the server\'s message when the run has already ended, and the run\'s real status', async () => {
    serve({ endedMeanwhile: true });
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const { queued } = await rows();
    await user.click(queued.getByRole('button', { name: 'Cancel run' }));
    expect((await queued.findByRole('alert')).textContent).toBe('Run run_q has already ended (completed)');
    await waitFor(() => expect(queued.getByText('completed')).toBeTruthy());
    expect(queued.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    expect(queued.getByRole('alert').textContent).toBe('Run run_q has already ended (completed)');
  });
});
