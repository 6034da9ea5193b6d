import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeShortcut, openShortcutForm } from './launcher-fixtures';

// A text answer is checked against 1000 characters (trimmed): the field says how many are
// typed once they near it, so the limit is not first heard of on submit.

const note = makeShortcut('s_note', 'Add note', { form: { fields: [{ label: 'Note', type: 'text', variable: 'note', required: true }] } });
const typeInto = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });
const count = () => screen.queryByTestId('field-count');

describe('a text field in a shortcut form', () => {
  it('counts its characters as they near the limit, and says how many are too many before any submit', async () => {
    const { field, bg } = await openShortcutForm(note, 'Note');
    typeInto(field, 'x'.repeat(700));
    expect(count()).toBeNull();

    typeInto(field, `  ${'x'.repeat(850)}  `);
    await waitFor(() => expect(count()?.textContent).toBe('850 / 1000 characters'));
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(count()!.id);
    expect(field.hasAttribute('maxlength')).toBe(false); // a paste is never cut short silently

    typeInto(field, 'x'.repeat(1012));
    await waitFor(() => expect(count()?.textContent).toBe('1012 / 1000 characters: 12 too many'));
    expect(count()!.className).toContain('ic-field-count-over');
    expect(bg.launch).not.toHaveBeenCalled();
  });
});
