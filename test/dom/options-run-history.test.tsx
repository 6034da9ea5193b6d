import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run, RunStatus } from '../../lib/contracts/runs';
import { push } from './launcher-fixtures';
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
    'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    'GET /runs?limit=50&workflowId=wf_1': () => ok({ runs, nextCursor: null }),
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

describe('run history: the engine queue', () => {
  it('shows what is ready, running and waiting, and wakes every run waiting to try a step again', async () => {
    let retrying = 3;
    const calls = serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1': ok({ runs: [], nextCursor: null }),
      'GET /runs/summary': () => ok({ ready: 120, oldestReadyAt: new Date(Date.now() - 42_000).toISOString(), running: 4, waiting: 5, retrying }),
      'POST /runs/retry-now': () => { const woken = retrying; retrying = 0; return ok({ woken }); },
    });
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const queue = await screen.findByRole('status', { name: 'Engine queue' });
    expect(queue.textContent).toMatch(/^120 ready \(oldest queued 4[23] s ago\) · 4 running · 5 waiting \(3 to try a step again\) Try them now$/);
    await user.click(within(queue).getByRole('button', { name: 'Try them now' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/retry-now' }));
    await waitFor(() => expect(queue.textContent).toMatch(/5 waiting · 3 woken$/));
    expect(within(queue).queryByRole('button', { name: 'Try them now' })).toBeNull();
  });
});

describe('run history: what a waiting run waits for', () => {
  it('says a question waits for the reply, a Wait step for its time and a retry for its next try, each with when', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const step = (type: string, status: 'completed' | 'retrying') => ({ stepId: 's', type, status, startedAt: at, endedAt: at }) as Run['stepLog'][number];
    const runs: Run[] = [
      { ...run('run_a', 'waiting', 'webhook.received'), wakeAt: later, stepLog: [step('ask_question', 'completed')] },
      { ...run('run_w', 'waiting', 'webhook.received'), wakeAt: later, stepLog: [step('wait', 'completed')] },
      { ...run('run_r', 'waiting', 'webhook.received'), wakeAt: later, stepLog: [step('send_message', 'retrying')] },
      run('run_q', 'queued', 'webhook.received'),
    ];
    serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1': () => ok({ runs, nextCursor: null }),
      'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ada', lastName: 'Lovelace', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
    });
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const table = await screen.findByRole('table', { name: 'Runs' });
    const statusOf = (id: string) => table.querySelector(`tr[data-run-id="${id}"] td:nth-child(2)`)!.textContent;
    const when = new Date(later).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const sameDay = new Date(later).toDateString() === new Date().toDateString();
    const whenText = sameDay ? when : new Date(later).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    expect(statusOf('run_a')).toBe(`waiting for the customer’s answer until ${whenText}`);
    expect(statusOf('run_w')).toBe(`waiting until ${whenText}`);
    expect(statusOf('run_r')).toBe(`waiting to try again at ${whenText}`);
    expect(statusOf('run_q')).toBe('queued');
  });
});

describe('run history: a run queued behind an earlier run of the same contact', () => {
  it('says which run holds it and until when, in its details; the queue counts it apart from the ready ones', async () => {
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const held = run('run_q', 'queued', 'shortcut.launched');
    const calls = serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1': ok({ runs: [held, run('run_c', 'completed', 'contact.tag_added', at)], nextCursor: null }),
      'GET /runs/summary': ok({ ready: 0, waitingBehind: 1, oldestReadyAt: null, running: 0, waiting: 1, retrying: 0 }),
      'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ada', lastName: 'Lovelace', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
      'GET /runs/run_q': ok({ ...held, waitingBehind: { runId: 'run_w', status: 'waiting', waitingUntil: until, reason: 'for the contact\'s reply to step "ask"' } }),
    });
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const queue = await screen.findByRole('status', { name: 'Engine queue' });
    expect(queue.textContent).toBe('0 ready · 1 waiting behind an earlier run of the same contact · 0 running · 1 waiting');

    const { queued, completed } = await rows();
    await user.click(completed.getByRole('button', { name: 'Details' }));
    await user.click(queued.getByRole('button', { name: 'Details' }));
    const when = new Date(until).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    const note = await screen.findByText(/^Waiting behind run/);
    expect(note.textContent).toBe(`Waiting behind run run_w of the same contact (it waits for the contact's reply to step "ask" until ${when}). `
      + 'A contact\'s runs of one workflow go one at a time, in order: this one starts when that one ends, and cancelling that one lets it start now.');
    // Asked for the opened queued run only: a finished run waits behind nothing.
    expect(calls.filter((c) => c.method === 'GET' && /^\/runs\/run_/.test(c.path)).map((c) => c.path)).toEqual(['/runs/run_q']);
  });
});

