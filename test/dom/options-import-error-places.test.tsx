import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import type { WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// The import's error list says where each problem is as the admin sees the file: a 422 at
// `body.replace.0` read "replace 1: …", one at `body.file.workflows.1.definition.steps.0.config.url`
// "file › workflows 2 › definition › Step 1 › url". The editor's own list keeps its words.

const definition = (name: string) => ({ name, trigger: { type: 'manual' }, oncePerContact: false, steps: [] });
const exported = (workflows: unknown[]) => JSON.stringify({
  format: 'inbox-companion.workflows', version: 1, exportedAt: '2026-01-05T10:00:00.000Z', workflows, references: { users: {}, apps: {}, workflows: {}, fields: {} },
});
const twoWorkflows = exported([{ id: 'wf_p', definition: definition('Order paid') }, { id: 'wf_q', definition: definition('Order shipped') }]);
const plan: WorkflowImportResult = {
  references: [],
  workflows: [
    { name: 'Order paid', importedAs: 'Order paid', warnings: [], replaceable: [{ id: 'wf_p', name: 'Order paid', detail: 'published, version 4, wf_p', status: 'published', how: 'id', warnings: [] }] },
    { name: 'Order shipped', importedAs: 'Order shipped', warnings: [] },
  ],
  created: [],
};
const refusal = (details: { path: string; message: string }[]) => ({ status: 422, body: { error: { code: 'invalid_content', message: 'Nothing was imported', details } } });

afterEach(() => { window.location.hash = ''; });

async function upload(text: string, answer: (body: Record<string, unknown>) => { status: number; body: unknown }) {
  serveApi({ 'GET /workflows?limit=50': ok({ workflows: [], nextCursor: null }), 'POST /workflows/import': (c: ApiCall) => answer(c.body as Record<string, unknown>) });
  renderWithProviders(<WorkflowsPage />);
  await userEvent.setup().upload(screen.getByLabelText(/Import JSON/), new File([text], 'orders.workflows.json', { type: 'application/json' }));
}
const listed = async () => within(await screen.findByRole('alert')).getAllByRole('listitem').map((li) => li.textContent);

describe('the import\'s error list', () => {
  it('names the workflow a refused replace is about by its place in the file', async () => {
    const user = userEvent.setup();
    const why = '"Order paid" is published and stays published with the file\'s version, which cannot go live: steps.0.config.field: There is no contact field "loyalty"';
    await upload(twoWorkflows, (body) => (body.dryRun ? ok(plan) : refusal([{ path: 'body.replace.0', message: why }])));
    const panel = await screen.findByRole('region', { name: /^Importing 2 workflows/ });
    await user.click(within(panel).getByRole('radio', { name: /^Replace “Order paid”/ }));
    await user.click(within(panel).getByRole('button', { name: /^Import/ }));
    expect(await listed()).toEqual([`Workflow 1 in the file: ${why}`]);
  });

  it.each([
    ['a step of the second workflow', 'body.file.workflows.1.definition.steps.0.config.url', 'Workflow 2 in the file \u203a Step 1 \u203a url'],
    ['the second workflow\'s name', 'body.file.workflows.1.definition.name', 'Workflow 2 in the file \u203a name'],
    ['an empty file', 'body.file.workflows', 'The file\u2019s workflows'],
    ['a choice for an id of the file', 'body.choices.users.u_old', 'The user chosen for u_old'],
  ])('a 422 on %s', async (_what, path, place) => {
    await upload(twoWorkflows, () => refusal([{ path, message: 'Not here' }]));
    expect(await listed()).toEqual([`${place}: Not here`]);
  });

  it('the page\'s own check of a file names the workflow by its place too', async () => {
    await upload(exported([{ id: 'wf_p', definition: definition('Order paid') }, { id: 'wf_q', definition: definition('') }]), () => ok(plan));
    expect(await listed()).toEqual([expect.stringMatching(/^Workflow 2 in the file \u203a name: /)]);
  });

  it('a single workflow\'s file keeps the editor\'s words', async () => {
    await upload(JSON.stringify(definition('Order paid')), () => refusal([{ path: 'body.file.steps.2.config.url', message: 'Not here' }]));
    expect(await listed()).toEqual(['Step 3 \u203a url: Not here']);
  });
});
