import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { describedError, makeShortcut, openShortcutForm } from './launcher-fixtures';

// A shortcut form's phone field reads numbers as the contacts API does (normalizePhone in
// lib/contracts/common.ts): written with spaces or a leading 00 they are launched in E.164, and a
// national number gets the message saying what to add, before anything is sent.

const callback = makeShortcut('s1', 'Call back', {
  form: { fields: [{ label: 'Callback phone', type: 'phone', variable: 'phone', required: true }] },
});

const openForm = () => openShortcutForm(callback, 'Callback phone');

describe('a shortcut form\'s phone field', () => {
  it.each([
    ['+49 151 1234 5678', '+4915112345678'],
    ['0049 151 12345678', '+4915112345678'],
    ['+44 (0)20 7946 0958', '+442079460958'],
  ])('launches %j as %s', async (typed, sent) => {
    const { bg, user, field: phone, launch } = await openForm();
    await user.type(phone, typed);
    await launch();
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's1', conversationId: 'conv_1', values: { phone: sent } }));
  });

  it('says a national number needs + and the country code, and launches once it has them', async () => {
    const { bg, user, field: phone, launch } = await openForm();
    await user.type(phone, '0151 1234567');
    await launch();
    await waitFor(() => expect(phone.getAttribute('aria-invalid')).toBe('true'));
    expect(describedError(phone)).toBe(
      'Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (a national number such as 0151 1234 5678 does not say its country)',
    );
    expect(screen.queryByText(/Use international format/)).toBeNull();
    expect(bg.launch).not.toHaveBeenCalled();

    await user.clear(phone);
    await user.type(phone, '+49 151 1234567');
    await waitFor(() => expect(phone.hasAttribute('aria-invalid')).toBe(false));
    await launch();
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's1', conversationId: 'conv_1', values: { phone: '+491511234567' } }));
  });
});
