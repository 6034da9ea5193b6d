import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import type { WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// A file holding a workflow that is here already (the id it was exported with, else its name):
// the review offers "Create new" (the default, as before) or "Replace …", which keeps the
// workflow's id and webhook URL; a published one replaced stays live with the file's version,
// unless the admin ticks "Replace as drafts" (then it must be published again).

const definition = { name: 'Order paid', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
const file = new File([JSON.stringify({
  format: 'inbox-companion.workflows', version: 1, exportedAt: '2026-01-05T10:00:00.000Z',
  workflows: [{ id: 'wf_p', definition }], references: { users: {}, apps: {}, workflows: {}, fields: {} },
})], 'order-paid.workflows.json', { type: 'application/json' });
const renamed = 'A workflow named "Order paid" exists here: this one is imported as "Order paid (2)" (rename or delete either afterwards)';
const staysLive = '"Order paid" is published and stays published: this version is live once imported (its webhook URL runs it); runs already started finish on the version they began with';
const unpublishes = '"Order paid" is published: replacing it as a draft leaves nothing starting it (its webhook URL refuses deliveries) until you publish it again';
const planFor = (warning: string): WorkflowImportResult => ({
  references: [],
  workflows: [{
    name: 'Order paid', importedAs: 'Order paid (2)', warnings: [renamed],
    replaceable: [{ id: 'wf_p', name: 'Order paid', detail: 'published, version 4, wf_p', status: 'published', how: 'id', warnings: [warning] }],
  }],
  created: [],
});
const plan = planFor(staysLive);

afterEach(() => { window.location.hash = ''; });

async function review(answer: (body: Record<string, unknown>) => WorkflowImportResult | { status: number; body: unknown }) {
  const calls = serveApi({
    'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }),
    'POST /workflows/import': (c: ApiCall) => {
      const body = c.body as Record<string, unknown>;
      if (body.dryRun) return ok(planFor(body.replaceAs === 'draft' ? unpublishes : staysLive));
      const answered = answer(body);
      return 'status' in answered ? answered : { status: 201, body: answered };
    },
  });
  renderWithProviders(<WorkflowsPage />);
  await userEvent.setup().upload(screen.getByLabelText(/Import JSON/), file);
  const panel = await screen.findByRole('region', { name: 'Importing 1 workflow: check this first' });
  return { calls, panel, imports: () => calls.filter((c) => c.method === 'POST' && !(c.body as { dryRun: boolean }).dryRun).map((c) => c.body) };
}
const toDo = (panel: HTMLElement) => within(within(panel).getByText(/^“Order paid”:/).closest('li')!).getAllByRole('listitem').map((li) => li.textContent);

describe('import review: a workflow that is here already', () => {
  it('offers to replace it; a published one replaced stays live, said before and after', async () => {
    const user = userEvent.setup();
    const { panel, imports } = await review(() => ({ ...plan, replaced: [{ id: 'wf_p', name: 'Order paid', status: 'published', unpublished: false }] }));
    const choice = within(panel).getByRole('group', { name: '“Order paid”' });
    const asNew = within(choice).getByRole('radio', { name: 'Create new “Order paid (2)”' });
    const replace = within(choice).getByRole('radio', { name: 'Replace “Order paid” (published, version 4, wf_p)' });
    expect(asNew).toHaveProperty('checked', true);
    expect(toDo(panel)).toEqual([renamed]);
    expect(within(panel).queryByRole('checkbox', { name: /^Replace as drafts/ })).toBeNull();

    await user.click(replace);
    expect(replace).toHaveProperty('checked', true);
    expect(toDo(panel)).toEqual([staysLive]);
    expect(within(panel).getByRole('checkbox', { name: /^Replace as drafts/ })).toHaveProperty('checked', false);
    await user.click(within(panel).getByRole('button', { name: 'Import and replace' }));

    expect(await screen.findByRole('status')).toHaveProperty('textContent',
      '“Order paid” now runs the file\'s version: it stays published, with the same webhook URL (runs already started finish on the version they began with).');
    expect(imports()).toEqual([{ file: JSON.parse(await file.text()), choices: {}, replace: { 0: 'wf_p' }, dryRun: false }]);
    expect(window.location.hash).toBe('');
  });

  it('replaces as a draft when asked: the review says it stops until published, and the import sends replaceAs', async () => {
    const user = userEvent.setup();
    const { panel, calls, imports } = await review(() => ({ ...plan, replaced: [{ id: 'wf_p', name: 'Order paid', status: 'draft', unpublished: true }] }));
    await user.click(within(panel).getByRole('radio', { name: /^Replace “Order paid”/ }));
    await user.click(within(panel).getByRole('checkbox', { name: 'Replace as drafts: the published workflows replaced stop (their webhook URLs refuse deliveries) until you publish them again' }));
    await waitFor(() => expect(toDo(panel)).toEqual([unpublishes]));
    expect(calls.filter((c) => c.method === 'POST').map((c) => (c.body as { replaceAs?: string }).replaceAs)).toEqual([undefined, 'draft']);
    expect(within(panel).getByRole('radio', { name: /^Replace “Order paid”/ })).toHaveProperty('checked', true);
    await user.click(within(panel).getByRole('button', { name: 'Import as drafts' }));

    expect(await screen.findByRole('status')).toHaveProperty('textContent',
      '“Order paid” now holds the file\'s version as a draft and is no longer published: nothing starts it until you publish it again (same webhook URL).');
    expect(imports()).toEqual([{ file: JSON.parse(await file.text()), choices: {}, replace: { 0: 'wf_p' }, replaceAs: 'draft', dryRun: false }]);
  });

  it('a version that cannot go live: the server\'s 422 is shown, the review stays for another choice', async () => {
    const user = userEvent.setup();
    const why = '"Order paid" is published and stays published with the file\'s version, which cannot go live: steps.0.config.field: There is no contact field "loyalty"; define it first. Fix the file or this server, or replace it as a draft (replaceAs: "draft")';
    const { panel } = await review(() => ({ status: 422, body: { error: { code: 'invalid_content', message: `Nothing was imported: ${why}`, details: [{ path: 'body.replace.0', message: why }] } } }));
    await user.click(within(panel).getByRole('radio', { name: /^Replace “Order paid”/ }));
    await user.click(within(panel).getByRole('button', { name: 'Import and replace' }));
    expect((await screen.findByRole('alert')).textContent).toContain(why);
    expect(within(panel).getByRole('checkbox', { name: /^Replace as drafts/ })).toBeTruthy();
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
