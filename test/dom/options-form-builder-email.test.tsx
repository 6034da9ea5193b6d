import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FormDefinition, type FormFieldInput } from '../../lib/contracts/forms';
import { FormBuilder } from '../../components/options/FormBuilder';
import { renderWithProviders } from './options-harness';

// An admin offers agents an email field: picked as "Email" (for a new field or an existing one),
// saved as type `email`, and previewed as the launcher shows it, bad addresses refused.

function Builder({ onFields }: { onFields(f: FormFieldInput[]): void }) {
  const [fields, setFields] = useState<FormFieldInput[]>([]);
  return <FormBuilder path="trigger.form.fields" fields={fields} onChange={(f) => { setFields(f); onFields(f); }} />;
}

const preview = () => within(screen.getByRole('region', { name: 'Form preview' }));

function setup() {
  const user = userEvent.setup();
  let fields: FormFieldInput[] = [];
  renderWithProviders(<Builder onFields={(f) => { fields = f; }} />);
  return { user, fields: () => fields };
}

describe('form builder: email fields', () => {
  it('offers "Email" as a type for new fields and for existing ones', async () => {
    const { user } = setup();
    const newType = screen.getByLabelText('New field type');
    expect(within(newType).getByRole('option', { name: 'Email' })).toHaveProperty('value', 'email');
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const typeSelect = within(screen.getByRole('listitem', { name: /Form field Field 1/ })).getByLabelText('Type');
    expect(within(typeSelect).getByRole('option', { name: 'Email' })).toHaveProperty('value', 'email');
  });

  it('adds an email field that the contract accepts, previewed as an email input', async () => {
    const { user, fields } = setup();
    await user.selectOptions(screen.getByLabelText('New field type'), 'Email');
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const label = screen.getByLabelText('Label');
    await user.clear(label);
    await user.type(label, 'Customer email');
    await user.click(screen.getByRole('checkbox', { name: /^Required/ }));

    expect(fields().map((f) => [f.variable, f.type, f.required])).toEqual([['customer_email', 'email', true]]);
    expect(FormDefinition.safeParse({ fields: fields() }).success).toBe(true);
    const input = preview().getByRole('textbox', { name: 'Customer email' });
    expect(input).toHaveProperty('type', 'email');
    expect(input.getAttribute('inputmode')).toBe('email');

    await user.type(input, 'not-an-email');
    await user.click(preview().getByRole('button', { name: 'Try the form' }));
    expect(await preview().findByText('Enter a valid email address')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('turns a text field into an email field', async () => {
    const { user, fields } = setup();
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    expect(preview().getByRole('textbox', { name: 'Field 1' })).toHaveProperty('type', 'text');
    await user.selectOptions(screen.getByLabelText('Type'), 'Email');
    expect(fields().map((f) => f.type)).toEqual(['email']);
    expect(preview().getByRole('textbox', { name: 'Field 1' })).toHaveProperty('type', 'email');
  });
});
