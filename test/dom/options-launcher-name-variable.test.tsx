import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, addStep, renderWithProviders, serveApi } from './options-harness';
import { insertsVariable } from './variable-menu';

// A shortcut offers who launched it by name ($trigger.launchedByName) beside the user id.

describe('a shortcut\'s variables', () => {
  it('Insert variable offers $trigger.launchedByName and inserts it', async () => {
    serveApi({
      ...emptyEditorApi,
    });
    const draft: WorkflowDraft = { name: 'Delivery', trigger: { type: 'shortcut', icon: '🚚', name: 'Delivery ticket', description: '', form: { fields: [] } }, oncePerContact: false, steps: [] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    const user = userEvent.setup();
    await addStep(user, 'Add an internal comment');
    await user.click(screen.getByRole('button', { name: /^Insert variable into/ }));
    const menu = screen.getByRole('menu', { name: 'Variables' });
    await user.click(within(menu).getByRole('menuitem', { description: insertsVariable('$trigger.launchedByName') }));
    expect(screen.queryByRole('menu', { name: 'Variables' })).toBeNull();
    expect((screen.getAllByRole('textbox').find((t) => (t as HTMLTextAreaElement).value.includes('{{$trigger.launchedByName}}')))).toBeTruthy();
  });
});
