import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { DashboardApp } from '../../components/dashboard-app/DashboardApp';
import { ConnectForm } from '../../components/popup/ConnectForm';

// The two sign-ins outside the options page take the companion token as the options page does
// (SecretInput): typed out of sight, checkable with Show, never offered to a password manager.
const signIns: [name: string, ui: () => ReactElement][] = [
  ['the extension popup', () => <ConnectForm busy={false} onConnect={vi.fn()} />],
  ['the Chatwoot Dashboard App', () => <DashboardApp serverUrl="http://127.0.0.1:8787" storage={window.localStorage} />],
];

describe('token fields of the popup and the Dashboard App', () => {
  it.each(signIns)('%s: the token is hidden by default, Show reveals it, Hide hides it again', async (_, ui) => {
    window.localStorage.clear();
    const user = userEvent.setup();
    render(ui());
    const input = screen.getByLabelText('Token') as HTMLInputElement;
    await user.type(input, 'tok_secret_1234');
    expect({ type: input.type, autocomplete: input.getAttribute('autocomplete'), value: input.value })
      .toEqual({ type: 'password', autocomplete: 'off', value: 'tok_secret_1234' });
    await user.click(screen.getByRole('button', { name: 'Show token' }));
    expect(input.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide token' }));
    expect(input.type).toBe('password');
    expect(input.value).toBe('tok_secret_1234');
  });
});
