import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { renderNewWorkflowEditor as renderEditor } from './new-workflow-editor';
import { savedWorkflow } from './options-harness';

// Every "go to" menu (Branch, Otherwise, Jump to, Ask a Question; Date & Time's too) ends with "End the
// workflow" ("$end"): an if/else that assigns Ava or Ben needs no dummy last step to jump to.

const empty: WorkflowDraft = { name: 'Route leads', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
const lastOption = (select: HTMLElement) => within(select).getAllByRole('option').at(-1)!;

afterEach(() => sessionStorage.clear());

describe('"End the workflow" as a target', () => {
  it('is the last choice of every go-to menu, and saves as "$end"', async () => {
    const user = userEvent.setup();
    const calls = renderEditor({ ...empty, steps: [
      { id: 'ask', type: 'ask_question', config: { question: 'Sofa, table or chair?', answerType: 'choice', choices: ['Sofa', 'Table', 'Chair'], presentation: 'buttons', saveToVariable: 'interest' } },
      { id: 'route', type: 'branch', config: { branches: [{ name: 'Sofa lead', conditions: { logic: 'and', rules: [{ left: '{{$step.interest}}', operator: 'is', right: 'Sofa' }] }, goTo: 'ava' }], elseGoTo: 'ben' } },
      { id: 'ava', type: 'jump_to', config: { stepId: 'ben' } },
      { id: 'ben', type: 'add_comment', config: { text: 'Ben' } },
    ] });
    const menus = ['When answered, go to', 'When still invalid, go to', 'When no reply comes, go to',
      'Branch 1 goes to', 'Otherwise go to', 'Jump to step'];
    for (const label of menus) expect(lastOption(screen.getByLabelText(label)).textContent, label).toBe('End the workflow');

    await user.selectOptions(screen.getByLabelText('Branch 1 goes to'), 'End the workflow');
    await user.selectOptions(screen.getByLabelText('Otherwise go to'), 'End the workflow');
    await user.selectOptions(screen.getByLabelText('Jump to step'), 'End the workflow');
    await user.selectOptions(screen.getByLabelText('When answered, go to'), 'End the workflow');
    expect(screen.queryByText(/There is no step/)).toBeNull();
    await user.click(screen.getByRole('button', { name: /^save$/i }));
    const { steps } = await savedWorkflow(calls);
    expect(steps[0]!.config).toMatchObject({ answeredGoTo: '$end' });
    expect(steps[1]!.config).toMatchObject({ branches: [{ goTo: '$end' }], elseGoTo: '$end' });
    expect(steps[2]).toEqual({ id: 'ava', type: 'jump_to', config: { stepId: '$end' } });
  });

  it('a saved workflow ending at a branch shows "End the workflow", not a missing step', () => {
    renderEditor({ ...empty, steps: [
      { id: 'route', type: 'branch', config: { branches: [{ name: 'Sofa lead', conditions: { logic: 'and', rules: [{ left: '{{$trigger.interest}}', operator: 'is', right: 'Sofa' }] }, goTo: 'ava' }], elseGoTo: '$end' } },
      { id: 'ava', type: 'add_comment', config: { text: 'Sofa' } },
    ] });
    const otherwise = screen.getByLabelText('Otherwise go to') as HTMLSelectElement;
    expect(otherwise.value).toBe('$end');
    expect(otherwise.selectedOptions[0]!.textContent).toBe('End the workflow');
    expect(within(otherwise).queryByRole('option', { name: /missing step/ })).toBeNull();
  });
});
