import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi } from './options-harness';
import { fill, openRegister, row, section, sent, serveApps } from './app-builder-harness';

// A `secret` auth input (an API token): chosen in the app builder, typed in a password field on
// install with Show / Hide to check it, and sent as typed.

const at = '2025-01-01T00:00:00.000Z';
const manifest = {
  key: 'payments', name: 'Payments', description: 'Refunds from a workflow step', scopes: [],
  authInputs: [
    { key: 'accountId', label: 'Account ID', type: 'string', required: true },
    { key: 'apiToken', label: 'API token', type: 'secret', required: true, maxLength: 40 },
  ],
  fields: [], triggers: [], actions: [],
};

describe('a secret auth input', () => {
  it('is a type the app builder offers, with a maximum length, and registers as type secret', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    const info = section('App info');
    await fill(user, info.getByLabelText('App name'), 'Payments');
    await fill(user, info.getByLabelText('Description'), 'Refunds from a workflow step');
    const auth = section('Auth inputs');
    await user.click(auth.getByRole('button', { name: 'Add auth input' }));
    const token = row(auth, 'Auth input 1');
    await fill(user, token.getByLabelText('Label'), 'API token');
    await fill(user, token.getByLabelText('Key'), 'apiToken');
    await user.selectOptions(token.getByLabelText('Type'), 'Secret (API token, password)');
    expect(token.getByText('Typed hidden on install; never shown again')).toBeTruthy();
    await fill(user, token.getByLabelText('Maximum length'), '40');
    await user.click(token.getByRole('checkbox', { name: 'Required' }));
    await user.click(register);
    await screen.findByRole('status');
    expect(sent(calls, 'POST')).toEqual([expect.objectContaining({
      authInputs: [{ key: 'apiToken', label: 'API token', type: 'secret', required: true, maxLength: 40 }],
    })]);
  });

  it('is typed in a password field on install, shown and hidden again by its toggle, and sent as typed', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /apps': ok({ apps: [{ id: 'app_1', key: 'payments', manifest, createdAt: at, installation: null }] }),
      'POST /apps/app_1/install': ok({ id: 'inst_1', appId: 'app_1', createdAt: at }),
    });
    renderWithProviders(<MiniAppsPage />);
    await user.click(await screen.findByRole('button', { name: 'Install Payments' }));
    const token = screen.getByLabelText('API token *') as HTMLInputElement;
    expect(token.type).toBe('password');
    expect(token.getAttribute('autocomplete')).toBe('off');
    expect(token.getAttribute('maxlength')).toBe('40');
    // Plain text inputs stay as they were.
    expect(screen.getByLabelText('Account ID *')).toHaveProperty('type', 'text');

    await user.click(screen.getByRole('button', { name: 'Install' }));
    expect(await screen.findByText('API token is required')).toBeTruthy();
    expect(token.getAttribute('aria-invalid')).toBe('true');

    await user.type(screen.getByLabelText('Account ID *'), 'acct_42');
    await user.type(token, 'sk_live_0123456789');
    await user.click(screen.getByRole('button', { name: 'Show API token' }));
    expect(token.type).toBe('text');
    expect(token.value).toBe('sk_live_0123456789');
    await user.click(screen.getByRole('button', { name: 'Hide API token' }));
    expect(token.type).toBe('password');

    await user.click(screen.getByRole('button', { name: 'Install' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/apps/app_1/install')).toBe(true));
    expect(calls.find((c) => c.path === '/apps/app_1/install')?.body).toEqual({ authValues: { accountId: 'acct_42', apiToken: 'sk_live_0123456789' } });
  });
});
