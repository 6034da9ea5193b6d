import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { describedError, makeShortcut, openShortcutForm } from './launcher-fixtures';

// A shortcut form's email field reads addresses as the contacts API does (Email in
// lib/contracts/common.ts): trimmed and lower-cased when launched, a bad address refused inline
// with the contacts API's message, before anything is sent.

const followUp = makeShortcut('s1', 'Send receipt', {
  form: { fields: [{ label: 'Customer email', type: 'email', variable: 'email', required: true, placeholder: 'name@example.com' }] },
});

const openForm = () => openShortcutForm(followUp, 'Customer email');

describe('a shortcut form\'s email field', () => {
  it('is a native email input with an email keyboard and no autofill of the agent\'s own address', async () => {
    const { field: email } = await openForm();
    expect(email).toHaveProperty('type', 'email');
    expect(email.getAttribute('inputmode')).toBe('email');
    expect(email.getAttribute('autocomplete')).toBe('off');
    expect(email.getAttribute('placeholder')).toBe('name@example.com');
  });

  it('launches the address lower-cased', async () => {
    const { bg, user, field: email, launch } = await openForm();
    await user.type(email, 'Ana.Garcia@Example.COM');
    await launch();
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's1', conversationId: 'conv_1', values: { email: 'ana.garcia@example.com' } }));
  });

  it('says a bad address is not valid, and launches once it is fixed', async () => {
    const { bg, user, field: email, launch } = await openForm();
    await user.type(email, 'ana@example');
    await launch();
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(describedError(email)).toBe('Enter a valid email address');
    expect(bg.launch).not.toHaveBeenCalled();

    await user.type(email, '.com');
    await waitFor(() => expect(email.hasAttribute('aria-invalid')).toBe(false));
    await launch();
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's1', conversationId: 'conv_1', values: { email: 'ana@example.com' } }));
  });

  it('shows the server\'s message for the field under it', async () => {
    const { bg, user, field: email, launch } = await openForm();
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'invalid', message: 'The form is not filled in correctly', details: [{ path: 'values.email', message: 'Enter a valid email address' }] });
    await user.type(email, 'ana@example.com');
    await launch();
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(describedError(email)).toBe('Enter a valid email address');
  });
});
