import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import type { WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// The import review tells two workflows of one name apart (status, version, id), and lists what
// the file left out (credentials, a signing secret) and a name already taken, one line each.

const definition = {
  name: 'Fulfil', trigger: { type: 'manual' }, oncePerContact: false,
  steps: [{ id: 'sub', type: 'trigger_workflow', config: { workflowId: 'wf_sub' } }],
};
const file = new File([JSON.stringify(definition)], 'fulfil.workflow.json', { type: 'application/json' });
const credential = 'Step "call_shop": set the Authorization header again (the workflow file left the credential out; {{credential: Authorization}} holds its place)';
const renamed = 'A workflow named "Fulfil" exists here: this one is imported as "Fulfil (2)" (rename or delete either afterwards)';
const review: WorkflowImportResult = {
  references: [{
    kind: 'workflow', ref: 'wf_sub', label: 'Fulfil order (sub)', match: null, how: null,
    problem: '2 workflows here are named "Fulfil order (sub)"; pick one',
    candidates: [
      { id: 'wf_d', name: 'Fulfil order (sub)', detail: 'draft, version 1, wf_d' },
      { id: 'wf_p', name: 'Fulfil order (sub)', detail: 'published, version 4, wf_p' },
    ],
    usedBy: [{ workflow: 'Fulfil', where: 'step "sub" (trigger_workflow)', path: 'file.workflows.0.definition.steps.0.config.workflowId' }],
  }],
  workflows: [{ name: 'Fulfil', importedAs: 'Fulfil (2)', warnings: [renamed, credential] }],
  created: [],
};

afterEach(() => { window.location.hash = ''; });

describe('import review', () => {
  it('tells apart two workflows of one name, and lists each thing to do on its own line', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'POST /workflows/import': (c: ApiCall) => ((c.body as { dryRun: boolean }).dryRun ? ok(review)
        : { status: 201, body: { ...review, created: [{ id: 'wf_9', name: 'Fulfil (2)' }] } }),
    });
    renderWithProviders(<WorkflowsPage />);
    await user.upload(screen.getByLabelText(/Import JSON/), file);
    const panel = await screen.findByRole('region', { name: 'Importing 1 workflow: check this first' });
    const pick = within(panel).getByRole('combobox', { name: /Workflow Fulfil order \(sub\)/ });
    expect(within(pick).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Pick one…', 'Fulfil order (sub) (draft, version 1, wf_d)', 'Fulfil order (sub) (published, version 4, wf_p)',
    ]);
    const todo = within(panel).getByText(/^“Fulfil”:/).closest('li')!;
    expect(within(todo).getAllByRole('listitem').map((li) => li.textContent)).toEqual([renamed, credential]);

    await user.selectOptions(pick, 'wf_p');
    await user.click(within(panel).getByRole('button', { name: 'Import as drafts' }));
    await waitFor(() => expect(window.location.hash).toBe('#/workflows/wf_9'));
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ file: definition, choices: { workflows: { wf_sub: 'wf_p' } }, dryRun: false });
  });
});
