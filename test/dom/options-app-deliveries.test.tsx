import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi } from './options-harness';

// What the admin sees of requests the app's server has not taken (an unsubscribe it refused with
// 401 after a rotation, one given up), and the "Retry now" that sends one again once fixed.

const at = '2025-01-01T00:00:00.000Z';
const manifest = {
  key: 'payments', name: 'Payments', scopes: ['contacts.read'], authInputs: [],
  fields: [{ key: 'amount', label: 'Amount', type: 'number' }], triggers: [{ key: 'paid', name: 'Paid', items: ['amount'] }], actions: [],
  subscribeUrl: 'https://pay.example/subscribe', unsubscribeUrl: 'https://pay.example/unsubscribe',
};
const pending = {
  id: 'obx_1', kind: 'unsubscribe', installationId: 'inst_old', status: 'pending', attempts: 3,
  lastError: 'HTTP 401: signature check failed', nextAttemptAt: '2025-01-01T01:00:00.000Z', createdAt: at,
};
const givenUp = { ...pending, id: 'obx_2', installationId: 'inst_older', status: 'failed', lastError: 'gave up: HTTP 410: gone', nextAttemptAt: null };

afterEach(() => vi.restoreAllMocks());

describe('undelivered requests on the app card', () => {
  it('lists each with its last error, and "Retry now" says how the attempt went', async () => {
    const user = userEvent.setup();
    let deliveries = [pending, givenUp];
    const retried: string[] = [];
    serveApi({
      'GET /apps': () => ok({ apps: [{ id: 'app_1', key: 'payments', manifest, createdAt: at, installation: null, deliveries }] }),
      'POST /apps/app_1/deliveries/obx_1/retry': () => {
        retried.push('obx_1');
        deliveries = deliveries.filter((d) => d.id !== 'obx_1');
        return ok({ delivery: { ...pending, status: 'delivered', attempts: 4, lastError: null, nextAttemptAt: null } });
      },
      'POST /apps/app_1/deliveries/obx_2/retry': () => ok({ delivery: { ...givenUp, attempts: 4, lastError: 'gave up: HTTP 410: still gone' } }),
    });
    renderWithProviders(<MiniAppsPage />);
    const card = within(await screen.findByRole('article', { name: 'Payments' }));
    const list = within(card.getByRole('region', { name: 'Undelivered requests' }));
    const [first, second] = list.getAllByRole('listitem');
    expect(first!.textContent).toContain('for installation inst_old');
    expect(first!.textContent).toContain('3 attempts, next try');
    expect(first!.textContent).toContain('Last error: HTTP 401: signature check failed');
    expect(second!.textContent).toContain('given up after 3 attempts');
    expect(second!.textContent).toContain('gave up: HTTP 410: gone');

    await user.click(within(second!).getByRole('button', { name: 'Retry now' }));
    expect((await within(second!).findByRole('alert')).textContent).toBe('Still not delivered: gave up: HTTP 410: still gone');

    await user.click(within(first!).getByRole('button', { name: 'Retry now' }));
    expect((await card.findByRole('status')).textContent).toBe('The unsubscribe request was delivered.');
    await waitFor(() => expect(list.getAllByRole('listitem').map((li) => li.textContent).join()).not.toMatch(/inst_old\b/));
    expect(retried).toEqual(['obx_1']);
  });

  it('shows nothing when every request was delivered', async () => {
    serveApi({ 'GET /apps': () => ok({ apps: [{ id: 'app_1', key: 'payments', manifest, createdAt: at, installation: null, deliveries: [] }] }) });
    renderWithProviders(<MiniAppsPage />);
    const card = within(await screen.findByRole('article', { name: 'Payments' }));
    expect(card.queryByRole('region', { name: 'Undelivered requests' })).toBeNull();
  });
});

describe('registering', () => {
  it('offers to copy the signing secret shown once', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /apps': () => ok({ apps: [] }),
      'POST /apps': (c) => ok({ app: { id: 'app_1', key: 'payments', manifest: c.body, createdAt: at, installation: null }, signingSecret: 'whsec_shown_once' }),
    });
    renderWithProviders(<MiniAppsPage />);
    await user.click(await screen.findByText('Register an app from its manifest'));
    await user.click(screen.getByRole('button', { name: 'Edit as JSON' }));
    await user.click(screen.getByLabelText('Manifest (JSON)'));
    await user.paste(JSON.stringify(manifest));
    await user.click(screen.getByRole('button', { name: 'Register app' }));
    const notice = within(await screen.findByRole('status'));
    await user.click(notice.getByRole('button', { name: 'Copy secret' }));
    expect(await navigator.clipboard.readText()).toBe('whsec_shown_once');
    expect(notice.getByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('refuses, before sending, an app with scopes or triggers and no subscribeUrl, saying why', async () => {
    const user = userEvent.setup();
    const calls = serveApi({ 'GET /apps': () => ok({ apps: [] }) });
    renderWithProviders(<MiniAppsPage />);
    await user.click(await screen.findByText('Register an app from its manifest'));
    await user.click(screen.getByRole('button', { name: 'Edit as JSON' }));
    await user.click(screen.getByLabelText('Manifest (JSON)'));
    const { subscribeUrl: _dropped, ...withoutUrl } = manifest;
    await user.paste(JSON.stringify(withoutUrl));
    await user.click(screen.getByRole('button', { name: 'Register app' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/subscribeUrl.*needs a subscribeUrl: its API key is sent to the app's server only in the subscribe request/);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});
