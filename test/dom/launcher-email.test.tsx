import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackground, makeShortcut, renderLauncher } from './launcher-fixtures';

// A shortcut form's email field reads addresses as the contacts API does (Email in
// lib/contracts/common.ts): trimmed and lower-cased when launched, a bad address refused inline
// with the contacts API's message, before anything is sent.

const followUp = makeShortcut('s1', 'Send receipt', {
  form: { fields: [{ label: 'Customer email', type: 'email', variable: 'email', required: true, placeholder: 'name@example.com' }] },
});

async function openForm() {
  const bg = fakeBackground({ shortcuts: [followUp] });
  const user = userEvent.setup();
  renderLauncher();
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  await user.keyboard('{Enter}');
  const email = await screen.findByRole('textbox', { name: 'Customer email' });
  const launch = () => user.click(screen.getByRole('button', { name: 'Launch' }));
  return { bg, user, email, launch };
}

/** The message a field's aria-describedby points at. */
function describedError(el: HTMLElement): string | null {
  const id = el.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent ?? null : null;
}

describe('a shortcut form\'s email field', () => {
  it('is a native email input with an email keyboard and no autofill of the agent\'s own address', async () => {
    const { email } = await openForm();
    expect(email).toHaveProperty('type', 'email');
    expect(email.getAttribute('inputmode')).toBe('email');
    expect(email.getAttribute('autocomplete')).toBe('off');
    expect(email.getAttribute('placeholder')).toBe('name@example.com');
  });

  it('launches the address lower-cased', async () => {
    const { bg, user, email, launch } = await openForm();
    await user.type(email, 'Ana.Garcia@Example.COM');
    await launch();
    await waitFor(() => expect(bg.launch).toHaveBeenCalledWith({ shortcutId: 's1', conversationId: 'conv_1', values: { email: 'ana.garcia@example.com' } }));
  });

  it('says a bad address is not valid, and launches once it is fixed', async () => {
    const { bg, user, email, launch } = await openForm();
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
    const { bg, user, email, launch } = await openForm();
    bg.launch.mockResolvedValueOnce({ ok: false, kind: 'invalid', message: 'The form is not filled in correctly', details: [{ path: 'values.email', message: 'Enter a valid email address' }] });
    await user.type(email, 'ana@example.com');
    await launch();
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(describedError(email)).toBe('Enter a valid email address');
  });
});
