import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run } from '../../lib/contracts/runs';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The reruns a supervisor started were found by nobody's name (the r-codeB review): a rerun keeps
// the launcher of the run it repeats. The Runs filter "Run again by" asks GET /runs?rerunBy=,
// offering the people who can run again (supervisors, admins; deactivated too), not agents or bots.

const at = '2025-01-01T09:00:00.000Z';
const person = (id: string, name: string, role: User['role'], more: Partial<User> = {}): User =>
  ({ id, name, email: `${id}@example.com`, role, kind: 'human', shortcutsEnabled: true, createdAt: at, active: true, ...more });
const users = [
  person('usr_ava', 'Ava Agent', 'agent'), person('usr_sam', 'Sam Supervisor', 'supervisor'), person('usr_old', 'Olga Supervisor', 'supervisor', { active: false }),
  person('usr_adm', 'Ada Admin', 'admin'), person('usr_bot', 'Zapier', 'admin', { kind: 'bot' }),
];
const ava = { id: 'usr_ava', name: 'Ava Agent' };
const run = (id: string, more: Partial<Run> = {}): Run => ({
  id, workflowId: 'wf_sync', workflowVersion: 1, contactId: 'ct_1', conversationId: 'cnv_1', triggerEvent: { id: 'ev_1', type: 'shortcut.launched' },
  variables: { trigger: { launchedBy: ava.id } }, status: 'completed', cursor: 0, stepLog: [], wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: at,
  launchedBy: ava, ...more,
});
const rerun = run('run_again', { rerunOf: 'run_first', rerunBy: { id: 'usr_sam', name: 'Sam Supervisor' } });
const first = run('run_first', { status: 'failed', error: 'Step crm answered HTTP 404', rerunAs: 'run_again' });
const path = (q: Record<string, string>) => `/runs?${new URLSearchParams({ limit: '50', ...q })}`;

afterEach(() => vi.restoreAllMocks());

describe('run history: filter by who ran the runs again', () => {
  it('offers the people who can run again and shows only the reruns of the one picked', async () => {
    const calls = serveApi({
      'GET /users': ok({ users }),
      'GET /runs/workflows': ok({ workflows: [{ id: 'wf_sync', name: 'Sync to CRM', deleted: false }] }),
      'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ana', lastName: '', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
      [`GET ${path({})}`]: ok({ runs: [rerun, first], nextCursor: null }),
      [`GET ${path({ rerunBy: 'usr_sam' })}`]: ok({ runs: [rerun], nextCursor: null }),
    });
    const user = userEvent.setup();
    renderWithProviders(<RunHistory configure={false} />);
    const shown = () => [...document.querySelectorAll('tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));
    await waitFor(() => expect(shown()).toEqual(['run_again', 'run_first']));
    const select = screen.getByRole('combobox', { name: 'Run again by' }) as HTMLSelectElement;
    await waitFor(() => expect([...select.options].map((o) => o.textContent)).toEqual(['Anyone', 'Ada Admin', 'Olga Supervisor (deactivated)', 'Sam Supervisor']));

    await user.selectOptions(select, 'usr_sam');
    await waitFor(() => expect(shown()).toEqual(['run_again']));
    expect(calls.map((c) => c.path)).toContain(path({ rerunBy: 'usr_sam' }));
    await user.selectOptions(select, '');
    await waitFor(() => expect(shown()).toEqual(['run_again', 'run_first']));
  });
});