describe('run history: a run waiting to try a step again', () => {
  it('offers Try now, which wakes it at once; other runs have no such button', async () => {
    const wakeAt = '2025-01-01T00:01:00.000Z';
    const retrying: Run = {
      ...run('run_r', 'waiting', 'conversation.opened'), wakeAt,
      stepLog: [{ stepId: 'hi', type: 'send_message', status: 'retrying', error: 'Chatwoot answered HTTP 503 to POST …/messages: 503 Service Temporarily Unavailable', output: { retry: 1, of: 5, at: wakeAt }, startedAt: at, endedAt: at }],
    };
    const runs = [retrying, run('run_c', 'completed', 'contact.tag_added', at)];
    const calls = serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1': () => ok({ runs, nextCursor: null }),
      'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ada', lastName: 'Lovelace', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
      'POST /runs/run_r/retry-now': () => {
        runs[0] = { ...retrying, status: 'completed', endedAt: at, stepLog: [...retrying.stepLog, { ...retrying.stepLog[0]!, status: 'completed', error: undefined }] };
        return ok(runs[0]);
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    const { queued: waiting, completed } = await rows();
    expect(waiting.getByText('0 done, 1 retry')).toBeTruthy();
    expect(completed.queryByRole('button', { name: 'Try now' })).toBeNull();
    const button = waiting.getByRole('button', { name: 'Try now' });
    expect(button.getAttribute('title')).toMatch(/^Waiting to try step hi again at .*: Chatwoot answered HTTP 503/);
    await user.click(button);
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/runs/run_r/retry-now' }));
    expect(await waiting.findByText('completed')).toBeTruthy();
    expect(waiting.queryByRole('button', { name: 'Try now' })).toBeNull();
  });
});

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

describe('run history: live, filtered, paged', () => {
  const contact = (id: string, firstName: string) => ok({ id, firstName, lastName: '', phone: null, email: null, tags: [], fields: {}, createdAt: at });
  const summary = (id: string, name: string) => ({
    ...workflow, id, name, trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }], triggerType: 'manual', lastRunAt: null,
  });

  function serveMany() {
    const runs: Run[] = [run('run_2', 'completed', 'webhook.received', at), { ...run('run_1', 'failed', 'webhook.received', at), contactId: 'ct_2' }];
    const older = run('run_0', 'completed', 'webhook.received', at);
    const calls = serveApi({
      'GET /workflows/wf_1': ok(workflow),
      'GET /workflows?limit=200': ok({ workflows: [summary('wf_1', 'Refunds'), summary('wf_2', 'Greetings')], nextCursor: null }),
      'GET /runs/workflows': ok({ workflows: [{ id: 'wf_2', name: 'Greetings', deleted: false }, { id: 'wf_1', name: 'Refunds', deleted: false }] }),
      'GET /contacts/ct_1': contact('ct_1', 'Ada'),
      'GET /contacts/ct_2': contact('ct_2', 'Bo'),
      'GET /runs?limit=50&workflowId=wf_1': () => ok({ runs, nextCursor: 'run_1' }),
      'GET /runs?limit=50&workflowId=wf_1&cursor=run_1': () => ok({ runs: [older], nextCursor: null }),
      'GET /runs?limit=50': () => ok({ runs: [{ ...run('run_9', 'completed', 'contact.tag_added', at), workflowId: 'wf_2' }, ...runs], nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1&status=failed': () => ok({ runs: runs.filter((r) => r.status === 'failed'), nextCursor: null }),
      'GET /runs?limit=50&workflowId=wf_1&contactId=ct_2': () => ok({ runs: runs.filter((r) => r.contactId === 'ct_2'), nextCursor: null }),
    });
    return { calls, runs };
  }
  const shownIds = () => [...document.querySelectorAll('tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));

  it('shows a new run and a status change pushed from the event stream, without Refresh', async () => {
    const { runs } = serveMany();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(shownIds()).toEqual(['run_2', 'run_1']));
    runs.unshift(run('run_3', 'running', 'webhook.received'));
    await push({ type: 'run.updated', runId: 'run_3', status: 'running' });
    await waitFor(() => expect(shownIds()).toEqual(['run_3', 'run_2', 'run_1']));
    runs[0] = { ...runs[0]!, status: 'completed', endedAt: at };
    await push({ type: 'run.updated', runId: 'run_3', status: 'completed' });
    const row = () => within(document.querySelector<HTMLElement>('tr[data-run-id="run_3"]')!);
    await waitFor(() => expect(row().getByText('completed')).toBeTruthy());
  });

  it('filters by status, by workflow and by a contact picked in the table; loads older runs', async () => {
    const { calls } = serveMany();
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(shownIds()).toEqual(['run_2', 'run_1']));
    await user.click(screen.getByRole('button', { name: 'Load older runs' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_2', 'run_1', 'run_0']));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'failed');
    await waitFor(() => expect(shownIds()).toEqual(['run_1']));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), '');
    await waitFor(() => expect(shownIds()).toEqual(['run_2', 'run_1', 'run_0']));

    await user.click(await screen.findByRole('button', { name: 'Bo' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_1']));
    expect(screen.getByTestId('contact-filter').textContent).toContain('Contact: Bo');
    await user.click(screen.getByRole('button', { name: 'Show every contact' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_2', 'run_1', 'run_0']));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Workflow' }), '');
    await waitFor(() => expect(shownIds()).toEqual(['run_9', 'run_2', 'run_1']));
    expect(within(screen.getByRole('table', { name: 'Runs' })).getByText('Greetings')).toBeTruthy();
    expect(calls.filter((c) => c.path.startsWith('/runs')).map((c) => c.path)).toContain('/runs?limit=50&workflowId=wf_1&status=failed');
  });

  it('sends a time range as UTC instants', async () => {
    const { calls } = serveMany();
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(shownIds()).toHaveLength(2));
    const from = screen.getByLabelText('From');
    await user.type(from, '2025-01-01T10:00');
    const expected = new Date('2025-01-01T10:00').toISOString();
    await waitFor(() => expect(calls.map((c) => c.path)).toContain(`/runs?limit=50&workflowId=wf_1&since=${encodeURIComponent(expected)}`));
  });
});
