import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, ok, renderWithProviders, serveApi } from './options-harness';

// A Branch on a list field ("Plan is …"): the value offers the field's options as the admin types
// (respond.io picks from them) and says which they are; a typed value that is none of them is
// noted, not flagged: contacts keep a value after its option is removed (a cleanup workflow).

const draft: WorkflowDraft = { name: 'Route by plan', trigger: { type: 'conversation_opened' }, oncePerContact: false, steps: [] };
const plan = { key: 'plan', label: 'Plan', type: 'list', options: ['Free', 'Pro', 'Enterprise'] };

async function branchOnPlan() {
  serveApi({ ...emptyEditorApi, 'GET /fields': ok({ fields: [plan, { key: 'city', label: 'City', type: 'text', options: [] }] }) });
  const user = userEvent.setup();
  renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
  await user.selectOptions(screen.getByLabelText('New step'), 'Branch');
  await user.click(screen.getByRole('button', { name: 'Add step' }));
  await user.type(screen.getByLabelText('Branch 1 condition 1 variable'), '{{{{$contact.fields.plan}}');
  return user;
}

const offered = (input: HTMLElement) => {
  const list = input.getAttribute('list');
  return list ? [...document.getElementById(list)!.querySelectorAll('option')].map((o) => o.value) : [];
};

describe('a Branch condition on a list field', () => {
  it('offers the field\'s options for the value and names them', async () => {
    await branchOnPlan();
    const value = screen.getByLabelText('Branch 1 condition 1 value');
    await waitFor(() => expect(offered(value)).toEqual(['Free', 'Pro', 'Enterprise']));
    expect(value.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('One of: Free, Pro, Enterprise')).toBeTruthy();
  });

  it('notes a value that is none of them without flagging it: contacts may still hold a removed option', async () => {
    const user = await branchOnPlan();
    await user.selectOptions(screen.getByLabelText('Branch 1 goes to'), 'End the workflow');
    const value = screen.getByLabelText('Branch 1 condition 1 value');
    await user.type(value, 'Gold');
    await user.tab();
    await waitFor(() => expect(screen.getByText('"Gold" is not one of Plan\'s options now (Free, Pro, Enterprise): only contacts still holding it match')).toBeTruthy());
    expect(value.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByText(/would never hold/)).toBeNull();
    await user.clear(value);
    await user.type(value, 'pro');
    await waitFor(() => expect(screen.getByText('One of: Free, Pro, Enterprise')).toBeTruthy());
  });

  it('offers nothing for a text field', async () => {
    const user = await branchOnPlan();
    const variable = screen.getByLabelText('Branch 1 condition 1 variable');
    await user.clear(variable);
    await user.type(variable, '{{{{$contact.fields.city}}');
    expect(offered(screen.getByLabelText('Branch 1 condition 1 value'))).toEqual([]);
  });
});

// A Branch on a shortcut form's list field: `{{$trigger.size}}` holds one of the form's options
// (the form takes nothing else), so they are offered, and the variable reads by its label.
describe('a Branch condition on a shortcut form\'s list field', () => {
  const shirt: WorkflowDraft = {
    name: 'Order a shirt', oncePerContact: false, steps: [],
    trigger: { type: 'shortcut', name: 'Order a shirt', form: { fields: [{ label: 'Size', type: 'list', variable: 'size', options: ['S', 'M', 'L'] }, { label: 'Note', type: 'text', variable: 'note' }] } },
  };

  it('offers the form field\'s options for the value, names them and flags a value none of them', async () => {
    serveApi(emptyEditorApi);
    const user = userEvent.setup();
    renderWithProviders(<WorkflowEditor id={undefined} initial={shirt} restored={false} onDiscard={() => undefined} />);
    await user.selectOptions(screen.getByLabelText('New step'), 'Branch');
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    await user.type(screen.getByLabelText('Branch 1 condition 1 variable'), '{{{{$trigger.size}}');
    const value = screen.getByLabelText('Branch 1 condition 1 value');
    await waitFor(() => expect(offered(value)).toEqual(['S', 'M', 'L']));
    expect(screen.getByText('One of: S, M, L')).toBeTruthy();
    expect(screen.getByText('Reads “Size”')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Branch 1 goes to'), 'End the workflow');
    await user.type(value, 'XL');
    await user.tab();
    await waitFor(() => expect(value.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getAllByText(/The form field "Size" is one of S, M, L: "XL" is none of them/).length).toBeGreaterThan(0);
  });
});
