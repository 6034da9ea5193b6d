import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ShortcutForm } from '../../components/forms';
import type { FormField } from '../../lib/contracts/forms';

// Every field type: the native control it becomes, and what a valid entry submits.

const field = (f: Partial<FormField> & Pick<FormField, 'type'>): FormField =>
  ({ label: `My ${f.type}`, variable: `v_${f.type}`, required: false, ...f }) as FormField;

async function fillAndSubmit(f: FormField, act: (user: ReturnType<typeof userEvent.setup>, input: HTMLElement) => Promise<void>) {
  const user = userEvent.setup();
  const onSubmit = vi.fn();
  render(<ShortcutForm form={{ fields: [f] }} onSubmit={onSubmit} />);
  const input = screen.getByLabelText(f.label);
  await act(user, input);
  await user.click(screen.getByRole('button', { name: 'Launch' }));
  return { onSubmit, input };
}

describe('ShortcutForm field types', () => {
  it.each([
    ['text', 'textbox', 'text', 'Parcel lost', 'Parcel lost'],
    // A text input (inputmode=decimal) read as Ask a Question reads numbers: see form-number-field.test.tsx.
    ['number', 'textbox', 'text', '42.5', 42.5],
    ['phone', 'textbox', 'tel', '+1 (415) 555-0123', '+14155550123'],
    ['url', 'textbox', 'url', 'https://shop.example/o/1', 'https://shop.example/o/1'],
    ['email', 'textbox', 'email', 'Ana.Garcia@Shop.Example', 'ana.garcia@shop.example'],
  ] as const)('%s renders a native %s input[type=%s] and submits the parsed value', async (type, role, inputType, typed, submitted) => {
    const f = field({ type, placeholder: `Enter ${type}` });
    const { onSubmit, input } = await fillAndSubmit(f, (user, el) => user.type(el, typed));
    expect(screen.getByRole(role, { name: f.label })).toBe(input);
    expect(input).toHaveProperty('type', inputType);
    expect(input.getAttribute('placeholder')).toBe(`Enter ${type}`);
    expect(onSubmit).toHaveBeenCalledWith({ [f.variable]: submitted });
  });

  it.each([
    ['date', '2026-03-31'],
    ['time', '09:30'],
  ] as const)('%s renders input[type=%s] and submits its value', async (type, value) => {
    const f = field({ type });
    const { onSubmit, input } = await fillAndSubmit(f, async (user, el) => {
      // jsdom has no date/time picker: set the value as the browser's picker would.
      await user.type(el, value);
    });
    expect(input).toHaveProperty('type', type);
    expect(onSubmit).toHaveBeenCalledWith({ [f.variable]: value });
  });

  it('list renders a select with a placeholder option and submits the chosen option', async () => {
    const f = field({ type: 'list', options: ['Late', 'Damaged'], placeholder: 'Pick a reason' });
    const { onSubmit } = await fillAndSubmit(f, (user, el) => user.selectOptions(el, 'Damaged'));
    const select = screen.getByRole('combobox', { name: f.label });
    expect([...(select as HTMLSelectElement).options].map((o) => o.text)).toEqual(['Pick a reason', 'Late', 'Damaged']);
    expect(onSubmit).toHaveBeenCalledWith({ [f.variable]: 'Damaged' });
  });

  it.each([
    [true, true],
    [false, false],
  ])('checkbox renders a native checkbox; ticked=%s submits %s', async (tick, submitted) => {
    const f = field({ type: 'checkbox' });
    const { onSubmit } = await fillAndSubmit(f, async (user, el) => {
      if (tick) await user.click(el);
    });
    expect(screen.getByRole('checkbox', { name: f.label })).toBeTruthy();
    expect(onSubmit).toHaveBeenCalledWith({ [f.variable]: submitted });
  });

  it('leaves out optional fields left empty', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<ShortcutForm form={{ fields: [field({ type: 'text' }), field({ type: 'number' })] }} onSubmit={onSubmit} />);
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]![0]).toEqual({});
  });
});
