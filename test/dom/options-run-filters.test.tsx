import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunHistory } from '../../components/options/RunHistory';
import type { Run } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The run history's filters: a deleted workflow's runs stay reachable (its name, "(deleted)"), and
// a contact is found by name, phone or email rather than only by picking a row.

const at = '2025-01-01T00:00:00.000Z';
const workflow = {
  id: 'wf_1', name: 'Refunds', status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at,
  trigger: { type: 'manual' }, oncePerContact: false, steps: [],
};
const run = (id: string, workflowId: string, contactId = 'ct_1'): Run => ({
  id, workflowId, workflowVersion: 1, contactId, conversationId: null, triggerEvent: { id: `ev_${id}`, type: 'webhook.received' },
  variables: {}, status: 'completed', cursor: 0, stepLog: [], wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: at,
});
const contact = (id: string, firstName: string, lastName: string, phone: string | null) =>
  ({ id, firstName, lastName, phone, email: null, tags: [], fields: {}, createdAt: at });

function serve() {
  return serveApi({
    'GET /workflows/wf_1': ok(workflow),
    'GET /runs/workflows': ok({ workflows: [{ id: 'wf_old', name: 'Old welcome', deleted: true }, { id: 'wf_1', name: 'Refunds', deleted: false }] }),
    'GET /runs?limit=50&workflowId=wf_1': ok({ runs: [run('run_1', 'wf_1')], nextCursor: null }),
    'GET /runs?limit=50&workflowId=wf_old': ok({ runs: [run('run_0', 'wf_old')], nextCursor: null }),
    'GET /runs?limit=50': ok({ runs: [run('run_1', 'wf_1'), run('run_0', 'wf_old')], nextCursor: null }),
    'GET /runs?limit=50&workflowId=wf_1&contactId=ct_2': ok({ runs: [run('run_2', 'wf_1', 'ct_2')], nextCursor: null }),
    'GET /contacts/ct_1': ok(contact('ct_1', 'Ada', 'Lovelace', null)),
    'GET /contacts/ct_2': ok(contact('ct_2', 'Ana', 'López', '+34600111222')),
    'GET /contacts?q=ana&limit=8': ok({ contacts: [contact('ct_2', 'Ana', 'López', '+34600111222')], nextCursor: null }),
    'GET /contacts?q=zed&limit=8': ok({ contacts: [], nextCursor: null }),
  });
}
const shownIds = () => [...document.querySelectorAll('tr[data-run-id]')].map((r) => r.getAttribute('data-run-id'));

afterEach(() => vi.restoreAllMocks());

describe('run history filters', () => {
  it('offers deleted workflows that left runs, named "(deleted)", and shows their runs', async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(shownIds()).toEqual(['run_1']));
    const select = screen.getByRole('combobox', { name: 'Workflow' });
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All workflows', 'Old welcome (deleted)', 'Refunds']));

    await user.selectOptions(select, 'wf_old');
    await waitFor(() => expect(shownIds()).toEqual(['run_0']));
    expect(calls.map((c) => c.path)).toContain('/runs?limit=50&workflowId=wf_old');

    await user.selectOptions(select, '');
    await waitFor(() => expect(shownIds()).toEqual(['run_1', 'run_0']));
    const table = screen.getByRole('table', { name: 'Runs' });
    expect(within(table).getByText('Old welcome (deleted)')).toBeTruthy();
  });

  it('finds a contact by name, phone or email and keeps only their runs', async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderWithProviders(<RunHistory workflowId="wf_1" />);
    await waitFor(() => expect(shownIds()).toEqual(['run_1']));
    const search = screen.getByRole('searchbox', { name: 'Contact' });
    await user.type(search, 'zed');
    expect(await screen.findByText('No contact matches “zed”.')).toBeTruthy();

    await user.clear(search);
    await user.type(search, 'ana');
    await user.click(await screen.findByRole('button', { name: /Ana López.*\+34600111222/ }));
    await waitFor(() => expect(shownIds()).toEqual(['run_2']));
    expect(screen.getByTestId('contact-filter').textContent).toContain('Contact: Ana López');
    expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/contacts?q=ana&limit=8', '/runs?limit=50&workflowId=wf_1&contactId=ct_2']));

    await user.click(screen.getByRole('button', { name: 'Show every contact' }));
    await waitFor(() => expect(shownIds()).toEqual(['run_1']));
    expect((screen.getByRole('searchbox', { name: 'Contact' }) as HTMLInputElement).value).toBe('');
  });
});
