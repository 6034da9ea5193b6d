import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ShortcutForm } from '../../components/forms';
import type { FormField } from '../../lib/contracts/forms';

// A shortcut form's number field is read as Ask a Question reads numbers (lib/workflow/numbers.ts):
// "19,99" is 19.99 whatever the agent's browser locale, where an en-US <input type=number> gave 1999.

const amount: FormField = { label: 'Refund amount', type: 'number', variable: 'amount', required: true };

function setup() {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  render(<ShortcutForm form={{ fields: [amount] }} onSubmit={onSubmit} />);
  const input = screen.getByRole('textbox', { name: 'Refund amount' }) as HTMLInputElement;
  const launch = () => user.click(screen.getByRole('button', { name: 'Launch' }));
  return { onSubmit, user, input, launch };
}

const describedError = (el: HTMLElement) => {
  const id = el.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent ?? null : null;
};

describe('a shortcut form number field', () => {
  it('is a text input with the decimal keypad', () => {
    const { input } = setup();
    expect(input.type).toBe('text');
    expect(input.getAttribute('inputmode')).toBe('decimal');
  });

  it.each([
    ['19,99', 19.99],
    ['1.250,50', 1250.5],
    ['1,250.50', 1250.5],
    ['-3,5', -3.5],
    ['€19,99', 19.99],
    ['1250', 1250],
  ])('keeps %j as typed and launches with the number %s', async (typed, number) => {
    const { onSubmit, user, input, launch } = setup();
    await user.type(input, typed);
    expect(input.value).toBe(typed);
    await launch();
    expect(onSubmit).toHaveBeenCalledWith({ amount: number });
  });

  it('shows the hint for an ambiguous 1,250 at the field and launches only once it is written one way', async () => {
    const { onSubmit, user, input, launch } = setup();
    await user.type(input, '1,250');
    await launch();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(describedError(input)).toBe('"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).');
    await launch();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(input, '.00');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    await launch();
    expect(onSubmit).toHaveBeenCalledWith({ amount: 1250 });
  });

  it('says what to enter for a text that is no number', async () => {
    const { onSubmit, user, input, launch } = setup();
    await user.type(input, 'ten');
    await launch();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(describedError(input)).toBe('Enter a number, e.g. 42 or 3.5');
  });
});
