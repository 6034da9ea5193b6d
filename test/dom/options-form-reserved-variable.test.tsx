import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, emptyEditorApi, renderWithProviders, serveApi } from './options-harness';

// A form field named launchedBy / launchedByName would be overwritten by the built-in
// `$trigger.*` of that name: the editor says so on the field, before publishing refuses it.

const at = '2025-01-01T00:00:00.000Z';
const draft: WorkflowDraft = {
  name: 'Delivery ticket', oncePerContact: false,
  trigger: { type: 'shortcut', name: 'Delivery ticket', icon: '🚚', form: { fields: [{ label: 'Taken by', type: 'text', variable: 'taken_by', required: false }] } },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Taken by {{$trigger.launchedByName}}' } }],
};

afterEach(() => sessionStorage.clear());

describe('a form field named as a built-in variable', () => {
  it.each([
    ['launchedBy', "the launching agent's user id"],
    ['launchedByName', "the launching agent's name"],
  ])('"%s" is flagged on its Variable field, and in the summary after Save', async (variable, holds) => {
    const user = userEvent.setup();
    serveApi({
      ...emptyEditorApi,
      'POST /workflows': savedAsDraft(at),
    });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    const message = `"${variable}" is taken by the built-in variable {{$trigger.${variable}}} (${holds}): pick another name`;
    const input = screen.getByLabelText('Variable of Taken by');
    expect(screen.queryByText(message)).toBeNull();

    await user.clear(input);
    await user.type(input, variable);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = input.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain(message);

    // A draft may hold it (saving is fine); the summary lists it among what to fix before publishing.
    await user.click(screen.getByRole('button', { name: /^save$/i }));
    expect((await screen.findByText('To fix before publishing:')).closest('.summary')?.textContent).toContain(message);
  });
});
