import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { at, renderNewWorkflowEditor } from './new-workflow-editor';
import { ok, type ApiCall, addStep, savedWorkflow } from './options-harness';

// The Tags box of "Add or remove tags" takes what is typed as a tag on Enter, a comma, or leaving
// the box (clicking Save or Publish), as respond.io's and n8n's tag fields do. Before, a tag typed
// but not "added" was dropped: Save said "Choose at least one tag" while the box still showed it.

function renderEditor() {
  const initial: WorkflowDraft = { name: 'Closed as sale', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
  const calls: ApiCall[] = renderNewWorkflowEditor(initial, {
    'POST /workflows/wf_1/publish': () => ok({ id: 'wf_1', ...(calls[calls.length - 1]!.body as object), status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at }),
  });
  return calls;
}
const chips = () => [...screen.getByRole('list', { name: 'Tags chosen' }).querySelectorAll('li')].map((li) => li.firstChild?.textContent);

afterEach(() => sessionStorage.clear());

describe('a tag typed in the Tags box', () => {
  it.each([
    ['Save', /^save$/i],
    ['Publish', /^publish$/i],
  ])('is saved when the admin clicks %s without "Add tag"', async (_, button) => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Add or remove tags');
    await user.type(screen.getByLabelText('Tags'), 'customer');
    await user.click(screen.getByRole('button', { name: button }));
    expect((await savedWorkflow(calls)).steps[0]!.config).toEqual({ action: 'add', tags: ['customer'] });
    expect(screen.queryByText('Choose at least one tag')).toBeNull();
    expect(chips()).toEqual(['customer']);
    expect((screen.getByLabelText('Tags') as HTMLInputElement).value).toBe('');
  });

  it('ends at a comma, typed or pasted; a tag already there in another case is not added twice', async () => {
    const user = userEvent.setup();
    renderEditor();
    await addStep(user, 'Add or remove tags');
    await user.type(screen.getByLabelText('Tags'), 'vip,');
    expect(chips()).toEqual(['vip']);
    await user.paste('Gold, VIP ,silver');
    expect(chips()).toEqual(['vip', 'Gold']);
    // What follows the last comma is still being typed.
    expect((screen.getByLabelText('Tags') as HTMLInputElement).value).toBe('silver');
    await user.keyboard('{Enter}');
    expect(chips()).toEqual(['vip', 'Gold', 'silver']);
  });

  it('a box really left empty still says to choose a tag', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Add or remove tags');
    await user.type(screen.getByLabelText('Tags'), '   ');
    await user.click(screen.getByRole('button', { name: /^save$/i }));
    expect(await screen.findAllByText('Choose at least one tag')).not.toHaveLength(0);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
