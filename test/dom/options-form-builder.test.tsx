import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FormDefinition, type FormFieldInput } from '../../lib/contracts/forms';
import { FormBuilder } from '../../components/options/FormBuilder';
import { renderWithProviders } from './options-harness';

function Builder({ onFields }: { onFields(f: FormFieldInput[]): void }) {
  const [fields, setFields] = useState<FormFieldInput[]>([]);
  return <FormBuilder path="trigger.form.fields" fields={fields} onChange={(f) => { setFields(f); onFields(f); }} />;
}

const preview = () => within(screen.getByRole('region', { name: 'Form preview' }));
const previewLabels = () => preview().queryAllByRole('textbox').map((el) => el.getAttribute('id') && document.querySelector(`label[for="${el.id}"]`)?.textContent?.replace(/\s*\*$/, ''));

describe('form builder', () => {
  it('adds fields, derives the variable from the label, and the preview follows', async () => {
    const user = userEvent.setup();
    let fields: FormFieldInput[] = [];
    renderWithProviders(<Builder onFields={(f) => { fields = f; }} />);
    expect(preview().getByText(/no fields/i)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const label = screen.getByLabelText('Label');
    await user.clear(label);
    await user.type(label, 'Order number');
    expect(screen.getByLabelText('Variable')).toHaveProperty('value', 'order_number');
    await user.click(screen.getByRole('checkbox', { name: /^Required/ }));
    expect(preview().getByLabelText(/Order number/)).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('New field type'), 'list');
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const list = screen.getByRole('listitem', { name: /Form field Field 2/ });
    await user.clear(within(list).getByLabelText('Label'));
    await user.type(within(list).getByLabelText('Label'), 'Reason');
    const options = within(list).getByLabelText('Options (one per line)');
    await user.clear(options);
    await user.type(options, 'Damaged{Enter}Late');
    const select = preview().getByRole('combobox', { name: /Reason/ });
    expect(within(select).getByRole('option', { name: 'Late' })).toBeTruthy();

    expect(FormDefinition.safeParse({ fields }).success).toBe(true);
    expect(fields.map((f) => [f.variable, f.type, f.required])).toEqual([['order_number', 'text', true], ['reason', 'list', false]]);
  });

  it('reorders and removes fields, in the editor and the preview', async () => {
    const user = userEvent.setup();
    let fields: FormFieldInput[] = [];
    renderWithProviders(<Builder onFields={(f) => { fields = f; }} />);
    for (let i = 0; i < 3; i++) await user.click(screen.getByRole('button', { name: 'Add field' }));
    expect(previewLabels()).toEqual(['Field 1', 'Field 2', 'Field 3']);

    await user.click(screen.getByRole('button', { name: 'Move Field 1 down' }));
    expect(fields.map((f) => f.label)).toEqual(['Field 2', 'Field 1', 'Field 3']);
    expect(previewLabels()).toEqual(['Field 2', 'Field 1', 'Field 3']);
    expect(screen.getByRole('button', { name: 'Move Field 2 up' })).toHaveProperty('disabled', true);

    await user.click(screen.getByRole('button', { name: 'Move Field 3 up' }));
    expect(fields.map((f) => f.label)).toEqual(['Field 2', 'Field 3', 'Field 1']);

    await user.click(screen.getByRole('button', { name: 'Remove Field 3' }));
    expect(fields.map((f) => f.label)).toEqual(['Field 2', 'Field 1']);
    expect(previewLabels()).toEqual(['Field 2', 'Field 1']);
  });

  it('leaves a field that is not valid yet out of the preview', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Builder onFields={() => undefined} />);
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const variable = screen.getByLabelText('Variable');
    await user.clear(variable);
    await user.type(variable, '1bad');
    expect(preview().getByText(/1 field not shown/)).toBeTruthy();
    expect(preview().queryAllByRole('textbox')).toHaveLength(0);
  });
});
