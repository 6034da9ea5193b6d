import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, ok, renderWithProviders, serveApi } from './options-harness';

// A Branch on a list field ("Plan is …"): the value offers the field's options as the admin types
// (respond.io picks from them) and says which they are; a typed value that is none of them is
// flagged on the value once left, before publishing, since the condition could never hold.

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

  it('flags a value that is none of them on the value once left, before publishing', async () => {
    const user = await branchOnPlan();
    await user.selectOptions(screen.getByLabelText('Branch 1 goes to'), 'End the workflow');
    const value = screen.getByLabelText('Branch 1 condition 1 value');
    await user.type(value, 'vip');
    await user.tab();
    await waitFor(() => expect(value.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getAllByText(/"vip" is none of them, so this condition would never hold/).length).toBeGreaterThan(0);
    await user.clear(value);
    await user.type(value, 'pro');
    await waitFor(() => expect(value.getAttribute('aria-invalid')).toBeNull());
  });

  it('offers nothing for a text field', async () => {
    const user = await branchOnPlan();
    const variable = screen.getByLabelText('Branch 1 condition 1 variable');
    await user.clear(variable);
    await user.type(variable, '{{{{$contact.fields.city}}');
    expect(offered(screen.getByLabelText('Branch 1 condition 1 value'))).toEqual([]);
  });
});
