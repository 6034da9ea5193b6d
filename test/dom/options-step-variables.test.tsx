import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import type { StepInput } from '../../lib/contracts/steps';
import { WorkflowDefinition } from '../../lib/contracts/workflow';
import { structuralProblems } from '../../lib/workflow/validate-workflow';
import { emptyEditorApi, renderWithProviders, serveApi } from './options-harness';
import { offeredVariables } from './variable-menu';

// "Insert variable" offers a step's `$step.*` only where a step that may run before it sets them
// (earlier, or later with a jump back), as publishing checks: nothing offered is refused, and a
// variable read too early is flagged in the editor as publishing would.

const comment = (id: string, text = ''): StepInput => ({ id, type: 'add_comment', config: { text } });
const call: StepInput = { id: 'h1', type: 'http_request', config: { method: 'GET', url: 'https://shop.example/h1', headers: [], responseMappings: [{ jsonKey: '$.id', variable: 'rid' }] } };
const back: StepInput = { id: 'again', type: 'jump_to', config: { stepId: 'early' } };
const draft = (steps: StepInput[]): WorkflowDraft => ({ name: 'Order sync', trigger: { type: 'manual' }, oncePerContact: false, steps });

function renderEditor(initial: WorkflowDraft) {
  serveApi({
    ...emptyEditorApi,
  });
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
}

/** The `$step.*` the Comment field of the `n`-th comment step offers. */
async function offeredAt(user: ReturnType<typeof userEvent.setup>, n: number): Promise<string[]> {
  const toggle = screen.getAllByRole('button', { name: 'Insert variable into Comment' })[n]!;
  await user.click(toggle);
  const menu = screen.getByRole('menu', { name: 'Variables' });
  const offered = offeredVariables(within(menu).getAllByRole('menuitem')).filter((v) => v.startsWith('$step.'));
  await user.click(toggle);
  return offered;
}

describe('$step variables in the editor', () => {
  it('a step before the one that sets it is offered nothing; after it, or with a jump back, the variable', async () => {
    const user = userEvent.setup();
    renderEditor(draft([comment('early'), call, comment('late')]));
    expect(await offeredAt(user, 0)).toEqual([]);
    expect(await offeredAt(user, 1)).toEqual(['$step.rid']);
  });

  it('with a jump back to it, the earlier step is offered the variable, and publishing accepts it', async () => {
    const user = userEvent.setup();
    const steps = [comment('early'), call, back];
    renderEditor(draft(steps));
    expect(await offeredAt(user, 0)).toEqual(['$step.rid']);
    const filled = WorkflowDefinition.parse(draft([comment('early', '{{$step.rid}}'), call, back]));
    expect(structuralProblems(filled)).toEqual([]);
  });

  it('flags a variable read before any step sets it, as publishing does', async () => {
    const user = userEvent.setup();
    renderEditor(draft([comment('early', 'before call: {{$step.rid}}'), call]));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByText('To fix before publishing:')).toBeTruthy());
    expect(document.body.textContent).toContain('{{$step.rid}} is read before any step sets it: step 2 ("h1") sets it, but not before step 1 runs; move this step below it');
  });
});
