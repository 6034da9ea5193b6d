import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { createApiClient } from '../../lib/extension/api-client';
import { serveMessages } from '../../lib/extension/messaging';
import { startAppSink, type AppSink } from '../support/app-sink';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';
import { renderWithProviders } from './options-harness';

// After `npm run forget-secrets -- --yes` (a lost secret key), an installed app whose published
// workflow blocks uninstalling could not get its install values back. Against the real server,
// after the real command: the card's "Enter install values again" takes them (the install form,
// saved with PUT …/install/auth-values), says a refusal no field explains, and rotating the
// forgotten signing secret no longer promises a second signature for 24 hours.

const ADMIN = `ict_${'F'.repeat(43)}`;
let server: ServerProcess;
let sink: AppSink;
let dataDir: string;
const apps: Record<string, string> = {};

const call = (method: string, p: string, body?: unknown) => callOk(server, ADMIN, method, p, body);
/** The Payments example's manifest, in short: one install value, one action that sends it. */
const manifest = (key: string, name: string) => ({
  key, name, scopes: [], fields: [], triggers: [], ...sink.urls,
  authInputs: [{ key: 'accountId', label: 'Payment account ID', type: 'string', required: true, maxLength: 64 }],
  actions: [{ key: 'refund', name: 'Refund an order', inputs: [{ key: 'orderId', label: 'Order ID', required: true }],
    request: { method: 'POST', url: `${sink.url}/refunds`, body: { accountId: '{{auth.accountId}}', orderId: '{{input.orderId}}' } } }],
});

/** `npm run forget-secrets -- --yes` as the operator runs it, with the server's DATA_DIR. */
async function forgetSecrets(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/forget-secrets.ts', '--yes'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(code, out).toBe(0);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'f-left-dom-'));
  const env = { DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' };
  server = await spawnServer(env, await freePort());
  sink = await startAppSink();
  // Two apps, each used by a published workflow (so neither can be uninstalled).
  for (const [key, name] of [['payments', 'Payments'], ['payments-eu', 'Payments EU']] as const) {
    const registered = await call('POST', '/apps', manifest(key, name));
    apps[name] = registered.app.id;
    await call('POST', `/apps/${registered.app.id}/install`, { authValues: { accountId: 'acct_42' } });
    const flow = await call('POST', '/workflows', {
      name: `Refund with ${name}`, trigger: { type: 'manual' },
      steps: [{ id: 'refund', type: 'mini_app_action', config: { appId: registered.app.id, actionKey: 'refund', inputs: { orderId: 'ord_7' } } }],
    });
    await call('POST', `/workflows/${flow.id}/publish`);
  }
  // The key is lost; the operator runs the command, then starts the server again.
  await killHard(server);
  await rm(path.join(dataDir, 'secret-key'));
  await forgetSecrets({ DATA_DIR: dataDir });
  server = await spawnServer(env, await freePort());
}, 90_000);
afterAll(async () => {
  if (server) await killHard(server);
  await sink?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => { vi.restoreAllMocks(); });

async function openCard(name: string) {
  const client = createApiClient({ serverUrl: server.url, token: ADMIN });
  serveMessages({ api: ({ method, path: p, body }) => client.raw(method, p, body) });
  renderWithProviders(<MiniAppsPage />);
  return within(await screen.findByRole('article', { name }, { timeout: 5_000 }));
}
const forgottenItems = (card: ReturnType<typeof within>) =>
  card.queryByRole('region', { name: 'Forgotten credentials' }) ? within(card.getByRole('region', { name: 'Forgotten credentials' })).getAllByRole('listitem').map((li) => li.textContent ?? '') : [];

describe('an installed app whose install values the server forgot', () => {
  it('takes them again from its card, without uninstalling', async () => {
    const user = userEvent.setup();
    const card = await openCard('Payments');
    expect(forgottenItems(card)).toEqual([
      expect.stringContaining('the signing secret: Rotate signing secret below'),
      expect.stringContaining('the values entered on install: enter them again'),
    ]);
    await user.click(card.getByRole('button', { name: 'Enter install values again' }));
    const form = within(card.getByRole('group', { name: 'Install values of Payments' }));
    await user.click(form.getByRole('button', { name: 'Save install values' }));
    expect(await form.findByText('Payment account ID is required')).toBeTruthy();
    await user.type(form.getByRole('textbox', { name: 'Payment account ID *' }), 'acct_42');
    await user.click(form.getByRole('button', { name: 'Save install values' }));
    await waitFor(() => expect(forgottenItems(card)).toEqual([expect.stringContaining('the signing secret')]), { timeout: 5_000 });
    expect(card.queryByRole('button', { name: 'Enter install values again' })).toBeNull();
    expect((await call('GET', `/apps/${apps.Payments}`)).forgottenSecrets).toEqual(['signingSecret']);
  });

  it('says a refusal no field explains under the form (entered meanwhile elsewhere)', async () => {
    const user = userEvent.setup();
    const card = await openCard('Payments EU');
    await user.click(card.getByRole('button', { name: 'Enter install values again' }));
    await call('PUT', `/apps/${apps['Payments EU']}/install/auth-values`, { authValues: { accountId: 'acct_42' } });
    const form = within(card.getByRole('group', { name: 'Install values of Payments EU' }));
    await user.type(form.getByRole('textbox', { name: 'Payment account ID *' }), 'acct_43');
    await user.click(form.getByRole('button', { name: 'Save install values' }));
    expect((await form.findByRole('alert')).textContent).toBe('The install values of "Payments EU" were not forgotten, so there is nothing to enter again. To change them, uninstall the app and install it again: its server is then sent the new ones.');
  });

  it('rotating its forgotten signing secret says the new one signs alone', async () => {
    const user = userEvent.setup();
    const asked = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const card = await openCard('Payments EU');
    await user.click(card.getByRole('button', { name: 'Rotate signing secret' }));
    expect(asked).toHaveBeenCalledWith('Rotate the signing secret of Payments EU? The forgotten one is not used again: requests are signed with the new secret alone, so the app’s server must be given it.');
    const status = await card.findByRole('status', {}, { timeout: 5_000 });
    expect(status.textContent).toContain('The forgotten secret is not used again: requests are signed with this one alone, so the app’s server refuses them until it has it:');
    expect(status.textContent).not.toContain('previous secret');
    await waitFor(() => expect(forgottenItems(card).some((t) => t.includes('signing secret'))).toBe(false), { timeout: 5_000 });
  });
});
