import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ShortcutForm } from '../../components/forms';
import type { FormDefinition, FormField } from '../../lib/contracts/forms';
import { REQUIRED_MESSAGE } from '../../lib/workflow/form-schema';

const f = (type: FormField['type'], label: string, variable: string, extra: Partial<FormField> = {}): FormField =>
  ({ type, label, variable, required: false, ...extra }) as FormField;

const refundForm: FormDefinition = {
  fields: [
    f('text', 'Order number', 'order', { required: true }),
    f('list', 'Reason', 'reason', { required: true, options: ['Late', 'Damaged'] }),
    f('checkbox', 'Customer agreed', 'agreed', { required: true }),
    f('phone', 'Callback phone', 'phone'),
    f('url', 'Receipt', 'receipt'),
    f('number', 'Amount', 'amount'),
  ],
};

function setup(props: Partial<Parameters<typeof ShortcutForm>[0]> = {}) {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  const view = render(<ShortcutForm form={refundForm} onSubmit={onSubmit} {...props} />);
  return { onSubmit, user, view, submit: () => user.click(screen.getByRole('button', { name: 'Launch' })) };
}

const ROLES: Record<string, string> = {
  'Order number': 'textbox', Reason: 'combobox', 'Customer agreed': 'checkbox',
  'Callback phone': 'textbox', Receipt: 'textbox', Amount: 'textbox',
};
/** A field by its role and accessible name (the required mark is aria-hidden, so not in the name). */
const input = (label: string) => screen.getByRole(ROLES[label]!, { name: label });

/** The message a field's aria-describedby points at. */
function describedError(el: HTMLElement): string | null {
  const id = el.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent ?? null : null;
}

describe('ShortcutForm validation', () => {
  it('marks required fields with * and aria-required, and only them', () => {
    setup();
    for (const label of ['Order number', 'Reason', 'Customer agreed']) {
      const el = input(label) as HTMLInputElement;
      expect(el.getAttribute('aria-required')).toBe('true');
      expect(el.labels?.[0]?.textContent).toBe(`${label} *`);
    }
    for (const label of ['Callback phone', 'Receipt', 'Amount']) {
      expect(input(label).hasAttribute('aria-required')).toBe(false);
    }
  });

  it('blocks the submit while required fields are empty, with an error on each', async () => {
    const { onSubmit, submit } = setup();
    await submit();
    expect(onSubmit).not.toHaveBeenCalled();
    for (const label of ['Order number', 'Reason']) {
      const el = input(label);
      expect(el.getAttribute('aria-invalid')).toBe('true');
      expect(describedError(el)).toBe(REQUIRED_MESSAGE);
    }
    expect(describedError(input('Customer agreed'))).toBe('Tick this box to continue');
    expect(input('Receipt').hasAttribute('aria-invalid')).toBe(false);
    // The first invalid field gets the focus.
    expect(document.activeElement).toBe(input('Order number'));
  });

  it('treats whitespace as empty for a required text field', async () => {
    const { onSubmit, user, submit } = setup();
    await user.type(input('Order number'), '   ');
    await submit();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(describedError(input('Order number'))).toBe(REQUIRED_MESSAGE);
  });

  it.each([
    ['Callback phone', '555-0123', 'Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (a national number such as 0151 1234 5678 does not say its country)'],
    ['Receipt', 'ftp://files.example/r.pdf', 'Enter a web address starting with http:// or https://'],
  ])('shows the schema message under %s for %j', async (label, value, message) => {
    const { onSubmit, user, submit } = setup();
    await user.type(input(label), value);
    await submit();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(describedError(input(label))).toBe(message);
  });

  it('clears an error once the field is corrected, then submits parsed values', async () => {
    const { onSubmit, user, submit } = setup();
    await submit();
    await user.type(input('Order number'), ' #1042 ');
    expect(input('Order number').hasAttribute('aria-invalid')).toBe(false);
    await user.selectOptions(input('Reason'), 'Late');
    await user.click(input('Customer agreed'));
    await user.type(input('Amount'), '19.90');
    await submit();
    expect(onSubmit).toHaveBeenCalledWith({ order: '#1042', reason: 'Late', agreed: true, amount: 19.9 });
  });

  it('puts the server\'s 422 details on their fields, and the others above the form', () => {
    setup({
      serverErrors: [
        { path: 'values.order', message: 'Order #1042 is already refunded' },
        { path: 'conversationId', message: 'This conversation is closed' },
      ],
    });
    const order = input('Order number');
    expect(order.getAttribute('aria-invalid')).toBe('true');
    expect(describedError(order)).toBe('Order #1042 is already refunded');
    expect(within(screen.getByRole('alert')).getByText('This conversation is closed')).toBeTruthy();
  });

  it('disables the submit button while submitting', () => {
    setup({ submitting: true });
    expect(screen.getByRole('button', { name: /Launching/ })).toHaveProperty('disabled', true);
  });
});
