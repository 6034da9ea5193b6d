import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TriggerWorkflowStepFields } from '../../components/options/TriggerWorkflowStepFields';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { renderWithProviders } from './options-harness';
import { manyWorkflows, serveWorkflows, summary, type ServerAge } from './workflow-list-harness';

// The Chrome Web Store updates the extension before a self-hosted server is upgraded. Against a
// server from before GET /workflows paged (it refuses `limit`, or older still ignores it and
// answers the whole list), the Workflows list and the pickers still list every workflow, searched,
// filtered and paged in the page, and the admin is told in plain words to update the server.
// Any other parameter such a server refuses is said the same way (options-missing-route.test.tsx).

const all = [...manyWorkflows(120), summary('wf_m', 'Manual sub-flow', { trigger: 'manual' }), summary('wf_r', 'Refunds (EU)', { status: 'published', trigger: 'shortcut' })]
  .sort((a, b) => (a.name < b.name ? -1 : 1));
const rowNames = () => [...document.querySelectorAll('table[aria-label="Workflows"] tbody tr > td:first-child > a')].map((a) => a.textContent);
const count = () => screen.getByTestId('workflow-count').textContent;
const UPDATE = 'The companion server is older than this extension: it cannot search or filter workflows, so the whole list was read and is searched here. Ask whoever runs the companion server to update it.';

afterEach(() => { sessionStorage.clear(); });

describe.each<[string, ServerAge]>([
  ['refuses limit (422 "Unknown query parameter limit")', 'refuses-parameters'],
  ['ignores the parameters and answers the whole list', 'ignores-parameters'],
])('a server that %s', (_, age) => {
  it('lists every workflow a page at a time, searches and filters them here, and says to update the server', async () => {
    const calls = serveWorkflows(() => all, age, { 'GET /users': { users: [] } });
    const user = userEvent.setup();
    renderWithProviders(<WorkflowsPage />);
    await waitFor(() => expect(rowNames()).toEqual(all.slice(0, 50).map((w) => w.name)));
    expect(count()).toBe('Showing 50 of 122 workflows');
    expect(screen.getByTestId('older-server').textContent).toBe(UPDATE);
    expect(screen.queryByRole('alert')).toBeNull();

    const asked = calls.length;
    await user.click(screen.getByRole('button', { name: 'Load more workflows' }));
    await waitFor(() => expect(rowNames()).toHaveLength(100));
    // The whole list was read once: more rows come from it, not from asking again.
    expect(calls.length).toBe(asked);

    await user.type(screen.getByRole('searchbox', { name: 'Search by name' }), 'refund');
    await waitFor(() => expect(rowNames()).toEqual(['Refunds (EU)']));
    expect(count()).toBe('Showing 1 of 1 matching workflow');
    await user.clear(screen.getByRole('searchbox', { name: 'Search by name' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Published');
    await waitFor(() => expect(count()).toBe('Showing 41 of 41 matching workflows'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers every manual workflow in a Trigger workflow step', async () => {
    serveWorkflows(() => all, age);
    renderWithProviders(<TriggerWorkflowStepFields config={{ workflowId: '' }} onChange={() => {}} path="steps.0.config" index={0} stepId="start" />);
    const select = await screen.findByRole('combobox', { name: /Workflow to start/ });
    await waitFor(() => expect([...(select as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Choose a workflow…', 'Manual sub-flow (draft)']));
  });
});
