import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Shell } from '../../components/options/Shell';
import type { Run, RunStatus } from '../../lib/contracts/runs';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The run history as a supervisor reads it in the options page (the review: their section had
// no history, and runs named no launcher): its own section, who launched each run, a filter by
// launcher, how many runs failed in the last day with a button showing them; nothing that
// changes a workflow or the engine (Try now, the queue, the workflow's editor).

const at = '2025-01-01T09:00:00.000Z';
const since = '2025-01-01T10:00:00.000Z';
const person = (id: string, name: string, role: User['role'], active = true): User =>
  ({ id, name, email: `${id}@example.com`, role, kind: 'human', shortcutsEnabled: true, createdAt: at, active });
const sam = person('usr_sam', 'Sam Supervisor', 'supervisor');
const users = [person('usr_ava', 'Ava Agent', 'agent'), person('usr_ben', 'Ben Agent', 'agent', false), sam];
const supervisorMe = { user: sam, permissions: { launchShortcuts: true, configure: false, superviseAgents: true } };
const adminMe = { user: person('usr_adm', 'Ada Admin', 'admin'), permissions: { launchShortcuts: true, configure: true, superviseAgents: true } };

const run = (id: string, status: RunStatus, launchedBy: Run['launchedBy'], more: Partial<Run> = {}): Run => ({
  id, workflowId: 'wf_sync', workflowVersion: 1, contactId: 'ct_1', conversationId: 'cnv_1',
  triggerEvent: { id: `ev_${id}`, type: launchedBy ? 'shortcut.launched' : 'contact.tag_added' },
  variables: launchedBy ? { trigger: { launchedBy: launchedBy.id } } : {}, status, cursor: 0, stepLog: [],
  wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: status === 'waiting' ? null : at, launchedBy, ...more,
});
const ava = { id: 'usr_ava', name: 'Ava Agent' };
const failed = run('run_f', 'failed', ava, {
  error: 'Step crm: http://crm.example/sync answered HTTP 403',
  stepLog: [{ stepId: 'crm', type: 'http_request', status: 'failed', error: 'answered HTTP 403', startedAt: at, endedAt: at }],
});
const retrying = run('run_r', 'waiting', { id: 'usr_ben', name: 'Ben Agent' }, {
  wakeAt: '2025-01-01T09:05:00.000Z',
  stepLog: [{ stepId: 'crm', type: 'http_request', status: 'retrying', error: 'HTTP 503', output: { retry: 1, of: 5, at }, startedAt: at, endedAt: at }],
});
const tagged = run('run_t', 'completed', null);
const path = (q: Record<string, string>) => `/runs?${new URLSearchParams({ limit: '50', ...q })}`;

function serve() {
  return serveApi({
    'GET /settings/restrictions': ok({ agentsCanUseShortcuts: true }),
    'GET /users': ok({ users }),
    'GET /runs/workflows': ok({ workflows: [{ id: 'wf_sync', name: 'Sync to CRM', deleted: false }] }),
    'GET /runs/failed-count': ok({ failed: 1, since }),
    'GET /runs/summary': ok({ ready: 0, waitingBehind: 0, oldestReadyAt: null, running: 0, waiting: 1, retrying: 1 }),
    'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ana', lastName: '', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
    [`GET ${path({})}`]: ok({ runs: [failed, retrying, tagged], nextCursor: null }),
    [`GET ${path({ launchedBy: 'usr_ava' })}`]: ok({ runs: [failed], nextCursor: null }),
    // The failures nobody ran again since the count's own bound: the runs it counted.
    [`GET ${path({ status: 'failed', runAgain: 'false', since })}`]: ok({ runs: [failed], nextCursor: null }),
  });
}
const shownIds = () => [...document.querySelectorAll('tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));
const row = (id: string) => within(document.querySelector<HTMLElement>(`tr[data-run-id="${id}"]`)!);

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

describe('the options page\'s run history for a supervisor', () => {
  it('has its own section: every run, who launched it, and nothing that changes a workflow or the engine', async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderWithProviders(<Shell me={supervisorMe} serverUrl="http://127.0.0.1:8799" />);
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Restrictions', 'Contacts', 'Runs']);
    await user.click(within(nav).getByRole('link', { name: 'Runs' }));

    await waitFor(() => expect(shownIds()).toEqual(['run_f', 'run_r', 'run_t']));
    const table = screen.getByRole('table', { name: 'Runs' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toContain('Launched by');
    expect(row('run_f').getByRole('button', { name: 'Ava Agent' })).toBeTruthy();
    expect(row('run_r').getByRole('button', { name: 'Ben Agent' })).toBeTruthy();
    expect(row('run_t').getByTitle('Started by its trigger, not by a person').textContent).toBe('—');

    // Read-only: no Try now on the run waiting to retry, no queue, no way to the workflow's editor.
    expect(row('run_r').queryByRole('button', { name: 'Try now' })).toBeNull();
    expect(row('run_r').getByRole('button', { name: 'Cancel run' })).toBeTruthy();
    expect(screen.queryByRole('status', { name: 'Engine queue' })).toBeNull();
    expect(screen.queryByRole('link', { name: /Workflow|Sync to CRM/ })).toBeNull();
    expect(calls.filter((c) => c.path === '/runs/summary' || c.path.startsWith('/workflows'))).toEqual([]);

    await user.click(row('run_f').getByRole('button', { name: 'Details' }));
    expect(screen.getByText((_, el) => el?.className === 'launched-by' && el.textContent === 'Launched by Ava Agent from the shortcut.')).toBeTruthy();
    expect(screen.getByText('Run error: Step crm: http://crm.example/sync answered HTTP 403')).toBeTruthy();
  });

  it('counts the runs that failed in the last 24 hours and shows them at a press', async () => {
    const calls = serve();
    const user = userEvent.setup();
    window.location.hash = '#/runs';
    renderWithProviders(<Shell me={supervisorMe} serverUrl="http://127.0.0.1:8799" />);
    const notice = await screen.findByRole('status', { name: 'Failed runs' });
    expect(notice.textContent).toBe('1 run failed in the last 24 hours and was not run again. Show failed runs');
    await waitFor(() => expect(shownIds()).toHaveLength(3));
    await user.click(within(notice).getByRole('button', { name: 'Show failed runs' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_f']));
    expect(calls.map((c) => c.path)).toContain(path({ status: 'failed', runAgain: 'false', since }));
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('failed');
    expect(screen.getByTestId('not-run-again-filter').textContent).toBe('Not run again×');
  });

  it('filters by who launched the runs: a name pressed in a row, or picked from the people (deactivated too)', async () => {
    const calls = serve();
    const user = userEvent.setup();
    window.location.hash = '#/runs';
    renderWithProviders(<Shell me={supervisorMe} serverUrl="http://127.0.0.1:8799" />);
    await waitFor(() => expect(shownIds()).toHaveLength(3));
    const select = screen.getByRole('combobox', { name: 'Launched by' }) as HTMLSelectElement;
    await waitFor(() => expect([...select.options].map((o) => o.textContent)).toEqual(['Anyone', 'Ava Agent', 'Ben Agent (deactivated)', 'Sam Supervisor']));

    await user.click(row('run_f').getByRole('button', { name: 'Ava Agent' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_f']));
    expect(select.value).toBe('usr_ava');
    expect(calls.map((c) => c.path)).toContain(path({ launchedBy: 'usr_ava' }));

    await user.selectOptions(select, '');
    await waitFor(() => expect(shownIds()).toEqual(['run_f', 'run_r', 'run_t']));
    await user.selectOptions(select, 'usr_ava');
    await waitFor(() => expect(shownIds()).toEqual(['run_f']));
  });
});

describe('the options page\'s run history for an admin', () => {
  it('is a section too, with the engine\'s queue, Try now and the failed runs\' count', async () => {
    serve();
    window.location.hash = '#/runs';
    renderWithProviders(<Shell me={adminMe} serverUrl="http://127.0.0.1:8799" />);
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Workflows', 'Runs', 'Mini-apps', 'Restrictions', 'Contacts', 'Settings']);
    expect(await screen.findByRole('status', { name: 'Engine queue' })).toBeTruthy();
    expect((await screen.findByRole('status', { name: 'Failed runs' })).textContent).toMatch(/^1 run failed in the last 24 hours/);
    await waitFor(() => expect(shownIds()).toHaveLength(3));
    expect(row('run_r').getByRole('button', { name: 'Try now' })).toBeTruthy();
    expect(row('run_f').getByRole('button', { name: 'Ava Agent' })).toBeTruthy();
  });
});
