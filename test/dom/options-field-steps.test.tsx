import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, ok, renderWithProviders, serveApi, addStep, savedWorkflow } from './options-harness';

// Update Contact Field and Ask a Question write the contact's own name, email and phone as well
// as custom fields: the pickers offer them (not lifecycle, which has its own step), and a value
// written without variables that the chosen field can never hold is flagged before publishing.

const at = '2025-01-01T00:00:00.000Z';

function renderEditor() {
  const calls = serveApi({
    'GET /fields': ok({ fields: [{ key: 'order_total', label: 'Order total', type: 'number', options: [] }] }),
    'GET /apps': ok({ apps: [] }),
    'GET /users': ok({ users: [] }),
    'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
    'GET /settings/closing-categories': ok({ categories: [] }),
    'POST /workflows': savedAsDraft(at),
  });
  const initial: WorkflowDraft = { name: 'Fields', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}
const saved = savedWorkflow;
/** The options of a field picker, by group. */
async function offered(select: HTMLElement) {
  await waitFor(() => expect(within(select).getByRole('option', { name: 'Order total (order_total)' })).toBeTruthy());
  return Object.fromEntries(within(select).getAllByRole('group').map((g) => [g.getAttribute('label'), within(g).getAllByRole('option').map((o) => o.textContent)]));
}

afterEach(() => sessionStorage.clear());

describe('contact fields the steps write', () => {
  it('Update a contact field offers the contact\'s own fields and saves the email chosen', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Update a contact field');
    const picker = screen.getByLabelText('Contact field');
    expect(await offered(picker)).toEqual({ 'Contact fields': ['First name', 'Last name', 'Email', 'Phone'], 'Custom fields': ['Order total (order_total)'] });
    await user.selectOptions(picker, 'email');
    await user.clear(screen.getByLabelText('New value'));
    await user.type(screen.getByLabelText('New value'), 'ana@example.com');
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect((await saved(calls)).steps[0]!.config).toEqual({ field: 'email', value: 'ana@example.com' });
  });

  it('a value with variables asks what to do when they are empty: keep (the default) or clear', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Update a contact field');
    const picker = screen.getByLabelText('Contact field');
    await offered(picker);
    await user.selectOptions(picker, 'firstName');
    expect(screen.queryByLabelText('When its variables are empty')).toBeNull();
    await user.clear(screen.getByLabelText('New value'));
    await user.click(screen.getByLabelText('New value'));
    await user.paste('{{$contact.fields.order_total}}');
    const whenEmpty = screen.getByLabelText('When its variables are empty');
    expect((whenEmpty as HTMLSelectElement).value).toBe('keep');
    await user.selectOptions(whenEmpty, 'clear');
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect((await saved(calls)).steps[0]!.config).toEqual({ field: 'firstName', value: '{{$contact.fields.order_total}}', whenEmpty: 'clear' });
  });

  it('Ask a Question can save the answer to the contact\'s email', async () => {
    const user = userEvent.setup();
    const calls = renderEditor();
    await addStep(user, 'Ask a question');
    await user.type(screen.getByLabelText('Question'), 'Your email?');
    await user.selectOptions(screen.getByLabelText('Expected answer'), 'email');
    const picker = screen.getByLabelText('Save the answer to contact field (optional)');
    expect(await offered(picker)).toEqual({ 'Contact fields': ['First name', 'Last name', 'Email', 'Phone'], 'Custom fields': ['Order total (order_total)'] });
    await user.selectOptions(picker, 'email');
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect((await saved(calls)).steps[0]!.config).toMatchObject({ answerType: 'email', saveToField: 'email' });
  });

  it('warns on the value a number field can never hold, as publishing would refuse it', async () => {
    const user = userEvent.setup();
    renderEditor();
    await addStep(user, 'Update a contact field');
    const picker = screen.getByLabelText('Contact field');
    await offered(picker);
    await user.selectOptions(picker, 'order_total');
    await user.clear(screen.getByLabelText('New value'));
    await user.type(screen.getByLabelText('New value'), 'abc');
    expect(await screen.findByText(/cannot set "order_total" \(number\): "abc" is not a number/)).toBeTruthy();
    expect(screen.getByLabelText('New value').getAttribute('aria-invalid')).toBe('true');
  });

  it('warns on a text answer saved to a number field until the expected answer is Number, as publishing would refuse it', async () => {
    const user = userEvent.setup();
    renderEditor();
    await addStep(user, 'Ask a question');
    await user.type(screen.getByLabelText('Question'), 'Your order total?');
    await user.selectOptions(screen.getByLabelText('Expected answer'), 'text');
    const picker = screen.getByLabelText('Save the answer to contact field (optional)');
    await offered(picker);
    await user.selectOptions(picker, 'order_total');
    expect(await screen.findByText(/saves a text answer to the number field "Order total" \(order_total\).*set the expected answer to Number/)).toBeTruthy();
    expect(picker.getAttribute('aria-invalid')).toBe('true');
    await user.selectOptions(screen.getByLabelText('Expected answer'), 'number');
    await waitFor(() => expect(picker.getAttribute('aria-invalid')).toBeNull());
  });
});
