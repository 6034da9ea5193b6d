import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import type { WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// A file holding a workflow that is here already (the id it was exported with, else its name):
// the review offers "Create new" (the default, as before) or "Replace …", which keeps the
// workflow's id and webhook URL; replacing a published one says it becomes a draft to publish.

const definition = { name: 'Order paid', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
const file = new File([JSON.stringify({
  format: 'inbox-companion.workflows', version: 1, exportedAt: '2026-01-05T10:00:00.000Z',
  workflows: [{ id: 'wf_p', definition }], references: { users: {}, apps: {}, workflows: {}, fields: {} },
})], 'order-paid.workflows.json', { type: 'application/json' });
const renamed = 'A workflow named "Order paid" exists here: this one is imported as "Order paid (2)" (rename or delete either afterwards)';
const unpublishes = '"Order paid" is published: replacing it makes it a draft holding this version, and nothing starts it (its webhook URL refuses deliveries) until you publish it again';
const plan: WorkflowImportResult = {
  references: [],
  workflows: [{
    name: 'Order paid', importedAs: 'Order paid (2)', warnings: [renamed],
    replaceable: [{ id: 'wf_p', name: 'Order paid', detail: 'published, version 4, wf_p', status: 'published', how: 'id', warnings: [unpublishes] }],
  }],
  created: [],
};

afterEach(() => { window.location.hash = ''; });

async function review(answer: (body: Record<string, unknown>) => WorkflowImportResult) {
  const calls = serveApi({
    'GET /workflows': ok({ workflows: [] }),
    'POST /workflows/import': (c: ApiCall) => {
      const body = c.body as Record<string, unknown>;
      return body.dryRun ? ok(plan) : { status: 201, body: answer(body) };
    },
  });
  renderWithProviders(<WorkflowsPage />);
  await userEvent.setup().upload(screen.getByLabelText(/Import JSON/), file);
  const panel = await screen.findByRole('region', { name: 'Importing 1 workflow: check this first' });
  return { calls, panel, imports: () => calls.filter((c) => c.method === 'POST' && !(c.body as { dryRun: boolean }).dryRun).map((c) => c.body) };
}
const toDo = (panel: HTMLElement) => within(within(panel).getByText(/^“Order paid”:/).closest('li')!).getAllByRole('listitem').map((li) => li.textContent);

describe('import review: a workflow that is here already', () => {
  it('offers to replace it; replacing a published one says it needs publishing, before and after', async () => {
    const user = userEvent.setup();
    const { panel, imports } = await review(() => ({ ...plan, replaced: [{ id: 'wf_p', name: 'Order paid', unpublished: true }] }));
    const choice = within(panel).getByRole('group', { name: '“Order paid”' });
    const asNew = within(choice).getByRole('radio', { name: 'Create new “Order paid (2)”' });
    const replace = within(choice).getByRole('radio', { name: 'Replace “Order paid” (published, version 4, wf_p)' });
    expect(asNew).toHaveProperty('checked', true);
    expect(toDo(panel)).toEqual([renamed]);

    await user.click(replace);
    expect(replace).toHaveProperty('checked', true);
    expect(toDo(panel)).toEqual([unpublishes]);
    await user.click(within(panel).getByRole('button', { name: 'Import as drafts' }));

    expect(await screen.findByRole('status')).toHaveProperty('textContent',
      '“Order paid” now holds the file\'s version as a draft and is no longer published: nothing starts it until you publish it again (same webhook URL).');
    expect(imports()).toEqual([{ file: JSON.parse(await file.text()), choices: {}, replace: { 0: 'wf_p' }, dryRun: false }]);
    expect(window.location.hash).toBe('');
  });

  it('creates a new one unless asked: the review waits for the choice, and the default sends no replace', async () => {
    const user = userEvent.setup();
    const { panel, imports } = await review(() => ({ ...plan, created: [{ id: 'wf_9', name: 'Order paid (2)' }] }));
    const choice = within(panel).getByRole('group', { name: '“Order paid”' });
    await user.click(within(choice).getByRole('radio', { name: /^Replace/ }));
    await user.click(within(choice).getByRole('radio', { name: /^Create new/ }));
    await user.click(within(panel).getByRole('button', { name: 'Import as drafts' }));
    await waitFor(() => expect(window.location.hash).toBe('#/workflows/wf_9'));
    expect(imports()).toEqual([{ file: JSON.parse(await file.text()), choices: {}, dryRun: false }]);
  });
});
