import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const manifest = {
  key: 'payments',
  name: 'Payments',
  description: 'Refunds without leaving the inbox',
  logoUrl: 'https://pay.example/logo.png',
  coverUrl: 'https://pay.example/cover.png',
  videoUrl: 'https://pay.example/tour',
  scopes: ['contacts.read', 'tags.write'],
  authInputs: [
    { key: 'apiKey', label: 'API key', type: 'string', required: true, maxLength: 10 },
    { key: 'retries', label: 'Retries', type: 'number' },
    { key: 'terms', label: 'I accept the terms', type: 'checkbox', required: true },
  ],
  fields: [{ key: 'amount', label: 'Amount', type: 'number' }],
  triggers: [{ key: 'payment_failed', name: 'Payment failed', items: ['amount'] }],
  actions: [],
  subscribeUrl: 'https://pay.example/subscribe',
};

/** A small app server: registered apps, one install answer per attempt, uninstall. */
function serve(installAnswers: { status: number; body: unknown }[] = []) {
  let app: Record<string, unknown> | undefined;
  return serveApi({
    'GET /apps': () => ok({ apps: app ? [app] : [] }),
    'POST /apps': (c: ApiCall) => {
      app = { id: 'app_1', key: 'payments', manifest: c.body, createdAt: at, installation: null };
      return ok({ app, signingSecret: 'whsec_shown_once' });
    },
    'POST /apps/app_1/install': () => {
      const answer = installAnswers.shift() ?? ok({ id: 'inst_1', appId: 'app_1', createdAt: at });
      if (answer.status === 200 && app) app = { ...app, installation: answer.body };
      return answer;
    },
    'DELETE /apps/app_1/install': () => {
      if (app) app = { ...app, installation: null };
      return { status: 204, body: null };
    },
  });
}

async function register(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByText('Register an app from its manifest'));
  await user.click(screen.getByRole('button', { name: 'Edit as JSON' }));
  await user.click(screen.getByLabelText('Manifest (JSON)'));
  await user.paste(JSON.stringify(manifest));
  await user.click(screen.getByRole('button', { name: 'Register app' }));
  return screen.findByRole('article', { name: 'Payments' });
}

afterEach(() => vi.restoreAllMocks());

describe('mini-apps page', () => {
  it('registers a pasted manifest and shows what a user sees before installing', async () => {
    const user = userEvent.setup();
    const calls = serve();
    renderWithProviders(<MiniAppsPage />);
    expect(await screen.findByText('No apps registered yet.')).toBeTruthy();
    const card = within(await register(user));

    expect(calls).toContainEqual(expect.objectContaining({ method: 'POST', path: '/apps', body: expect.objectContaining({ key: 'payments' }) }));
    expect(screen.getByRole('status').textContent).toContain('whsec_shown_once');
    expect(card.getByRole('heading', { name: 'Payments' })).toBeTruthy();
    expect(card.getByText('Refunds without leaving the inbox')).toBeTruthy();
    expect(card.getByRole('img', { name: 'Payments logo' }).getAttribute('src')).toBe(manifest.logoUrl);
    expect(card.getByRole('img', { name: 'Payments cover' }).getAttribute('src')).toBe(manifest.coverUrl);
    expect(card.getByRole('link', { name: 'Watch the video' }).getAttribute('href')).toBe(manifest.videoUrl);
    const scopes = within(card.getByRole('list', { name: 'Permissions requested' })).getAllByRole('listitem').map((li) => li.textContent);
    expect(scopes).toEqual(['Read contacts contacts.read', 'Add and remove tags tags.write']);
  });

  it('refuses a manifest the contract refuses, saying where', async () => {
    const user = userEvent.setup();
    const calls = serve();
    renderWithProviders(<MiniAppsPage />);
    await user.click(screen.getByText('Register an app from its manifest'));
    await user.click(screen.getByRole('button', { name: 'Edit as JSON' }));
    await user.click(screen.getByLabelText('Manifest (JSON)'));
    await user.paste(JSON.stringify({ ...manifest, logoUrl: 'http://pay.example/logo.png' }));
    await user.click(screen.getByRole('button', { name: 'Register app' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('logoUrl');
    expect(summary.textContent).toContain('Use an https:// URL');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('builds the install form from authInputs and validates required and maxLength before sending', async () => {
    const user = userEvent.setup();
    const calls = serve();
    renderWithProviders(<MiniAppsPage />);
    await register(user);
    await user.click(screen.getByRole('button', { name: 'Install Payments' }));

    const apiKey = screen.getByLabelText('API key *');
    expect(apiKey.getAttribute('maxlength')).toBe('10');
    expect(screen.getByLabelText('Retries')).toHaveProperty('type', 'number');
    expect(screen.getByRole('checkbox', { name: /I accept the terms/ })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Install' }));
    expect(await screen.findByText('API key is required')).toBeTruthy();
    expect(apiKey.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/I accept the terms must be checked/)).toBeTruthy();
    expect(calls.some((c) => c.path.endsWith('/install'))).toBe(false);

    await user.type(apiKey, 'sk_0123456789abc');
    expect(apiKey).toHaveProperty('value', 'sk_0123456');
  });

  it('puts the server\'s authValues.<key> details on the right input, shows a subscribe failure, then installs and uninstalls', async () => {
    const user = userEvent.setup();
    const calls = serve([
      { status: 422, body: { error: { code: 'invalid', message: 'The auth values are invalid: This key was revoked', details: [{ path: 'authValues.apiKey', message: 'This key was revoked' }] } } },
      { status: 502, body: { error: { code: 'subscribe_failed', message: 'The app\'s server did not accept the subscribe request (https://pay.example/subscribe): 401 Unauthorized' } } },
    ]);
    renderWithProviders(<MiniAppsPage />);
    await register(user);
    await user.click(screen.getByRole('button', { name: 'Install Payments' }));
    await user.type(screen.getByLabelText('API key *'), 'sk_live');
    await user.type(screen.getByLabelText('Retries'), '3');
    await user.click(screen.getByRole('checkbox', { name: /I accept the terms/ }));
    await user.click(screen.getByRole('button', { name: 'Install' }));

    await waitFor(() => expect(screen.getByLabelText('API key *').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getAllByText('This key was revoked').length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Retries').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('API key *'));
    expect(calls.find((c) => c.path === '/apps/app_1/install')?.body).toEqual({ authValues: { apiKey: 'sk_live', retries: 3, terms: true } });

    await user.click(screen.getByRole('button', { name: 'Install' }));
    expect(await screen.findByText(/did not accept the subscribe request \(https:\/\/pay\.example\/subscribe\): 401 Unauthorized/)).toBeTruthy();
    expect(screen.getByLabelText('API key *')).toHaveProperty('value', 'sk_live');

    await user.click(screen.getByRole('button', { name: 'Install' }));
    const installed = within(await screen.findByRole('article', { name: 'Payments' }));
    await waitFor(() => expect(installed.getByText('Installed')).toBeTruthy());
    expect(screen.getByRole('heading', { name: 'Installed' })).toBeTruthy();

    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(installed.getByRole('button', { name: 'Uninstall' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Uninstall Payments?'));
    await waitFor(() => expect(calls).toContainEqual({ method: 'DELETE', path: '/apps/app_1/install' }));
    expect(await screen.findByRole('button', { name: 'Install Payments' })).toBeTruthy();
  });
});
