import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { renderWithProviders } from './options-harness';
import { manyWorkflows, serveWorkflows, summary, type Summary } from './workflow-list-harness';

// The Workflows list of a workspace with hundreds of workflows (respond.io's and n8n's lists): a
// page of 50 at a time with "Load more", a search by name sent to the server once typing pauses,
// filters by status and trigger, and a count a screen reader hears ("Showing 50 of 120 workflows").

const refunds = [
  summary('wf_r1', 'Refunds (EU)', { status: 'published', trigger: 'shortcut' }),
  summary('wf_r2', 'refund follow-up'),
  summary('wf_r3', 'Late REFUND reminder', { status: 'published' }),
];
const all: Summary[] = [...manyWorkflows(120), ...refunds].sort((a, b) => (a.name < b.name ? -1 : 1));
const rowNames = () => [...document.querySelectorAll('table[aria-label="Workflows"] tbody tr > td:first-child > a')].map((a) => a.textContent);
const count = () => screen.getByTestId('workflow-count');
const listCalls = (calls: { path: string }[]) => calls.map((c) => c.path).filter((p) => p.startsWith('/workflows?'));

afterEach(() => { sessionStorage.clear(); });

function open() {
  const calls = serveWorkflows(() => all, 'current', { 'GET /users': { users: [] } });
  const user = userEvent.setup();
  const view = renderWithProviders(<WorkflowsPage />);
  return { calls, user, view };
}

describe('the Workflows list, a page at a time', () => {
  it('shows 50 rows and the count, and "Load more" adds the next 50 until none are left', async () => {
    const { calls, user } = open();
    await waitFor(() => expect(rowNames()).toHaveLength(50));
    expect(rowNames()).toEqual(all.slice(0, 50).map((w) => w.name));
    expect(count().textContent).toBe('Showing 50 of 123 workflows');
    expect(count().getAttribute('aria-live')).toBe('polite');

    await user.click(screen.getByRole('button', { name: 'Load more workflows' }));
    await waitFor(() => expect(rowNames()).toHaveLength(100));
    expect(count().textContent).toBe('Showing 100 of 123 workflows');
    // The keyboard goes on from the first row added.
    await waitFor(() => expect(document.activeElement?.textContent).toBe(all[50]!.name));
    await user.click(screen.getByRole('button', { name: 'Load more workflows' }));
    await waitFor(() => expect(rowNames()).toEqual(all.map((w) => w.name)));
    expect(count().textContent).toBe('Showing 123 of 123 workflows');
    expect(screen.queryByRole('button', { name: 'Load more workflows' })).toBeNull();
    // The button gone with the last page, focus is on its first row, not lost to the page's top.
    await waitFor(() => expect(document.activeElement?.textContent).toBe(all[100]!.name));
    expect(listCalls(calls)).toEqual(['/workflows?limit=50', '/workflows?limit=50&cursor=c50', '/workflows?limit=50&cursor=c100']);
  });

  it('searches by name on the server once typing pauses, any case, and says how many match', async () => {
    const { calls, user } = open();
    await waitFor(() => expect(rowNames()).toHaveLength(50));
    const search = screen.getByRole('searchbox', { name: 'Search by name' });
    expect(screen.getByRole('search', { name: 'Workflows' })).toBeTruthy();
    await user.type(search, 'Refund');
    await waitFor(() => expect(rowNames()).toEqual(['Late REFUND reminder', 'Refunds (EU)', 'refund follow-up']));
    expect(count().textContent).toBe('Showing 3 of 3 matching workflows');
    // One request for the word, not one for each key.
    expect(listCalls(calls).filter((p) => p.includes('q='))).toEqual(['/workflows?limit=50&q=Refund']);
    expect(screen.queryByRole('button', { name: 'Load more workflows' })).toBeNull();

    // Escape empties the box and lists every workflow again.
    await user.type(search, '{Escape}');
    await waitFor(() => expect(rowNames()).toHaveLength(50));
    expect((search as HTMLInputElement).value).toBe('');
    expect(count().textContent).toBe('Showing 50 of 123 workflows');
  });

  it('filters by status and trigger, pages within the filter, and clears back to every workflow', async () => {
    const { calls, user } = open();
    await waitFor(() => expect(rowNames()).toHaveLength(50));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Published');
    const published = all.filter((w) => w.status === 'published');
    await waitFor(() => expect(count().textContent).toBe(`Showing 42 of ${published.length} matching workflows`));
    expect(rowNames()).toEqual(published.slice(0, 42).map((w) => w.name));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Trigger' }), 'Shortcut');
    const both = all.filter((w) => w.status === 'published' && w.trigger.type === 'shortcut');
    await waitFor(() => expect(rowNames()).toEqual(both.map((w) => w.name)));
    expect(count().textContent).toBe(`Showing ${both.length} of ${both.length} matching workflows`);
    expect(listCalls(calls)).toContain('/workflows?limit=50&status=published&trigger=shortcut');
    // Every row shown is of the filter: its status and trigger cells say so.
    for (const row of screen.getAllByRole('row').slice(1)) expect(within(row).getByText('Shortcut')).toBeTruthy();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Trigger' }), 'Started by another workflow (manual)');
    await waitFor(() => expect(count().textContent).toBe('No workflows match this search and these filters.'));
    expect(screen.queryByRole('table')).toBeNull();
    // Not the empty workspace's "No workflows yet".
    expect(screen.queryByText(/No workflows yet/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Export all' })).toHaveProperty('disabled', false);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(count().textContent).toBe('Showing 50 of 123 workflows'));
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('a space typed after the word asks nothing again: the search sent is the same', async () => {
    const { calls, user } = open();
    await waitFor(() => expect(rowNames()).toHaveLength(50));
    const search = screen.getByRole('searchbox', { name: 'Search by name' });
    await user.type(search, 'Refund');
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await user.type(search, ' ');
    await new Promise((r) => setTimeout(r, 600));
    expect(rowNames()).toEqual(['Late REFUND reminder', 'Refunds (EU)', 'refund follow-up']);
    expect(listCalls(calls).filter((p) => p.includes('q='))).toEqual(['/workflows?limit=50&q=Refund']);
  });

  it('keeps the search when the admin opens a workflow and comes back', async () => {
    const { user, view } = open();
    await user.type(await screen.findByRole('searchbox', { name: 'Search by name' }), 'late');
    await waitFor(() => expect(rowNames()).toEqual(['Late REFUND reminder']));
    view.unmount();
    renderWithProviders(<WorkflowsPage />);
    await waitFor(() => expect(rowNames()).toEqual(['Late REFUND reminder']));
    expect((screen.getByRole('searchbox', { name: 'Search by name' }) as HTMLInputElement).value).toBe('late');
  });

  it('an empty workspace still says so, with no search to show', async () => {
    serveWorkflows(() => [], 'current', { 'GET /users': { users: [] } });
    renderWithProviders(<WorkflowsPage />);
    expect(await screen.findByText('No workflows yet. Create one, or import a JSON file.')).toBeTruthy();
    expect(screen.queryByRole('searchbox')).toBeNull();
    expect(screen.getByRole('button', { name: 'Export all' })).toHaveProperty('disabled', true);
  });
});
