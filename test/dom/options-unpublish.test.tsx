import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// Unpublishing a workflow whose runs are still going asks what becomes of them (n8n's "stop
// executions", respond.io's "stop this workflow"): the count comes from the server.

const at = '2025-01-01T00:00:00.000Z';
const stored = {
  id: 'wf_1', name: 'Follow up', trigger: { type: 'shortcut', name: 'Follow up', icon: '⏰', form: { fields: [] } }, oncePerContact: false,
  steps: [{ id: 'pause', type: 'wait', config: { seconds: 3600 } }],
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at, triggerType: 'shortcut', lastRunAt: null,
};
const counts = (queued: number, waiting: number, running = 0) => ({ total: queued + waiting + running, queued, waiting, running });

function serve(unfinished: ReturnType<typeof counts>) {
  let workflow = stored;
  return serveApi({
    'GET /workflows?limit=200': () => ok({ workflows: [workflow], nextCursor: null }), 'GET /workflows?limit=50': () => ok({ workflows: [workflow], nextCursor: null }),
    'GET /workflows/wf_1': () => ok(workflow),
    'GET /workflows/wf_1/runs/unfinished': ok(unfinished),
    'POST /workflows/wf_1/unpublish': (c: ApiCall) => {
      workflow = { ...stored, status: 'draft', publishedAt: null as unknown as string };
      const cancelRuns = (c.body as { cancelRuns?: boolean } | undefined)?.cancelRuns;
      return ok({ ...workflow, ...(cancelRuns ? { cancelledRuns: { cancelled: unfinished.total, runIds: [] } } : {}) });
    },
    'GET /fields': ok({ fields: [] }),
    'GET /apps': ok({ apps: [] }),
  });
}
const unpublishes = (calls: ApiCall[]) => calls.filter((c) => c.path === '/workflows/wf_1/unpublish').map((c) => c.body ?? null);

afterEach(() => { window.location.hash = ''; sessionStorage.clear(); });

async function openList() {
  const user = userEvent.setup();
  renderWithProviders(<WorkflowsPage />);
  const row = (await screen.findByRole('link', { name: 'Follow up' })).closest('tr')!;
  await user.click(within(row).getByRole('button', { name: 'Unpublish Follow up' }));
  return user;
}

describe('the Unpublish button of the workflows list', () => {
  it.each([
    ['Cancel them', { cancelRuns: true }],
    ['Let them finish', null],
  ])('with runs going, asks first: "%s" unpublishes with %j', async (choice, body) => {
    const calls = serve(counts(1, 2));
    const user = await openList();
    const dialog = await screen.findByRole('alertdialog', { name: 'Unpublish “Follow up”?' });
    expect(within(dialog).getByText('This workflow has 3 unfinished runs: let them finish, or cancel them?')).toBeTruthy();
    expect(dialog.textContent).toContain('1 queued, 2 waiting.');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Let them finish' }));
    expect(unpublishes(calls)).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: choice }));
    await waitFor(() => expect(unpublishes(calls)).toEqual([body]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(await screen.findByRole('button', { name: 'Publish Follow up' })).toBeTruthy();
  });

  it('keeps it published when the admin changes their mind (the button or Escape)', async () => {
    const calls = serve(counts(0, 1));
    const user = await openList();
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText('This workflow has 1 unfinished run: let them finish, or cancel them?')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Keep it published' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Unpublish Follow up' }));
    await screen.findByRole('alertdialog');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(unpublishes(calls)).toEqual([]);
  });

  it('with nothing going, unpublishes at once: there is nothing to ask', async () => {
    const calls = serve(counts(0, 0));
    await openList();
    await waitFor(() => expect(unpublishes(calls)).toEqual([null]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});

describe('the Unpublish button of the editor', () => {
  it('asks the same, and cancels the runs when told to', async () => {
    const calls = serve(counts(0, 0, 1));
    const user = userEvent.setup();
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    await user.click(await screen.findByRole('button', { name: 'Unpublish' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Unpublish “Follow up”?' });
    expect(dialog.textContent).toContain('1 in the middle of a step.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel them' }));
    await waitFor(() => expect(unpublishes(calls)).toEqual([{ cancelRuns: true }]));
    expect(await screen.findByRole('button', { name: 'Publish' })).toBeTruthy();
  });
});
