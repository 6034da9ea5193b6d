import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, renderWithProviders, serveApi } from './options-harness';

// The steps of a long, branch-heavy workflow: reorder by keyboard, collapse, and each step's
// problems (the publish checks) on that step.

const comment = (i: number) => ({ id: `s${i}`, type: 'add_comment' as const, config: { text: `Step ${i}` } });
const branch = (i: number, goTo: string) => ({
  id: `b${i}`, type: 'branch' as const,
  config: { branches: [{ name: 'VIP', conditions: { logic: 'and' as const, rules: [{ left: '{{$contact.tags}}', operator: 'has_tag' as const, right: 'vip' }] }, goTo }] },
});

function longDraft(): WorkflowDraft {
  const steps = [];
  for (let i = 1; i <= 50; i++) steps.push(i % 5 === 0 ? branch(i, i === 25 ? 'gone' : `s${i + 1 > 50 ? 1 : i + 1}`) : comment(i));
  return { name: 'Long', trigger: { type: 'manual' }, oncePerContact: false, steps } as WorkflowDraft;
}

function renderEditor(initial: WorkflowDraft) {
  const calls = serveApi({
    ...emptyEditorApi,
  });
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}

const order = () => [...document.querySelectorAll('li.step')].map((li) => li.getAttribute('data-step-id'));

describe('steps of a 50-step, branch-heavy workflow', () => {
  it('moves a step with the arrow keys on its handle, keeps the focus on it and says where it went', async () => {
    const user = userEvent.setup();
    renderEditor(longDraft());
    const handle = screen.getByRole('button', { name: 'Reorder step 2' });
    handle.focus();
    await user.keyboard('{ArrowUp}');
    expect(order().slice(0, 3)).toEqual(['s2', 's1', 's3']);
    expect(document.activeElement?.getAttribute('data-step-handle')).toBe('s2');
    expect(screen.getByTestId('step-announcement').textContent).toBe('Add an internal comment (s2) moved to position 1 of 50');
    await user.keyboard('{End}');
    expect(order().at(-1)).toBe('s2');
    expect(document.activeElement?.getAttribute('data-step-handle')).toBe('s2');
    await user.keyboard('{Home}');
    expect(order()[0]).toBe('s2');
    await user.keyboard('{ArrowUp}'); // already first: nothing moves
    expect(order()[0]).toBe('s2');
  });

  it('collapses and expands steps one by one or all at once', async () => {
    const user = userEvent.setup();
    renderEditor(longDraft());
    expect(screen.getAllByLabelText('Comment')).toHaveLength(40);
    await user.click(screen.getByRole('button', { name: 'Collapse step 1' }));
    expect(screen.getAllByLabelText('Comment')).toHaveLength(39);
    expect(screen.getByRole('button', { name: 'Expand step 1' }).getAttribute('aria-expanded')).toBe('false');
    await user.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(screen.queryAllByLabelText('Comment')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Expand step 10' }));
    expect(within(screen.getByRole('listitem', { name: 'Step 10: Branch' })).getByDisplayValue('VIP')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(screen.getAllByLabelText('Comment')).toHaveLength(40);
  });

  it('shows a step\'s publish-check problem on that step, also when collapsed', async () => {
    const user = userEvent.setup();
    renderEditor(longDraft());
    await user.click(screen.getByRole('button', { name: 'Collapse all' }));
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    const step25 = screen.getByRole('listitem', { name: 'Step 25: Branch' });
    await waitFor(() => expect(within(step25).getByTestId('step-problem-count').textContent).toBe('1 problem'));
    const list = within(step25).getByRole('list', { name: 'Problems in step 25' });
    expect(list.textContent).toMatch(/Branch 1 › goes to:/);
    expect(list.textContent).toMatch(/gone/);
    // No other step is marked.
    expect(screen.getAllByTestId('step-problem-count')).toHaveLength(1);
  });
});
