import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, addStep, ok, renderWithProviders, savedWorkflow, serveApi } from './options-harness';

// A Wait step's "Wait for" with a decimal comma: "1,5" hours is 5400 seconds, not the 15 hours an
// en-US <input type=number> makes of it; an ambiguous "1,250" is said at the field, not guessed.

const at = '2025-01-01T00:00:00.000Z';
const draft: WorkflowDraft = {
  name: 'Follow up',
  trigger: { type: 'shortcut', icon: '\u{23F0}', name: 'Follow up', description: '', form: { fields: [] } },
  oncePerContact: false,
  steps: [],
};

function renderEditor() {
  const calls = serveApi({
    ...emptyEditorApi,
    'POST /workflows': (c) => ok({ id: 'wf_1', ...(c.body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null }),
  });
  renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
  return calls;
}

async function addWait(user: ReturnType<typeof userEvent.setup>) {
  await addStep(user, 'Wait');
  const input = screen.getByRole('textbox', { name: 'Wait for' }) as HTMLInputElement;
  await user.clear(input);
  return input;
}

describe('Wait for, typed with a decimal comma', () => {
  it.each([
    ['1,5', 'hours', 5400],
    ['0,5', 'days', 43_200],
    ['1.1', 'hours', 3960],
  ])('%s %s saves %s seconds', async (typed, unit, seconds) => {
    const user = userEvent.setup();
    const calls = renderEditor();
    const input = await addWait(user);
    await user.selectOptions(screen.getByLabelText('Unit'), unit);
    await user.type(input, typed);
    expect(input.value).toBe(typed);
    expect(input.getAttribute('inputmode')).toBe('decimal');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await savedWorkflow(calls)).steps[0]).toMatchObject({ type: 'wait', config: { seconds } });
  });

  it('says an ambiguous 1,250 could be two numbers once the field is left, and saves nothing', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    const input = await addWait(user);
    await user.type(input, '1,250');
    await user.tab();
    expect(await screen.findByText('"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });
});
