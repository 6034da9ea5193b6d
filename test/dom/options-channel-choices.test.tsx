import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, emptyEditorApi, addStep, renderWithProviders, savedWorkflow, serveApi } from './options-harness';

// What the admin is told the customer will see: Ask a Question's choices per channel (a WhatsApp
// list opens from a button the admin names), and a media caption on Messenger.

const at = '2025-01-01T00:00:00.000Z';
function renderEditor() {
  const calls = serveApi({
    ...emptyEditorApi,
    'POST /workflows': savedAsDraft(at),
  });
  const initial: WorkflowDraft = { name: 'Choices', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}
const hintOf = (label: string) => document.getElementById(screen.getByLabelText(label).getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent;

afterEach(() => sessionStorage.clear());

describe('choices and captions as the customer will see them', () => {
  it('Ask a Question: each way of showing choices says what WhatsApp, Messenger and the inbox show; a list names its button', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Ask a question');
    await user.type(screen.getByLabelText('Question'), 'Which size?');
    await user.selectOptions(screen.getByLabelText('Expected answer'), 'choice');
    await user.type(screen.getByLabelText('Choices (one per line)'), 'XS{enter}S{enter}M{enter}L');
    expect(hintOf('Show choices as')).toMatch(/^Everywhere: the question with the choices numbered/);
    await user.selectOptions(screen.getByLabelText('Show choices as'), 'buttons');
    expect(hintOf('Show choices as')).toMatch(/^WhatsApp: reply buttons under the question\. Messenger: quick replies\./);
    expect(screen.queryByLabelText('List button (WhatsApp)')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Show choices as'), 'list');
    expect(hintOf('Show choices as')).toMatch(/^WhatsApp: a list message; its button opens the choices, one row each\. Messenger: quick replies\./);
    await user.type(screen.getByLabelText('List button (WhatsApp)'), 'Pick a size');
    await user.click(screen.getByRole('button', { name: /save/i }));
    const step = (await savedWorkflow(calls)).steps.find((s) => s.type === 'ask_question')!;
    expect(step.config).toMatchObject({ presentation: 'list', listButton: 'Pick a size', choices: ['XS', 'S', 'M', 'L'] });
  });

  it('Send a message: a media caption says it goes as a message of its own on Messenger', async () => {
    const user = userEvent.setup();
    renderEditor();
    await addStep(user, 'Send a message');
    await user.selectOptions(screen.getByLabelText('Message type'), 'media');
    expect(hintOf('Caption')).toBe('On WhatsApp it shows under the file. Messenger files carry no caption: it goes as a text message right after the file.');
  });
});
