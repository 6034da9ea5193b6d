import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import type { ImportReference, WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const definition = {
  name: 'Order shipped',
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
  oncePerContact: false,
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } }],
};
const stored = {
  id: 'wf_1', ...definition,
  trigger: { ...definition.trigger, url: 'http://127.0.0.1:8799/hooks/secret-path', signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at, triggerType: 'incoming_webhook', lastRunAt: null,
};
const assign = { name: 'Assign to Ana', trigger: { type: 'conversation_opened' }, oncePerContact: false, steps: [{ id: 'assign', type: 'assign_to', config: { userId: 'usr_a' } }] };
/** What GET /workflows/export answers: the definitions and what each id they name is. */
const exportFile = (workflows: { id: string; definition: object }[]) => ({
  format: 'inbox-companion.workflows', version: 1, exportedAt: at, workflows,
  references: { users: { usr_a: { name: 'Ana', email: 'ana@example.com' } }, apps: {}, workflows: {}, fields: {} },
});

const file = (name: string, text: string) => new File([text], name, { type: 'application/json' });
const reference = (over: Partial<ImportReference>): ImportReference => ({
  kind: 'user', ref: 'usr_a', label: 'Ana <ana@example.com>', match: null, how: null, problem: null, candidates: [], usedBy: [], ...over,
});
const plan = (over: Partial<WorkflowImportResult> = {}): WorkflowImportResult => ({ references: [], workflows: [], created: [], ...over });

/** Downloads caught: the anchor's file name and the blob's JSON. */
function catchDownloads() {
  const files: { name: string; json: unknown }[] = [];
  let blob: Blob | undefined;
  URL.createObjectURL = (b: Blob) => { blob = b; return 'blob:workflow'; };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const name = this.download;
    void blob!.text().then((text) => files.push({ name, json: JSON.parse(text) }));
  });
  return files;
}

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

describe('workflow export', () => {
  it('downloads the server\'s file for one workflow, or for all of them', async () => {
    const user = userEvent.setup();
    const one = exportFile([{ id: 'wf_1', definition }]);
    const all = exportFile([{ id: 'wf_1', definition }, { id: 'wf_2', definition: assign }]);
    const calls = serveApi({
      'GET /workflows?limit=50': ok({ workflows: [stored], nextCursor: null }),
      'GET /workflows/export?ids=wf_1': ok(one),
      'GET /workflows/export': ok(all),
    });
    const files = catchDownloads();
    renderWithProviders(<WorkflowsPage />);
    const row = (await screen.findByRole('link', { name: 'Order shipped' })).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: /^Export / }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(files[0]).toEqual({ name: 'order-shipped.workflow.json', json: one });

    await user.click(screen.getByRole('button', { name: 'Export all' }));
    await waitFor(() => expect(files).toHaveLength(2));
    expect(files[1]!.name).toMatch(/^workflows-\d{4}-\d{2}-\d{2}\.workflow\.json$/);
    expect(files[1]!.json).toEqual(all);
    expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/workflows/export?ids=wf_1', '/workflows/export']));
  });
});

