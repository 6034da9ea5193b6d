import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The installed app's API key on its card: "Regenerate API key" (a leaked key, without
// uninstalling), with a confirmation and the outcome in words; a rotation its server did not
// confirm (both keys work until a time, "Revoke the previous key now"); scopes an update added,
// granted with "Grant new scopes".

const at = '2025-01-01T00:00:00.000Z';
const until = '2025-01-02T00:00:00.000Z';
const manifest = {
  key: 'payments', name: 'Payments', scopes: ['contacts.read', 'contacts.write'], authInputs: [], fields: [], triggers: [], actions: [],
  subscribeUrl: 'https://pay.example/subscribe',
};
const installation = { id: 'inst_1', appId: 'app_1', createdAt: at, apiKeyId: 'tok_1', scopes: ['contacts.read', 'contacts.write'], scopesToGrant: [], previousKeysExpireAt: null };
const unconfirmed = `The app's server did not confirm that it stored the new key (https://pay.example/subscribe): HTTP 503: busy. It may have stored it all the same, so until ${until} both the new key tok_2 and the key it replaces work`;

afterEach(() => vi.restoreAllMocks());

/** One installed app whose installation the routes change, as the server would. */
function serve(start: Record<string, unknown>, routes: Record<string, (inst: Record<string, unknown>) => { status: number; body: unknown; next?: Record<string, unknown> }>) {
  let inst = { ...installation, ...start };
  return serveApi({
    'GET /apps': () => ok({ apps: [{ id: 'app_1', key: 'payments', manifest, createdAt: at, installation: inst, deliveries: [] }] }),
    ...Object.fromEntries(Object.entries(routes).map(([route, answer]) => [route, () => {
      const { next, ...res } = answer(inst);
      if (next) inst = { ...inst, ...next };
      return res;
    }])),
  });
}

async function keySection() {
  renderWithProviders(<MiniAppsPage />);
  const card = within(await screen.findByRole('article', { name: 'Payments' }));
  return within(card.getByRole('region', { name: 'API key' }));
}

describe('"Regenerate API key" on an installed app', () => {
  it('asks first, then says the server stored the new key and the previous one no longer works', async () => {
    const user = userEvent.setup();
    const calls = serve({}, { 'POST /apps/app_1/install/api-key/rotate': (i) => ok({ installation: { ...i, apiKeyId: 'tok_2' } }) });
    const key = await keySection();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);

    await user.click(key.getByRole('button', { name: 'Regenerate API key' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/^Regenerate the API key of Payments\? .*the current key stops working at once\. Workflows using the app are not affected\.$/));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    await user.click(key.getByRole('button', { name: 'Regenerate API key' }));
    expect((await key.findByRole('status')).textContent).toBe('Payments’s server stored its new API key; the previous key no longer works.');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/apps/app_1/install/api-key/rotate']);
  });

  it('a refusal: "Not regenerated" with the server\'s reason', async () => {
    const user = userEvent.setup();
    const message = 'The app\'s server did not accept the new key (https://pay.example/subscribe): HTTP 401: bad signature. The new key was revoked; the current key tok_1 goes on working.';
    serve({}, { 'POST /apps/app_1/install/api-key/rotate': () => ({ status: 502, body: { error: { code: 'subscribe_failed', message } } }) });
    const key = await keySection();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(key.getByRole('button', { name: 'Regenerate API key' }));
    expect((await key.findByRole('alert')).textContent).toBe(`Not regenerated: ${message}`);
  });

  it('unconfirmed: says so, shows until when both keys work, and "Revoke the previous key now" ends it', async () => {
    const user = userEvent.setup();
    const calls = serve({}, {
      'POST /apps/app_1/install/api-key/rotate': () => ({ status: 502, body: { error: { code: 'subscribe_unconfirmed', message: unconfirmed } }, next: { apiKeyId: 'tok_2', previousKeysExpireAt: until } }),
      'POST /apps/app_1/install/api-key/revoke-previous': (i) => ({ ...ok({ installation: { ...i, previousKeysExpireAt: null } }), next: { previousKeysExpireAt: null } }),
    });
    const key = await keySection();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(key.getByRole('button', { name: 'Regenerate API key' }));
    expect((await key.findByRole('alert')).textContent).toBe(`Not confirmed: ${unconfirmed}`);
    const revoke = await key.findByRole('button', { name: 'Revoke the previous key now' });
    expect(key.getByText(/did not confirm that it stored the newest key/).textContent).toContain(`Until ${new Date(until).toLocaleString()} the previous key works too`);
    expect(key.getByRole('button', { name: 'Regenerate again' })).toBeTruthy();

    await user.click(revoke);
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('Revoke the previous API key of Payments now?'));
    expect((await key.findByRole('status')).textContent).toBe('The previous key no longer works; only the newest key does.');
    await waitFor(() => expect(key.queryByRole('button', { name: 'Revoke the previous key now' })).toBeNull());
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/apps/app_1/install/api-key/rotate', '/apps/app_1/install/api-key/revoke-previous']);
  });
});

describe('scopes an update added', () => {
  it('lists them as not granted, and "Grant new scopes" sends a key holding them', async () => {
    const user = userEvent.setup();
    const calls = serve({ scopes: ['contacts.read'], scopesToGrant: ['contacts.write'] }, {
      'POST /apps/app_1/install/api-key/rotate?scopes=apply': (i) => ({ ...ok({ installation: { ...i, scopes: manifest.scopes, scopesToGrant: [] } }), next: { scopes: manifest.scopes, scopesToGrant: [] } }),
    });
    const key = await keySection();
    expect(key.getByText(/The updated app asks for more permissions/).textContent).toContain('Create and edit contacts');
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(key.getByRole('button', { name: 'Grant new scopes' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Grant Payments these permissions: Create and edit contacts?'));
    expect((await key.findByRole('status')).textContent).toBe('Payments’s server stored its new API key; the previous key no longer works. It holds: Read contacts, Create and edit contacts.');
    await waitFor(() => expect(key.queryByRole('button', { name: 'Grant new scopes' })).toBeNull());
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/apps/app_1/install/api-key/rotate?scopes=apply']);
  });
});
