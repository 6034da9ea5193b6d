import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, addStep, ok, renderWithProviders, serveApi } from './options-harness';

// Assign to and Ask a Question open the contact's conversation first when none is open, as Send a
// message does (server/engine/steps/open-for-send.ts): the admin building a webhook or tag flow
// reads that where they set the step up, rather than adding an Open conversation step "to be safe".

function renderEditor() {
  serveApi({
    ...emptyEditorApi,
    'GET /settings/lifecycle-stages': ok({ stages: [] }),
  });
  const initial: WorkflowDraft = { name: 'Order paid', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
}

/** The text a screen reader reads with the control (its aria-describedby). */
const descriptionOf = (control: HTMLElement) =>
  (control.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');

describe('the step editor says what Assign to and Ask a Question do with no conversation open', () => {
  it.each([
    ['assign_to', 'Assign to', /^With no conversation open, it opens one first on the channel the contact last used, as Send a message does; unassigning then does nothing\.$/],
    ['ask_question', 'Question', /^With no conversation open, it opens one first on the channel the contact last used, as Send a message does\. WhatsApp takes a question only within 24 hours/],
  ])('%s', async (type, label, said) => {
    const user = userEvent.setup();
    renderEditor();
    await addStep(user, type);
    expect(descriptionOf(screen.getByLabelText(label))).toMatch(said);
  });
});