describe('workflow import', () => {
  it('lists every contract error of an invalid file and sends nothing', async () => {
    const user = userEvent.setup();
    const calls = serveApi({ 'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }) });
    renderWithProviders(<WorkflowsPage />);
    const bad = { ...definition, name: '', steps: [{ id: 'wait', type: 'wait', config: { seconds: 0 } }, { id: 'go', type: 'http_request', config: { method: 'POST', url: 'ftp://x' } }] };
    await user.upload(screen.getByLabelText(/Import JSON/), file('bad.workflow.json', JSON.stringify(bad)));

    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('This file cannot be imported:');
    const items = within(summary).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(expect.arrayContaining([
      expect.stringContaining('Give the workflow a name'),
      expect.stringMatching(/Step 1.*Wait at least 1 second/),
      expect.stringMatching(/Step 2.*The URL must start with http:\/\/ or https:\/\//),
    ]));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);

    await user.upload(screen.getByLabelText(/Import JSON/), file('notes.json', '{ "name": '));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Not JSON/);
    const badFile = { ...exportFile([{ id: 'wf_1', definition: { ...definition, name: '' } }]) };
    await user.upload(screen.getByLabelText(/Import JSON/), file('all.workflow.json', JSON.stringify(badFile)));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Give the workflow a name'));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('everything matched: asks the server, then makes the draft and opens it', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }),
      'POST /workflows/import': (c: ApiCall) => ((c.body as { dryRun: boolean }).dryRun
        ? ok(plan({ workflows: [{ name: 'Order shipped', warnings: [] }] }))
        : { status: 201, body: plan({ workflows: [{ name: 'Order shipped', warnings: [] }], created: [{ id: 'wf_9', name: 'Order shipped' }] }) }),
    });
    renderWithProviders(<WorkflowsPage />);
    await user.upload(screen.getByLabelText(/Import JSON/), file('order-shipped.workflow.json', JSON.stringify(definition)));
    await waitFor(() => expect(window.location.hash).toBe('#/workflows/wf_9'));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', path: '/workflows/import', body: { file: definition, choices: {}, dryRun: true } },
      { method: 'POST', path: '/workflows/import', body: { file: definition, choices: {}, dryRun: false } },
    ]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says what has no match here and what to set up before publishing; imports with the admin\'s pick', async () => {
    const user = userEvent.setup();
    const two = exportFile([{ id: 'wf_1', definition }, { id: 'wf_2', definition: assign }]);
    const review = plan({
      references: [
        reference({
          problem: 'no user with email ana@example.com here; pick one', candidates: [{ id: 'usr_b', name: 'Bea <bea@example.com>' }],
          usedBy: [{ workflow: 'Assign to Ana', where: 'step "assign" (assign_to)', path: 'file.workflows.1.definition.steps.0.config.userId' }],
        }),
        reference({ kind: 'app', ref: 'app_1', label: 'Payments (payments)', match: { id: 'app_9', name: 'Payments (payments)' }, how: 'key' }),
      ],
      workflows: [
        { name: 'Order shipped', warnings: [] },
        { name: 'Assign to Ana', warnings: ['The contact field "tier" (Tier, list: gold, silver) is not defined here: define it under Settings before publishing'] },
      ],
    });
    const calls = serveApi({
      'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }),
      'POST /workflows/import': (c: ApiCall) => ((c.body as { dryRun: boolean }).dryRun ? ok(review)
        : { status: 201, body: { ...review, created: [{ id: 'wf_8', name: 'Order shipped' }, { id: 'wf_9', name: 'Assign to Ana' }] } }),
    });
    renderWithProviders(<WorkflowsPage />);
    await user.upload(screen.getByLabelText(/Import JSON/), file('all.workflow.json', JSON.stringify(two)));

    const panel = await screen.findByRole('region', { name: 'Importing 2 workflows: check this first' });
    expect(panel.textContent).toContain('User Ana <ana@example.com>: no user with email ana@example.com here; pick one');
    expect(panel.textContent).toContain('Used by “Assign to Ana” (step "assign" (assign_to))');
    expect(panel.textContent).toContain('“Assign to Ana”: The contact field "tier" (Tier, list: gold, silver) is not defined here');
    expect(panel.textContent).toContain('App Payments (payments) → Payments (payments) (by app key)');
    const importButton = within(panel).getByRole('button', { name: 'Import as drafts' });
    expect((importButton as HTMLButtonElement).disabled).toBe(true);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);

    await user.selectOptions(within(panel).getByRole('combobox', { name: /User Ana/ }), 'usr_b');
    await user.click(importButton);
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Imported 2 workflows as drafts: Order shipped, Assign to Ana.');
    expect(calls.filter((c) => c.method === 'POST').at(-1)).toEqual({
      method: 'POST', path: '/workflows/import', body: { file: two, choices: { users: { usr_a: 'usr_b' } }, dryRun: false },
    });
    expect(screen.queryByRole('region', { name: /check this first/ })).toBeNull();
    expect(window.location.hash).toBe('');
  });

  it('cancelling the review saves nothing', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }),
      'POST /workflows/import': ok(plan({ references: [reference({ problem: 'no user with email ana@example.com here; pick one' })], workflows: [{ name: 'Assign to Ana', warnings: [] }] })),
    });
    renderWithProviders(<WorkflowsPage />);
    await user.upload(screen.getByLabelText(/Import JSON/), file('assign.workflow.json', JSON.stringify(assign)));
    const panel = await screen.findByRole('region', { name: 'Importing 1 workflow: check this first' });
    expect(within(panel).getByRole('combobox', { name: /User Ana/ })).toHaveProperty('disabled', true);
    await user.click(within(panel).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('region', { name: /check this first/ })).toBeNull();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });
});

describe('workflow delete', () => {
  it('says the run history stays, and where to find it', async () => {
    const user = userEvent.setup();
    const calls = serveApi({ 'GET /workflows?limit=50': ok({ workflows: [stored], nextCursor: null }), 'DELETE /workflows/wf_1': { status: 204, body: undefined } });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<WorkflowsPage />);
    await user.click(await screen.findByRole('button', { name: 'Delete Order shipped' }));
    expect(confirm).toHaveBeenCalledWith('Delete “Order shipped”? Its queued and waiting runs are cancelled; its run history stays (filter the run history by “Order shipped (deleted)”).');
    await waitFor(() => expect(calls).toContainEqual({ method: 'DELETE', path: '/workflows/wf_1' }));
  });
});
